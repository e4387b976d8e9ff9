"""Signs of life on stderr during long work, for a person watching a terminal.

Nothing is written when stderr is not a terminal: a script or a log file gets
only the result, never the carriage returns that redraw the line. Nor while
-v logs to stderr: the log lines tell the progress, and a redrawn line would
break them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

_CLEAR_LINE = "\r\x1b[K"


class Progress:
    """One line on a terminal's stderr, redrawn as the work goes on."""

    def __init__(self, stream: TextIO, *, logging: bool = False) -> None:
        self._stream = stream
        self._shown = stream.isatty() and not logging
        self._drawn = False
        self._lock = threading.Lock()

    def show(self, text: str) -> None:
        """Replace the line with ``text``."""
        if not self._shown:
            return
        with self._lock:
            self._stream.write(f"{_CLEAR_LINE}{text}")
            self._stream.flush()
            self._drawn = True

    def clear(self) -> None:
        """Remove the line, so that what follows starts on a clean one."""
        if not self._drawn:
            return
        with self._lock:
            self._stream.write(_CLEAR_LINE)
            self._stream.flush()
            self._drawn = False

    @contextmanager
    def waiting(self, text: str, *, every: float = 1.0) -> Iterator[None]:
        """Show ``text`` and the seconds waited, once a second, while inside."""
        if not self._shown:
            yield
            return
        done = threading.Event()
        started = time.monotonic()

        def tick() -> None:
            while True:
                self.show(f"{text} ({time.monotonic() - started:.0f}s)")
                if done.wait(every):
                    return

        ticker = threading.Thread(target=tick, name="access-requests-progress", daemon=True)
        ticker.start()
        try:
            yield
        finally:
            done.set()
            ticker.join()
            self.clear()
