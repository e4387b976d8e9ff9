"""SNSNotifier and AsyncSNSNotifier: publish each event to an SNS topic.

``publish_parameters`` builds the Publish call and ``_TopicNotifier`` holds
the rest of what both notifiers share; the sync one makes the call with a
boto3 client, the async one awaits it on an aiobotocore client. Retries are
the client's own, as its owner configured them; a call that still fails
raises NotificationFailed.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from botocore.exceptions import BotoCoreError, ClientError

from .failure import NotificationFailed
from .payload import RequestEvent

if TYPE_CHECKING:
    from mypy_boto3_sns import SNSClient
    from types_aiobotocore_sns import SNSClient as AsyncSNSClient

# arn:<partition>:sns:<region>:<account>:<topic>, the topic 1 to 256 letters,
# digits, hyphens and underscores, with ".fifo" at the end of a FIFO topic's.
_TOPIC_ARN = re.compile(r"arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?")
# SNS takes a deduplication id of 1 to 128 characters among ASCII letters,
# digits and punctuation: printable ASCII but the space.
_DEDUPLICATION_ID = re.compile(r"[!-~]{1,128}")
_CLIENT_FAILURES = (ClientError, BotoCoreError)

_Client = TypeVar("_Client")


def require_sns_client(client: object, expected: str) -> None:
    """Raise TypeError unless ``client`` is an SNS client; ``expected`` names the kind."""
    model = getattr(getattr(client, "meta", None), "service_model", None)
    if getattr(model, "service_name", None) != "sns":
        raise TypeError(f"client must be {expected}, got {type(client).__name__}")


def require_topic_arn(topic_arn: object) -> str:
    """Return ``topic_arn`` if it is an SNS topic's ARN, else raise ValueError."""
    if not isinstance(topic_arn, str) or not _TOPIC_ARN.fullmatch(topic_arn):
        raise ValueError(
            "topic_arn must be an SNS topic ARN"
            f" (arn:aws:sns:<region>:<account>:<topic>), got {topic_arn!r}"
        )
    return topic_arn


def is_fifo(topic_arn: str) -> bool:
    """Tell whether the topic is a FIFO topic (its name ends in ``.fifo``)."""
    return topic_arn.endswith(".fifo")


def deduplication_id(event_id: str) -> str:
    """Return the FIFO deduplication id for an event: its event_id, if SNS takes it as one.

    An event_id is ``<16 hex digits>/<updated_at>``, well inside SNS's limits;
    one that is not (too long, or with characters SNS refuses) is replaced by
    its SHA-256 in hex, which is as unique and always accepted.
    """
    if _DEDUPLICATION_ID.fullmatch(event_id):
        return event_id
    return hashlib.sha256(event_id.encode("utf-8", "surrogatepass")).hexdigest()


def publish_parameters(topic_arn: str, event: RequestEvent) -> dict[str, Any]:
    """Return the parameters of the SNS Publish call that delivers ``event``.

    The message is the event's JSON; the attributes are ``event_type`` (the
    Go system's, for subscription filters) and ``event_id``. On a FIFO topic,
    each request is its own message group (its events arrive in order) and
    redeliveries of one change within SNS's five-minute window are dropped.
    """
    parameters: dict[str, Any] = {
        "TopicArn": topic_arn,
        "Message": event.to_json(),
        "MessageAttributes": {
            "event_type": {"DataType": "String", "StringValue": event.type.value},
            "event_id": {"DataType": "String", "StringValue": event.event_id},
        },
    }
    if is_fifo(topic_arn):
        parameters["MessageGroupId"] = event.request.id
        parameters["MessageDeduplicationId"] = deduplication_id(event.event_id)
    return parameters


def topic_target(topic_arn: str) -> str:
    """Name the topic as NotificationFailed does."""
    return f"SNS topic {topic_arn}"


class _TopicNotifier(Generic[_Client]):
    """What both SNS notifiers share: the client and topic, checked once, and their failures."""

    def __init__(self, client: _Client, topic_arn: str, *, expected: str) -> None:
        require_sns_client(client, expected)
        self._client = client
        self._topic_arn = require_topic_arn(topic_arn)

    @property
    def target(self) -> str:
        """The topic as errors name it."""
        return topic_target(self._topic_arn)

    @contextlib.contextmanager
    def _publishing(self) -> Iterator[None]:
        """Turn what the client raises into NotificationFailed, the error chained."""
        try:
            yield
        except _CLIENT_FAILURES as error:
            raise NotificationFailed(
                topic_target(self._topic_arn), f"{type(error).__name__}: {error}"
            ) from error


class SNSNotifier(_TopicNotifier["SNSClient"]):
    """A Notifier that publishes each event to an SNS topic, standard or FIFO.

    Args:
        client: A boto3 SNS client; its owner chooses region, credentials,
            endpoint and retries.
        topic_arn: The topic's ARN.

    Raises:
        TypeError: ``client`` is not an SNS client.
        ValueError: ``topic_arn`` is not an SNS topic ARN.
    """

    def __init__(self, client: SNSClient, topic_arn: str) -> None:
        super().__init__(
            client, topic_arn, expected="a boto3 SNS client, as from boto3.client('sns')"
        )

    def __repr__(self) -> str:
        return f"SNSNotifier({self._topic_arn!r})"

    def notify(self, event: RequestEvent) -> None:
        """Publish ``event``.

        Raises:
            NotificationFailed: SNS refused it, or could not be reached.
        """
        with self._publishing():
            self._client.publish(**publish_parameters(self._topic_arn, event))


class AsyncSNSNotifier(_TopicNotifier["AsyncSNSClient"]):
    """An AsyncNotifier that publishes each event to an SNS topic, as SNSNotifier does.

    Args:
        client: An aiobotocore SNS client, already entered; its owner closes it.
        topic_arn: The topic's ARN.

    Raises:
        TypeError: ``client`` is not an SNS client.
        ValueError: ``topic_arn`` is not an SNS topic ARN.
    """

    def __init__(self, client: AsyncSNSClient, topic_arn: str) -> None:
        super().__init__(
            client,
            topic_arn,
            expected="an aiobotocore SNS client, as from"
            " `async with get_session().create_client('sns') as client`",
        )

    def __repr__(self) -> str:
        return f"AsyncSNSNotifier({self._topic_arn!r})"

    async def notify(self, event: RequestEvent) -> None:
        """Publish ``event``.

        Raises:
            NotificationFailed: SNS refused it, or could not be reached.
        """
        with self._publishing():
            await self._client.publish(**publish_parameters(self._topic_arn, event))
