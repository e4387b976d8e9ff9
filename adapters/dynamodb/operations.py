"""What each store operation sends to DynamoDB, and how it reads the answers: no I/O.

Each operation is a generator. It yields the calls to make (``Call``) and is
sent each answer: the parsed response, or ``ConditionFailed`` when DynamoDB
refused a write's condition. It returns the operation's result or raises the
port's error. The sync and the async store drive the same generators; only
the sending differs, so every rule of the port is stated here once.
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta
from typing import Any

import attrs

from ...domain import (
    DECISION_FIELDS,
    MAX_DURATION,
    MAX_JUSTIFICATION_BYTES,
    MIN_JUSTIFICATION_LENGTH,
    Request,
    RequestStatus,
    refuse_creation_ahead,
    validate_request_id,
)
from ...ports import (
    Clock,
    CorruptItem,
    Page,
    RequestExists,
    RequestNotFound,
    StoreUnavailable,
    read_clock,
    require_request,
    resolve_key,
    resolve_now,
    resolve_status,
)
from ..lock import StoredCopy, plan_decision, refused_write
from ..sweep import LEFT_ALONE, Sweep
from ..timestamps import STRING_ORDER_MARGIN, format_timestamp
from .calls import Call, ConditionFailed, Steps, ask
from .codec import Item, decode_item, encode_decision, encode_request
from .names import (
    BY_PROFILE,
    BY_REQUESTER,
    BY_STATUS,
    CREATED_AT,
    DURATION,
    EXPIRES_AT,
    ID,
    JUSTIFICATION,
    PENDING,
    PREVIOUS_UPDATED_AT,
    PROFILE,
    REQUESTER,
    STATUS,
    UPDATED_AT,
)
from .queries import Filter, each_item, list_page, query_params

_WRITTEN = (*DECISION_FIELDS, UPDATED_AT)
# Where a condition can say it, an update refuses an item that would not read
# back, so that nothing is written to it (update then raises CorruptItem).
_READABLE = {
    REQUESTER: ":S",
    PROFILE: ":S",
    JUSTIFICATION: ":S",
    DURATION: ":N",
    CREATED_AT: ":S",
    EXPIRES_AT: ":S",
}
_UPDATE_NAMES = {f"#{name}": name for name in (ID, *_WRITTEN, PREVIOUS_UPDATED_AT, *_READABLE)}
_UPDATE = (
    "SET "
    + ", ".join(f"#{name} = :{name}" for name in _WRITTEN)
    + f", #{PREVIOUS_UPDATED_AT} = :token"
)
# Go's Validate's bounds, and the length a timestamp must have to be one
# ("2006-01-02T15:04:05Z" to "2006-01-02T15:04:05.999999999+07:00").
_IN_BOUNDS = {
    ":shortest_justification": {"N": str(MIN_JUSTIFICATION_LENGTH)},
    ":longest_justification": {"N": str(MAX_JUSTIFICATION_BYTES)},
    ":shortest_duration": {"N": "1"},
    ":longest_duration": {"N": str(MAX_DURATION // timedelta(microseconds=1) * 1000)},
    ":shortest_timestamp": {"N": "20"},
    ":longest_timestamp": {"N": "35"},
    ":shortest_name": {"N": "1"},
}
_LOCK = " AND ".join(
    [
        f"attribute_exists(#{ID})",
        f"#{UPDATED_AT} = :token",
        f"#{STATUS} = :pending",
        *(f"attribute_type(#{name}, {kind})" for name, kind in _READABLE.items()),
        f"size(#{REQUESTER}) >= :shortest_name",
        f"size(#{PROFILE}) >= :shortest_name",
        # DynamoDB's size() counts bytes, as Go does; some engines (moto) count
        # characters: the copy's own justification, read from a valid item,
        # passes on every engine.
        f"(#{JUSTIFICATION} = :justification OR size(#{JUSTIFICATION})"
        " BETWEEN :shortest_justification AND :longest_justification)",
        f"#{DURATION} BETWEEN :shortest_duration AND :longest_duration",
        f"size(#{CREATED_AT}) BETWEEN :shortest_timestamp AND :longest_timestamp",
        f"size(#{EXPIRES_AT}) BETWEEN :shortest_timestamp AND :longest_timestamp",
    ]
)


def create(table: str, request: Request, clock: Clock) -> Steps[Request | None]:
    """Store a new request with one conditional PutItem; return it as stored if this call wrote.

    The store's clock refuses a created_at more than CLOCK_SKEW_ALLOWANCE
    ahead of it. A refused condition is the caller's own write when the
    stored item is exactly this request (a retry whose first attempt was
    applied): success, with nothing written by this call.
    """
    require_request(request).check_writable()
    refuse_creation_ahead(request, read_clock(clock))
    item = encode_request(request)
    answer = yield Call(
        "put_item",
        {
            "TableName": table,
            "Item": item,
            "ConditionExpression": f"attribute_not_exists(#{ID})",
            "ExpressionAttributeNames": {f"#{ID}": ID},
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        },
    )
    if isinstance(answer, ConditionFailed):
        old = yield from _old_item(table, request.id, answer)
        if old != item:
            raise RequestExists(request.id)
        return None
    return attrs.evolve(request, lock_token=item[UPDATED_AT]["S"])


def get(table: str, request_id: str) -> Steps[Request]:
    """Return the request with this id, read with one consistent GetItem."""
    validate_request_id(request_id, "request_id")
    item = yield from read_item(table, request_id)
    if item is None:
        raise RequestNotFound(request_id)
    return decode_item(item)


def update(table: str, request: Request, clock: Clock) -> Steps[Request]:
    """Write status, approver and comment with one conditional UpdateItem."""
    stored, _ = yield from write_decision(table, request, clock)
    return stored


def write_decision(table: str, request: Request, clock: Clock) -> Steps[tuple[Request, bool]]:
    """Update as the port says; also tell whether this call wrote, or found it written."""
    written, wrote = yield from send_decision(table, request, clock)
    return (written if isinstance(written, Request) else _written(written)), wrote


def send_decision(
    table: str, request: Request, clock: Clock
) -> Steps[tuple[Request | Item, bool]]:
    """Write ``request``'s decision with one conditional UpdateItem; leave what it wrote raw.

    Returns the item written (and True), or what a refused write found
    (``refused_write``). The condition holds the lock (the stored updated_at
    equals the token and the stored request is pending), keeps any text over
    this library's limits that the decision carries, and refuses an item that
    would not read: missing attributes, wrong types, and values outside Go's
    bounds. A refused condition is classified from the old item, read once
    when DynamoDB does not return it.
    """
    write = plan_decision(require_request(request), read_clock(clock))
    written = encode_decision(request)
    written[UPDATED_AT] = {"S": write.updated_at.text}
    carried = "".join(
        f" AND #{field} = :{field}" for field in request.decision_texts_over_limits()
    )
    answer = yield Call(
        "update_item",
        {
            "TableName": table,
            "Key": key(request.id),
            "UpdateExpression": _UPDATE,
            "ConditionExpression": _LOCK + carried,
            "ExpressionAttributeNames": _UPDATE_NAMES,
            "ExpressionAttributeValues": {
                **{f":{name}": value for name, value in written.items()},
                ":token": {"S": write.token},
                ":justification": {"S": request.justification},
                ":pending": {"S": RequestStatus.PENDING.value},
                ":S": {"S": "S"},
                ":N": {"S": "N"},
                **_IN_BOUNDS,
            },
            "ReturnValues": "ALL_NEW",
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        },
    )
    if not isinstance(answer, ConditionFailed):
        item: Item = answer["Attributes"]
        return item, True
    old = yield from _old_item(table, request.id, answer)
    stored = None
    if old is not None:
        stored = StoredCopy(
            _text(old, UPDATED_AT),
            _text(old, PREVIOUS_UPDATED_AT),
            _text(old, STATUS),
            functools.partial(decode_item, old),
        )
    return refused_write(write, stored)


def _written(item: Item) -> Request:
    """The request an update wrote; where it does not read, say that the decision was written.

    The condition refuses what it can tell (sizes, numbers, types); a
    malformed timestamp of plausible length it cannot.
    """
    try:
        return decode_item(item)
    except CorruptItem as error:
        raise CorruptItem(
            error.request_id, error.attribute, f"{error.reason} (the decision was written)"
        ) from error


def delete(table: str, request_id: str) -> Steps[None]:
    """Remove the request with this id, if there is one, with one DeleteItem."""
    validate_request_id(request_id, "request_id")
    yield Call("delete_item", {"TableName": table, "Key": key(request_id)})


def list_by_requester(table: str, requester: str, limit: object, cursor: object) -> Steps[Page]:
    """Return one page of this requester's requests, newest first."""
    key_value = resolve_key(requester, "requester")
    return (yield from list_page(table, BY_REQUESTER, key_value, key_value, limit, cursor))


