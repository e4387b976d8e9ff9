"""What a driver makes of each call's outcome: the response, or the failure botocore raised."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError, ParamValidationError

from .calls import Answer, ConditionFailed
from .errors import CONDITION_FAILED, error_code, translate
from .operation_log import OperationLog

CLIENT_FAILURES = (ClientError, BotoCoreError)
"""What a botocore or aiobotocore client call raises that ``interpret_failure`` reads."""


def interpret_failure(
    error: Exception, operation: str, table: str, log: OperationLog
) -> ConditionFailed:
    """Return a refused condition as an answer; raise every other failure as the port's error.

    Raises:
        StoreUnavailable: The backend failed after botocore's retries (or a
            subclass: TableNotFound, AccessDenied).
    """
    if isinstance(error, ClientError):
        log.answered(error.response)
        if error_code(error) == CONDITION_FAILED:
            old: Any = error.response.get("Item")
            return ConditionFailed(old)
    if isinstance(error, ParamValidationError):
        raise error
    raise translate(error, operation, table) from error


def interpret_response(response: Mapping[str, Any], log: OperationLog) -> Answer:
    """Count a call that succeeded, and return its response as the answer."""
    log.answered(response)
    return response
