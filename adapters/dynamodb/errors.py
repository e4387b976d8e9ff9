"""DynamoDB's failures, translated into the port's errors."""

from __future__ import annotations

import re

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConfigParseError,
    InvalidRegionError,
    NoCredentialsError,
    NoRegionError,
    ParamValidationError,
    ProfileNotFound,
)

from ...domain import AccessRequestError
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


class TableDiffers(StoreUnavailable):
    """The table is not as the store needs it: an index is missing, or the key differs.

    ``verify_table`` (``access-requests table verify``) lists every difference.
    """


class InvalidAWSSettings(AccessRequestError, ValueError):
    """The AWS settings a client is built from are unusable: a profile, a config file, a region.

    Raised in place of botocore's ProfileNotFound, ConfigParseError,
    NoRegionError and InvalidRegionError, and of the bare ValueError it raises
    for a malformed endpoint, each with what to check.
    """


_MISSING_INDEX = (
    re.compile(r"does not have the specified index: (?P<index>[A-Za-z0-9_.-]+)"),  # DynamoDB
    re.compile(r"Invalid index: (?P<index>[A-Za-z0-9_.-]+) for table"),  # moto
)
_WRONG_KEY = ("does not match the schema", "Missing the key")
_VERIFY = "access-requests table verify (verify_table) lists every difference"
_CREDENTIALS_IN_URL = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)[^/@\s\"']+@")
_LONGEST_REASON = 300


def without_credentials(text: str) -> str:
    """Return ``text`` with the ``user:password@`` of every URL in it replaced by ``***@``."""
    return _CREDENTIALS_IN_URL.sub(r"\g<scheme>***@", text)


def one_line(text: str, longest: int = _LONGEST_REASON) -> str:
    """Return ``text`` on one line: whitespace runs as one space, controls escaped, cut short.

    A proxy or load balancer in front of DynamoDB answers a 5xx with an HTML
    page; its lines would otherwise break the one-line error a person reads.
    """
    flat = " ".join(text.split())
    if not flat.isprintable():
        flat = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in flat)
    return flat if len(flat) <= longest else flat[: longest - 1] + "\u2026"


def settings_error(error: Exception) -> InvalidAWSSettings | None:
    """Return the library's error for botocore's refusal of the AWS settings, or None."""
    if isinstance(error, ProfileNotFound):
        return InvalidAWSSettings(
            f"the AWS profile {error.kwargs.get('profile')!r} is not in the AWS config files"
            " (~/.aws/config, ~/.aws/credentials, or $AWS_CONFIG_FILE); check AWS_PROFILE"
        )
    if isinstance(error, ConfigParseError):
        return InvalidAWSSettings(
            f"the AWS config file {error.kwargs.get('path')} cannot be parsed; fix it,"
            " or point AWS_CONFIG_FILE at another"
        )
    if isinstance(error, NoRegionError):
        return InvalidAWSSettings(
            "no AWS region is set: set AWS_DEFAULT_REGION, or pass a region"
            " (--region, or region_name)"
        )
    if isinstance(error, InvalidRegionError):
        return InvalidAWSSettings(
            f"{error} Set AWS_DEFAULT_REGION (or --region) to a region such as eu-west-1"
        )
    return None


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
        message = one_line(str(error.response.get("Error", {}).get("Message", "")) or code)
        differs = _difference(message, operation)
        if differs:
            return TableDiffers(operation, table, differs)
        if code == "ResourceNotFoundException":
            return TableNotFound(operation, table)
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if code in _ACCESS_DENIED or status == 403:  # a 403 from a proxy has no code of its own
            return AccessDenied(operation, table, f"access denied ({code}): {message}")
        return StoreUnavailable(operation, table, f"{code}: {message}")
    if isinstance(error, NoCredentialsError):
        return AccessDenied(operation, table, "no AWS credentials were found")
    if isinstance(error, ParamValidationError):
        return error
    settings = settings_error(error)
    if settings is not None:
        return settings
    if isinstance(error, BotoCoreError):
        reason = one_line(without_credentials(f"{type(error).__name__}: {error}"))
        return StoreUnavailable(operation, table, reason)
    return error


def _difference(message: str, operation: str) -> str:
    """Return how the table differs, if DynamoDB's refusal ``message`` says so, else ""."""
    for pattern in _MISSING_INDEX:
        found = pattern.search(message)
        if found:
            return (
                f"the table has no index {found['index']!r}, which {operation} needs; {_VERIFY}"
            )
    if any(sign in message for sign in _WRONG_KEY):
        return (
            "the table's key schema is not the store's (partition key 'id', a string):"
            f" {message}; {_VERIFY}"
        )
    return ""
