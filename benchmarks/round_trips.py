"""Benchmark 2: API calls per operation and failure path, counted on the wire.

A botocore ``before-send`` hook counts every request the client sends
(retries included) against a moto server on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import attrs

from access_requests.adapters.dynamodb import DynamoDBRequestStore, create_table
from access_requests.domain import AccessRequestError, Request
from access_requests.ports import ManualClock, follow

from .requests import START, emulator_client


class Wire:
    """Counts the requests a client sends."""

    def __init__(self, client: Any) -> None:
        self.sent: list[str] = []
        client.meta.events.register_first("before-send.dynamodb", self._count)

    def _count(self, event_name: str, **_: Any) -> None:
        self.sent.append(event_name.rsplit(".", 1)[-1])

    def calls(self, action: Callable[[], object]) -> int:
        """Run ``action`` (an error it raises is an expected outcome) and count its requests."""
        before = len(self.sent)
        with contextlib.suppress(AccessRequestError):
            action()
        return len(self.sent) - before


def _request(clock: ManualClock, **fields: Any) -> Request:
    request = Request.new(
        requester="alice",
        profile="prod",
        justification="Investigate INC-1234",
        duration=timedelta(hours=1),
        now=clock(),
        ttl=fields.pop("ttl", timedelta(hours=24)),
    )
    return attrs.evolve(request, **fields) if fields else request


def run(endpoint: str) -> dict[str, Any]:
    """Return the calls each operation path made, and list_pending's queries per page."""
    client = emulator_client(endpoint)
    create_table(client, "round-trips")
    clock = ManualClock(START)
    store = DynamoDBRequestStore(client, "round-trips", clock=clock)
    wire = Wire(client)
    stored = _request(clock)
    store.create(stored)
    unknown = _request(clock)
    paths: dict[str, int] = {}
    paths["create"] = wire.calls(lambda: store.create(_request(clock)))
    impostor = attrs.evolve(_request(clock), id=stored.id, requester="mallory")
    paths["create, id taken"] = wire.calls(lambda: store.create(impostor))
    paths["get"] = wire.calls(lambda: store.get(stored.id))
    paths["get, not found"] = wire.calls(lambda: store.get(unknown.id))
    paths["update"] = wire.calls(lambda: store.update(stored.approve("carol", now=clock())))
    paths["update, stale copy"] = wire.calls(
        lambda: store.update(stored.deny("dave", now=clock()))
    )
    final = store.get(stored.id)
    paths["update, final request"] = wire.calls(
        lambda: store.update(attrs.evolve(final, approver_comment="again"))
    )
    paths["update, not found"] = wire.calls(
        lambda: store.update(unknown.approve("carol", now=clock()))
    )
    paths["delete"] = wire.calls(lambda: store.delete(stored.id))
    paths["delete, not found"] = wire.calls(lambda: store.delete(unknown.id))
    # list_pending over 1,000 pending requests, every other one expired.
    for number in range(1000):
        ttl = timedelta(hours=2) if number % 2 else timedelta(minutes=30)
        store.create(_request(clock, requester=f"r{number % 10}", ttl=ttl))
        clock.advance(timedelta(seconds=1))
    clock.advance(timedelta(hours=1))
    pages: list[int] = []
    listing = functools.partial(store.list_pending)
    before = len(wire.sent)
    sizes = []
    for page in follow(listing, limit=100):
        pages.append(len(wire.sent) - before)
        before = len(wire.sent)
        sizes.append(len(page))
    return {"paths": paths, "pending_queries_per_page": pages, "pending_page_sizes": sizes}
