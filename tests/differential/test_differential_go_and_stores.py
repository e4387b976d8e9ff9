"""A randomized differential test: the simulated Go writer and both stores on one table.

A hypothesis state machine interleaves the Go system's writes (its clock
skewed, standing still, moving backwards, shown at any offset) with the sync
and the async store's calls (their clock skewed or frozen), on one moto
table, and checks every answer against a model of both systems' rules:

- a copy is stale once anything wrote the request after it was read, and an
  update from it is refused, whatever strings updated_at went through;
- every item Go's Validate accepts reads, lists and sweeps;
- the sweep moves exactly the overdue pending requests it counts, up to its limit;
- find_active_approval answers as Go's FindApprovedRequest does, to the nanosecond;
- the store's clock decides late decisions and creations ahead of it.

Derandomized and small under the ``ci`` profile (a few seconds); run
HYPOTHESIS_PROFILE=explore for twenty times the examples. Each run prints the
operations it made and the disagreements it found.
"""

import asyncio
import contextlib
import uuid
from collections.abc import Coroutine, Iterator
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import attrs
import boto3
import pytest
from aiobotocore.session import get_session
from conftest import REGION, client_for, empty_table
from go_system import GoRequest, GoStore, GoTime, go_durations, go_texts
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    precondition,
    rule,
    run_state_machine_as_test,
)
from mypy_boto3_dynamodb import DynamoDBClient

from access_requests.adapters.dynamodb import (
    AsyncDynamoDBRequestStore,
    DynamoDBRequestStore,
    create_table,
)
from access_requests.contract_tests import ManualClock
from access_requests.domain import (
    CLOCK_SKEW_ALLOWANCE,
    InvalidRequest,
    InvalidTransition,
    Request,
    epoch_nanoseconds,
    refuse_late_decision,
)
from access_requests.ports import ConcurrentModification

T = TypeVar("T")
START = datetime(2026, 1, 15, 12, tzinfo=UTC)
REQUESTERS = ("alice", "gopher")
PROFILES = ("prod", "dev")
SKEWS = st.sampled_from([0, 1, 700, -(10**9), -(3 * 10**11), 10**12, -(10**13)])
OFFSETS = st.sampled_from([0, 60, -300, 330, 14 * 60, -12 * 60, 23 * 60 + 59, -(23 * 60 + 59)])
STEPS = st.sampled_from([timedelta(0), timedelta(microseconds=1), timedelta(minutes=20),
                         timedelta(hours=3), timedelta(days=1)])  # fmt: skip
TALLY = {"operations": 0, "disagreements": 0, "runs": 0, "go_reused_updated_at": 0}


@attrs.define
class Modelled:
    """What both systems hold of one request, and how many writes it has seen."""

    go: GoRequest
    version: int = 0
    # The version and decision of the last write this library made, for a retry.
    written_over: int | None = None


class Stores:
    """The sync and the async store on one table and clock; the async one on its own loop."""

    def __init__(self, endpoint: str, table: str, clock: ManualClock) -> None:
        self.loop = asyncio.new_event_loop()
        self.stack = AsyncExitStack()
        client = self.run(
            self.stack.enter_async_context(
                get_session().create_client(
                    "dynamodb", region_name=REGION, endpoint_url=endpoint
                )
            )
        )
        self.sync = DynamoDBRequestStore(client_for(endpoint), table, clock=clock)
        self.async_ = AsyncDynamoDBRequestStore(client, table, clock=clock)

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(coroutine)

    def call(self, which: str, method: str, *args: Any, **kwargs: Any) -> Any:
        """Call ``method`` on the sync store or (awaited) on the async one."""
        if which == "sync":
            return getattr(self.sync, method)(*args, **kwargs)
        return self.run(getattr(self.async_, method)(*args, **kwargs))

    def close(self) -> None:
        self.run(self.stack.aclose())
        self.loop.close()


