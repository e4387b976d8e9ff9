"""DynamoDBRequestStore: the RequestStore on a DynamoDB table.

One round trip for create, get, update and delete on every path: a failed
condition is classified from the old item that DynamoDB returns with the
failure (``ReturnValuesOnConditionCheckFailure=ALL_OLD``).
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import attrs
from botocore.exceptions import BotoCoreError, ClientError, ParamValidationError

from ...domain import (
    Request,
    RequestStatus,
    as_utc,
    refuse_if_final,
    utc_now,
    validate_request_id,
)
from ...ports import (
    MAX_QUERY_LIMIT,
    Clock,
    ConcurrentModification,
    Page,
    RequestExists,
    RequestNotFound,
    read_clock,
    require_request,
    resolve_key,
    resolve_limit,
    resolve_status,
)
from ..cursor import Position, decode_cursor, encode_cursor
from ..timestamps import format_timestamp
from .codec import TTL_ATTRIBUTE, Item, decode_item, encode_request
from .errors import CONDITION_FAILED, error_code, translate
from .schema import PARTITION_KEY, SORT_KEY
from .tokens import StoredTokens

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

logger = logging.getLogger("access_requests")

_TICK = timedelta(microseconds=1)
_TABLE_NAME = re.compile(r"[A-Za-z0-9_.-]{3,255}")
_DECISION = ("status", "approver", "approver_comment", "updated_at")
_NAMES = {f"#{name}": name for name in _DECISION}
_UPDATE = "SET " + ", ".join(f"#{name} = :{name}" for name in _DECISION)
_LOCK = "#updated_at = :token AND #status = :pending"
_PENDING_FILTER = (
    "attribute_not_exists(#ttl) OR NOT attribute_type(#ttl, :number) OR #ttl >= :now"
)


@attrs.frozen
class _Listing:
    """One listing: its name in cursors, the index it queries and that index's key."""

    name: str
    index: str
    key: str


_BY_REQUESTER = _Listing("requester", "gsi-requester", "requester")
_BY_STATUS = _Listing("status", "gsi-status", "status")
_BY_PROFILE = _Listing("profile", "gsi-profile", "profile")
_PENDING = _Listing("pending", "gsi-status", "status")


@attrs.frozen
class _ConditionFailed:
    """A conditional write was refused.

    Attributes:
        old: The item as DynamoDB returned it with the failure, if it did.
        retried: Whether botocore sent the write more than once, so that an
            earlier attempt may have been applied with its response lost.
    """

    old: Item | None
    retried: bool


