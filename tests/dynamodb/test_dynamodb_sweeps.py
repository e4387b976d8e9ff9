"""Two sweeps at once on DynamoDB, interleaved call by call.

Each operation is a generator of calls, so a test can stop one sweep between
its Query and its first UpdateItem, run a whole second sweep, and then let
the first go on: the interleaving threads on moto cannot be trusted to make.
"""

from datetime import timedelta
from typing import Any

from mypy_boto3_dynamodb import DynamoDBClient

from access_requests.adapters.dynamodb import DynamoDBRequestStore, operations
from access_requests.adapters.dynamodb.calls import Answer, Call, ConditionFailed
from access_requests.contract_tests import ManualClock, make_request
from access_requests.domain import RequestStatus


def answer(client: DynamoDBClient, call: Call) -> Answer:
    """Make one call as a store would, a refused condition answered, not raised."""
    try:
        response: Any = getattr(client, call.method)(**call.params)
    except client.exceptions.ConditionalCheckFailedException as error:
        return ConditionFailed(error.response.get("Item"))  # type: ignore[arg-type]
    return response  # type: ignore[no-any-return]


def test_a_sweep_overtaken_by_another_moves_nothing_twice(
    server_table: tuple[DynamoDBClient, str], clock: ManualClock
) -> None:
    """The second sweep moves all three; the first, resumed, finds them moved and counts 0."""
    client, name = server_table
    store = DynamoDBRequestStore(client, name, clock=clock)
    for _ in range(3):
        store.create(make_request(clock(), ttl=timedelta(minutes=5)))
    clock.advance(timedelta(hours=1))
    first = operations.expire_overdue(name, None, 1000, clock)
    call = next(first)
    assert call.method == "query"
    call = first.send(answer(client, call))
    assert call.method == "update_item"
    # Check the overtaking sweep moves every overdue request.
    assert store.expire_overdue() == 3
    # Check the first sweep, resumed with the same copies, counts none as its own.
    moved = None
    try:
        while True:
            call = first.send(answer(client, call))
    except StopIteration as done:
        moved = done.value
    assert moved == 0
    assert len(store.list_by_status(RequestStatus.EXPIRED)) == 3
