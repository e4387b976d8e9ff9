"""The exit status of every outcome, and the one-line message of every error."""

from __future__ import annotations

import enum

from ..adapters.dynamodb import AccessDenied, TableExists, TableNotConfigured, TableNotFound
from ..adapters.dynamodb.errors import (
    InvalidAWSSettings,
    TableDiffers,
    one_line,
    without_credentials,
)
from ..domain import AccessRequestError, InvalidRequest, InvalidTransition
from ..events import StreamNotEnabled
from ..local import EmulatorUnavailable, PortInUse
from ..ports import (
    ConcurrentModification,
    CorruptItem,
    InvalidCursor,
    RequestExists,
    RequestNotFound,
    StoreUnavailable,
)
from .render import in_message


class ExitStatus(enum.IntEnum):
    """What ``access-requests`` exits with; each error class has its own status."""

    OK = 0
    UNEXPECTED = 1
    USAGE = 2
    NOT_FOUND = 3
    EXISTS = 4
    CHANGED_SINCE_READ = 5
    REFUSED_TRANSITION = 6
    INVALID_INPUT = 7
    CORRUPT_ITEM = 8
    UNAVAILABLE = 9
    NO_TABLE = 10
    ACCESS_DENIED = 11
    TABLE_DIFFERS = 12
    NO_EMULATOR = 13
    NO_ACCESS = 14
    PORT_IN_USE = 15
    OUTPUT_FAILED = 16


class OutputFailed(AccessRequestError):
    """stdout could not be written (a full disk, /dev/full, a closed descriptor)."""


class UsageError(AccessRequestError):
    """The command line is missing something it needs, such as the table."""


# Most specific first: the first class an error is an instance of decides.
_STATUS_OF: list[tuple[type[BaseException], ExitStatus]] = [
    (UsageError, ExitStatus.USAGE),
    (InvalidAWSSettings, ExitStatus.USAGE),
    (TableNotConfigured, ExitStatus.USAGE),
    (RequestNotFound, ExitStatus.NOT_FOUND),
    (RequestExists, ExitStatus.EXISTS),
    (TableExists, ExitStatus.EXISTS),
    (ConcurrentModification, ExitStatus.CHANGED_SINCE_READ),
    (InvalidTransition, ExitStatus.REFUSED_TRANSITION),
    (InvalidRequest, ExitStatus.INVALID_INPUT),
    (InvalidCursor, ExitStatus.INVALID_INPUT),
    (CorruptItem, ExitStatus.CORRUPT_ITEM),
    (TableNotFound, ExitStatus.NO_TABLE),
    (TableDiffers, ExitStatus.TABLE_DIFFERS),
    (StreamNotEnabled, ExitStatus.TABLE_DIFFERS),
    (AccessDenied, ExitStatus.ACCESS_DENIED),
    (StoreUnavailable, ExitStatus.UNAVAILABLE),
    (EmulatorUnavailable, ExitStatus.NO_EMULATOR),
    (PortInUse, ExitStatus.PORT_IN_USE),
    (OutputFailed, ExitStatus.OUTPUT_FAILED),
]


def status_of(error: BaseException) -> ExitStatus:
    """Return the exit status for ``error``; UNEXPECTED for what is not foreseen."""
    for kind, status in _STATUS_OF:
        if isinstance(error, kind):
            return status
    return ExitStatus.UNEXPECTED


def message_of(error: BaseException) -> str:
    """Return the one line that tells a person what went wrong, never a URL's credentials."""
    if isinstance(error, ConcurrentModification):
        text = f"{error}; read it again and retry"
    elif status_of(error) is ExitStatus.UNEXPECTED:
        text = f"unexpected {type(error).__name__}: {error} (run with -vv for the traceback)"
    else:
        text = in_message(str(error))
    return one_line(without_credentials(text), longest=2000)


EPILOG = "exit status: " + ", ".join(
    f"{status.value} {status.name.lower().replace('_', ' ')}" for status in ExitStatus
)
