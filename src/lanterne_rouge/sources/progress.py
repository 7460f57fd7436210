"""Progress on long work, written to stderr: a bar on a terminal, a few lines otherwise."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

Clock = Callable[[], float]


class Progress:
    """``update(done, total)`` as work goes; ``note`` for a line of its own."""

    def __init__(
        self,
        label: str,
        *,
        stream: TextIO | None = None,
        every_seconds: float = 1.0,
        clock: Clock = time.monotonic,
    ) -> None:
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.every = every_seconds
        self.clock = clock
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._shown_at = -1e9
        self._open_line = False

    def update(self, done: int, total: int | None = None) -> None:
        now = self.clock()
        final = total is not None and done >= total
        if not final and now - self._shown_at < self.every:
            return
        self._shown_at = now
        self._write(self._text(done, total), final)

    def note(self, message: str) -> None:
        self._end_line()
        self._emit(f"{self.label}: {message}\n")

    def _text(self, done: int, total: int | None) -> str:
        if not total:
            return f"{self.label}: {done}"
        share = min(1.0, done / total)
        bar = "#" * int(share * 30)
        return f"{self.label}: [{bar:<30}] {done}/{total} ({share:.0%})"

    def _write(self, text: str, final: bool) -> None:
        if self.tty:
            self._emit("\r" + text + ("\n" if final else ""))
            self._open_line = not final
        else:
            self._emit(text + "\n")

    def _end_line(self) -> None:
        if self._open_line:
            self._emit("\n")
            self._open_line = False

    def _emit(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()


class Silent(Progress):
    """No output (tests, embedding)."""

    def __init__(self) -> None:
        super().__init__("")

    def update(self, done: int, total: int | None = None) -> None:
        pass

    def note(self, message: str) -> None:
        pass