def list_by_status(table: str, status: object, limit: object, cursor: object) -> Steps[Page]:
    """Return one page of the requests in this status, newest first."""
    key_value = resolve_status(status).value
    return (yield from list_page(table, BY_STATUS, key_value, key_value, limit, cursor))


def list_by_profile(table: str, profile: str, limit: object, cursor: object) -> Steps[Page]:
    """Return one page of the requests for this profile, newest first."""
    key_value = resolve_key(profile, "profile")
    return (yield from list_page(table, BY_PROFILE, key_value, key_value, limit, cursor))


def list_pending(
    table: str, now: datetime | None, limit: object, cursor: object, clock: Clock
) -> Steps[Page]:
    """Return one page of requests pending and not expired at ``now``, newest first.

    expires_at decides (the ttl attribute is the Go system's copy of it, for
    DynamoDB's TTL, and is not trusted). The server filters out what surely
    expired by the expires_at string; the exact test is made on each request.
    Overdue requests stay in the pending index until expire_overdue moves
    them, and each is read until then.
    """
    at = resolve_now(now, clock)
    live = Filter(
        f"#{EXPIRES_AT} > :expired",
        {f"#{EXPIRES_AT}": EXPIRES_AT},
        {":expired": {"S": _bound(at, -STRING_ORDER_MARGIN)}},
    )
    return (
        yield from list_page(
            table,
            PENDING,
            "",
            RequestStatus.PENDING.value,
            limit,
            cursor,
            keep=lambda request: at < request.expires_at,
            where=live,
        )
    )


