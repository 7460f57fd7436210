"""The database file's health, and database errors said as what to do.

- **Checked on open.** A SQLite store is checked with ``PRAGMA quick_check`` when it is
  opened; a damaged file is refused before anything writes into it, with the way out
  (``lanterne-rouge restore``).
- **A read-only home still reads.** When the folder of the database cannot be written, the
  file is opened read-only (``mode=ro``, ``immutable=1``: nothing can change it while the
  folder is read-only), so ``history``, ``fitness``, ``reflect``, ``export`` work; a write
  says that the home is read-only.
- **Errors for people.** ``translate`` turns SQLAlchemy's errors into a one-line
  ``StoreError`` that says what happened and what to do (disk full, busy, read-only,
  damaged). A missing database driver is a ``ConfigError`` naming the extra to install.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from lanterne_rouge.errors import ConfigError, StoreError

RESTORE_HINT = "restore from a backup: lanterne-rouge restore FILE (see lanterne-rouge backup)"


def sqlite_path(url: str) -> Path | None:
    """The file of a ``sqlite:///`` URL, else None (memory, PostgreSQL)."""
    if not url.startswith("sqlite:///") or url.startswith("sqlite:///:memory:"):
        return None
    rest = url.removeprefix("sqlite:///")
    if rest.startswith("file:"):
        return None
    return Path(rest).expanduser()


def opening_url(url: str) -> tuple[str, bool]:
    """The URL to open and whether it is read-only (the folder cannot be written)."""
    path = sqlite_path(url)
    if path is None:
        return url, False
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"cannot create the home {folder} for the database: {exc.strerror or exc} "
            "(set LANTERNE_HOME to a folder you can write)"
        ) from exc
    if os.access(folder, os.W_OK):
        return url, False
    if not path.is_file():
        raise StoreError(
            f"the home {folder} is read-only and holds no database yet: make it writable "
            "or set LANTERNE_HOME to a folder you can write"
        )
    return f"sqlite:///file:{quote(str(path.resolve()))}?mode=ro&immutable=1&uri=true", True


def missing_driver(url: str, exc: ImportError) -> ConfigError:
    scheme = url.split(":", 1)[0]
    fix = (
        "pip install 'lanterne-rouge[postgres]' and write postgresql+psycopg://..."
        if "postgres" in scheme
        else "install it, or use the default SQLite file"
    )
    return ConfigError(
        f"LANTERNE_DATABASE_URL: the driver for {scheme} is not installed "
        f"(no module {exc.name or exc}): {fix}"
    )


def quick_check(engine: Engine, path: Path) -> None:
    """Refuse a damaged SQLite file before anything writes into it."""
    if not path.is_file() or path.stat().st_size == 0:
        return
    try:
        with engine.connect() as conn:
            found = [row[0] for row in conn.execute(text("PRAGMA quick_check")).fetchall()]
    except SQLAlchemyError as exc:
        raise translate(exc, path, read_only=False) from exc
    if found != ["ok"]:
        raise damaged(path, "; ".join(str(f) for f in found[:2]))


def damaged(path: Path, detail: str) -> StoreError:
    return StoreError(f"the database {path} is corrupted ({detail}); {RESTORE_HINT}")


def translate(exc: SQLAlchemyError, path: Path | None, *, read_only: bool) -> StoreError:
    """One line that says what went wrong with the database and what to do."""
    said = str(getattr(exc, "orig", None) or exc).splitlines()[0]
    where = str(path) if path is not None else "the database"
    lowered = said.lower()
    if read_only or "readonly" in lowered or "read-only" in lowered:
        return StoreError(
            f"{where} is read-only (its folder cannot be written): reading commands work; "
            "make the home writable to run the coach or import data"
        )
    if "disk is full" in lowered or "disk i/o error" in lowered or "no space" in lowered:
        return StoreError(
            f"cannot write {where}: the disk is full or failing ({said}); free some space "
            "and run again (nothing was half written)"
        )
    if "locked" in lowered or "busy" in lowered:
        return StoreError(f"{where} is busy: another run is writing; try again in a minute")
    if "malformed" in lowered or "not a database" in lowered:
        return StoreError(f"the database {where} is corrupted ({said}); {RESTORE_HINT}")
    return StoreError(f"the state store failed: {said}")
