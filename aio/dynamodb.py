"""AsyncDynamoDBRequestStore: the RequestStore on a DynamoDB table, through aiobotocore.

Every operation is the generator in ``adapters.dynamodb.operations`` that the
sync store drives, and each answer is read by ``adapters.dynamodb.driving``:
this module only awaits the calls. aiobotocore is needed to make a client,
not to import this module.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..adapters.dynamodb import driving, operations
from ..adapters.dynamodb.calls import Answer, Call, Steps, T
from ..domain import Request, RequestStatus
from ..ports import Clock, Page

if TYPE_CHECKING:
    from types_aiobotocore_dynamodb import DynamoDBClient

_EXPECTED_CLIENT = (
    "an aiobotocore low-level DynamoDB client, as from"
    " `async with get_session().create_client('dynamodb') as client`"
)


class AsyncDynamoDBRequestStore(driving.TableStore["DynamoDBClient"]):
    """An AsyncRequestStore on a DynamoDB table, with DynamoDBRequestStore's items and rules.

    Args:
        client: An aiobotocore DynamoDB client, already entered; its owner
            chooses region, credentials, endpoint and retries, and closes it.
        table_name: The table, as ``create_table`` provisions it.
        clock: Where the store reads the time; UTC now by default.
    """

    def __init__(
        self, client: DynamoDBClient, table_name: str, *, clock: Clock | None = None
    ) -> None:
        super().__init__(client, table_name, clock=clock, expected=_EXPECTED_CLIENT)

    async def create(self, request: Request) -> None:
        """Store a new request with one conditional PutItem."""
        await self._run("create", operations.create(self._table, request))

    async def get(self, request_id: str) -> Request:
        """Return the request with this id, read with one consistent GetItem."""
        return await self._run("get", operations.get(self._table, request_id))

    async def update(self, request: Request) -> Request:
        """Write status, approver and comment with one conditional UpdateItem."""
        return await self._run("update", operations.update(self._table, request, self._clock))

    async def delete(self, request_id: str) -> None:
        """Remove the request with this id, if there is one, with one DeleteItem."""
        await self._run("delete", operations.delete(self._table, request_id))

    async def list_by_requester(
        self, requester: str, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        """Return one page of this requester's requests, newest first."""
        steps = operations.list_by_requester(self._table, requester, limit, cursor)
        return await self._run("list_by_requester", steps)

    async def list_by_status(
        self, status: RequestStatus, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        """Return one page of the requests in this status, newest first."""
        steps = operations.list_by_status(self._table, status, limit, cursor)
        return await self._run("list_by_status", steps)

    async def list_by_profile(
        self, profile: str, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        """Return one page of the requests for this profile, newest first."""
        steps = operations.list_by_profile(self._table, profile, limit, cursor)
        return await self._run("list_by_profile", steps)

    async def list_pending(
        self, *, now: datetime | None = None, limit: int = 100, cursor: str | None = None
    ) -> Page:
        """Return one page of requests pending and not expired at ``now``."""
        steps = operations.list_pending(self._table, now, limit, cursor, self._clock)
        return await self._run("list_pending", steps)

    async def find_active_approval(
        self, requester: str, profile: str, *, now: datetime | None = None
    ) -> Request | None:
        """Return the newest request of ``requester`` for ``profile`` granting access now."""
        steps = operations.find_active_approval(
            self._table, requester, profile, now, self._clock
        )
        return await self._run("find_active_approval", steps)

    async def expire_overdue(self, *, now: datetime | None = None, limit: int = 1000) -> int:
        """Move pending requests whose expires_at has passed to expired; return how many."""
        steps = operations.expire_overdue(self._table, now, limit, self._clock)
        return await self._run("expire_overdue", steps)

    async def _run(self, operation: str, steps: Steps[T]) -> T:
        """Drive ``steps`` to its result, awaiting each call it yields."""
        log = driving.OperationLog(operation, self._table)
        try:
            call = next(steps)
            while True:
                call = steps.send(await self._send(operation, call, log))
        except StopIteration as done:
            result: T = done.value
            return result
        finally:
            log.close()

    async def _send(self, operation: str, call: Call, log: driving.OperationLog) -> Answer:
        try:
            response: dict[str, Any] = await getattr(self._client, call.method)(**call.params)
        except driving.CLIENT_FAILURES as error:
            return driving.interpret_failure(error, operation, self._table, log)
        return driving.interpret_response(response, log)
