"""The Request entity: who asks for which profile, for how long, and why."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime, timedelta

import attrs

from .errors import InvalidRequest, InvalidTransition
from .status import RequestStatus

MAX_DURATION = timedelta(hours=8)
DEFAULT_REQUEST_TTL = timedelta(hours=24)
REQUEST_ID_LENGTH = 16
MAX_NAME_LENGTH = 256
MIN_JUSTIFICATION_LENGTH = 10
MAX_JUSTIFICATION_LENGTH = 500
MAX_COMMENT_LENGTH = 1000
MAX_JUSTIFICATION_BYTES = 500
MAX_ITEM_BYTES = 400 * 1024
"""DynamoDB's limit on one item, names and values together."""

# What a stored item holds besides the texts: attribute names, the id, three
# timestamps of at most 35 characters, two numbers and the status. Generous.
_ITEM_OVERHEAD_BYTES = 512

_REQUEST_ID = re.compile(r"[0-9a-f]{16}")
_ZERO = timedelta(0)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)

_DECISION_LIMITS = {"approver": MAX_NAME_LENGTH, "approver_comment": MAX_COMMENT_LENGTH}

DECISION_FIELDS = ("status", "approver", "approver_comment")
"""The fields an update writes (with updated_at): the decision on a request."""


@attrs.frozen
class Nanoseconds:
    """What a Go writer stored past the microsecond, which datetime and timedelta drop.

    Attributes:
        created_at: The nanoseconds of created_at past its microsecond, 0 to 999.
        expires_at: The nanoseconds of expires_at past its microsecond, 0 to 999.
        duration: The duration in whole nanoseconds where it is not a whole
            number of microseconds (a Go duration of 1 h + 500 ns), else None.
    """

    created_at: int = 0
    expires_at: int = 0
    duration: int | None = None

    def __attrs_post_init__(self) -> None:
        for field in ("created_at", "expires_at"):
            value = getattr(self, field)
            if type(value) is not int or not 0 <= value <= 999:
                raise InvalidRequest(
                    f"nanoseconds.{field}", f"must be an int of 0 to 999, got {value!r}"
                )
        if self.duration is not None and (type(self.duration) is not int or self.duration <= 0):
            raise InvalidRequest(
                "nanoseconds.duration", f"must be a positive int or None, got {self.duration!r}"
            )


WHOLE_MICROSECONDS = Nanoseconds()
"""No digits past the microsecond: every request this library creates."""


