"""One structured record per store operation, with its outcome; a span, with OpenTelemetry."""

import json
import logging
from collections.abc import Iterator

import pytest
from conftest import recommended_test_client
from fault_injection import THROTTLING, Plan, inject, skip_backoff_sleeps
from mypy_boto3_dynamodb import DynamoDBClient
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode

from access_requests.adapters.dynamodb import DynamoDBRequestStore
from access_requests.adapters.dynamodb.operation_log import FIELDS
from access_requests.contract_tests import ManualClock, make_request
from access_requests.ports import RequestNotFound, StoreUnavailable


class JsonFormatter(logging.Formatter):
    """What a service's JSON log formatter does: the message and every field it knows of."""

    def format(self, record: logging.LogRecord) -> str:
        fields = {name: getattr(record, name) for name in FIELDS if hasattr(record, name)}
        return json.dumps({"message": record.getMessage(), **fields})


@pytest.fixture
def json_log() -> Iterator[list[str]]:
    """The library's records at INFO, each formatted as one JSON document."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Collect()
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("access_requests")
    saved = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield lines
    logger.removeHandler(handler)
    logger.setLevel(saved)


def test_each_operation_logs_its_outcome_as_fields(
    server_store: DynamoDBRequestStore, clock: ManualClock, json_log: list[str]
) -> None:
    """A create that succeeds and a get that finds nothing differ by outcome, not by shape."""
    request = make_request(clock())
    server_store.create(request)
    with pytest.raises(RequestNotFound):
        server_store.get("0123456789abcdef")
    server_store.list_pending()
    created, missing, listed = (json.loads(line) for line in json_log)
    # Check the success
    assert created["outcome"] == "ok"
    assert (created["operation"], created["request_id"], created["calls"]) == (
        "create",
        request.id,
        1,
    )
    assert created["table"] == server_store.table_name
    assert created["duration_ms"] >= 0
    # Check the failure names its error's class, and the id asked for
    assert missing["outcome"] == "RequestNotFound"
    assert (missing["request_id"], missing["calls"], missing["retries"]) == (
        "0123456789abcdef",
        1,
        0,
    )
    table = server_store.table_name
    assert missing["message"].startswith(
        f"get on table {table} (request 0123456789abcdef): RequestNotFound in "
    )
    assert missing["message"].endswith(" ms, 1 call, 0 retries")
    # Check a listing has no request id
    assert (listed["operation"], listed["request_id"], listed["outcome"]) == (
        "list_pending",
        None,
        "ok",
    )


def test_a_failure_after_retries_logs_them(
    moto_server: str,
    server_table: tuple[DynamoDBClient, str],
    json_log: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Throttled on every attempt: StoreUnavailable, one call, four retries."""
    skip_backoff_sleeps(monkeypatch)
    client = recommended_test_client(moto_server)
    inject(client, "GetItem", THROTTLING, Plan())
    store = DynamoDBRequestStore(client, server_table[1])
    with pytest.raises(StoreUnavailable):
        store.get("0123456789abcdef")
    [record] = (json.loads(line) for line in json_log)
    assert (record["outcome"], record["calls"], record["retries"]) == ("StoreUnavailable", 1, 4)
    assert record["message"].endswith(" ms, 1 call, 4 retries")


@pytest.fixture(scope="module")
def spans() -> InMemorySpanExporter:
    """Every span ended while the module runs, through OpenTelemetry's SDK."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    return exporter


def test_each_operation_is_a_span_with_the_same_fields(
    server_store: DynamoDBRequestStore, clock: ManualClock, spans: InMemorySpanExporter
) -> None:
    """With a tracer provider set, a span per operation; a failed one has status ERROR."""
    spans.clear()
    request = make_request(clock())
    server_store.create(request)
    with pytest.raises(RequestNotFound):
        server_store.get("0123456789abcdef")
    created, missing = spans.get_finished_spans()
    assert created.name == "access_requests.create"
    assert created.kind is trace.SpanKind.CLIENT
    assert created.attributes is not None
    assert missing.attributes is not None
    assert created.attributes["access_requests.outcome"] == "ok"
    assert created.attributes["access_requests.request_id"] == request.id
    assert created.attributes["db.system"] == "dynamodb"
    assert missing.attributes["access_requests.outcome"] == "RequestNotFound"
    assert missing.attributes["access_requests.calls"] == 1
    assert missing.status.status_code is StatusCode.ERROR
    assert [event.name for event in missing.events] == ["exception"]
