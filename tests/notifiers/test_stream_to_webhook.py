"""A stream batch through stream_handler and a WebhookNotifier to a real receiver."""

from stream_records import insert
from webhook_receiver import Reply, running_receiver

from access_requests.events import RequestEvent, WebhookNotifier, stream_handler

SECRET = "stream webhook secret"


def test_a_refused_delivery_reports_the_rest_of_the_batch_and_its_redelivery_arrives() -> None:
    """A 400 for the second event: records 2 and 3 are reported; their redelivery arrives."""
    batch = {"Records": [insert(1), insert(2), insert(3)]}
    with (
        running_receiver(SECRET) as receiver,
        WebhookNotifier(receiver.url, secret=SECRET, sleep=lambda _: None) as notifier,
    ):
        handler = stream_handler(notifier)
        receiver.script(Reply(200), Reply(400))
        # Check the partial batch response names the refused record and the one after it
        assert handler(batch, None) == {
            "batchItemFailures": [{"itemIdentifier": "2"}, {"itemIdentifier": "3"}]
        }
        # Check Lambda's redelivery of those two records reaches the receiver, in order
        assert handler({"Records": batch["Records"][1:]}, None) == {"batchItemFailures": []}
    received = [RequestEvent.from_json(delivery.body) for delivery in receiver.received]
    assert [event.request.id for event in received] == [f"{n:016x}" for n in (1, 2, 2, 3)]
    # Check every delivery was signed, and the retried one kept its event id
    assert all(delivery.signature_valid for delivery in receiver.received)
    ids = [delivery.headers["X-Sentinel-Event-Id"] for delivery in receiver.received]
    assert ids[1] == ids[2]
