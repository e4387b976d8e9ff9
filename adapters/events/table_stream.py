"""Reading a table's events straight from its DynamoDB stream, without Lambda.

For a person watching a table (``access-requests events tail``) and for
tests; a service that acts on events deploys ``stream_handler`` instead,
which Lambda feeds with checkpoints and retries. Shards are read parents
first, so each request's events come in the order they were written.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from ...domain import AccessRequestError
from ...ports import CorruptItem
from ..dynamodb.errors import translate
from ..dynamodb.schema import stream_problems
from .payload import RequestEvent
from .stream import event_from_record

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodbstreams import DynamoDBStreamsClient

logger = logging.getLogger("access_requests")

RECORDS_PER_CALL = 1000
"""GetRecords' largest Limit."""


class StreamNotEnabled(AccessRequestError):
    """The table has no stream that events can be read from.

    Attributes:
        table: The table.
        reason: What is wrong with its stream.
    """

    def __init__(self, table: str, reason: str) -> None:
        super().__init__(
            f"table {table!r}: {reason} (create_table enables it;"
            " verify_table(..., events=True) checks it)"
        )
        self.table = table
        self.reason = reason


def table_stream_arn(client: DynamoDBClient, table_name: str) -> str:
    """Return the ARN of the table's stream.

    Raises:
        StreamNotEnabled: The stream is off, or does not carry both images.
        TableNotFound: There is no such table.
        StoreUnavailable: DynamoDB failed.
    """
    try:
        table = client.describe_table(TableName=table_name)["Table"]
    except (ClientError, BotoCoreError) as error:
        raise translate(error, "events", table_name) from error
    problems = stream_problems(table)
    if problems:
        raise StreamNotEnabled(table_name, problems[0])
    return table["LatestStreamArn"]


def read_events(
    streams: DynamoDBStreamsClient,
    stream_arn: str,
    *,
    follow: bool = False,
    poll_seconds: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[RequestEvent]:
    """Yield the events of every record the stream holds, from its oldest on.

    A record that is not a request is logged and skipped, as the stream
    handler skips it.

    Args:
        streams: A boto3 ``dynamodbstreams`` client.
        stream_arn: The stream, as ``table_stream_arn`` names it.
        follow: Keep reading new records as they come, until interrupted;
            otherwise stop once every shard has been read to its present end.
        poll_seconds: How long to wait, when following, before asking again.
        sleep: How to wait.
    """
    reader = _ShardReader(streams, stream_arn)
    while True:
        read_any = False
        for shard in reader.ready_shards():
            for record in reader.records(shard):
                read_any = True
                try:
                    event = event_from_record(record)
                except CorruptItem as error:
                    logger.error("skipped stream record: %s", error)
                    continue
                if event is not None:
                    yield event
        if not read_any and not follow:
            return
        if not read_any:
            sleep(poll_seconds)


class _ShardReader:
    """Where each shard of one stream has been read to."""

    def __init__(self, streams: DynamoDBStreamsClient, stream_arn: str) -> None:
        self._streams = streams
        self._arn = stream_arn
        # arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>
        self._table = stream_arn.partition(":table/")[2].partition("/")[0] or stream_arn
        self._closed: set[str] = set()  # shards read to their end
        self._next: dict[str, str] = {}  # shard id -> the iterator after what was read

    def ready_shards(self) -> list[str]:
        """The shards to read now: open ones whose parent, if still listed, is read."""
        shards = self._describe_shards()
        known = {shard["ShardId"] for shard in shards}
        return [
            shard["ShardId"]
            for shard in shards
            if shard["ShardId"] not in self._closed
            and (
                shard.get("ParentShardId") not in known
                or shard["ParentShardId"] in self._closed
            )
        ]

    def records(self, shard: str) -> Iterator[Mapping[str, Any]]:
        """Yield the shard's records after what was read, up to its present end."""
        iterator: str | None = self._next.pop(shard, None) or self._first_iterator(shard)
        while iterator is not None:
            response = self._ask(
                self._streams.get_records, ShardIterator=iterator, Limit=RECORDS_PER_CALL
            )
            records = response.get("Records", [])
            yield from records
            iterator = response.get("NextShardIterator")
            if not records:
                break
        if iterator is None:
            self._closed.add(shard)
        else:
            self._next[shard] = iterator

    def _first_iterator(self, shard: str) -> str:
        response = self._ask(
            self._streams.get_shard_iterator,
            StreamArn=self._arn,
            ShardId=shard,
            ShardIteratorType="TRIM_HORIZON",
        )
        return str(response["ShardIterator"])

    def _ask(self, method: Callable[..., Any], **params: Any) -> Any:
        """Make one call of the streams API; its failures become the port's errors."""
        try:
            return method(**params)
        except (ClientError, BotoCoreError) as error:
            raise translate(error, "read_events", self._table) from error

    def _describe_shards(self) -> list[Mapping[str, Any]]:
        shards: list[Mapping[str, Any]] = []
        start: dict[str, str] = {}
        while True:
            answer = self._ask(self._streams.describe_stream, StreamArn=self._arn, **start)
            description = answer["StreamDescription"]
            shards += description.get("Shards", [])
            last = description.get("LastEvaluatedShardId")
            if not last:
                return shards
            start = {"ExclusiveStartShardId": last}
