"""Which webhook answers are retried, and the backoff with full jitter."""

import pytest

from access_requests.adapters.events.retry import (
    BASE_BACKOFF,
    MAX_BACKOFF,
    MAX_RETRY_AFTER,
    backoff,
    delay_before_retry,
    is_delivered,
    is_retried,
    retry_after,
)


@pytest.mark.parametrize("status", [200, 201, 202, 204, 299])
def test_every_2xx_is_delivered(status: int) -> None:
    """Any 2xx answer means the receiver took the event."""
    assert is_delivered(status)
    assert not is_retried(status)


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504, 599])
def test_429_and_5xx_are_retried(status: int) -> None:
    """Too many requests and server errors may pass on another attempt."""
    assert is_retried(status)
    assert not is_delivered(status)


@pytest.mark.parametrize("status", [301, 302, 400, 401, 403, 404, 409, 410, 413, 422])
def test_other_answers_are_never_retried(status: int) -> None:
    """A redirect or another 4xx would get the same answer again."""
    assert not is_retried(status)
    assert not is_delivered(status)


def test_the_backoff_ceiling_doubles_up_to_its_cap() -> None:
    """With the top of the jitter range, each retry waits twice the last, up to MAX_BACKOFF."""
    almost_one = 1.0 - 2**-53
    ceilings = [backoff(retry, lambda: almost_one) for retry in range(1, 12)]
    assert ceilings[0] == pytest.approx(BASE_BACKOFF)
    assert ceilings[1] == pytest.approx(2 * BASE_BACKOFF)
    assert ceilings[2] == pytest.approx(4 * BASE_BACKOFF)
    assert max(ceilings) == pytest.approx(MAX_BACKOFF)
    assert ceilings == sorted(ceilings)


def test_full_jitter_draws_the_whole_range_from_zero() -> None:
    """The wait is the ceiling times the random draw: from 0 to the ceiling."""
    assert backoff(3, lambda: 0.0) == 0.0
    assert backoff(3, lambda: 0.25) == pytest.approx(BASE_BACKOFF)


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_in_seconds_is_honoured_on_429_and_503(status: int) -> None:
    """The receiver's own Retry-After replaces the backoff."""
    assert retry_after(status, "7") == 7.0
    assert delay_before_retry(1, status, " 3 ", lambda: 0.0) == 3.0


def test_retry_after_is_capped() -> None:
    """A receiver asking for an hour is waited for MAX_RETRY_AFTER at most."""
    assert retry_after(429, "3600") == MAX_RETRY_AFTER


@pytest.mark.parametrize(
    "header", [None, "", "soon", "-1", "1.5", "Wed, 21 Oct 2026 07:28:00 GMT", "١٢"]
)
def test_a_retry_after_that_is_not_whole_seconds_falls_back_to_the_backoff(
    header: str | None,
) -> None:
    """An HTTP-date, a fraction or garbage is not trusted; the jittered backoff applies."""
    assert retry_after(429, header) is None
    assert delay_before_retry(2, 429, header, lambda: 0.5) == backoff(2, lambda: 0.5)


def test_retry_after_is_ignored_on_other_statuses_and_network_errors() -> None:
    """Only 429 and 503 define Retry-After here; after a 500 or no answer: the backoff."""
    assert retry_after(500, "5") is None
    assert delay_before_retry(1, 500, "5", lambda: 0.5) == backoff(1, lambda: 0.5)
    assert delay_before_retry(1, None, None, lambda: 0.5) == backoff(1, lambda: 0.5)
