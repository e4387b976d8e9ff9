"""DynamoDBRequestStore: the RequestStore on a DynamoDB table, through a boto3 client.

What each operation sends and how it reads the answers is in ``operations``,
shared with the async store; this module only makes the calls. One round trip
for create, get, update and delete on every path where DynamoDB returns the
old item with a failed condition (``ReturnValuesOnConditionCheckFailure``);
where it does not (a missing item, or an engine that never does), one
consistent read more.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from ...domain import Request, RequestStatus
from ...ports import Clock, Page
from . import operations
from .calls import Answer, Call, Steps, T
from .driving import (
    BOTO3_CLIENT,
    CLIENT_FAILURES,
    OperationLog,
    TableStore,
    interpret_failure,
    interpret_response,
)

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


class DynamoDBRequestStore(TableStore["DynamoDBClient"]):
    """A RequestStore on a DynamoDB table, sharing the Go system's item format.

    Args:
        client: A boto3 low-level DynamoDB client (``boto3.client("dynamodb")``);
            its owner chooses region, credentials, endpoint and retries
            (see ``recommended_client``).
        table_name: The table, as ``create_table`` provisions it.
        clock: Where the store reads the time; UTC now by default.
    """

    def __init__(
        self, client: DynamoDBClient, table_name: str, *, clock: Clock | None = None
    ) -> None:
        super().__init__(client, table_name, clock=clock, expected=BOTO3_CLIENT)

    def create(self, request: Request) -> None:
        """Store a new request with one conditional PutItem."""
        self._run("create", operations.create(self._table, request))

    def get(self, request_id: str) -> Request:
        """Return the request with this id, read with one consistent GetItem."""
        return self._run("get", operations.get(self._table, request_id))

    def update(self, request: Request) -> Request:
        """Write status, approver and comment with one conditional UpdateItem."""
        return self._run("update", operations.update(self._table, request, self._clock))

    def delete(self, request_id: str) -> None:
        """Remove the request with this id, if there is one, with one DeleteItem."""
        self._run("delete", operations.delete(self._table, request_id))

    def list_by_requester(
        self, requester: str, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        """Return one page of this requester's requests, newest first."""
        steps = operations.list_by_requester(self._table, requester, limit, cursor)
        return self._run("list_by_requester", steps)

    def list_by_status(
        self, status: RequestStatus, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        """Return one page of the requests in this status, newest first."""
        steps = operations.list_by_status(self._table, status, limit, cursor)
        return self._run("list_by_status", steps)

    def list_by_profile(
        self, profile: str, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        """Return one page of the requests for this profile, newest first."""
        steps = operations.list_by_profile(self._table, profile, limit, cursor)
        return self._run("list_by_profile", steps)

    def list_pending(
        self, *, now: datetime | None = None, limit: int = 100, cursor: str | None = None
    ) -> Page:
        """Return one page of requests pending and not expired at ``now``.

        Queries the pending index, filtering on the server what surely
        expired, until the page is full.
        """
        steps = operations.list_pending(self._table, now, limit, cursor, self._clock)
        return self._run("list_pending", steps)

    def find_active_approval(
        self, requester: str, profile: str, *, now: datetime | None = None
    ) -> Request | None:
        """Return the newest request of ``requester`` for ``profile`` granting access now.

        One Query of the requester index, bounded to the requests created in
        the last 22 hours (8 hours of MAX_DURATION and 14 for offsets),
        where they fit in one response.
        """
        steps = operations.find_active_approval(
            self._table, requester, profile, now, self._clock
        )
        return self._run("find_active_approval", steps)

    def expire_overdue(self, *, now: datetime | None = None, limit: int = 1000) -> int:
        """Move pending requests whose expires_at has passed to expired; return how many.

        Cost: Queries of the pending index, which DynamoDB charges for every
        pending item read (the filter only trims what comes back), and one
        UpdateItem per request moved.
        """
        steps = operations.expire_overdue(self._table, now, limit, self._clock)
        return self._run("expire_overdue", steps)

    def _run(self, operation: str, steps: Steps[T]) -> T:
        """Drive ``steps`` to its result, making each call it yields."""
        log = OperationLog(operation, self._table)
        try:
            call = next(steps)
            while True:
                call = steps.send(self._send(operation, call, log))
        except StopIteration as done:
            result: T = done.value
            return result
        finally:
            log.close()

    def _send(self, operation: str, call: Call, log: OperationLog) -> Answer:
        try:
            response: dict[str, Any] = getattr(self._client, call.method)(**call.params)
        except CLIENT_FAILURES as error:
            return interpret_failure(error, operation, self._table, log)
        return interpret_response(response, log)