class DynamoDBRequestStore:
    """A RequestStore on a DynamoDB table, sharing the Go system's item format.

    Args:
        client: A boto3 low-level DynamoDB client (``boto3.client("dynamodb")``);
            its owner chooses region, credentials, endpoint and retries
            (see ``recommended_client``).
        table_name: The table, as ``create_table`` provisions it.
        clock: Where update reads the time; UTC now by default.
        condition_failures_return_item: Whether the backend returns the old
            item when a condition fails, as DynamoDB and moto do. Set False for
            a backend that does not; the store then reads the item once after
            a failed condition to tell the failures apart.
    """

    def __init__(
        self,
        client: DynamoDBClient,
        table_name: str,
        *,
        clock: Clock | None = None,
        condition_failures_return_item: bool = True,
    ) -> None:
        _require_dynamodb_client(client)
        if not isinstance(table_name, str) or not _TABLE_NAME.fullmatch(table_name):
            raise ValueError(
                "table_name must be 3 to 255 letters, digits, '_', '-' or '.',"
                f" got {table_name!r}"
            )
        self._client = client
        self._table = table_name
        self._clock: Clock = clock or utc_now
        self._returns_old_item = condition_failures_return_item
        self._tokens = StoredTokens()

    @property
    def table_name(self) -> str:
        """The table this store reads and writes."""
        return self._table

    def create(self, request: Request) -> None:
        """Store a new request with one conditional PutItem."""
        require_request(request)
        item = encode_request(request)
        result = self._conditional_write(
            "create",
            self._client.put_item,
            Item=item,
            ConditionExpression="attribute_not_exists(#id)",
            ExpressionAttributeNames={"#id": PARTITION_KEY},
        )
        if isinstance(result, _ConditionFailed):
            old = result.old
            if old is None:
                old = self._read_raw(request.id, operation="create")
            if result.retried and old == item:
                return  # our own write, applied before botocore retried it
            raise RequestExists(request.id)

    def get(self, request_id: str) -> Request:
        """Return the request with this id, read with one consistent GetItem."""
        validate_request_id(request_id, "request_id")
        item = self._read_raw(request_id, operation="get")
        if item is None:
            raise RequestNotFound(request_id)
        return self._decode(item)

    def update(self, request: Request) -> Request:
        """Write status, approver and comment with one conditional UpdateItem."""
        require_request(request)
        token = self._tokens.token(request)
        updated_at = max(read_clock(self._clock), request.updated_at + _TICK)
        decision: Item = {
            "status": {"S": request.status.value},
            "approver": {"S": request.approver},
            "approver_comment": {"S": request.approver_comment},
            "updated_at": {"S": format_timestamp(updated_at)},
        }
        result = self._conditional_write(
            "update",
            self._client.update_item,
            Key=_key(request.id),
            UpdateExpression=_UPDATE,
            ConditionExpression=_LOCK,
            ExpressionAttributeNames=_NAMES,
            ExpressionAttributeValues={
                **{f":{name}": value for name, value in decision.items()},
                ":token": {"S": token},
                ":pending": {"S": RequestStatus.PENDING.value},
            },
            ReturnValues="ALL_NEW",
        )
        if not isinstance(result, _ConditionFailed):
            return self._decode(result["Attributes"])
        old = result.old
        if old is None and not self._returns_old_item:
            old = self._read_raw(request.id, operation="update")
        if old is None:
            raise RequestNotFound(request.id)
        if result.retried and all(old.get(name) == value for name, value in decision.items()):
            return self._decode(old)  # our own write, applied before botocore retried it
        stored_token = old.get("updated_at", {}).get("S")
        if stored_token != token:
            raise ConcurrentModification(
                request.id, f"stored updated_at is {stored_token}, the copy has {token}"
            )
        refuse_if_final(request.id, self._decode(old).status, "update")
        raise ConcurrentModification(request.id, "the stored request changed meanwhile")

    def delete(self, request_id: str) -> None:
        """Remove the request with this id, if there is one, with one DeleteItem."""
        validate_request_id(request_id, "request_id")
        with self._failures_of("delete"):
            self._client.delete_item(TableName=self._table, Key=_key(request_id))

    def list_by_requester(
        self, requester: str, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        """Return one page of this requester's requests, newest first."""
        key = resolve_key(requester, "requester")
        return self._query(_BY_REQUESTER, key, key, limit, cursor)

    def list_by_status(
        self, status: RequestStatus, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        """Return one page of the requests in this status, newest first."""
        key = resolve_status(status).value
        return self._query(_BY_STATUS, key, key, limit, cursor)

    def list_by_profile(
        self, profile: str, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        """Return one page of the requests for this profile, newest first."""
        key = resolve_key(profile, "profile")
        return self._query(_BY_PROFILE, key, key, limit, cursor)

    def list_pending(
        self,
        *,
        now: datetime | None = None,
        limit: int = 100,
        cursor: str | None = None,
    ) -> Page:
        """Return one page of requests pending and not expired at ``now``.

        DynamoDB applies Limit before a filter, so the store queries on until
        the page is full. The ttl attribute (expires_at in whole seconds)
        filters on the server what has surely expired; the exact test against
        expires_at is made here.
        """
        at = read_clock(self._clock) if now is None else as_utc(now, "now")
        return self._query(
            _PENDING,
            "",
            RequestStatus.PENDING.value,
            limit,
            cursor,
            keep=lambda request: at < request.expires_at,
            filter_values={
                ":number": {"S": "N"},
                ":now": {"N": str(math.floor(at.timestamp()))},
            },
        )

    def _query(
        self,
        listing: _Listing,
        cursor_key: str,
        key: str,
        limit: int,
        cursor: str | None,
        keep: Callable[[Request], bool] | None = None,
        filter_values: Mapping[str, Mapping[str, str]] | None = None,
    ) -> Page:
        page_size = resolve_limit(limit)
        params: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": listing.index,
            "KeyConditionExpression": "#key = :key",
            "ExpressionAttributeNames": {"#key": listing.key},
            "ExpressionAttributeValues": {":key": {"S": key}},
            "ScanIndexForward": False,
        }
        if cursor is not None:
            position = decode_cursor(cursor, listing.name, cursor_key)
            params["ExclusiveStartKey"] = {
                PARTITION_KEY: {"S": position.request_id},
                listing.key: {"S": key},
                SORT_KEY: {"S": position.created_at},
            }
        if filter_values is not None:
            params["FilterExpression"] = _PENDING_FILTER
            params["ExpressionAttributeNames"]["#ttl"] = TTL_ATTRIBUTE
            params["ExpressionAttributeValues"].update(filter_values)
        items: list[Request] = []
        scanned = kept = 0
        batch = page_size
        while True:
            with self._failures_of(f"list_{listing.name}"):
                response = self._client.query(Limit=batch, **params)
            raw_items = response.get("Items", [])
            following = response.get("LastEvaluatedKey")
            for number, raw in enumerate(raw_items):
                request = self._decode(raw)
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
            kept = len(items)
            batch = _next_batch(page_size - len(items), scanned, kept, keep is not None)

    def _conditional_write(
        self, operation: str, write: Callable[..., Any], **params: Any
    ) -> Mapping[str, Any] | _ConditionFailed:
        """Make one conditional write; a refused condition is returned, not raised."""
        with self._failures_of(operation):
            try:
                response: Mapping[str, Any] = write(
                    TableName=self._table,
                    ReturnValuesOnConditionCheckFailure="ALL_OLD",
                    **params,
                )
            except ClientError as error:
                if error_code(error) != CONDITION_FAILED:
                    raise
                old: Item | None = error.response.get("Item")  # type: ignore[assignment]
                if old is None and operation == "create" and self._returns_old_item:
                    self._returns_old_item = False
                    logger.warning(
                        "table %s: the backend returned no old item with a failed"
                        " condition; failed writes will be classified by a read",
                        self._table,
                    )
                retries = error.response.get("ResponseMetadata", {}).get("RetryAttempts", 0)
                return _ConditionFailed(old, retried=retries > 0)
        return response

    def _read_raw(self, request_id: str, operation: str) -> Item | None:
        """Return the stored item with this id, read consistently, or None."""
        with self._failures_of(operation):
            response = self._client.get_item(
                TableName=self._table, Key=_key(request_id), ConsistentRead=True
            )
        item: Item | None = response.get("Item")  # type: ignore[assignment]
        return item

    def _decode(self, item: Mapping[str, Any]) -> Request:
        request = decode_item(item)
        self._tokens.remember(request, item["updated_at"]["S"])
        return request

    @contextmanager
    def _failures_of(self, operation: str) -> Iterator[None]:
        """Translate botocore's failures of ``operation`` into the port's errors."""
        try:
            yield
        except ParamValidationError:
            raise
        except (ClientError, BotoCoreError) as error:
            raise translate(error, operation, self._table) from error


def _require_dynamodb_client(client: object) -> None:
    model = getattr(getattr(client, "meta", None), "service_model", None)
    if getattr(model, "service_name", None) == "dynamodb":
        return
    hint = " (a resource: pass its .meta.client)" if hasattr(client, "Table") else ""
    raise TypeError(
        "client must be a boto3 low-level DynamoDB client, as from"
        f" boto3.client('dynamodb'), got {type(client).__name__}{hint}"
    )


def _key(request_id: str) -> Item:
    return {PARTITION_KEY: {"S": request_id}}


def _cursor(listing: _Listing, cursor_key: str, raw: Mapping[str, Any]) -> str:
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
