"""Backups of the SQLite store: a consistent copy while the coach may run, and a checked restore.

``backup`` uses SQLite's online backup API, so the copy is one consistent state of the
database even while runs write to it (each step copies pages under a read lock; a write in
between restarts the copy). The copy is written beside its final name and renamed when whole,
checked with ``PRAGMA integrity_check``, named by UTC time (``lanterne-20260630T052959Z.db``)
and the oldest beyond ``keep`` are removed.

``restore`` checks the copy first (SQLite, ``integrity_check`` ok, the coach's tables there),
waits for no run to be writing (an exclusive lock on the current file), keeps the current file
aside as ``lanterne.db.before-restore-<time>`` and moves the copy into place.

PostgreSQL has its own tools: ``pg_dump``/``pg_restore`` (``PG_DUMP_ADVICE``).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import msgspec

from lanterne_rouge.errors import ConfigError, DataError, StoreError

PREFIX = "lanterne-"
SUFFIX = ".db"
REQUIRED_TABLES = {"runs", "messages"}
PG_DUMP_ADVICE = (
    "the database is PostgreSQL: back it up with pg_dump -Fc -f lanterne.dump DBNAME and "
    "restore with pg_restore --clean -d DBNAME lanterne.dump"
)


class Backup(msgspec.Struct, frozen=True):
    path: Path
    size: int
    removed: tuple[Path, ...]


def sqlite_path(url: str) -> Path:
    """The file of a ``sqlite:///`` URL; ``ConfigError`` with advice for any other database."""
    if url.startswith("postgresql"):
        raise ConfigError(PG_DUMP_ADVICE)
    if not url.startswith("sqlite:///") or url == "sqlite:///:memory:":
        raise ConfigError(f"backup and restore work on a SQLite file, not {url.split(':')[0]}")
    return Path(url.removeprefix("sqlite:///"))


def backup(database: Path, to_dir: Path, *, keep: int, now: datetime) -> Backup:
    """Copy ``database`` into ``to_dir`` consistently; keep the newest ``keep`` copies."""
    if keep < 1:
        raise ConfigError(f"--keep {keep}: keep at least one backup")
    if not database.is_file():
        raise StoreError(f"{database}: no database to back up yet (run the coach first)")
    target = to_dir / f"{PREFIX}{now.astimezone(UTC):%Y%m%dT%H%M%SZ}{SUFFIX}"
    partial = target.with_suffix(".partial")
    try:
        to_dir.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        _online_copy(database, partial)
        problem = check(partial)
        if problem is not None:
            raise StoreError(f"{database}: the copy failed its check ({problem}); nothing kept")
        os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise StoreError(f"{to_dir}: cannot write the backup: {exc.strerror or exc}") from exc
    return Backup(target, target.stat().st_size, tuple(_prune(to_dir, keep)))


def _online_copy(source: Path, target: Path) -> None:
    try:
        with (
            sqlite3.connect(source, timeout=30) as src,
            sqlite3.connect(target) as dst,
        ):
            src.execute("PRAGMA busy_timeout=30000")
            src.backup(dst, pages=256)
        with sqlite3.connect(target) as dst:
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{source}: cannot be copied: {exc}") from exc


def backups(to_dir: Path) -> list[Path]:
    """The backups in ``to_dir``, oldest first (their names sort by time)."""
    if not to_dir.is_dir():
        return []
    return sorted(p for p in to_dir.glob(f"{PREFIX}*{SUFFIX}") if p.is_file())


def _prune(to_dir: Path, keep: int) -> list[Path]:
    old = backups(to_dir)[:-keep]
    for path in old:
        path.unlink()
    return old


def check(path: Path) -> str | None:
    """Why ``path`` is not a usable copy of the store, or None when it is."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            result = conn.execute("PRAGMA integrity_check").fetchall()
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as exc:
        return f"not a SQLite database: {exc}"
    if [tuple(r) for r in result] != [("ok",)]:
        return "integrity_check: " + "; ".join(str(r[0]) for r in result[:3])
    missing = REQUIRED_TABLES - tables
    if missing:
        return f"not a Lanterne Rouge store: no table {', '.join(sorted(missing))}"
    return None


def restore(copy: Path, database: Path, *, now: datetime) -> Path | None:
    """Swap ``copy`` in as ``database``; returns where the current file was kept (or None)."""
    if not copy.is_file():
        raise DataError(f"{copy}: no such backup file")
    problem = check(copy)
    if problem is not None:
        raise DataError(f"{copy}: cannot restore it: {problem}")
    database.parent.mkdir(parents=True, exist_ok=True)
    incoming = database.with_name(database.name + ".restoring")
    shutil.copyfile(copy, incoming)
    kept = None
    if database.exists():
        stamp = f"{now.astimezone(UTC):%Y%m%dT%H%M%SZ}"
        kept = database.with_name(f"{database.name}.before-restore-{stamp}")
        _quiesce(database)
        os.replace(database, kept)
        for side in ("-wal", "-shm"):
            database.with_name(database.name + side).unlink(missing_ok=True)
    os.replace(incoming, database)
    return kept


def _quiesce(database: Path) -> None:
    """Wait for writers to finish and fold the write-ahead log into the file."""
    try:
        conn = sqlite3.connect(database, timeout=30)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("BEGIN EXCLUSIVE")
            conn.rollback()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        pass  # a damaged current file is why one restores: it is kept aside as it is
