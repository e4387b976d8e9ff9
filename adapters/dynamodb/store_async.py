"""AsyncDynamoDBRequestStore: the RequestStore on a DynamoDB table, through aiobotocore.

Every operation is the generator in ``operations`` that the sync store
(``store``) drives; this module only awaits the calls, through
``waiting.drive_async``. aiobotocore is needed to make a client, not to
import this module.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from ...domain import Request, RequestStatus, utc_now
from ...ports import Clock, Page, RequestStore, documented_by
from . import operations
from .answers import CLIENT_FAILURES, interpret_failure, interpret_response
from .calls import Answer, Call, Steps, T
from .client import AIOBOTOCORE_CLIENT, require_dynamodb_client
from .names import require_table_name
from .operation_log import OperationLog
from .waiting import drive_async

if TYPE_CHECKING:
    from types_aiobotocore_dynamodb import DynamoDBClient


class AsyncDynamoDBRequestStore:
    """An AsyncRequestStore on a DynamoDB table: DynamoDBRequestStore's calls, awaited.

    Args:
        client: An aiobotocore DynamoDB client, already entered; its owner
            chooses region, credentials, endpoint and retries, and closes it.
        table_name: The table, as ``create_table`` provisions it.
        clock: Where the store reads the time; UTC now by default.
    """

    def __init__(
        self, client: DynamoDBClient, table_name: str, *, clock: Clock | None = None
    ) -> None:
        require_dynamodb_client(client, expected=AIOBOTOCORE_CLIENT)
        self._client = client
        self._table = require_table_name(table_name)
        self._clock: Clock = clock or utc_now

    @property
    def table_name(self) -> str:
        """The table this store reads and writes."""
        return self._table

    @documented_by(RequestStore.create)
    async def create(self, request: Request) -> None:
        await self._run("create", operations.create(self._table, request, self._clock))

    @documented_by(RequestStore.get)
    async def get(self, request_id: str) -> Request:
        return await self._run("get", operations.get(self._table, request_id))

    @documented_by(RequestStore.update)
    async def update(self, request: Request) -> Request:
        return await self._run("update", operations.update(self._table, request, self._clock))

    @documented_by(RequestStore.delete)
    async def delete(self, request_id: str) -> None:
        await self._run("delete", operations.delete(self._table, request_id))

    @documented_by(RequestStore.list_by_requester)
    async def list_by_requester(
        self, requester: str, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        steps = operations.list_by_requester(self._table, requester, limit, cursor)
        return await self._run("list_by_requester", steps)

    @documented_by(RequestStore.list_by_status)
    async def list_by_status(
        self, status: RequestStatus, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        steps = operations.list_by_status(self._table, status, limit, cursor)
        return await self._run("list_by_status", steps)

    @documented_by(RequestStore.list_by_profile)
    async def list_by_profile(
        self, profile: str, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        steps = operations.list_by_profile(self._table, profile, limit, cursor)
        return await self._run("list_by_profile", steps)

    @documented_by(RequestStore.list_pending)
    async def list_pending(
        self, *, now: datetime | None = None, limit: int = 100, cursor: str | None = None
    ) -> Page:
        steps = operations.list_pending(self._table, now, limit, cursor, self._clock)
        return await self._run("list_pending", steps)

    @documented_by(RequestStore.find_active_approval)
    async def find_active_approval(
        self, requester: str, profile: str, *, now: datetime | None = None
    ) -> Request | None:
        steps = operations.find_active_approval(
            self._table, requester, profile, now, self._clock
        )
        return await self._run("find_active_approval", steps)

    @documented_by(RequestStore.expire_overdue)
    async def expire_overdue(self, *, now: datetime | None = None, limit: int = 1000) -> int:
        steps = operations.expire_overdue(self._table, now, limit, self._clock)
        return await self._run("expire_overdue", steps)

    async def _run(self, operation: str, steps: Steps[T]) -> T:
        """Drive ``steps`` to its result, awaiting each call it yields, and log it."""
        with OperationLog(operation, self._table) as log:

            async def send(call: Call) -> Answer:
                try:
                    method = getattr(self._client, call.method)
                    response: dict[str, Any] = await method(**call.params)
                except CLIENT_FAILURES as error:
                    return interpret_failure(error, operation, self._table, log)
                return interpret_response(response, log)

            return await drive_async(steps, send)
