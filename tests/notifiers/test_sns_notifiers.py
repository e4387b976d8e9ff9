"""SNSNotifier and AsyncSNSNotifier through moto, to an SQS queue subscribed to the topic.

The sync notifier runs on moto in process (``mock_aws``); the async one, on
aiobotocore, on the moto server over HTTP. Subscriptions use raw message
delivery, so the queue holds exactly what was published, except one case
that reads SNS's JSON envelope.
"""

import asyncio
import hashlib
import json
from collections.abc import Iterator

import attrs
import boto3
import pytest
from aiobotocore.session import get_session
from conftest import REGION
from moto import mock_aws
from mypy_boto3_sns import SNSClient
from mypy_boto3_sqs import SQSClient
from mypy_boto3_sqs.type_defs import MessageTypeDef
from notifier_events import approved_event, created_event

from access_requests.adapters.events.failure import NotificationFailed
from access_requests.adapters.events.payload import RequestEvent
from access_requests.adapters.events.sns import (
    AsyncSNSNotifier,
    SNSNotifier,
    deduplication_id,
    publish_parameters,
)

STANDARD_ARN = "arn:aws:sns:us-east-1:123456789012:access-events"
FIFO_ARN = "arn:aws:sns:us-east-1:123456789012:access-events.fifo"


@attrs.frozen
class Subscribed:
    """A topic and the queue subscribed to it."""

    sns: SNSClient
    sqs: SQSClient
    topic_arn: str
    queue_url: str

    def messages(self) -> list[MessageTypeDef]:
        """Every message the queue holds now, with all their attributes."""
        answer = self.sqs.receive_message(
            QueueUrl=self.queue_url,
            MaxNumberOfMessages=10,
            MessageAttributeNames=["All"],
            MessageSystemAttributeNames=["All"],
        )
        return list(answer.get("Messages", []))


def subscribe(sns: SNSClient, sqs: SQSClient, *, fifo: bool, raw: bool = True) -> Subscribed:
    """Make a topic and a queue, standard or FIFO, and subscribe the queue to the topic."""
    suffix = ".fifo" if fifo else ""
    fifo_attributes = {"FifoTopic": "true"} if fifo else {}
    topic_arn = sns.create_topic(Name=f"access-events{suffix}", Attributes=fifo_attributes)[
        "TopicArn"
    ]
    queue_url = sqs.create_queue(
        QueueName=f"approvers{suffix}", Attributes={"FifoQueue": "true"} if fifo else {}
    )["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    sns.subscribe(
        TopicArn=topic_arn,
        Protocol="sqs",
        Endpoint=queue_arn,
        Attributes={"RawMessageDelivery": "true" if raw else "false"},
    )
    return Subscribed(sns, sqs, topic_arn, queue_url)


@pytest.fixture
def aws() -> Iterator[tuple[SNSClient, SQSClient]]:
    """SNS and SQS clients on moto in process."""
    with mock_aws():
        yield boto3.client("sns", region_name=REGION), boto3.client("sqs", region_name=REGION)


def string_attributes(message: MessageTypeDef) -> dict[str, str]:
    """The message attributes an SQS message carries, as name to string value."""
    return {
        name: value["StringValue"]
        for name, value in message.get("MessageAttributes", {}).items()
    }


def test_a_standard_topic_gets_the_json_and_the_two_attributes(
    aws: tuple[SNSClient, SQSClient],
) -> None:
    """The queue receives exactly to_json(), with event_type and event_id as attributes."""
    subscribed = subscribe(*aws, fifo=False)
    event = approved_event()
    SNSNotifier(subscribed.sns, subscribed.topic_arn).notify(event)
    [message] = subscribed.messages()
    # Check the body is the event's JSON, byte for byte
    assert message["Body"].encode("utf-8") == event.to_json().encode("utf-8")
    # Check the attributes: event_type as the Go system sets it, and event_id
    assert string_attributes(message) == {
        "event_type": "request.approved",
        "event_id": event.event_id,
    }
    assert {value["DataType"] for value in message["MessageAttributes"].values()} == {"String"}
    # Check a standard topic sets no FIFO ids
    assert "MessageGroupId" not in message["Attributes"]


def test_a_fifo_topic_groups_by_request_and_deduplicates_by_event_id(
    aws: tuple[SNSClient, SQSClient],
) -> None:
    """On a .fifo topic: group id = the request id, deduplication id = the event id."""
    subscribed = subscribe(*aws, fifo=True)
    notifier = SNSNotifier(subscribed.sns, subscribed.topic_arn)
    event = created_event()
    notifier.notify(event)
    # Check a redelivery of the same change is dropped by SNS's deduplication
    notifier.notify(event)
    [message] = subscribed.messages()
    assert message["Body"] == event.to_json()
    assert message["Attributes"]["MessageGroupId"] == event.request.id
    assert message["Attributes"]["MessageDeduplicationId"] == event.event_id
    assert string_attributes(message)["event_id"] == event.event_id


def test_the_sns_envelope_carries_the_json_and_attributes_too(
    aws: tuple[SNSClient, SQSClient],
) -> None:
    """Without raw delivery, SNS's JSON envelope holds the same message and attributes."""
    subscribed = subscribe(*aws, fifo=False, raw=False)
    event = created_event()
    SNSNotifier(subscribed.sns, subscribed.topic_arn).notify(event)
    [message] = subscribed.messages()
    envelope = json.loads(message["Body"])
    assert envelope["Message"] == event.to_json()
    assert envelope["MessageAttributes"]["event_type"] == {
        "Type": "String",
        "Value": "request.created",
    }
    assert envelope["MessageAttributes"]["event_id"]["Value"] == event.event_id


