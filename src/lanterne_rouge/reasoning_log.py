"""``output/reasoning_log.csv``: one row per attempt at an athlete-day.

A row is written whole or not at all: it goes out in one ``write`` on a file opened for
appending, and a short or failed write (a full disk) is cut back off. A last line without its
newline (a crash mid-write in an older release, or a disk that filled) is detected before the
next row and mended by cutting it off; the effect that owed it writes it again.
"""

from __future__ import annotations

import csv
import errno
import io
import os
from pathlib import Path
from typing import Any

import msgspec

COLUMNS = (
    "date",
    "athlete_id",
    "attempt",
    "run_id",
    "data",
    "phase",
    "action",
    "rule",
    "workout",
    "minutes",
    "tss_target",
    "readiness",
    "ctl",
    "atl",
    "tsb",
    "explanation",
    "provider",
    "model",
    "prompt_id",
    "prompt_version",
    "fallback_reason",
)


class Appended(msgspec.Struct, frozen=True):
    written: bool  # False: the row was already there (an effect done again after a crash)
    mended: bool  # a torn last line was cut off first


def append_row_once(path: Path, row: dict[str, Any], *, retry: bool) -> Appended:
    """Append ``row`` whole or not at all; with ``retry``, not if its run's row is there."""
    unknown = set(row) - set(COLUMNS)
    if unknown:
        raise ValueError(f"unknown reasoning-log columns: {sorted(unknown)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        mended = _mend_torn_tail(fd)
        size = os.fstat(fd).st_size
        if retry and size and _has_run(path, str(row.get("run_id", ""))):
            return Appended(written=False, mended=mended)
        _write_whole(fd, _encode(row, header=size == 0), size, path)
        return Appended(written=True, mended=mended)
    finally:
        os.close(fd)


def _encode(row: dict[str, Any], *, header: bool) -> bytes:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=COLUMNS, lineterminator="\r\n")
    if header:
        writer.writeheader()
    writer.writerow({k: "" if row.get(k) is None else row.get(k) for k in COLUMNS})
    return text.getvalue().encode("utf-8")


def _write_whole(fd: int, data: bytes, size: int, path: Path) -> None:
    try:
        written = os.write(fd, data)
        if written != len(data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        os.fsync(fd)
    except OSError as exc:
        os.ftruncate(fd, size)  # no torn row: the file is as it was
        raise OSError(exc.errno, exc.strerror, path) from exc


def _mend_torn_tail(fd: int) -> bool:
    """Cut a last line that has no newline; True when there was one."""
    size = os.fstat(fd).st_size
    if size == 0 or os.pread(fd, 1, size - 1) == b"\n":
        return False
    end = size
    while end > 0:
        start = max(0, end - 4096)
        chunk = os.pread(fd, end - start, start)
        cut = chunk.rfind(b"\n")
        if cut >= 0:
            os.ftruncate(fd, start + cut + 1)
            return True
        end = start
    os.ftruncate(fd, 0)
    return True


def _has_run(path: Path, run_id: str) -> bool:
    if not run_id:
        return False
    with path.open(newline="", encoding="utf-8") as handle:
        return any(r.get("run_id") == run_id for r in csv.DictReader(handle))


def read_rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))
