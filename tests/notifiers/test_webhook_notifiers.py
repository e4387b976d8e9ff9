"""Both webhook notifiers against a real receiver on 127.0.0.1, with its faults.

Every case runs for WebhookNotifier (urllib3) and AsyncWebhookNotifier
(aiohttp): one set of rules, two clients. Waits between attempts are
recorded instead of slept, and the jitter draws 0.5 each time, so no test
sleeps through a backoff.
"""

import asyncio
import base64
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from notifier_events import approved_event, created_event
from webhook_receiver import Receiver, Reply, closed_port_url, running_receiver

from access_requests.adapters.events.async_webhook import AsyncWebhookNotifier
from access_requests.adapters.events.failure import NotificationFailed
from access_requests.adapters.events.payload import RequestEvent
from access_requests.adapters.events.retry import backoff
from access_requests.adapters.events.webhook import WebhookNotifier

SECRET = "webhook signing secret"
HALF: Callable[[], float] = lambda: 0.5  # noqa: E731 - the jitter's draw, fixed

Deliver = Callable[..., None]
"""deliver(url, event, waits, **options): deliver one event, appending each wait to waits."""


def deliver_sync(url: str, event: RequestEvent, waits: list[float], **options: Any) -> None:
    with WebhookNotifier(url, sleep=waits.append, random=HALF, **options) as notifier:
        notifier.notify(event)


def deliver_async(url: str, event: RequestEvent, waits: list[float], **options: Any) -> None:
    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    async def run() -> None:
        async with AsyncWebhookNotifier(url, sleep=sleep, random=HALF, **options) as notifier:
            await notifier.notify(event)

    asyncio.run(run())


@pytest.fixture(params=[deliver_sync, deliver_async], ids=["urllib3", "aiohttp"])
def deliver(request: pytest.FixtureRequest) -> Deliver:
    """Deliver one event with the sync or the async webhook notifier."""
    chosen: Deliver = request.param
    return chosen


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A receiver that checks signatures with SECRET."""
    with running_receiver(SECRET) as running:
        yield running


def test_the_event_json_is_posted_with_its_headers_and_a_valid_signature(
    deliver: Deliver, receiver: Receiver
) -> None:
    """One POST: the body is to_json(), the headers name the event, the signature verifies."""
    event = approved_event()
    waits: list[float] = []
    deliver(receiver.url, event, waits, secret=SECRET)
    assert waits == []
    # Check the body is exactly the event's JSON, and the headers as spec section 7 says
    [delivery] = receiver.received
    assert delivery.body == event.to_json().encode("utf-8")
    assert delivery.path == "/hooks/access"
    assert delivery.headers["Content-Type"] == "application/json"
    assert delivery.headers["X-Sentinel-Event"] == "request.approved"
    assert delivery.headers["X-Sentinel-Event-Id"] == event.event_id
    # Check the receiver verified the signature over the bytes it got
    assert delivery.signature_valid is True
    assert json.loads(delivery.body)["Actor"] == "bob"


def test_without_a_secret_no_signature_is_sent(deliver: Deliver, receiver: Receiver) -> None:
    """A notifier without a secret sends no X-Sentinel-Signature, which fails verification."""
    deliver(receiver.url, created_event(), [])
    [delivery] = receiver.received
    assert "X-Sentinel-Signature" not in delivery.headers
    assert delivery.signature_valid is False


def test_500s_are_retried_with_full_jitter_backoff_until_success(
    deliver: Deliver, receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    """Two server errors, then 200: three attempts, two jittered waits, one event delivered."""
    receiver.script(Reply(500), Reply(502))
    event = created_event()
    waits: list[float] = []
    with caplog.at_level(logging.WARNING, logger="access_requests"):
        deliver(receiver.url, event, waits, secret=SECRET)
    # Check each retry was logged, naming the receiver and the answer
    assert [record.getMessage() for record in caplog.records] == [
        f"webhook {receiver.url}: attempt 1 of 4 failed (HTTP 500 Internal Server Error);"
        f" retrying in {backoff(1, HALF):.2f} s",
        f"webhook {receiver.url}: attempt 2 of 4 failed (HTTP 502 Bad Gateway);"
        f" retrying in {backoff(2, HALF):.2f} s",
    ]
    # Check each wait is the backoff of its retry at the fixed draw
    assert waits == [backoff(1, HALF), backoff(2, HALF)]
    # Check every attempt carried the same body and event id, each signed
    assert [d.body for d in receiver.received] == [event.to_json().encode()] * 3
    assert {d.headers["X-Sentinel-Event-Id"] for d in receiver.received} == {event.event_id}
    assert all(d.signature_valid for d in receiver.received)


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_in_seconds_is_waited_for(
    deliver: Deliver, receiver: Receiver, status: int
) -> None:
    """A 429 or 503 with Retry-After: 7 makes the notifier wait 7 seconds, not the backoff."""
    receiver.script(Reply(status, {"Retry-After": "7"}))
    waits: list[float] = []
    deliver(receiver.url, created_event(), waits)
    assert waits == [7.0]
    assert len(receiver.received) == 2


def test_a_read_timeout_is_retried(deliver: Deliver, receiver: Receiver) -> None:
    """A receiver that does not answer within the timeout gets another attempt."""
    receiver.script(Reply(200, delay=5.0))
    waits: list[float] = []
    deliver(receiver.url, created_event(), waits, timeout=1.0)
    # Check the slow attempt was abandoned and the second one delivered
    assert waits == [backoff(1, HALF)]
    assert len(receiver.received) == 2


def test_a_refused_connection_is_retried_then_fails_naming_the_target(
    deliver: Deliver,
) -> None:
    """Nothing listening: every attempt is refused, and NotificationFailed names the URL."""
    url = closed_port_url()
    waits: list[float] = []
    with pytest.raises(NotificationFailed) as failed:
        deliver(url, created_event(), waits, max_attempts=3)
    # Check three attempts were made (two waits), and the client's error is chained
    assert waits == [backoff(1, HALF), backoff(2, HALF)]
    assert failed.value.target == url
    assert "gave up after 3 attempts" in str(failed.value)
    assert failed.value.__cause__ is not None


def test_a_400_is_not_retried(deliver: Deliver, receiver: Receiver) -> None:
    """A client error is the sender's fault: one attempt, no wait, NotificationFailed."""
    receiver.script(Reply(400))
    waits: list[float] = []
    with pytest.raises(NotificationFailed, match=r"HTTP 400 Bad Request \(not retried"):
        deliver(receiver.url, created_event(), waits)
    assert waits == []
    assert len(receiver.received) == 1


