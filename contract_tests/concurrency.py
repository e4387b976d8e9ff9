"""Contract: one store shared between threads."""

from __future__ import annotations

import threading
from datetime import datetime

import attrs

from ..domain import Request, RequestStatus
from ..ports import ConcurrentModification, RequestStore
from .base import StoreFixtures, everything, run_together
from .clock import ManualClock
from .factory import make_request


@attrs.frozen
class _Win:
    token: datetime
    written: Request


class ConcurrencyContract(StoreFixtures):
    """A store shared between threads loses nothing and lets no stale write through."""

    def test_threads_sharing_a_store_each_keep_their_own_requests(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """Threads creating, reading and deciding their own requests see them all kept."""
        self.require("supports_threads")
        per_thread = 25

        def work(number: int) -> None:
            mine = [
                make_request(clock(), requester=f"thread-{number}") for _ in range(per_thread)
            ]
            for request in mine:
                store.create(request)
            for request in mine:
                assert store.get(request.id) == request
                store.update(request.approve(f"approver-{number}", now=clock()))
            found = everything(
                lambda **page: store.list_by_requester(f"thread-{number}", **page)
            )
            assert {request.id for request in found} == {r.id for r in mine}
            assert {request.status for request in found} == {RequestStatus.APPROVED}

        workers = self.contention_threads
        run_together(workers, work)
        # Check every request of every thread is in the status listing.
        approved = everything(
            lambda **page: store.list_by_status(RequestStatus.APPROVED, **page)
        )
        assert len(approved) == workers * per_thread

    def test_contended_updates_of_one_request_lose_nothing(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """Many threads read-modify-write one request: each token wins at most once."""
        self.require("supports_threads")
        self.require("atomic_conditional_writes")
        request = make_request(clock())
        store.create(request)
        wins: list[_Win] = []
        losses: list[ConcurrentModification] = []
        record = threading.Lock()

        def work(number: int) -> None:
            for round_number in range(self.contention_rounds):
                current = store.get(request.id)
                changed = attrs.evolve(
                    current, approver_comment=f"thread {number} round {round_number}"
                )
                try:
                    written = store.update(changed)
                except ConcurrentModification as error:
                    with record:
                        losses.append(error)
                else:
                    with record:
                        wins.append(_Win(current.updated_at, written))

        run_together(self.contention_threads, work)
        # Check every attempt either won or was told it lost.
        assert len(wins) + len(losses) == self.contention_threads * self.contention_rounds
        # Check no two wins started from the same token.
        tokens = [win.token for win in wins]
        assert len(tokens) == len(set(tokens)), "two updates won from one token"
        # Check the wins form one chain: each started from the previous one's write.
        chain = sorted(wins, key=lambda win: win.written.updated_at)
        expected_tokens = [request.updated_at] + [win.written.updated_at for win in chain[:-1]]
        assert [win.token for win in chain] == expected_tokens
        # Check the stored request is the last win, exactly.
        assert store.get(request.id) == chain[-1].written
