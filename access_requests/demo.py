"""The demo: one approval story, told through the real DynamoDBRequestStore.

It runs on the local emulator (moto's server on 127.0.0.1) against a table
provisioned by ``create_table``. Time is a ManualClock that the story moves
forward, so that a request can expire without waiting a day.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import timedelta

from .adapters.dynamodb import DynamoDBRequestStore, create_table, verify_table
from .cli import render
from .domain import Request, RequestStatus
from .local import local_dynamodb
from .ports import ConcurrentModification, ManualClock, RequestStore, follow

TABLE = "access-requests-demo"
Say = Callable[[str], None]

SUBMISSIONS = [
    ("alice@example.com", "prod-admin", "Roll back the failed deploy of INC-1234", 1),
    ("bob@example.com", "billing-readonly", "Reconcile the November invoices", 2),
    ("carol@example.com", "prod-admin", "Rotate the payment gateway keys", 1),
    ("dave@example.com", "data-warehouse", "Backfill the churn dashboard", 4),
    ("erin@example.com", "staging-admin", "Reproduce the login timeout bug", 2),
]


def run(say: Say = print) -> None:
    """Tell the story on a fresh emulator; every step goes through the store."""
    with local_dynamodb() as emulator:
        client = emulator.client()
        create_table(client, TABLE)
        say(f"DynamoDB emulator on {emulator.endpoint_url}; table {TABLE!r} created.")
        problems = verify_table(client, TABLE)
        say(
            "verify_table: "
            + ("the table is as the store needs it." if not problems else "; ".join(problems))
        )
        clock = ManualClock()
        store = DynamoDBRequestStore(client, TABLE, clock=clock)
        tell(store, clock, say)


def tell(store: RequestStore, clock: ManualClock, say: Say) -> None:
    """The approval story itself, against any store."""
    heading(say, "1. Five engineers ask for access")
    submitted: dict[str, Request] = {}
    for requester, profile, justification, hours in SUBMISSIONS:
        request = Request.new(
            requester=requester,
            profile=profile,
            justification=justification,
            duration=timedelta(hours=hours),
            now=clock(),
            ttl=timedelta(hours=2) if requester.startswith("erin") else timedelta(hours=24),
        )
        store.create(request)
        submitted[requester.split("@")[0]] = request
        clock.advance(timedelta(minutes=3))
    say(render.table(submitted.values()))

    heading(say, "2. An approver lists what is pending")
    pending = store.list_pending()
    say(render.table(pending, ("id", "requester", "profile", "duration", "created_at")))
    # A second approver opens bob's request now, and comes back to it later.
    stale_copy_of_bob = store.get(submitted["bob"].id)

    heading(say, "3. Frank approves alice's request and denies dave's")
    clock.advance(timedelta(minutes=10))
    approved = store.update(
        store.get(submitted["alice"].id).approve(
            "frank@example.com", "on call, go ahead", now=clock()
        )
    )
    denied = store.update(
        store.get(submitted["dave"].id).deny(
            "frank@example.com", "use the read replica instead", now=clock()
        )
    )
    say(render.table([approved, denied], ("id", "requester", "status", "approver", "comment")))
    # The question a credential issuer asks on every call.
    for requester, profile in (("alice", "prod-admin"), ("dave", "data-warehouse")):
        granting = store.find_active_approval(f"{requester}@example.com", profile, now=clock())
        answer = f"yes, by request {granting.id}" if granting else "no"
        say(f"may {requester} use {profile} now? {answer}")

    heading(say, "4. Carol no longer needs access and cancels")
    cancelled = store.update(store.get(submitted["carol"].id).cancel(now=clock()))
    say(render.table([cancelled], ("id", "requester", "status", "created_at")))

    heading(say, "5. Two approvers act on bob's request at once")
    fresh = store.get(submitted["bob"].id)
    won = store.update(fresh.approve("frank@example.com", "invoices are due", now=clock()))
    say(f"frank approves from a fresh copy: {won.status.value} at {won.updated_at:%H:%M:%S.%f}")
    try:
        store.update(stale_copy_of_bob.deny("grace@example.com", "not this month", now=clock()))
    except ConcurrentModification as refused:
        say(f"grace denies from the copy she opened earlier: refused, {refused}")
    say(
        render.table(
            [store.get(submitted["bob"].id)], ("id", "requester", "status", "approver")
        )
    )

    heading(say, "6. Three hours pass; erin's request expires")
    clock.advance(timedelta(hours=3))
    erin = store.get(submitted["erin"].id)
    pending_now = len(store.list_pending())
    say(f"pending now: {pending_now}; erin's request expired at {erin.expires_at:%H:%M:%S}")
    # A scheduled sweep marks what has expired, so that get and listings say so.
    moved = store.expire_overdue()
    say(f"the scheduled sweep marks {moved} {'request' if moved == 1 else 'requests'} expired")
    expired = store.get(erin.id)
    say(render.table([expired], ("id", "requester", "status", "created_at", "expires_at")))

    heading(say, "7. Alice's history, a page of four at a time")
    for day in range(1, 10):
        clock.advance(timedelta(days=1))
        request = Request.new(
            requester="alice@example.com",
            profile="prod-admin" if day % 2 else "prod-readonly",
            justification=f"On-call task number {day} of the rotation",
            duration=timedelta(hours=1),
            now=clock(),
        )
        store.create(request)
        if day % 3:
            store.update(request.approve("frank@example.com", now=clock()))
    history = functools.partial(store.list_by_requester, "alice@example.com")
    for number, page in enumerate(follow(history, limit=4), start=1):
        say(f"page {number}:")
        say(render.table(page, ("id", "status", "profile", "created_at", "approver")))

    heading(say, "8. Where everything stands")
    for status in RequestStatus:
        count = sum(
            len(page) for page in follow(functools.partial(store.list_by_status, status))
        )
        say(f"{status.value:<10} {count}")


def heading(say: Say, text: str) -> None:
    say("")
    say(text)
    say("=" * len(text))