def test_a_redirect_is_not_followed(deliver: Deliver, receiver: Receiver) -> None:
    """A 302 is not a delivery and is not followed: one attempt, NotificationFailed."""
    receiver.script(Reply(302, {"Location": "http://127.0.0.1:9/elsewhere"}))
    with pytest.raises(NotificationFailed, match="HTTP 302"):
        deliver(receiver.url, created_event(), [])
    assert len(receiver.received) == 1


def test_500s_past_max_attempts_fail(deliver: Deliver, receiver: Receiver) -> None:
    """A receiver that keeps failing gets exactly max_attempts attempts."""
    receiver.script(*[Reply(500)] * 5)
    waits: list[float] = []
    with pytest.raises(NotificationFailed, match=r"HTTP 500 .*gave up after 4 attempts"):
        deliver(receiver.url, created_event(), waits)
    assert len(receiver.received) == 4
    assert waits == [backoff(retry, HALF) for retry in (1, 2, 3)]


def test_credentials_in_the_url_are_sent_as_basic_auth_and_never_named(
    deliver: Deliver, receiver: Receiver
) -> None:
    """user:password@ becomes an Authorization header; no error message carries it."""
    url = receiver.url.replace("http://", "http://hook%40user:p%3Ass@") + "?token=s3cret"
    receiver.script(Reply(403))
    with pytest.raises(NotificationFailed) as failed:
        deliver(url, created_event(), [], secret=SECRET)
    # Check the receiver got the credentials as HTTP Basic, and the query string
    [delivery] = receiver.received
    assert delivery.headers["Authorization"] == "Basic " + base64.b64encode(
        b"hook@user:p:ss"
    ).decode("ascii")
    assert delivery.path == "/hooks/access?token=s3cret"
    # Check the error names the receiver without userinfo, query string or secret
    message = str(failed.value)
    assert failed.value.target == receiver.url
    for secret in ("hook%40user", "hook@user", "p%3Ass", "p:ss", "s3cret", SECRET):
        assert secret not in message


def test_a_tls_handshake_that_cannot_succeed_is_not_retried(
    deliver: Deliver, receiver: Receiver
) -> None:
    """https to a plain-HTTP receiver fails the same way every time: one attempt."""
    waits: list[float] = []
    with pytest.raises(NotificationFailed, match="not retried, after 1 attempt") as failed:
        deliver(receiver.url.replace("http://", "https://"), created_event(), waits)
    assert waits == []
    assert failed.value.__cause__ is not None
