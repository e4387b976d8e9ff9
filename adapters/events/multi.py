"""MultiNotifier and AsyncMultiNotifier: one event to several notifiers.

Every notifier is tried, whatever the others did: a receiver that is down
must not keep the event from the ones that are up. The failures then make
one NotificationFailed, built by ``combined_failure`` for both.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Generic, TypeVar

from .failure import NotificationFailed
from .notifier import AsyncNotifier, Notifier
from .payload import RequestEvent

_N = TypeVar("_N", Notifier, AsyncNotifier)


def target_of(notifier: object) -> str:
    """Name a notifier in an error: its ``target`` where it has one, else its class.

    Never its repr, which a third-party notifier may fill with credentials.
    """
    target = getattr(notifier, "target", None)
    return target if isinstance(target, str) else type(notifier).__name__


def combined_failure(
    failures: Sequence[tuple[object, Exception]], tried: int
) -> NotificationFailed | None:
    """Return one NotificationFailed for the notifiers that failed, or None if none did.

    It names each failed target and its reason; its cause is an
    ExceptionGroup of the notifiers' own errors, in the notifiers' order.
    """
    if not failures:
        return None
    targets = [target_of(notifier) for notifier, _ in failures]
    reasons = [
        error.reason
        if isinstance(error, NotificationFailed)
        else f"{type(error).__name__}: {error}"
        for _, error in failures
    ]
    failed = NotificationFailed(
        ", ".join(targets),
        f"{len(failures)} of {tried} notifiers failed: "
        + "; ".join(
            f"{target}: {reason}" for target, reason in zip(targets, reasons, strict=True)
        ),
    )
    failed.__cause__ = ExceptionGroup("notifiers that failed", [error for _, error in failures])
    return failed


class _Notifiers(Generic[_N]):
    """What both MultiNotifiers share: the notifiers, checked once, and their failures."""

    def __init__(self, *notifiers: _N) -> None:
        if not notifiers:
            raise ValueError(
                "a MultiNotifier needs at least one notifier; it would drop every event"
            )
        for notifier in notifiers:
            if not callable(getattr(notifier, "notify", None)):
                raise TypeError(f"each notifier must have a notify() method, got {notifier!r}")
        self._notifiers: tuple[_N, ...] = notifiers

    @property
    def target(self) -> str:
        """Every notifier's target."""
        return ", ".join(target_of(notifier) for notifier in self._notifiers)

    def _raise_failures(self, failures: Sequence[tuple[object, Exception]]) -> None:
        """Raise ``combined_failure`` of ``failures``, if any notifier failed."""
        failed = combined_failure(failures, len(self._notifiers))
        if failed is not None:
            raise failed


class MultiNotifier(_Notifiers[Notifier]):
    """A Notifier that hands each event to every one of ``notifiers``, in order.

    Raises:
        ValueError: No notifier given.
        TypeError: Something that is not a notifier.
    """

    def notify(self, event: RequestEvent) -> None:
        """Deliver ``event`` through every notifier, even after one failed.

        Raises:
            NotificationFailed: One or more notifiers failed; it names each.
        """
        failures: list[tuple[object, Exception]] = []
        for notifier in self._notifiers:
            try:
                notifier.notify(event)
            except Exception as error:
                failures.append((notifier, error))
        self._raise_failures(failures)


class AsyncMultiNotifier(_Notifiers[AsyncNotifier]):
    """An AsyncNotifier that hands each event to every one of ``notifiers``, concurrently.

    Raises:
        ValueError: No notifier given.
        TypeError: Something that is not a notifier.
    """

    async def notify(self, event: RequestEvent) -> None:
        """Deliver ``event`` through every notifier at once; wait for all of them.

        Raises:
            NotificationFailed: One or more notifiers failed; it names each.
        """
        outcomes = await asyncio.gather(
            *(notifier.notify(event) for notifier in self._notifiers), return_exceptions=True
        )
        failures: list[tuple[object, Exception]] = []
        for notifier, outcome in zip(self._notifiers, outcomes, strict=True):
            if isinstance(outcome, Exception):
                failures.append((notifier, outcome))
            elif isinstance(outcome, BaseException):
                raise outcome
        self._raise_failures(failures)
