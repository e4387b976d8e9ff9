"""The check that holds test calls to real DynamoDB's rules refuses what DynamoDB refuses."""

import pytest
from strict_dynamodb import RefusedByDynamoDB, check_expressions


def test_an_unused_value_is_refused() -> None:
    """moto accepts an unused ExpressionAttributeValues entry; DynamoDB does not."""
    with pytest.raises(RefusedByDynamoDB, match="values defined"):
        check_expressions(
            {
                "KeyConditionExpression": "#k = :k",
                "ExpressionAttributeNames": {"#k": "requester"},
                "ExpressionAttributeValues": {":k": {"S": "a"}, ":unused": {"S": "b"}},
            }
        )


def test_an_unused_name_is_refused() -> None:
    """An ExpressionAttributeNames entry no expression uses is refused."""
    with pytest.raises(RefusedByDynamoDB, match="names defined"):
        check_expressions(
            {
                "ConditionExpression": "attribute_not_exists(#id)",
                "ExpressionAttributeNames": {"#id": "id", "#ttl": "ttl"},
            }
        )


def test_a_name_written_into_the_expression_is_refused() -> None:
    """Attribute names go through placeholders, never into the expression itself."""
    with pytest.raises(RefusedByDynamoDB, match="written into"):
        check_expressions(
            {
                "UpdateExpression": "SET status = :s",
                "ExpressionAttributeValues": {":s": {"S": "approved"}},
            }
        )


def test_placeholders_used_exactly_are_accepted() -> None:
    """A call whose placeholders are all defined and all used passes."""
    check_expressions(
        {
            "KeyConditionExpression": "#k = :k",
            "FilterExpression": "attribute_not_exists(#t) OR #t >= :n",
            "ExpressionAttributeNames": {"#k": "status", "#t": "ttl"},
            "ExpressionAttributeValues": {":k": {"S": "pending"}, ":n": {"N": "1"}},
        }
    )
