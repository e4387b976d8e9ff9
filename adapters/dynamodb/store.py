"""DynamoDBRequestStore: the RequestStore on a DynamoDB table, through a boto3 client.

What each operation sends and how it reads the answers is in ``operations``,
shared with the async store (``store_async``); this module only makes the
calls, through ``waiting.drive``.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from ...domain import Request, RequestStatus, utc_now
from ...ports import Clock, Page, RequestStore, documented_by
from ..events.in_process import EventCallback, announce, check_on_event
from ..sweep import Sweep
from . import operations
from .answers import CLIENT_FAILURES, interpret_failure, interpret_response
from .calls import Answer, Call, Steps, T
from .client import BOTO3_CLIENT, require_dynamodb_client
from .names import require_table_name
from .operation_log import OperationLog
from .waiting import drive
from .wires import Wire, require_wire, sender

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


def settings(
    client: object, table_name: object, clock: Clock | None, wire: object, *, expected: str
) -> tuple[str, Clock, Wire]:
    """Check what a DynamoDB store, sync or async, is built with; return its table, clock, wire.

    Raises:
        TypeError: ``client`` is not the ``expected`` DynamoDB client.
        ValueError: A bad table name, or an unknown wire.
    """
    require_dynamodb_client(client, expected=expected)
    return require_table_name(table_name), clock or utc_now, require_wire(wire)


class DynamoDBRequestStore:
    """A RequestStore on a DynamoDB table, sharing the Go system's item format.

    One round trip for create, get, update and delete on every path where
    DynamoDB returns the old item with a failed condition
    (``ReturnValuesOnConditionCheckFailure``); where it does not (a missing
    item, or an engine that never does), one consistent read more. Listings
    Query an index until the page is full; ``find_active_approval`` reads one
    Query of the requester's last 32 hours (MAX_DURATION and the widest
    offset read) and one GetItem to confirm what it returns;
    ``expire_overdue`` Queries the pending index, which DynamoDB charges for
    every pending item read, and makes one UpdateItem per request moved.

    Args:
        client: A boto3 low-level DynamoDB client (``boto3.client("dynamodb")``);
            its owner chooses region, credentials, endpoint and retries
            (see ``recommended_client``).
        table_name: The table, as ``create_table`` provisions it.
        clock: Where the store reads the time; UTC now by default.
        on_event: Called with the RequestEvent of each change this store made,
            once it is done; what it raises is logged, never raised
            (``access_requests.events``).
        wire: How calls are sent: ``"botocore"`` (the client's own methods)
            or ``"direct"`` (DynamoDB's JSON protocol over urllib3, with the
            client's settings, at about half the client CPU; see ``wires``).

    Raises:
        TypeError: ``client`` is not a boto3 DynamoDB client.
        ValueError: A bad table name, or an unknown wire.
    """

    def __init__(
        self,
        client: DynamoDBClient,
        table_name: str,
        *,
        clock: Clock | None = None,
        on_event: EventCallback | None = None,
        wire: Wire = "botocore",
    ) -> None:
        self._client = client
        self._table, self._clock, self._wire = settings(
            client, table_name, clock, wire, expected=BOTO3_CLIENT
        )
        check_on_event(on_event, awaits=False)
        self._on_event = on_event
        self._send = sender(client, self._wire)

    @property
    def wire(self) -> Wire:
        """How this store sends its calls: ``"botocore"`` or ``"direct"``."""
        return self._wire

    @property
    def table_name(self) -> str:
        """The table this store reads and writes."""
        return self._table

    @documented_by(RequestStore.create)
    def create(self, request: Request) -> None:
        created = self._run(
            "create", operations.create(self._table, request, self._clock), _id_of(request)
        )
        announce(self._on_event, created=created)

    @documented_by(RequestStore.get)
    def get(self, request_id: str) -> Request:
        return self._run("get", operations.get(self._table, request_id), request_id)

    @documented_by(RequestStore.update)
    def update(self, request: Request) -> Request:
        steps = operations.write_decision(self._table, request, self._clock)
        stored, wrote = self._run("update", steps, _id_of(request))
        if wrote:
            announce(self._on_event, updated=[stored])
        return stored

    @documented_by(RequestStore.delete)
    def delete(self, request_id: str) -> None:
        self._run("delete", operations.delete(self._table, request_id), request_id)

    @documented_by(RequestStore.list_by_requester)
    def list_by_requester(
        self, requester: str, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        steps = operations.list_by_requester(self._table, requester, limit, cursor)
        return self._run("list_by_requester", steps)

    @documented_by(RequestStore.list_by_status)
    def list_by_status(
        self, status: RequestStatus, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        steps = operations.list_by_status(self._table, status, limit, cursor)
        return self._run("list_by_status", steps)

    @documented_by(RequestStore.list_by_profile)
    def list_by_profile(
        self, profile: str, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        steps = operations.list_by_profile(self._table, profile, limit, cursor)
        return self._run("list_by_profile", steps)

    @documented_by(RequestStore.list_pending)
    def list_pending(
        self, *, now: datetime | None = None, limit: int = 100, cursor: str | None = None
    ) -> Page:
        steps = operations.list_pending(self._table, now, limit, cursor, self._clock)
        return self._run("list_pending", steps)

    @documented_by(RequestStore.find_active_approval)
    def find_active_approval(
        self, requester: str, profile: str, *, now: datetime | None = None
    ) -> Request | None:
        steps = operations.find_active_approval(
            self._table, requester, profile, now, self._clock
        )
        return self._run("find_active_approval", steps)

    @documented_by(RequestStore.expire_overdue)
    def expire_overdue(self, *, now: datetime | None = None, limit: int = 1000) -> int:
        sweep = Sweep.start(now, limit, self._clock)
        try:
            self._run(
                "expire_overdue", operations.sweep_overdue(self._table, sweep, self._clock)
            )
        finally:
            announce(self._on_event, updated=sweep.expired)
        return sweep.moved

    def _run(self, operation: str, steps: Steps[T], request_id: object = None) -> T:
        """Drive ``steps`` to its result, making each call it yields, and log it."""
        with OperationLog(operation, self._table, request_id) as log:

            def send(call: Call) -> Answer:
                try:
                    response = self._send(call)
                except CLIENT_FAILURES as error:
                    return interpret_failure(error, operation, self._table, log)
                return interpret_response(response, log)

            return drive(steps, send)


def _id_of(request: object) -> object:
    """The id an operation's log names; whatever was passed, for the log to keep or drop."""
    return getattr(request, "id", None)
