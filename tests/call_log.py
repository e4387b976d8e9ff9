"""Botocore event hooks that watch, or change, what a test client sends and sees."""

from collections.abc import Callable
from typing import Any

import pytest
from mypy_boto3_dynamodb import DynamoDBClient


class CallLog:
    """Records the operation of every request a client sends."""

    def __init__(self, client: DynamoDBClient) -> None:
        self.operations: list[str] = []
        client.meta.events.register_first("before-send.dynamodb", self._record)

    def _record(self, event_name: str, **_: Any) -> None:
        self.operations.append(event_name.rsplit(".", 1)[-1])

    def during(self, action: Callable[[], object], raises: type[Exception] | None) -> list[str]:
        """Run ``action`` (expecting ``raises``, if given) and return what it sent."""
        start = len(self.operations)
        if raises is None:
            action()
        else:
            with pytest.raises(raises):
                action()
        return self.operations[start:]


def strip_old_items(client: DynamoDBClient) -> None:
    """Make the client see failed conditions without the old item, as some backends do."""

    def strip(parsed: dict[str, Any], **_: Any) -> None:
        if parsed.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
            parsed.pop("Item", None)

    client.meta.events.register("after-call.dynamodb", strip)
