"""The drivers: they run an operation's generator, making each call it yields.

As psycopg keeps ``waiting.py`` beside its generators: the operations
(``operations``) decide every call and read every answer; ``drive`` makes
the calls and blocks, ``drive_async`` awaits them. Nothing else differs
between the sync and the async store.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from ...ports import StoreUnavailable
from .calls import Answer, Call, Steps, T


def drive(steps: Steps[T], send: Callable[[Call], Answer]) -> T:
    """Run ``steps`` to its result, answering each call it yields with ``send``.

    A call that fails for good is thrown into ``steps``, which may say more
    (the sweep tells how many it had moved) or let it pass.
    """
    try:
        call = next(steps)
        while True:
            try:
                answer = send(call)
            except StoreUnavailable as failure:
                call = steps.throw(failure)
            else:
                call = steps.send(answer)
    except StopIteration as done:
        result: T = done.value
        return result


async def drive_async(steps: Steps[T], send: Callable[[Call], Awaitable[Answer]]) -> T:
    """Run ``steps`` to its result, answering each call it yields with ``await send``."""
    try:
        call = next(steps)
        while True:
            try:
                answer = await send(call)
            except StoreUnavailable as failure:
                call = steps.throw(failure)
            else:
                call = steps.send(answer)
    except StopIteration as done:
        result: T = done.value
        return result
