"""The pure domain: the Request entity, its status machine and its errors.

Nothing here does I/O or knows about any store.
"""

from .deadlines import CLOCK_SKEW_ALLOWANCE, refuse_creation_ahead, refuse_late_decision
from .errors import AccessRequestError, InvalidRequest, InvalidTransition
from .request import (
    DECISION_FIELDS,
    DEFAULT_REQUEST_TTL,
    MAX_COMMENT_LENGTH,
    MAX_DURATION,
    MAX_ITEM_BYTES,
    MAX_JUSTIFICATION_BYTES,
    MAX_JUSTIFICATION_LENGTH,
    MAX_NAME_LENGTH,
    MIN_JUSTIFICATION_LENGTH,
    REQUEST_ID_LENGTH,
    WHOLE_MICROSECONDS,
    Nanoseconds,
    Request,
    as_utc,
    epoch_nanoseconds,
    new_request_id,
    refuse_if_final,
    utc_now,
    validate_request_id,
    validate_text,
)
from .status import RequestStatus

__all__ = [
    "CLOCK_SKEW_ALLOWANCE",
    "DECISION_FIELDS",
    "DEFAULT_REQUEST_TTL",
    "MAX_COMMENT_LENGTH",
    "MAX_DURATION",
    "MAX_ITEM_BYTES",
    "MAX_JUSTIFICATION_BYTES",
    "MAX_JUSTIFICATION_LENGTH",
    "MAX_NAME_LENGTH",
    "MIN_JUSTIFICATION_LENGTH",
    "REQUEST_ID_LENGTH",
    "WHOLE_MICROSECONDS",
    "AccessRequestError",
    "InvalidRequest",
    "InvalidTransition",
    "Nanoseconds",
    "Request",
    "RequestStatus",
    "as_utc",
    "epoch_nanoseconds",
    "new_request_id",
    "refuse_creation_ahead",
    "refuse_if_final",
    "refuse_late_decision",
    "utc_now",
    "validate_request_id",
    "validate_text",
]
