"""AsyncDynamoDBRequestStore: the RequestStore on a DynamoDB table, through aiobotocore.

Every operation is the generator in ``operations`` that the sync store
(``store``) drives; this module only awaits the calls, through
``waiting.drive_async``. aiobotocore is needed to make a client, not to
import this module.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from ...domain import Request, RequestStatus
from ...ports import Clock, Page, RequestStore, documented_by
from ..closing import AsyncClosing
from ..events.in_process import AsyncEventCallback, announce_async, check_on_event
from ..sweep import Sweep
from . import operations
from .answers import CLIENT_FAILURES, interpret_failure, interpret_response
from .calls import Answer, Call, Steps, T
from .client import AIOBOTOCORE_CLIENT
from .operation_log import OperationLog
from .store import settings
from .waiting import drive_async
from .wires import AsyncSender, Wire

if TYPE_CHECKING:
    from types_aiobotocore_dynamodb import DynamoDBClient


class AsyncDynamoDBRequestStore(AsyncClosing):
    """An AsyncRequestStore on a DynamoDB table: DynamoDBRequestStore's calls, awaited.

    Args:
        client: An aiobotocore DynamoDB client, already entered; its owner
            chooses region, credentials, endpoint and retries, and closes it.
        table_name: The table, as ``create_table`` provisions it.
        clock: Where the store reads the time; UTC now by default.
        on_event: Called with the RequestEvent of each change this store made,
            once it is done (a coroutine function is awaited); what it raises
            is logged, never raised (``access_requests.events``).
        wire: How calls are sent: ``"botocore"`` (the client's own methods)
            or ``"direct"`` (DynamoDB's JSON protocol over aiohttp, with the
            client's settings, at about half the client CPU; see ``wires``).
            The direct wire opens connections of its own: close the store
            (``aclose``, or ``async with``) before the event loop ends.

    Raises:
        TypeError: ``client`` is not an aiobotocore DynamoDB client.
        ValueError: A bad table name, or an unknown wire.
    """

    def __init__(
        self,
        client: DynamoDBClient,
        table_name: str,
        *,
        clock: Clock | None = None,
        on_event: AsyncEventCallback | None = None,
        wire: Wire = "botocore",
    ) -> None:
        self._client = client
        self._table, self._clock, self._wire = settings(
            client, table_name, clock, wire, expected=AIOBOTOCORE_CLIENT
        )
        check_on_event(on_event, awaits=True)
        self._on_event = on_event
        self._sender = AsyncSender(client, self._wire)

    @property
    def wire(self) -> Wire:
        """How this store sends its calls: ``"botocore"`` or ``"direct"``."""
        return self._wire

    async def aclose(self) -> None:
        """Close what the store opened (the direct wire's connections); not the client."""
        await self._sender.aclose()

    @property
    def table_name(self) -> str:
        """The table this store reads and writes."""
        return self._table

    @documented_by(RequestStore.create)
    async def create(self, request: Request) -> None:
        created = await self._run(
            "create", operations.create(self._table, request, self._clock), _id_of(request)
        )
        await announce_async(self._on_event, created=created)

    @documented_by(RequestStore.get)
    async def get(self, request_id: str) -> Request:
        return await self._run("get", operations.get(self._table, request_id), request_id)

    @documented_by(RequestStore.update)
    async def update(self, request: Request) -> Request:
        steps = operations.write_decision(self._table, request, self._clock)
        stored, wrote = await self._run("update", steps, _id_of(request))
        if wrote:
            await announce_async(self._on_event, updated=[stored])
        return stored

    @documented_by(RequestStore.delete)
    async def delete(self, request_id: str) -> None:
        await self._run("delete", operations.delete(self._table, request_id), request_id)

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
        sweep = Sweep.start(now, limit, self._clock)
        try:
            steps = operations.sweep_overdue(self._table, sweep, self._clock)
            await self._run("expire_overdue", steps)
        finally:
            await announce_async(self._on_event, updated=sweep.expired)
        return sweep.moved

    async def _run(self, operation: str, steps: Steps[T], request_id: object = None) -> T:
        """Drive ``steps`` to its result, awaiting each call it yields, and log it."""
        with OperationLog(operation, self._table, request_id) as log:

            async def send(call: Call) -> Answer:
                try:
                    response = await self._sender.send(call)
                except CLIENT_FAILURES as error:
                    return interpret_failure(error, operation, self._table, log)
                return interpret_response(response, log)

            return await drive_async(steps, send)


def _id_of(request: object) -> object:
    """The id an operation's log names; whatever was passed, for the log to keep or drop."""
    return getattr(request, "id", None)