def find_active_approval(
    table: str, requester: str, profile: str, now: datetime | None, clock: Clock
) -> Steps[Request | None]:
    """Return the newest request granting access, from one Query where it fits.

    Only a request created in the last MAX_DURATION can grant access; the
    bound on created_at allows for every offset the Go system's timestamps
    may carry (STRING_ORDER_MARGIN), so the Query reads this requester's
    requests of the last 32 hours, newest first as DynamoDB orders the
    strings (as the Go system's FindApprovedRequest does). A request the
    index says grants is confirmed by one consistent GetItem before it is
    returned, so a stale index entry never grants.
    """
    key_value = resolve_key(requester, "requester")
    wanted = resolve_key(profile, "profile")
    at = resolve_now(now, clock)
    since = _bound(at, -(MAX_DURATION + STRING_ORDER_MARGIN))
    params: dict[str, Any] = {
        "TableName": table,
        "IndexName": BY_REQUESTER.index,
        "KeyConditionExpression": "#key = :key AND #created_at >= :since",
        "FilterExpression": "#profile = :profile AND #status = :approved",
        "ExpressionAttributeNames": {
            "#key": BY_REQUESTER.key,
            "#created_at": CREATED_AT,
            "#profile": PROFILE,
            "#status": STATUS,
        },
        "ExpressionAttributeValues": {
            ":key": {"S": key_value},
            ":since": {"S": since},
            ":profile": {"S": wanted},
            ":approved": {"S": RequestStatus.APPROVED.value},
        },
        "ScanIndexForward": False,
    }
    found: list[Request] = []

    def grants(raw: Item) -> Steps[bool] | bool:
        request = decode_item(raw)
        return request.profile == wanted and request.grants_access(at) and confirm(request)

    def confirm(candidate: Request) -> Steps[bool]:
        # An index is eventually consistent: a request deleted or changed a
        # moment ago may still grant there. One consistent read decides.
        item = yield from read_item(table, candidate.id)
        if item is not None:
            request = decode_item(item)
            mine = request.requester == key_value and request.profile == wanted
            if mine and request.grants_access(at):
                found.append(request)
        return bool(found)

    yield from each_item(params, grants)
    return found[0] if found else None


