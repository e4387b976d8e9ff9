"""The ``access-requests`` command line.

Every error is one line on stderr and a distinct exit status (see
``ExitStatus``); -v logs each store operation, -vv adds debug lines and the
traceback of an error.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import errno
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from typing import TextIO

from .. import __version__
from ..adapters.dynamodb.errors import without_credentials
from . import commands, event_commands, table_commands
from .exit_codes import ExitStatus, OutputFailed, message_of, status_of
from .parser import parse_arguments
from .render import encodes_unicode

logger = logging.getLogger("access_requests")

_ESCAPE = "access-requests-escape"
# What writing stdout fails with when the output cannot go anywhere.
_OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EBADF})

CLOSED_PIPE = 128 + 13
"""The exit status after the reader of stdout went away, as when killed by SIGPIPE.

``access-requests list --all | head -1`` then ends quietly, as ``cat`` and
``yes`` do; a shell with ``set -o pipefail`` sees the same 141 it sees for them.
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``access-requests`` on ``argv`` (default: the process's); return its exit status."""
    args = parse_arguments(__version__, argv)
    with _logging_to_stderr(args.verbose), _escaping_what_stdout_cannot_encode():
        return _main(args)


def _main(args: argparse.Namespace) -> int:
    try:
        try:
            status = run(args, sys.stdout)
            sys.stdout.flush()  # here, where a closed pipe can still be told apart
        except BrokenPipeError:
            raise
        except OSError as error:
            if error.errno not in _OUTPUT_ERRNOS:
                raise
            _silence_stdout()
            raise OutputFailed(f"cannot write the output: {error.strerror}") from error
        return int(status)
    except BrokenPipeError:
        _silence_stdout()
        return CLOSED_PIPE
    except KeyboardInterrupt:
        print("access-requests: interrupted", file=sys.stderr)
        return 130
    except Exception as error:
        status = status_of(error)
        logger.debug("the error in full", exc_info=error)
        print(f"access-requests: error: {message_of(error)}", file=sys.stderr)
        return int(status)


def run(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    """Run the command ``args`` names, printing to ``out``."""
    if args.command == "table":
        return table_commands.COMMANDS[f"table {args.table_command}"](args, out)
    if args.command == "events":
        return event_commands.COMMANDS[f"events {args.events_command}"](args, out)
    if args.command in table_commands.COMMANDS:
        return table_commands.COMMANDS[args.command](args, out)
    return commands.COMMANDS[args.command](args, out)


@contextlib.contextmanager
def _logging_to_stderr(verbosity: int) -> Iterator[None]:
    """Log the library to stderr while a command runs; then put the logger back.

    ``main`` may run inside another program (or a test), whose logging it
    must not keep changing once it returns.
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter("access-requests: %(levelname)s: %(message)s"))
    saved = (logger.handlers[:], logger.propagate, logger.level)
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel([logging.WARNING, logging.INFO, logging.DEBUG][min(verbosity, 2)])
    try:
        yield
    finally:
        logger.handlers[:], logger.propagate = saved[0], saved[1]
        logger.setLevel(saved[2])


class _Formatter(logging.Formatter):
    """Formats a record, tracebacks included, without the credentials of any URL in it."""

    def format(self, record: logging.LogRecord) -> str:
        return without_credentials(super().format(record))


@contextlib.contextmanager
def _escaping_what_stdout_cannot_encode() -> Iterator[None]:
    """Write a character stdout's encoding lacks as an escape, and say so once on stderr.

    An ASCII-only locale or PYTHONIOENCODING=ascii would otherwise end a
    listing of ``zoë`` with a UnicodeEncodeError. JSON output never needs it:
    it escapes such characters itself (``render.dumps``).
    """
    if encodes_unicode(sys.stdout) or not hasattr(sys.stdout, "reconfigure"):
        yield
        return
    escaped = False

    def escape(error: UnicodeError) -> tuple[str | bytes, int]:
        nonlocal escaped
        escaped = True
        return codecs.backslashreplace_errors(error)

    codecs.register_error(_ESCAPE, escape)
    saved = sys.stdout.errors
    sys.stdout.reconfigure(errors=_ESCAPE)
    try:
        yield
    finally:
        with contextlib.suppress(OSError, ValueError):
            sys.stdout.reconfigure(errors=saved)
        if escaped:
            print(
                f"access-requests: warning: the output's encoding ({sys.stdout.encoding})"
                " cannot show every character; those are written as \\x, \\u escapes"
                " (set PYTHONIOENCODING=utf-8, or a UTF-8 locale, to see them)",
                file=sys.stderr,
            )


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that the flush at exit cannot fail a second time.

    This is the recipe of the Python documentation (signal, "Note on SIGPIPE").
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


__all__ = ["CLOSED_PIPE", "ExitStatus", "main"]