class GoAndStores(RuleBasedStateMachine):
    """The Go writer and both stores against one model; every answer is checked."""

    endpoint: str
    table: str
    copies = Bundle("copies")

    def __init__(self) -> None:
        super().__init__()
        self.truth = START  # the true time; every clock is skewed from it
        self.store_clock = ManualClock(START)
        self.store_skew = 0
        self.store_frozen = False
        self.go_skew_ns = 0
        self.go_offset = 0
        self.model: dict[str, Modelled] = {}
        # Ids from a counter, not at random, so that hypothesis replays a run exactly.
        self.made = 0
        plain = boto3.client("dynamodb", region_name=REGION, endpoint_url=self.endpoint)
        self.go = GoStore(plain, self.table)
        self.stores = Stores(self.endpoint, self.table, self.store_clock)
        TALLY["runs"] += 1

    def teardown(self) -> None:
        self.stores.close()
        empty_table(client_for(self.endpoint), self.table)

    # Clocks

    @rule(step=STEPS)
    def time_passes(self, step: timedelta) -> None:
        self._count()
        self.truth += step
        if not self.store_frozen:
            self.store_clock.set(self.truth + timedelta(microseconds=self.store_skew))

    @rule(frozen=st.booleans(), skew_us=st.sampled_from([0, -5_000_000, 2_000_000]))
    def store_clock_changes(self, frozen: bool, skew_us: int) -> None:
        self._count()
        self.store_frozen = frozen
        self.store_skew = skew_us
        if not frozen:
            self.store_clock.set(self.truth + timedelta(microseconds=skew_us))

    @rule(skew=SKEWS, offset=OFFSETS)
    def go_clock_changes(self, skew: int, offset: int) -> None:
        """A Go host whose clock is ahead, behind or shown in another zone takes over."""
        self._count()
        self.go_skew_ns = skew
        self.go_offset = offset

    # Go's writes

    @rule(
        requester=st.sampled_from(REQUESTERS),
        profile=st.sampled_from(PROFILES),
        status=st.sampled_from(["pending", "pending", "approved", "denied"]),
        ttl_ns=st.sampled_from([-(10**9), 0, 1, 999, 3_600 * 10**9 + 1, 86_400 * 10**9]),
        duration_ns=go_durations(),
        approver=st.one_of(st.just(""), go_texts(1, 300)),
        comment=st.one_of(st.just(""), go_texts(1, 1500)),
    )
    def go_creates(
        self,
        requester: str,
        profile: str,
        status: str,
        ttl_ns: int,
        duration_ns: int,
        approver: str,
        comment: str,
    ) -> None:
        self._count()
        now = self._go_now()
        request = GoRequest(
            id=self._next_id(),
            requester=requester,
            profile=profile,
            justification="written by a Go host",
            duration_ns=duration_ns,
            status=status,
            created_at=now,
            updated_at=now,
            expires_at=GoTime(now.unix_ns + ttl_ns, self.go_offset),
            approver=approver,
            approver_comment=comment,
        )
        self.go.create(request)
        self.model[request.id] = Modelled(GoRequest.from_item(request.item()))

    @rule(
        data=st.data(), status=st.sampled_from(["pending", "approved", "denied", "cancelled"])
    )
    def go_updates(self, data: st.DataObject, status: str) -> None:
        """Go decides a pending request (or keeps it pending), at its own clock."""
        pending = [i for i, m in self.model.items() if m.go.status == "pending"]
        if not pending:
            return
        self._count()
        request_id = data.draw(st.sampled_from(pending))
        written = self.go.update(
            request_id, status=status, approver="go-approver", comment="", now=self._go_now()
        )
        modelled = self.model[request_id]
        modelled.go = GoRequest.from_item(written.item())
        modelled.version += 1
        modelled.written_over = None

    # The stores' writes

    @rule(
        which=st.sampled_from(["sync", "async"]),
        ahead=st.sampled_from([0, 299, 301, 6 * 86_400]),
    )
    def store_creates(self, which: str, ahead: int) -> None:
        self._count()
        now = self.store_clock() + timedelta(seconds=ahead)
        request = attrs.evolve(
            Request.new(
                requester=REQUESTERS[0], profile=PROFILES[0],
                justification="made by this library", duration=timedelta(hours=1), now=now,
            ),
            id=self._next_id(),
        )  # fmt: skip
        if request.created_at - self.store_clock() > CLOCK_SKEW_ALLOWANCE:
            with self._expect("create ahead of the store's clock", InvalidRequest):
                self.stores.call(which, "create", request)
            return
        self.stores.call(which, "create", request)
        self.model[request.id] = Modelled(GoStore(self.go._client, self.table).get(request.id))

    @precondition(lambda self: bool(self.model))
    @rule(target=copies, data=st.data(), which=st.sampled_from(["sync", "async"]))
    def store_reads(self, data: st.DataObject, which: str) -> tuple[Request, int]:
        self._count()
        request_id = data.draw(st.sampled_from(list(self.model)))
        read: Request = self.stores.call(which, "get", request_id)
        modelled = self.model[request_id]
        self._agree("get reads what Go holds", _same(read, modelled.go))
        return (read, modelled.version)

    @rule(
        copy=copies,
        which=st.sampled_from(["sync", "async"]),
        action=st.sampled_from(["approve", "deny", "cancel", "stay"]),
    )
    def store_updates(self, copy: tuple[Request, int], which: str, action: str) -> None:
        read, version = copy
        if read.id not in self.model:
            return
        self._count()
        try:
            decided = _decide(read, action, self.store_clock())
        except InvalidTransition:
            return  # the caller's own transition refused it: nothing reaches the store
        modelled = self.model[read.id]
        expected, repeat = _expected(decided, version, modelled, self.store_clock())
        if expected is not None:
            with self._expect(f"{action} from a copy of version {version}", expected):
                self.stores.call(which, "update", decided)
            return
        if version != modelled.version and not repeat:
            # A Go write reproduced the very updated_at string the copy was read
            # with (a Go host writing in the same instant): no system can tell.
            TALLY["go_reused_updated_at"] += 1
        written: Request = self.stores.call(which, "update", decided)
        modelled.go = self.go.get(read.id)
        self._agree("update writes the decision", written.status is decided.status)
        if not repeat:
            modelled.version += 1
            modelled.written_over = version

    @rule(which=st.sampled_from(["sync", "async"]), limit=st.sampled_from([1, 2, 1000]))
    def sweep(self, which: str, limit: int) -> None:
        self._count()
        at = self.store_clock()
        overdue = {
            i for i, m in self.model.items()
            if m.go.status == "pending" and _floor_us(m.go.expires_at.unix_ns) <= at
        }  # fmt: skip
        moved: int = self.stores.call(which, "expire_overdue", limit=limit)
        self._agree("the sweep moves what it may", moved == min(limit, len(overdue)))
        now_expired = set()
        for request_id in overdue:
            go = self.go.get(request_id)
            if go.status == "expired":
                now_expired.add(request_id)
                self.model[request_id].go = go
                self.model[request_id].version += 1
                self.model[request_id].written_over = None
        self._agree("the sweep counts what it moved", len(now_expired) == moved)

    @rule(
        which=st.sampled_from(["sync", "async"]),
        requester=st.sampled_from(REQUESTERS),
        profile=st.sampled_from(PROFILES),
    )
    def access_check(self, which: str, requester: str, profile: str) -> None:
        self._count()
        at = self.store_clock()
        found = self.stores.call(which, "find_active_approval", requester, profile, now=at)
        go = self.go.find_approved_request(requester, profile, GoTime.at(at))
        self._agree(
            "find_active_approval answers as Go's FindApprovedRequest",
            (found.id if found else None) == (go.id if go else None),
        )

    @rule(which=st.sampled_from(["sync", "async"]), requester=st.sampled_from(REQUESTERS))
    def listing(self, which: str, requester: str) -> None:
        self._count()
        page = self.stores.call(which, "list_by_requester", requester, limit=1000)
        mine = {i for i, m in self.model.items() if m.go.requester == requester}
        self._agree("every request Go wrote is listed", {r.id for r in page} == mine)

    # Helpers

    def _next_id(self) -> str:
        self.made += 1
        return f"{self.made:016x}"

    def _go_now(self) -> GoTime:
        return GoTime(epoch_nanoseconds(self.truth) + self.go_skew_ns, self.go_offset)

    def _count(self) -> None:
        TALLY["operations"] += 1

    def _agree(self, what: str, holds: bool) -> None:
        if not holds:
            TALLY["disagreements"] += 1
        assert holds, what

    @contextlib.contextmanager
    def _expect(self, what: str, error: type[Exception]) -> Iterator[None]:
        """The call inside must raise ``error``; anything else is a disagreement."""
        try:
            yield
        except error:
            return
        except Exception:
            TALLY["disagreements"] += 1
            raise
        TALLY["disagreements"] += 1
        raise AssertionError(f"{what}: expected {error.__name__}, the call succeeded")


