"""The ``access-requests`` command line.

Every error is one line on stderr and a distinct exit status (see
``ExitStatus``), never a traceback unless -v asks for it.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from .. import __version__
from .commands import run
from .exit_codes import ExitStatus, message_of, status_of
from .parser import build_parser

logger = logging.getLogger("access_requests")


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``access-requests`` on ``argv`` (default: the process's); return its exit status."""
    args = build_parser(__version__).parse_args(argv)
    _configure_logging(args.verbose)
    try:
        return int(run(args, sys.stdout))
    except KeyboardInterrupt:
        print("access-requests: interrupted", file=sys.stderr)
        return 130
    except Exception as error:
        status = status_of(error)
        if status is ExitStatus.UNEXPECTED or args.verbose:
            logger.debug("the error in full", exc_info=error)
        print(f"access-requests: error: {message_of(error)}", file=sys.stderr)
        return int(status)


def _configure_logging(verbosity: int) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("access-requests: %(levelname)s: %(message)s"))
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel([logging.WARNING, logging.INFO, logging.DEBUG][min(verbosity, 2)])


__all__ = ["ExitStatus", "main"]
