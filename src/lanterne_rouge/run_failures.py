"""A morning run that failed is said at the top of the next one, and in its message.

The scheduled run has nobody watching its output. When it fails with an expected error, the
one-line message is kept in ``last-failure.json`` in the home (a file, not the database: the
database may be why it failed), written atomically, readable by the user only. The next run
takes it, prints it first and puts it in the morning message; a successful run removes it.
Nothing secret is in it: the line has been through the log redactor like every printed one.
"""

from __future__ import annotations

import contextlib
import json
import os
from datetime import datetime
from pathlib import Path

import msgspec

FILE_NAME = "last-failure.json"


class Failure(msgspec.Struct, frozen=True):
    command: str
    day: str | None
    at: datetime
    message: str
    exit_code: int

    def line(self) -> str:
        when = self.at.astimezone().strftime("%Y-%m-%d %H:%M %Z")
        about = f" for {self.day}" if self.day else ""
        return (
            f"The last {self.command}{about} failed at {when} (exit {self.exit_code}): "
            f"{self.message}"
        )


def record_failure(home: Path, failure: Failure) -> None:
    """Keep ``failure`` for the next run; a home that cannot be written is left alone."""
    data = msgspec.structs.asdict(failure) | {"at": failure.at.isoformat()}
    target = home / FILE_NAME
    partial = home / (FILE_NAME + ".partial")
    try:
        home.mkdir(parents=True, exist_ok=True)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out)
        os.replace(partial, target)
    except OSError:
        pass  # the failure itself was printed; a read-only home cannot keep it


def last_failure(home: Path) -> Failure | None:
    """The failure kept by an earlier run, if any (an unreadable file counts as none)."""
    try:
        data = json.loads((home / FILE_NAME).read_text(encoding="utf-8"))
        return Failure(
            command=str(data["command"]),
            day=data.get("day"),
            at=datetime.fromisoformat(data["at"]),
            message=str(data["message"]),
            exit_code=int(data["exit_code"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def clear_failure(home: Path) -> None:
    with contextlib.suppress(OSError):
        (home / FILE_NAME).unlink(missing_ok=True)