def _floor_us(nanoseconds: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=nanoseconds // 1000)


def _same(read: Request, go: GoRequest) -> bool:
    """Whether a request read by this library is what Go holds, to the nanosecond."""
    return (
        read.status.value == go.status
        and (read.requester, read.profile) == (go.requester, go.profile)
        and (read.approver, read.approver_comment) == (go.approver, go.approver_comment)
        and read.created_at_ns == go.created_at.unix_ns
        and read.expires_at_ns == go.expires_at.unix_ns
        and read.duration_ns == go.duration_ns
        and read.lock_token == go.updated_at.format()
    )


def _decide(read: Request, action: str, now: datetime) -> Request:
    if action == "stay":
        return read
    if action == "cancel":
        return read.cancel(now=now)
    decided: Request = getattr(read, action)("carol", now=now)
    return decided


def _expected(
    decided: Request, version: int, modelled: Modelled, now: datetime
) -> tuple[type[Exception] | None, bool]:
    """The error the port's rules give this update (None: it writes), and whether it repeats.

    A copy is stale once anything wrote the request after it was read, except
    where a Go write reproduced the very updated_at string it was read with:
    the lock compares strings, so that write is invisible to every system.
    """
    try:
        refuse_late_decision(decided, now)
    except InvalidTransition:
        return InvalidTransition, False
    stale = decided.lock_token != modelled.go.updated_at.format()
    if version != modelled.version and stale:
        repeat = modelled.written_over == version and (
            decided.status.value,
            decided.approver,
            decided.approver_comment,
        ) == (modelled.go.status, modelled.go.approver, modelled.go.approver_comment)
        return (None, True) if repeat else (ConcurrentModification, False)
    if modelled.go.status != "pending":
        return InvalidTransition, False
    return None, False


@pytest.fixture(scope="module")
def differential_table(moto_server: str) -> Iterator[str]:
    client: DynamoDBClient = client_for(moto_server)
    name = f"differential-{uuid.uuid4().hex[:8]}"
    create_table(client, name)
    yield name
    client.delete_table(TableName=name)


def test_go_and_both_stores_agree_under_random_interleavings(
    moto_server: str, differential_table: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Random interleavings of Go's writes and both stores' calls: no disagreement."""
    machine: type[RuleBasedStateMachine] = type(
        "GoAndStoresOnMoto",
        (GoAndStores,),
        {"endpoint": moto_server, "table": differential_table},
    )
    profile = settings()  # the loaded profile's settings: ci, explore or fast
    run_state_machine_as_test(
        machine,
        settings=settings(
            profile,
            max_examples=max(5, profile.max_examples // 5),
            stateful_step_count=40,
        ),
    )
    with capsys.disabled():
        print(
            f"\ndifferential on moto: {TALLY['runs']} runs, {TALLY['operations']} operations,"
            f" {TALLY['disagreements']} disagreements ({TALLY['go_reused_updated_at']} updates"
            " over a Go write that reproduced the copy's updated_at)"
        )
