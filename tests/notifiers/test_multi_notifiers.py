"""MultiNotifier and AsyncMultiNotifier: every notifier tried, one error naming each failure."""

import asyncio
import pickle
import traceback

import pytest
from notifier_events import created_event
from webhook_receiver import closed_port_url, running_receiver

from access_requests.adapters.events.async_webhook import AsyncWebhookNotifier
from access_requests.adapters.events.failure import NotificationFailed
from access_requests.adapters.events.multi import AsyncMultiNotifier, MultiNotifier
from access_requests.adapters.events.payload import RequestEvent
from access_requests.adapters.events.webhook import WebhookNotifier

SECRET = "multi signing secret"


class Inbox:
    """A notifier that keeps what it is given."""

    target = "the inbox"

    def __init__(self) -> None:
        self.events: list[RequestEvent] = []

    def notify(self, event: RequestEvent) -> None:
        self.events.append(event)


class AsyncInbox(Inbox):
    """An async notifier that keeps what it is given."""

    async def notify(self, event: RequestEvent) -> None:  # type: ignore[override]
        self.events.append(event)


class Broken:
    """A third-party notifier that raises its own error, and holds a secret in its repr."""

    def __repr__(self) -> str:
        return "Broken(password='hunter2')"

    def notify(self, event: RequestEvent) -> None:
        raise RuntimeError("queue is full")


def unreachable_url() -> str:
    """A webhook URL with credentials and a token, where nothing listens."""
    return closed_port_url().replace("http://", "http://ops:hunter2@") + "?token=s3cret"


def test_a_failing_notifier_does_not_keep_the_event_from_the_others() -> None:
    """The first notifier fails; the ones after it still get the event; the error names it."""
    first, last = Inbox(), Inbox()
    down = WebhookNotifier(unreachable_url(), secret=SECRET, max_attempts=1)
    event = created_event()
    with pytest.raises(NotificationFailed) as failed:
        MultiNotifier(first, down, Broken(), last).notify(event)
    # Check every notifier was tried
    assert first.events == [event]
    assert last.events == [event]
    # Check the one error names both failures, by target, with their reasons
    assert failed.value.target == f"{down.target}, Broken"
    message = str(failed.value)
    assert "2 of 4 notifiers failed" in message
    assert "Broken: RuntimeError: queue is full" in message
    assert "NewConnectionError" in message
    # Check each notifier's own error is chained, in order
    cause = failed.value.__cause__
    assert isinstance(cause, ExceptionGroup)
    assert [type(error) for error in cause.exceptions] == [NotificationFailed, RuntimeError]


def test_no_failure_message_or_traceback_carries_credentials() -> None:
    """Neither the message nor the whole chained traceback shows a password, token or secret."""
    down = WebhookNotifier(
        unreachable_url(), secret=SECRET, max_attempts=2, sleep=lambda _: None
    )
    with pytest.raises(NotificationFailed) as failed:
        MultiNotifier(down, Broken()).notify(created_event())
    shown = "".join(traceback.format_exception(failed.value))
    for secret in ("hunter2", "ops:", "s3cret", "token=", SECRET):
        assert secret not in shown


def test_a_notification_failure_pickles_with_its_target_and_reason() -> None:
    """NotificationFailed crosses process boundaries like the library's other errors."""
    error = NotificationFailed("http://127.0.0.1:1/hook", "HTTP 500")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.target, copy.reason, str(copy)) == (error.target, error.reason, str(error))


def test_when_all_succeed_nothing_is_raised() -> None:
    """Every notifier delivers: notify returns, each got the event once."""
    inboxes = [Inbox(), Inbox()]
    event = created_event()
    MultiNotifier(*inboxes).notify(event)
    assert [inbox.events for inbox in inboxes] == [[event], [event]]


def test_a_multi_notifier_needs_notifiers() -> None:
    """No notifier at all, or something without notify(), is refused at construction."""
    with pytest.raises(ValueError, match="at least one notifier"):
        MultiNotifier()
    with pytest.raises(TypeError, match="must have a notify"):
        MultiNotifier(Inbox(), "https://hooks.example.com")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least one notifier"):
        AsyncMultiNotifier()


def test_the_async_multi_notifier_tries_all_at_once() -> None:
    """A real receiver gets the event, though the other webhook is down; the error names it."""
    event = created_event()
    inbox = AsyncInbox()

    async def notify() -> None:
        async with (
            AsyncWebhookNotifier(receiver.url, secret=SECRET) as up,
            AsyncWebhookNotifier(unreachable_url(), secret=SECRET, max_attempts=1) as down,
        ):
            await AsyncMultiNotifier(down, up, inbox).notify(event)

    with running_receiver(SECRET) as receiver, pytest.raises(NotificationFailed) as failed:
        asyncio.run(notify())
    # Check the receiver and the inbox got the event, its signature verified
    assert [delivery.signature_valid for delivery in receiver.received] == [True]
    assert inbox.events == [event]
    # Check only the webhook that was down is named, without its credentials
    assert "1 of 3 notifiers failed" in str(failed.value)
    assert failed.value.target.startswith("http://127.0.0.1:")
    assert "hunter2" not in str(failed.value)