def new_request_id() -> str:
    """Return a fresh request id: 64 random bits as 16 lowercase hex characters."""
    return secrets.token_hex(REQUEST_ID_LENGTH // 2)


def utc_now() -> datetime:
    """Return the current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def validate_request_id(value: object, field: str = "id") -> str:
    """Return ``value`` if it is a well-formed request id, else raise InvalidRequest."""
    if type(value) is not str or not _REQUEST_ID.fullmatch(value):
        raise InvalidRequest(
            field, f"must be exactly 16 lowercase hex characters, got {value!r}"
        )
    return value


def as_utc(value: object, field: str) -> datetime:
    """Return ``value`` as a UTC datetime; refuse anything but a timezone-aware datetime."""
    if not isinstance(value, datetime):
        raise InvalidRequest(
            field, f"must be a timezone-aware datetime, got {type(value).__name__}"
        )
    if value.tzinfo is UTC:
        return value
    if value.utcoffset() is None:
        raise InvalidRequest(
            field, f"must be timezone-aware, got the naive datetime {value.isoformat()}"
        )
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise InvalidRequest(
            field, f"{value.isoformat()} is out of the range of datetime in UTC"
        ) from None


def validate_text(
    value: object, field: str, shortest: int = 0, longest: int | None = None
) -> str:
    """Return ``value`` if it is a str of ``shortest`` to ``longest`` characters.

    ``longest`` None sets no upper limit. The text must also be encodable as
    UTF-8, since a lone surrogate is something no store can keep.
    """
    if not isinstance(value, str):
        raise InvalidRequest(field, f"must be a str, got {type(value).__name__}")
    if len(value) < shortest or (longest is not None and len(value) > longest):
        limit = f"{shortest} to {longest}" if longest is not None else f"at least {shortest}"
        raise InvalidRequest(field, f"must be {limit} characters, got {len(value)}")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            raise InvalidRequest(
                field,
                f"must be valid Unicode text, got {error.reason} at {error.start}",
            ) from None
    return value


def _utf8_length(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8"))


def _validate_justification_bytes(value: str) -> None:
    """Go's Validate counts the justification in bytes of UTF-8."""
    size = _utf8_length(value)
    if not MIN_JUSTIFICATION_LENGTH <= size <= MAX_JUSTIFICATION_BYTES:
        raise InvalidRequest(
            "justification",
            f"must be {MIN_JUSTIFICATION_LENGTH} to {MAX_JUSTIFICATION_BYTES} bytes"
            f" of UTF-8, got {size}",
        )


def _created_at(value: datetime) -> datetime:
    return as_utc(value, "created_at")


def _updated_at(value: datetime) -> datetime:
    return as_utc(value, "updated_at")


def _expires_at(value: datetime) -> datetime:
    return as_utc(value, "expires_at")


@attrs.frozen(kw_only=True)
class Request:
    """A request for time-limited access to a cloud profile.

    Immutable and validated on construction: a bad value raises
    InvalidRequest naming the field and the rule it breaks. Timestamps are
    normalised to UTC.
    """

    id: str
    requester: str
    profile: str
    justification: str
    duration: timedelta
    status: RequestStatus
    created_at: datetime = attrs.field(converter=_created_at)
    updated_at: datetime = attrs.field(converter=_updated_at)
    expires_at: datetime = attrs.field(converter=_expires_at)
    approver: str = ""
    approver_comment: str = ""
    lock_token: str | None = attrs.field(default=None, eq=False, repr=False)
    """The updated_at string the store held when it handed this request out,
    exactly as stored; None for a request built by hand. Opaque: update
    conditions on it. Kept by the transitions and ``attrs.evolve``."""
    nanoseconds: Nanoseconds = attrs.field(default=WHOLE_MICROSECONDS, eq=False, repr=False)
    """The digits past the microsecond a Go writer stored in created_at,
    expires_at and duration; the access check follows them, as Go's does."""

    def __attrs_post_init__(self) -> None:
        # The Go system's Validate: every item it can write must read back.
        validate_request_id(self.id)
        validate_text(self.requester, "requester", 1)
        validate_text(self.profile, "profile", 1)
        validate_text(self.justification, "justification")
        _validate_justification_bytes(self.justification)
        validate_text(self.approver, "approver")
        validate_text(self.approver_comment, "approver_comment")
        if self.lock_token is not None and type(self.lock_token) is not str:
            raise InvalidRequest(
                "lock_token", f"must be a str or None, got {type(self.lock_token).__name__}"
            )
        if type(self.duration) is not timedelta:
            raise InvalidRequest(
                "duration", f"must be a timedelta, got {type(self.duration).__name__}"
            )
        if not _ZERO < self.duration <= MAX_DURATION:
            raise InvalidRequest(
                "duration",
                f"must be more than 0 and at most 8 hours, got {self.duration}",
            )
        if not isinstance(self.nanoseconds, Nanoseconds):
            raise InvalidRequest(
                "nanoseconds",
                f"must be a Nanoseconds, got {type(self.nanoseconds).__name__}",
            )
        if self.duration_ns > MAX_DURATION // _MICROSECOND * 1000:
            raise InvalidRequest(
                "duration",
                f"must be more than 0 and at most 8 hours, got {self.duration_ns} ns",
            )
        if not isinstance(self.status, RequestStatus):
            raise InvalidRequest("status", f"must be a RequestStatus, got {self.status!r}")
        # Go's Validate does not compare the timestamps: Go hosts with skewed
        # clocks write expires_at at or before created_at, and updated_at before it.
        self._refuse_over_one_item()

    def _refuse_over_one_item(self) -> None:
        texts = (
            self.requester,
            self.profile,
            self.justification,
            self.approver,
            self.approver_comment,
        )
        # Four bytes a character at most: only a request that might not fit is measured.
        if sum(map(len, texts)) * 4 + _ITEM_OVERHEAD_BYTES <= MAX_ITEM_BYTES:
            return
        size = sum(map(_utf8_length, texts)) + _ITEM_OVERHEAD_BYTES
        if size > MAX_ITEM_BYTES:
            raise InvalidRequest(
                "request",
                f"must fit in one DynamoDB item of {MAX_ITEM_BYTES} bytes,"
                f" its texts need about {size}",
            )

    def check_writable(self) -> Request:
        """Return this request if this library may write it whole; else InvalidRequest.

        A request read from the table may hold what the Go system allows and
        this library does not write: longer names and comments, an
        expires_at at or before created_at, or an updated_at before created_at.
        """
        validate_text(self.requester, "requester", 1, MAX_NAME_LENGTH)
        validate_text(self.profile, "profile", 1, MAX_NAME_LENGTH)
        validate_text(
            self.justification,
            "justification",
            MIN_JUSTIFICATION_LENGTH,
            MAX_JUSTIFICATION_LENGTH,
        )
        self.check_decision_writable()
        if self.expires_at <= self.created_at:
            raise InvalidRequest(
                "expires_at",
                f"must be after created_at ({self.expires_at.isoformat()}"
                f" <= {self.created_at.isoformat()})",
            )
        if self.updated_at < self.created_at:
            raise InvalidRequest(
                "updated_at",
                f"must not be before created_at ({self.updated_at.isoformat()}"
                f" < {self.created_at.isoformat()})",
            )
        return self

    def check_decision_writable(self, stored: Request | None = None) -> Request:
        """Return this request if this library may write its decision; else InvalidRequest.

        An update writes only status, approver, approver_comment and updated_at,
        so only the decision is held to this library's limits there, and only
        where it changes them: a text over its limit that ``stored`` (the
        request as stored) already holds is carried, not written by the
        caller, so an overdue Go request with a 300-character approver expires.
        ``stored`` None holds every text to its limit.
        """
        for field in self.decision_texts_over_limits():
            if stored is None or getattr(stored, field) != getattr(self, field):
                validate_text(getattr(self, field), field, 0, _DECISION_LIMITS[field])
        return self

    def decision_texts_over_limits(self) -> tuple[str, ...]:
        """The decision's texts longer than this library writes: an update only carries them."""
        return tuple(
            field
            for field, longest in _DECISION_LIMITS.items()
            if len(getattr(self, field)) > longest
        )

    @classmethod
    def new(
        cls,
        *,
        requester: str,
        profile: str,
        justification: str,
        duration: timedelta,
        now: datetime | None = None,
        ttl: timedelta = DEFAULT_REQUEST_TTL,
    ) -> Request:
        """Return a pending request with a fresh id, created now, expiring after ``ttl``."""
        created_at = _moment(now)
        if type(ttl) is not timedelta or ttl <= _ZERO:
            raise InvalidRequest("ttl", f"must be a positive timedelta, got {ttl!r}")
        try:
            expires_at = created_at + ttl
        except OverflowError:
            raise InvalidRequest(
                "ttl", f"{ttl} after {created_at.isoformat()} is past the last datetime"
            ) from None
        return cls(
            id=new_request_id(),
            requester=requester,
            profile=profile,
            justification=justification,
            duration=duration,
            status=RequestStatus.PENDING,
            created_at=created_at,
            updated_at=created_at,
            expires_at=expires_at,
        ).check_writable()

    @property
    def access_window_end(self) -> datetime:
        """When access granted by this request ends at the latest: created_at + duration."""
        try:
            return self.created_at + self.duration
        except OverflowError:
            return datetime.max.replace(tzinfo=UTC)  # past the last datetime: never ends

    @property
    def created_at_ns(self) -> int:
        """created_at in nanoseconds since the Unix epoch, Go's digits included."""
        return epoch_nanoseconds(self.created_at) + self.nanoseconds.created_at

    @property
    def expires_at_ns(self) -> int:
        """expires_at in nanoseconds since the Unix epoch, Go's digits included."""
        return epoch_nanoseconds(self.expires_at) + self.nanoseconds.expires_at

    @property
    def duration_ns(self) -> int:
        """The duration in whole nanoseconds, as Go holds it."""
        exact = self.nanoseconds.duration
        return self.duration // _MICROSECOND * 1000 if exact is None else exact

    def grants_access(self, now: datetime) -> bool:
        """Whether this request grants access at ``now``.

        Approved, ``now <= expires_at`` and ``now <= created_at + duration``:
        the Go system's rule in FindApprovedRequest, to the nanosecond, so
        that both decide alike.
        """
        at = epoch_nanoseconds(_moment(now))
        return (
            self.status is RequestStatus.APPROVED
            and at <= self.expires_at_ns
            and at <= self.created_at_ns + self.duration_ns
        )

    def is_expired(self, now: datetime) -> bool:
        """Whether the request is pending and ``now`` is at or past expires_at."""
        return self.status is RequestStatus.PENDING and _moment(now) >= self.expires_at

    def approve(
        self, approver: str, comment: str = "", *, now: datetime | None = None
    ) -> Request:
        """Return this request approved by ``approver``; updated_at is left for the store."""
        return self._decide(RequestStatus.APPROVED, approver, comment, now)

    def deny(self, approver: str, comment: str = "", *, now: datetime | None = None) -> Request:
        """Return this request denied by ``approver``; updated_at is left for the store."""
        return self._decide(RequestStatus.DENIED, approver, comment, now)

    def cancel(self, *, now: datetime | None = None) -> Request:
        """Return this request cancelled by its requester."""
        self._refuse_once_expired("cancel", now)
        return attrs.evolve(self, status=RequestStatus.CANCELLED)

    def expire(self, *, now: datetime | None = None) -> Request:
        """Return this request expired; refused before expires_at has passed."""
        at = _moment(now)
        self._refuse_if_terminal("expire")
        if at < self.expires_at:
            raise InvalidTransition(
                self.id,
                f"cannot expire before {self.expires_at.isoformat()} (now is {at.isoformat()})",
            )
        return attrs.evolve(self, status=RequestStatus.EXPIRED)

    def _decide(
        self,
        status: RequestStatus,
        approver: str,
        comment: str,
        now: datetime | None,
    ) -> Request:
        action = "approve" if status is RequestStatus.APPROVED else "deny"
        validate_text(approver, "approver", 0, MAX_NAME_LENGTH)
        validate_text(comment, "approver_comment", 0, MAX_COMMENT_LENGTH)
        self._refuse_once_expired(action, now)
        if not approver.strip():
            raise InvalidTransition(self.id, f"cannot {action} without an approver")
        return attrs.evolve(self, status=status, approver=approver, approver_comment=comment)

    def _refuse_once_expired(self, action: str, now: datetime | None) -> None:
        at = _moment(now)
        self._refuse_if_terminal(action)
        if at >= self.expires_at:
            raise InvalidTransition(
                self.id,
                f"cannot {action}: it expired at {self.expires_at.isoformat()}"
                f" (now is {at.isoformat()})",
            )

    def _refuse_if_terminal(self, action: str) -> None:
        refuse_if_final(self.id, self.status, action)


def refuse_if_final(request_id: str, status: RequestStatus, action: str) -> None:
    """Raise InvalidTransition if a request in ``status`` can no longer change."""
    if status.is_terminal:
        raise InvalidTransition(
            request_id, f"cannot {action}: it is {status.value}, which is final"
        )


def epoch_nanoseconds(moment: datetime) -> int:
    """Return a timezone-aware datetime as whole nanoseconds since the Unix epoch."""
    return (moment - _EPOCH) // _MICROSECOND * 1000


def _moment(now: datetime | None) -> datetime:
    return utc_now() if now is None else as_utc(now, "now")
