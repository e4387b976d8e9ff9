"""How a store sends each Call: through the caller's client (botocore), or directly.

The one place where a store's ``wire`` option is read. Either way a call
returns the response dict a boto3 client returns, or raises what it raises,
so ``answers`` reads both alike.

- ``"botocore"`` (the default): the client's own method, botocore's whole
  request pipeline (its events and hooks included).
- ``"direct"``: DynamoDB's JSON protocol over urllib3 (sync) or aiohttp
  (async) with the client's endpoint, credentials, timeouts, TLS, proxies and
  retry budget (``direct``, ``direct_async``); about half the client CPU a
  call. botocore's event hooks on the client are not run.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Literal

from .calls import Call
from .direct import DirectWire
from .direct_async import AsyncDirectWire

Wire = Literal["botocore", "direct"]
WIRES: tuple[Wire, ...] = ("botocore", "direct")

Send = Callable[[Call], Mapping[str, Any]]
AsyncSend = Callable[[Call], Awaitable[Mapping[str, Any]]]


def require_wire(wire: object) -> Wire:
    """Return ``wire`` if it names a wire, else raise ValueError naming the choices."""
    for known in WIRES:
        if wire == known:
            return known
    raise ValueError(f"wire must be 'botocore' or 'direct', got {wire!r}")


def sender(client: Any, wire: Wire) -> Send:
    """How a sync store on ``client`` sends each call."""
    if wire == "direct":
        direct = DirectWire(client)
        return lambda call: direct.send(call.method, call.params)

    def through_botocore(call: Call) -> Mapping[str, Any]:
        response: Mapping[str, Any] = getattr(client, call.method)(**call.params)
        return response

    return through_botocore


class AsyncSender:
    """How an async store on ``client`` sends each call, and what it must close.

    Attributes:
        send: Sends one call.
    """

    def __init__(self, client: Any, wire: Wire) -> None:
        self._direct = AsyncDirectWire(client) if wire == "direct" else None
        if self._direct is not None:
            direct = self._direct

            async def send(call: Call) -> Mapping[str, Any]:
                return await direct.send(call.method, call.params)

        else:

            async def send(call: Call) -> Mapping[str, Any]:
                response: Mapping[str, Any] = await getattr(client, call.method)(**call.params)
                return response

        self.send: AsyncSend = send

    async def aclose(self) -> None:
        """Close the direct wire's connections; the caller's client stays open."""
        if self._direct is not None:
            await self._direct.aclose()
