"""The notifiers' public names, and what importing them needs."""

import asyncio
import subprocess
import sys
import textwrap

import boto3
from aiobotocore.session import get_session
from moto import mock_aws

from access_requests import AccessRequestError, events
from access_requests.events import (
    AsyncMultiNotifier,
    AsyncNotifier,
    AsyncSNSNotifier,
    AsyncWebhookNotifier,
    MultiNotifier,
    NotificationFailed,
    Notifier,
    SNSNotifier,
    WebhookNotifier,
)

TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:access-events"


def test_every_notifier_is_exported_from_access_requests_events() -> None:
    """The notifiers, the error and verify_signature are in the public module's __all__."""
    for name in (
        "SNSNotifier",
        "AsyncSNSNotifier",
        "WebhookNotifier",
        "AsyncWebhookNotifier",
        "MultiNotifier",
        "AsyncMultiNotifier",
        "NotificationFailed",
        "verify_signature",
    ):
        assert name in events.__all__
        assert getattr(events, name) is not None
    assert issubclass(NotificationFailed, AccessRequestError)


def test_the_notifiers_are_notifiers_to_a_type_checker() -> None:
    """Each sync notifier fits Notifier and each async one AsyncNotifier (checked by mypy)."""
    with mock_aws():
        sns = boto3.client("sns", region_name="us-east-1")
        sync: list[Notifier] = [
            SNSNotifier(sns, TOPIC_ARN),
            WebhookNotifier("https://hooks.example.com/access"),
        ]
        sync.append(MultiNotifier(*sync))

    async def build() -> list[AsyncNotifier]:
        async with get_session().create_client(
            "sns", region_name="us-east-1", endpoint_url="http://127.0.0.1:9"
        ) as client:
            made: list[AsyncNotifier] = [
                AsyncSNSNotifier(client, TOPIC_ARN),
                AsyncWebhookNotifier("https://hooks.example.com/access"),
            ]
            made.append(AsyncMultiNotifier(*made))
            return made

    assert len(sync) == 3
    assert len(asyncio.run(build())) == 3


def test_access_requests_events_imports_without_aiohttp() -> None:
    """Without the async extra, the package imports; aiohttp is needed only to post."""
    program = textwrap.dedent(
        """
        import sys
        sys.modules["aiohttp"] = None  # as if it were not installed
        from access_requests.events import AsyncWebhookNotifier, WebhookNotifier
        AsyncWebhookNotifier("https://hooks.example.com/access")
        WebhookNotifier("https://hooks.example.com/access")
        print("imported")
        """
    )
    finished = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=False
    )
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.strip() == "imported"
