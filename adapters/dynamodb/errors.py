"""DynamoDB's failures, translated into the port's errors."""

from __future__ import annotations

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    NoCredentialsError,
    ParamValidationError,
)

from ...ports import StoreUnavailable

CONDITION_FAILED = "ConditionalCheckFailedException"
_ACCESS_DENIED = frozenset(
    {
        "AccessDeniedException",
        "UnrecognizedClientException",
        "InvalidSignatureException",
        "ExpiredTokenException",
        "MissingAuthenticationTokenException",
        "InvalidClientTokenId",
    }
)


class TableNotFound(StoreUnavailable):
    """The table does not exist where the client looks for it."""

    def __init__(self, operation: str, table: str, reason: str = "") -> None:
        super().__init__(
            operation,
            table,
            reason
            or "the table does not exist; check the table name, the region and the"
            " endpoint, or provision it with create_table (access-requests table create)",
        )


class AccessDenied(StoreUnavailable):
    """The credentials are missing, invalid, or not allowed to do this."""


def error_code(error: ClientError) -> str:
    """Return the error code DynamoDB gave, such as ConditionalCheckFailedException."""
    return str(error.response.get("Error", {}).get("Code", ""))


def translate(error: Exception, operation: str, table: str) -> Exception:
    """Return the port's error for a botocore failure of ``operation`` on ``table``.

    A ParamValidationError is a bug in the caller of botocore, not a failure of
    the backend, and is returned as it is.
    """
    if isinstance(error, ClientError):
        code = error_code(error)
        message = str(error.response.get("Error", {}).get("Message", "")) or code
        if code == "ResourceNotFoundException":
            return TableNotFound(operation, table)
        if code in _ACCESS_DENIED:
            return AccessDenied(operation, table, f"access denied ({code}): {message}")
        return StoreUnavailable(operation, table, f"{code}: {message}")
    if isinstance(error, NoCredentialsError):
        return AccessDenied(operation, table, "no AWS credentials were found")
    if isinstance(error, ParamValidationError):
        return error
    if isinstance(error, BotoCoreError):
        return StoreUnavailable(operation, table, f"{type(error).__name__}: {error}")
    return error
