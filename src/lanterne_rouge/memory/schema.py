"""The database's schema version, and the upgrade that brings an older one to this release.

Revisions live in ``memory/migrations/versions`` as ``NNNN_what.py`` with ``revision =
"NNNN"``, each on top of the one before; the newest is ``HEAD``. Opening a store calls
:func:`ensure_current`:

- a new, empty database gets every table from ``memory/tables.py`` and is stamped ``HEAD``
  (Alembic is not even imported: the daily run stays fast);
- a database at ``HEAD`` is left alone;
- an older one (a 0.1.0 database has no version at all) is first copied aside, then upgraded
  by the migrations; the copy's path is returned so the caller can say where it is;
- a database newer than this release is refused with a one-line ``StoreError``.

Two processes opening the same SQLite file at once take turns on a lock file beside it;
on PostgreSQL they take turns on an advisory lock.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import msgspec
from sqlalchemy import Connection, Engine, inspect, text

from lanterne_rouge.errors import StoreError
from lanterne_rouge.memory.tables import append_only_ddl, metadata

VERSION_TABLE = "alembic_version"
SCRIPTS = "lanterne_rouge.memory:migrations"
MIGRATION_LOCK = 0x4C52_5343  # PostgreSQL advisory lock key: one schema change at a time


def _revisions() -> list[str]:
    folder = resources.files("lanterne_rouge.memory.migrations").joinpath("versions")
    names = (entry.name for entry in folder.iterdir())
    return sorted(n[:4] for n in names if n[:4].isdigit() and n.endswith(".py"))


REVISIONS = tuple(_revisions())
HEAD = REVISIONS[-1]


class SchemaStatus(msgspec.Struct, frozen=True):
    current: str | None  # None: no version recorded (new, or made by release 0.1.0)
    head: str
    has_tables: bool

    @property
    def pending(self) -> tuple[str, ...]:
        if self.current is None:
            return REVISIONS if self.has_tables else ()
        return tuple(r for r in REVISIONS if r > self.current)

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def status(engine: Engine) -> SchemaStatus:
    with engine.connect() as conn:
        return _status(conn)


def _status(conn: Connection) -> SchemaStatus:
    tables = set(inspect(conn).get_table_names())
    current = None
    if VERSION_TABLE in tables:
        current = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
    return SchemaStatus(current=current, head=HEAD, has_tables=bool(tables - {VERSION_TABLE}))


def ensure_current(engine: Engine) -> Path | None:
    """Bring the database to ``HEAD``; returns the copy made before an upgrade, if any."""
    found = status(engine)
    if found.up_to_date:
        return None
    _refuse_newer(found)
    with _migration_lock(engine):
        found = status(engine)  # another process may have done it while we waited
        if found.up_to_date:
            return None
        if not found.has_tables:
            _create_fresh(engine)
            return None
        return _upgrade(engine, found)


def upgrade(engine: Engine) -> Path | None:
    """``lanterne-rouge db upgrade``: the same as opening the store, said explicitly."""
    return ensure_current(engine)


def _refuse_newer(found: SchemaStatus) -> None:
    if found.current is not None and found.current not in REVISIONS:
        raise StoreError(
            f"the database is at schema {found.current}, newer than this release knows "
            f"({HEAD}): upgrade lanterne-rouge"
        )


def _begin_on(conn: Connection) -> None:
    """SQLite's driver leaves transactions to the store (see state_store): say BEGIN here."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _create_fresh(engine: Engine) -> None:
    with engine.begin() as conn:
        _begin_on(conn)
        metadata.create_all(conn, checkfirst=False)  # no table yet: checked under the lock
        for ddl in append_only_ddl(conn.dialect.name):
            conn.exec_driver_sql(ddl)
        conn.execute(
            text(
                f"CREATE TABLE {VERSION_TABLE} (version_num VARCHAR(32) NOT NULL, "
                f"CONSTRAINT {VERSION_TABLE}_pkc PRIMARY KEY (version_num))"
            )
        )
        conn.execute(text(f"INSERT INTO {VERSION_TABLE} (version_num) VALUES (:v)"), {"v": HEAD})


def _upgrade(engine: Engine, found: SchemaStatus) -> Path | None:
    from alembic import command
    from alembic.config import Config

    copy = _copy_aside(engine, found.current)
    config = Config()
    config.set_main_option("script_location", SCRIPTS)
    with engine.begin() as conn:
        _begin_on(conn)
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    return copy


def _sqlite_file(engine: Engine) -> Path | None:
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser()


def _copy_aside(engine: Engine, current: str | None) -> Path | None:
    """A consistent copy of a SQLite database (its write-ahead log included) before upgrading.

    Other databases (PostgreSQL) are the operator's to back up: nothing is copied.
    """
    path = _sqlite_file(engine)
    if path is None:
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    copy = path.with_name(f"{path.name}.schema-{current or '0.1.0'}-{stamp}.bak")
    try:
        with sqlite3.connect(path) as source, sqlite3.connect(copy) as target:
            source.backup(target)
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(
            f"cannot copy {path} aside before upgrading its schema ({exc}); nothing was changed"
        ) from exc
    return copy


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    if engine.dialect.name == "postgresql":
        with _advisory_lock(engine):
            yield
        return
    path = _sqlite_file(engine)
    if path is None:
        yield
        return
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".migrate-lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@contextmanager
def _advisory_lock(engine: Engine) -> Iterator[None]:
    """PostgreSQL: workers opening a new database at once take turns, held by a session."""
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
            conn.commit()


__all__ = ["HEAD", "REVISIONS", "SchemaStatus", "ensure_current", "status", "upgrade"]
