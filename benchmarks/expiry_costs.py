"""Benchmark 6: what the pending index and the access check read on DynamoDB.

Items read are counted from each Query's ScannedCount (what DynamoDB reads,
and charges for, before a filter) against a moto server on 127.0.0.1:

- the first ``list_pending`` page (limit 100) among 2,000 pending requests
  of which 0, 50, 90, 99 and 99.9% have expired, before and after one
  ``expire_overdue``, and what that sweep read and wrote;
- ``find_active_approval`` for a requester with 1,000 old requests and 3
  recent ones, against the Go system's FindApprovedRequest (list the newest
  1,000, keep the first that grants access).
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import attrs

from access_requests.adapters.dynamodb import DynamoDBRequestStore, create_table
from access_requests.adapters.dynamodb.codec import encode_request
from access_requests.domain import Request, RequestStatus
from access_requests.ports import ManualClock

from .requests import START, emulator_client

PENDING = 2_000
EXPIRED_SHARES = (0.0, 0.5, 0.9, 0.99, 0.999)
PAGE = 100


class ItemsRead:
    """Sums ScannedCount over the Queries a client makes, and counts its writes."""

    def __init__(self, client: Any) -> None:
        self.scanned = 0
        self.writes = 0
        client.meta.events.register("after-call.dynamodb.Query", self._query)
        client.meta.events.register("after-call.dynamodb.UpdateItem", self._write)

    def _query(self, parsed: dict[str, Any], **_: Any) -> None:
        self.scanned += int(parsed.get("ScannedCount", 0))

    def _write(self, **_: Any) -> None:
        self.writes += 1

    def during(self, action: Any) -> tuple[Any, int, int]:
        """Run ``action``; return its result, the items it read and the writes it made."""
        scanned, writes = self.scanned, self.writes
        result = action()
        return result, self.scanned - scanned, self.writes - writes


def _request(clock: ManualClock, number: int, **fields: Any) -> Request:
    request = Request.new(
        requester=fields.pop("requester", f"user-{number % 50}"),
        profile=fields.pop("profile", "prod"),
        justification="Investigate INC-1234",
        duration=timedelta(hours=1),
        now=clock() - timedelta(seconds=number),
        ttl=fields.pop("ttl", timedelta(hours=24)),
    )
    return attrs.evolve(request, **fields) if fields else request


def _load(client: Any, table: str, requests: list[Request]) -> None:
    for start in range(0, len(requests), 25):
        batch = [
            {"PutRequest": {"Item": encode_request(r)}} for r in requests[start : start + 25]
        ]
        pending: dict[str, Any] = {table: batch}
        while pending:
            pending = (
                client.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
            )


def _table(client: Any) -> str:
    name = f"bench-expiry-{uuid.uuid4().hex[:8]}"
    create_table(client, name)
    return name


def _pending_pages(client: Any, reads: ItemsRead, share: float) -> dict[str, float]:
    clock = ManualClock(START)
    table = _table(client)
    store = DynamoDBRequestStore(client, table, clock=clock)
    expired = round(PENDING * share)
    # The expired ones were created 3 days ago with a 24-hour ttl; the live ones now.
    old = ManualClock(START - timedelta(days=3))
    requests = [_request(old, n) for n in range(expired)]
    requests += [_request(clock, n) for n in range(PENDING - expired)]
    _load(client, table, requests)
    before, read_before, _ = reads.during(lambda: store.list_pending(limit=PAGE))
    moved = swept_reads = swept_writes = 0
    while True:
        count, read, written = reads.during(store.expire_overdue)
        moved += count
        swept_reads += read
        swept_writes += written
        if count == 0:
            break
    after, read_after, _ = reads.during(lambda: store.list_pending(limit=PAGE))
    client.delete_table(TableName=table)
    return {
        "expired": expired,
        "returned": len(after),
        "read_before": read_before,
        "read_after": read_after,
        "ratio_after": read_after / max(1, len(after)),
        "sweep_moved": moved,
        "sweep_reads": swept_reads,
        "sweep_writes": swept_writes,
        "returned_before": len(before),
    }


def _access_check(client: Any, reads: ItemsRead) -> dict[str, float]:
    clock = ManualClock(START)
    table = _table(client)
    store = DynamoDBRequestStore(client, table, clock=clock)
    old = ManualClock(START - timedelta(days=30))
    history = [
        _request(old, n, requester="alice", status=RequestStatus.APPROVED, approver="carol")
        for n in range(1000)
    ]
    recent = [
        _request(clock, n * 600, requester="alice", status=status, approver="carol")
        for n, status in enumerate(
            (RequestStatus.DENIED, RequestStatus.APPROVED, RequestStatus.APPROVED)
        )
    ]
    _load(client, table, history + recent)
    found, ours, _ = reads.during(lambda: store.find_active_approval("alice", "prod"))

    def go_method() -> Request | None:
        page = store.list_by_requester("alice", limit=1000)
        return next((r for r in page if r.profile == "prod" and r.grants_access(clock())), None)

    go_found, theirs, _ = reads.during(go_method)
    client.delete_table(TableName=table)
    assert found == go_found, "the access check and the Go system's method disagree"
    return {"ours": ours, "go": theirs, "recent": len(recent)}


def run(endpoint: str) -> dict[str, Any]:
    """Return the items read by list_pending, the sweep and the access check."""
    client = emulator_client(endpoint)
    reads = ItemsRead(client)
    pages = {share: _pending_pages(client, reads, share) for share in EXPIRED_SHARES}
    return {"pending": pages, "access": _access_check(client, reads)}


def markdown(figures: dict[str, Any]) -> list[str]:
    """The section of docs/benchmarks.md for this benchmark."""
    lines = [
        "## 6. What the pending index and the access check read (DynamoDB)",
        "",
        f"First `list_pending` page (limit {PAGE}) among {PENDING:,} pending requests;"
        " items read are the Queries' ScannedCount.",
        "",
        "| expired | page before: returned / read | sweep: moved / read / writes"
        " | page after: returned / read | read per returned after |",
        "|---|---|---|---|---|",
    ]
    for share, row in figures["pending"].items():
        lines.append(
            f"| {share:.1%} | {row['returned_before']} / {row['read_before']}"
            f" | {row['sweep_moved']} / {row['sweep_reads']} / {row['sweep_writes']}"
            f" | {row['returned']} / {row['read_after']} | {row['ratio_after']:.2f}x |"
        )
    access = figures["access"]
    lines += [
        "",
        f"`find_active_approval` for a requester with 1,000 old requests and"
        f" {access['recent']} recent ones: reads {access['ours']} items; the Go system's"
        f" method (newest 1,000, then filter) reads {access['go']}.",
        "",
    ]
    for goal, met in goals(figures):
        lines.append(f"- {'met' if met else 'NOT MET'}: {goal}")
    return [*lines, ""]


def goals(figures: dict[str, Any]) -> list[tuple[str, bool]]:
    """Each goal of issue 11 on DynamoDB, with whether it was met."""
    worst = max(row["ratio_after"] for row in figures["pending"].values())
    access = figures["access"]
    return [
        (
            f"after a sweep, a page reads at most 1.25x what it returns (worst {worst:.2f}x)",
            worst <= 1.25,
        ),
        (
            "find_active_approval reads at most the requester's requests of the last"
            f" 22 hours ({access['ours']} read, {access['recent']} recent)",
            access["ours"] <= access["recent"],
        ),
    ]
