"""The webhook's arguments, its POST and its attempts, with no I/O."""

from typing import Any

import attrs
import pytest
from notifier_events import approved_event

from access_requests.adapters.events.async_webhook import AsyncWebhookNotifier
from access_requests.adapters.events.failure import NotificationFailed
from access_requests.adapters.events.retry import backoff
from access_requests.adapters.events.signature import verify_signature
from access_requests.adapters.events.webhook import WebhookNotifier
from access_requests.adapters.events.webhook_delivery import (
    Answered,
    Steps,
    Unreachable,
    attempts,
    post,
    webhook,
)
from access_requests.domain import InvalidRequest

URL = "https://hooks.example.com/access"


def hook(**options: Any) -> Any:
    settings: dict[str, Any] = {"secret": None, "timeout": 10, "max_attempts": 4}
    return webhook(URL, **(settings | options))


@pytest.mark.parametrize(
    ("url", "rule"),
    [
        ("ftp://hooks.example.com/x", "http or https URL"),
        ("hooks.example.com/x", "http or https URL"),
        ("https:///no-host", "http or https URL"),
        ("https://hooks.example.com:0/x", "http or https URL"),
        ("https://hooks.example.com:99999/x", "does not parse"),
        ("https://[::1/x", "does not parse"),
        ("https://hooks.example.com/a b", "whitespace or control characters"),
        ("https://hooks.example.com/\r\nX-Injected: 1", "whitespace or control characters"),
    ],
)
def test_a_url_that_is_not_http_is_refused(url: str, rule: str) -> None:
    """Both notifiers refuse a URL they could not post to, saying why."""
    for notifier in (WebhookNotifier, AsyncWebhookNotifier):
        with pytest.raises(ValueError, match=rule):
            notifier(url)


def test_a_refused_url_is_named_without_its_credentials() -> None:
    """The error for a bad URL does not repeat its password or query string."""
    with pytest.raises(ValueError, match="url") as refused:
        WebhookNotifier("ftp://user:hunter2@hooks.example.com/x?token=abc")
    assert "hunter2" not in str(refused.value)
    assert "token=abc" not in str(refused.value)


@pytest.mark.parametrize(
    ("options", "error", "rule"),
    [
        ({"timeout": 0}, ValueError, "timeout must be a positive number"),
        ({"timeout": -1.5}, ValueError, "timeout must be a positive number"),
        ({"timeout": float("inf")}, ValueError, "timeout must be a positive number"),
        ({"timeout": float("nan")}, ValueError, "timeout must be a positive number"),
        ({"timeout": "10"}, TypeError, "timeout must be a number"),
        ({"timeout": True}, TypeError, "timeout must be a number"),
        ({"max_attempts": 0}, ValueError, "max_attempts must be at least 1"),
        ({"max_attempts": -3}, ValueError, "max_attempts must be at least 1"),
        ({"max_attempts": 2.0}, TypeError, "max_attempts must be an int"),
        ({"secret": ""}, ValueError, "secret must not be empty"),
        ({"secret": b""}, ValueError, "secret must not be empty"),
        ({"secret": 42}, TypeError, "secret must be str, bytes or None"),
    ],
)
def test_bad_settings_are_refused_with_a_clear_error(
    options: dict[str, Any], error: type[Exception], rule: str
) -> None:
    """A non-positive timeout or max_attempts, or an empty secret, is named at construction."""
    for notifier in (WebhookNotifier, AsyncWebhookNotifier):
        with pytest.raises(error, match=rule):
            notifier(URL, **options)


def test_the_post_carries_the_json_the_headers_and_the_signature() -> None:
    """post() builds the body from to_json() and signs exactly those bytes."""
    event = approved_event()
    request = post(hook(secret="s"), event)
    assert request.body == event.to_json().encode("utf-8")
    assert request.headers["X-Sentinel-Event"] == "request.approved"
    assert request.headers["X-Sentinel-Event-Id"] == event.event_id
    assert verify_signature(request.body, request.headers["X-Sentinel-Signature"], "s")
    assert "Authorization" not in request.headers


def test_an_event_id_that_cannot_be_a_header_is_refused_before_any_post() -> None:
    """A hand-built event whose id holds a line break or non-ASCII is a clear InvalidRequest."""
    for event_id in ("id/1\r\nX-Injected: yes", "id/é"):
        event = attrs.evolve(approved_event(), event_id=event_id)
        with pytest.raises(InvalidRequest, match="event_id: must be printable ASCII"):
            post(hook(), event)


def test_a_repr_shows_neither_the_secret_nor_the_credentials() -> None:
    """The Webhook, its POST and the notifiers print their target only."""
    secured = webhook(
        "https://user:hunter2@hooks.example.com/x?token=abc",
        secret="signing-key",
        timeout=1,
        max_attempts=1,
    )
    shown = " ".join(
        repr(thing)
        for thing in (
            secured,
            post(secured, approved_event()),
            WebhookNotifier("https://user:hunter2@hooks.example.com/x?token=abc"),
            AsyncWebhookNotifier("https://user:hunter2@hooks.example.com/x?token=abc"),
        )
    )
    for secret in ("hunter2", "token=abc", "signing-key", "user"):
        assert secret not in shown


def run(steps: Steps, *outcomes: Answered | Unreachable) -> list[float]:
    """Drive ``steps`` with ``outcomes``; return the waits before the second attempt on."""
    attempt = next(steps)
    waits: list[float] = []
    for outcome in outcomes:
        try:
            attempt = steps.send(outcome)
        except StopIteration:
            return waits
        waits.append(attempt.wait)
    raise AssertionError(f"attempt {attempt.number} asked for, no outcome left")


def test_a_transient_network_error_is_retried_and_a_lasting_one_is_not() -> None:
    """A refused connection is tried again; a refused certificate fails at once, chained."""
    request = post(hook(), approved_event())
    refused = Unreachable(ConnectionRefusedError("refused"), transient=True)
    assert run(attempts(hook(), request, lambda: 0.5), refused, Answered(204)) == [
        backoff(1, lambda: 0.5)
    ]
    certificate = Unreachable(OSError("certificate verify failed"), transient=False)
    with pytest.raises(NotificationFailed, match="not retried, after 1 attempt") as failed:
        run(attempts(hook(), request, lambda: 0.5), certificate)
    assert failed.value.__cause__ is certificate.error


def test_one_attempt_means_no_retry() -> None:
    """max_attempts=1 gives up after the first 503, whatever its Retry-After."""
    single = hook(max_attempts=1)
    with pytest.raises(NotificationFailed, match="gave up after 1 attempt\\)"):
        run(attempts(single, post(single, approved_event()), lambda: 0.5), Answered(503))
