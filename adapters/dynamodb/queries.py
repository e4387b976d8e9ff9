"""The listings: which index each queries, and the loop that fills one page.

DynamoDB applies a Query's Limit before its filter, so a filtered listing
queries on until the page is full, sizing each next Query by the share of
items its filter has kept so far.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import attrs

from ...domain import Request
from ...ports import MAX_QUERY_LIMIT, Page, resolve_limit
from ..cursor import Position, decode_cursor, encode_cursor
from .calls import Call, Steps, ask
from .codec import Item, decode_item
from .names import PARTITION_KEY, SORT_KEY, Listing


@attrs.frozen
class Filter:
    """A server-side FilterExpression with its placeholders."""

    expression: str
    names: dict[str, str]
    values: dict[str, Any]


def query_params(
    table: str, listing: Listing, key: str, where: Filter | None = None
) -> dict[str, Any]:
    """Return the parameters of a newest-first Query of ``listing`` for ``key``."""
    params: dict[str, Any] = {
        "TableName": table,
        "IndexName": listing.index,
        "KeyConditionExpression": "#key = :key",
        "ExpressionAttributeNames": {"#key": listing.key},
        "ExpressionAttributeValues": {":key": {"S": key}},
        "ScanIndexForward": False,
    }
    if where is not None:
        params["FilterExpression"] = where.expression
        params["ExpressionAttributeNames"].update(where.names)
        params["ExpressionAttributeValues"].update(where.values)
    return params


def each_item(
    params: dict[str, Any], visit: Callable[[Item], Steps[bool] | bool]
) -> Steps[None]:
    """Query page after page, handing each item to ``visit`` until it answers True.

    ``visit`` answers at once, or with the steps of the calls it makes first.
    """
    while True:
        response = yield from ask(Call("query", params))
        for raw in response.get("Items", []):
            answer = visit(raw)
            if answer if isinstance(answer, bool) else (yield from answer):
                return
        following = response.get("LastEvaluatedKey")
        if following is None:
            return
        params = {**params, "ExclusiveStartKey": following}


def list_page(
    table: str,
    listing: Listing,
    cursor_key: str,
    key: str,
    limit: object,
    cursor: object,
    keep: Callable[[Request], bool] | None = None,
    where: Filter | None = None,
) -> Steps[Page]:
    """Return one page of ``listing`` for ``key``, after ``cursor``.

    ``keep`` makes the exact test of a filtered listing on each decoded
    request; ``where`` filters on the server what surely fails it.
    """
    page_size = resolve_limit(limit)
    params = query_params(table, listing, key, where)
    if cursor is not None:
        position = decode_cursor(cursor, listing.name, cursor_key)
        params["ExclusiveStartKey"] = {
            PARTITION_KEY: {"S": position.request_id},
            listing.key: {"S": key},
            SORT_KEY: {"S": position.created_at},
        }
    items: list[Request] = []
    scanned = 0
    batch = page_size
    while True:
        response = yield from ask(Call("query", {**params, "Limit": batch}))
        raw_items = response.get("Items", [])
        following = response.get("LastEvaluatedKey")
        for number, raw in enumerate(raw_items):
            request = decode_item(raw)
            if keep is not None and not keep(request):
                continue
            items.append(request)
            if len(items) == page_size:
                last = number == len(raw_items) - 1 and following is None
                next_cursor = None if last else _cursor(listing, cursor_key, raw)
                return Page(tuple(items), next_cursor)
        if following is None:
            return Page(tuple(items), None)
        params["ExclusiveStartKey"] = following
        scanned += response.get("ScannedCount", len(raw_items))
        batch = _next_batch(page_size - len(items), scanned, len(items), keep is not None)


def _cursor(listing: Listing, cursor_key: str, raw: Item) -> str:
    position = Position(raw[SORT_KEY]["S"], raw[PARTITION_KEY]["S"])
    return encode_cursor(listing.name, cursor_key, position)


def _next_batch(needed: int, scanned: int, kept: int, filtered: bool) -> int:
    """How many items to ask for next, to fill ``needed`` places in few round trips.

    Without a filter every item counts, so exactly ``needed``. With one, the
    share kept so far predicts how many to read, with a quarter more to spare.
    """
    if not filtered:
        return needed
    if kept == 0:
        return MAX_QUERY_LIMIT
    return max(needed, min(MAX_QUERY_LIMIT, math.ceil(needed * scanned / kept * 1.25)))
