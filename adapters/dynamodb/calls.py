"""The calls an operation makes and the answers it is sent: the shape shared by every driver."""

from __future__ import annotations

from collections.abc import Generator, Mapping
from typing import Any, TypeVar

import attrs

from .codec import Item

T = TypeVar("T")


@attrs.frozen
class Call:
    """One call to make: the boto3 client method and its parameters."""

    method: str
    params: dict[str, Any]


@attrs.frozen
class ConditionFailed:
    """DynamoDB refused a write's condition; ``old`` is the item it returned, if any."""

    old: Item | None


Answer = Mapping[str, Any] | ConditionFailed
"""What a driver sends back for a call: the parsed response, or the refused condition."""

Steps = Generator[Call, Answer, T]
"""An operation in progress: yields calls, is sent their answers, returns its result."""


def ask(call: Call) -> Steps[Mapping[str, Any]]:
    """Make a call that carries no condition, and return its response."""
    answer = yield call
    if isinstance(answer, ConditionFailed):
        raise TypeError(f"{call.method} has no condition to fail")
    return answer