def expire_overdue(table: str, now: datetime | None, limit: object, clock: Clock) -> Steps[int]:
    """Move overdue pending requests to expired; return how many (see ``sweep``)."""
    sweep = Sweep.start(now, limit, clock)
    yield from sweep_overdue(table, sweep, clock)
    return sweep.moved


def sweep_overdue(table: str, sweep: Sweep, clock: Clock) -> Steps[None]:
    """Move overdue pending requests to expired, each with the lock rule of update.

    Reads the pending index (a server-side filter on expires_at returns only
    the candidates, but DynamoDB charges for every pending item it reads) and
    makes one UpdateItem per request moved, under the sweep's rules
    (``adapters.sweep``). Each move is counted in ``sweep`` as it is made, so
    that a sweep cut short still tells what it did.
    """
    overdue = Filter(
        f"#{EXPIRES_AT} <= :overdue",
        {f"#{EXPIRES_AT}": EXPIRES_AT},
        {":overdue": {"S": _bound(sweep.at, STRING_ORDER_MARGIN)}},
    )
    params = query_params(table, PENDING, RequestStatus.PENDING.value, overdue)

    def expire(raw: Item) -> Steps[bool] | bool:
        try:
            expiry = sweep.expiry(decode_item(raw))
        except CorruptItem as poison:
            return sweep.skip(poison)
        return False if expiry is None else write(expiry)

    def write(expiry: Request) -> Steps[bool]:
        try:
            written, wrote = yield from send_decision(table, expiry, clock)
        except LEFT_ALONE:
            return False
        except CorruptItem as poison:  # the condition refused it: nothing was written
            return sweep.skip(poison)
        return sweep.count(_read_back(written), wrote)

    try:
        yield from each_item(params, expire)
    except StoreUnavailable as failure:
        failure.moved = sweep.moved  # what a sweep cut short did, on its own error
        raise


def _read_back(written: Request | Item) -> Request | None:
    """The request a write stored, or None where it does not read (written all the same)."""
    if isinstance(written, Request):
        return written
    try:
        return decode_item(written)
    except CorruptItem:
        return None


def read_item(table: str, request_id: str) -> Steps[Item | None]:
    """Return the stored item with this id, read consistently, or None."""
    response = yield from ask(
        Call("get_item", {"TableName": table, "Key": key(request_id), "ConsistentRead": True})
    )
    item: Item | None = response.get("Item")
    return item


def key(request_id: str) -> Item:
    """Return the table key of the request with this id."""
    return {ID: {"S": request_id}}


def _old_item(table: str, request_id: str, failed: ConditionFailed) -> Steps[Item | None]:
    """The item that failed a condition: as DynamoDB returned it, or read once.

    DynamoDB returns no old item when none exists, and some compatible
    engines never do; one consistent read then tells the cases apart, on
    every engine alike.
    """
    if failed.old is not None:
        return failed.old
    return (yield from read_item(table, request_id))


def _text(item: Item, name: str) -> str | None:
    value = item.get(name)
    return value.get("S") if isinstance(value, dict) else None


def _bound(at: datetime, offset: timedelta) -> str:
    """Return ``at + offset`` as a stored timestamp, or the end of time it passes."""
    try:
        return format_timestamp(at + offset)
    except OverflowError:
        return "0" if offset < timedelta(0) else "9"