def test_a_topic_that_does_not_exist_fails_naming_it(
    aws: tuple[SNSClient, SQSClient],
) -> None:
    """SNS's refusal becomes NotificationFailed naming the topic, botocore's error chained."""
    sns, _ = aws
    with pytest.raises(NotificationFailed, match="SNS topic arn:aws:sns:") as failed:
        SNSNotifier(sns, STANDARD_ARN).notify(created_event())
    assert failed.value.target == f"SNS topic {STANDARD_ARN}"
    assert type(failed.value.__cause__).__name__ == "NotFoundException"


@pytest.mark.parametrize(
    "arn",
    [
        "",
        "access-events",
        "arn:aws:sqs:us-east-1:123456789012:access-events",
        "arn:aws:sns:us-east-1:12345:access-events",
        "arn:aws:sns:us-east-1:123456789012:",
        "arn:aws:sns:us-east-1:123456789012:access events",
        "arn:aws:sns:us-east-1:123456789012:" + "a" * 257,
        "https://sns.us-east-1.amazonaws.com/",
    ],
)
def test_a_topic_arn_that_is_not_an_sns_arn_is_refused(arn: str) -> None:
    """Both notifiers refuse an ARN that names no SNS topic, before any call."""
    with pytest.raises(ValueError, match="topic_arn must be an SNS topic ARN"):
        SNSNotifier(boto3.client("sns", region_name=REGION), arn)

    async def build() -> None:
        async with get_session().create_client("sns", region_name=REGION) as client:
            AsyncSNSNotifier(client, arn)

    with pytest.raises(ValueError, match="topic_arn must be an SNS topic ARN"):
        asyncio.run(build())


def test_a_client_of_another_service_is_refused() -> None:
    """A DynamoDB client, or no client, is named as the mistake it is."""
    with pytest.raises(TypeError, match=r"a boto3 SNS client.*got DynamoDB"):
        SNSNotifier(boto3.client("dynamodb", region_name=REGION), STANDARD_ARN)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"an aiobotocore SNS client, .* got NoneType"):
        AsyncSNSNotifier(None, STANDARD_ARN)  # type: ignore[arg-type]


def test_partitions_other_than_aws_are_accepted() -> None:
    """GovCloud and China topic ARNs are SNS ARNs too."""
    client = boto3.client("sns", region_name=REGION)
    for arn in (
        "arn:aws-us-gov:sns:us-gov-west-1:123456789012:access-events",
        "arn:aws-cn:sns:cn-north-1:123456789012:access-events.fifo",
    ):
        assert SNSNotifier(client, arn).target == f"SNS topic {arn}"


def test_publish_parameters_for_a_standard_and_a_fifo_topic() -> None:
    """The one Publish call both notifiers make; FIFO ids only on a .fifo topic."""
    event = approved_event()
    standard = publish_parameters(STANDARD_ARN, event)
    assert standard == {
        "TopicArn": STANDARD_ARN,
        "Message": event.to_json(),
        "MessageAttributes": {
            "event_type": {"DataType": "String", "StringValue": "request.approved"},
            "event_id": {"DataType": "String", "StringValue": event.event_id},
        },
    }
    fifo = publish_parameters(FIFO_ARN, event)
    assert fifo == standard | {
        "TopicArn": FIFO_ARN,
        "MessageGroupId": event.request.id,
        "MessageDeduplicationId": event.event_id,
    }


@pytest.mark.parametrize(
    "event_id",
    ["0123456789abcdef/" + "9" * 112, "0123456789abcdef/2026-01-15 03:53:45Z", "id/é"],
)
def test_an_event_id_sns_would_refuse_becomes_its_sha256(event_id: str) -> None:
    """Over 128 characters, or with a space or non-ASCII: its hex SHA-256, which SNS takes."""
    derived = deduplication_id(event_id)
    assert derived == hashlib.sha256(event_id.encode()).hexdigest()
    assert len(derived) <= 128


def test_an_event_id_at_128_characters_is_kept() -> None:
    """An event id SNS takes is the deduplication id itself, readable in SNS's console."""
    event_id = "0123456789abcdef/" + "9" * 111
    assert len(event_id) == 128
    assert deduplication_id(event_id) == event_id


def test_the_async_notifier_publishes_the_same_messages(moto_server: str) -> None:
    """AsyncSNSNotifier over aiobotocore: the same body, attributes and FIFO ids."""
    sns = boto3.client("sns", region_name=REGION, endpoint_url=moto_server)
    sqs = boto3.client("sqs", region_name=REGION, endpoint_url=moto_server)
    subscribed = subscribe(sns, sqs, fifo=True)
    event = approved_event()

    async def publish(event: RequestEvent) -> None:
        async with get_session().create_client(
            "sns", region_name=REGION, endpoint_url=moto_server
        ) as client:
            await AsyncSNSNotifier(client, subscribed.topic_arn).notify(event)

    asyncio.run(publish(event))
    [message] = subscribed.messages()
    # Check the queue got what the sync notifier would have published
    assert message["Body"] == event.to_json()
    assert string_attributes(message) == {
        "event_type": "request.approved",
        "event_id": event.event_id,
    }
    assert message["Attributes"]["MessageGroupId"] == event.request.id
    assert message["Attributes"]["MessageDeduplicationId"] == event.event_id


def test_the_async_notifier_fails_naming_the_topic(moto_server: str) -> None:
    """A topic that does not exist: NotificationFailed from the async notifier too."""

    async def publish() -> None:
        async with get_session().create_client(
            "sns", region_name=REGION, endpoint_url=moto_server
        ) as client:
            await AsyncSNSNotifier(client, STANDARD_ARN + "-missing").notify(created_event())

    with pytest.raises(NotificationFailed, match="access-events-missing"):
        asyncio.run(publish())
