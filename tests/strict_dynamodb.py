"""What real DynamoDB refuses and moto lets through, checked on every test call.

Real DynamoDB rejects a call whose ExpressionAttributeNames or
ExpressionAttributeValues hold a placeholder no expression uses, or whose
expressions use one that is not defined. The store must also never put a
name or a value into an expression string. ``strict`` registers a check of
both on a client, so every call the tests make is held to it.
"""

import re
from typing import Any

from mypy_boto3_dynamodb import DynamoDBClient

EXPRESSIONS = (
    "KeyConditionExpression",
    "FilterExpression",
    "ConditionExpression",
    "UpdateExpression",
    "ProjectionExpression",
)
_NAME = re.compile(r"#[A-Za-z0-9_]+")
_VALUE = re.compile(r":[A-Za-z0-9_]+")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SYNTAX = frozenset(
    {
        "AND",
        "OR",
        "NOT",
        "SET",
        "REMOVE",
        "BETWEEN",
        "IN",
        "attribute_exists",
        "attribute_not_exists",
        "attribute_type",
        "begins_with",
        "contains",
        "size",
        "if_not_exists",
    }
)


class RefusedByDynamoDB(AssertionError):
    """A call that real DynamoDB would refuse with a ValidationException."""


def check_expressions(params: dict[str, Any], **_: Any) -> None:
    """Raise RefusedByDynamoDB if ``params`` break DynamoDB's placeholder rules."""
    text = " ".join(params.get(name, "") for name in EXPRESSIONS)
    names = set(params.get("ExpressionAttributeNames", {}))
    values = set(params.get("ExpressionAttributeValues", {}))
    used_names = set(_NAME.findall(text))
    used_values = set(_VALUE.findall(text))
    if names != used_names:
        raise RefusedByDynamoDB(
            f"names defined {sorted(names)} but used {sorted(used_names)} in {text!r}"
        )
    if values != used_values:
        raise RefusedByDynamoDB(
            f"values defined {sorted(values)} but used {sorted(used_values)} in {text!r}"
        )
    bare = set(_WORD.findall(_VALUE.sub(" ", _NAME.sub(" ", text)))) - _SYNTAX
    if bare:
        raise RefusedByDynamoDB(f"{sorted(bare)} written into the expression {text!r}")


def strict(client: DynamoDBClient) -> DynamoDBClient:
    """Make ``client`` check every call as real DynamoDB would, and return it."""
    client.meta.events.register("before-parameter-build.dynamodb.*", check_expressions)
    return client
