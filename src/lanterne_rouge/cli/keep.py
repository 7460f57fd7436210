"""Keeping the history safe: ``backup``, ``restore FILE``, ``export history`` and its import.

``restore`` never opens the current database through the store: the store refuses a damaged
file, and a damaged file is what one restores over.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from lanterne_rouge.cli.context import CliContext

DEFAULT_KEEP = 7


class HistoryFormat(StrEnum):
    jsonl = "jsonl"


def register(app: typer.Typer) -> None:
    app.command("backup")(backup_command)
    app.command("restore")(restore_command)


def _database(c: CliContext) -> Path:
    from lanterne_rouge.memory.backup import sqlite_path

    return sqlite_path(c.settings.resolved_database_url())


def backup_command(
    ctx: typer.Context,
    to: Annotated[
        Path | None, typer.Option("--to", help="Folder for the copies (default: HOME/backups).")
    ] = None,
    keep: Annotated[
        int, typer.Option("--keep", help="How many copies to keep (the oldest go).")
    ] = DEFAULT_KEEP,
) -> None:
    """Copy the database consistently, even while the coach runs; keep the newest N copies.

    For PostgreSQL it says how to use pg_dump instead.
    """
    from lanterne_rouge.memory.backup import backup

    c = CliContext.of(ctx)
    database = _database(c)
    folder = to or c.settings.home / "backups"
    made = backup(database, folder, keep=keep, now=datetime.now(UTC))
    typer.echo(f"Backed up {database} to {made.path} ({made.size:,} bytes, integrity ok).")
    for old in made.removed:
        typer.echo(f"Removed the older copy {old.name} (keeping {keep}).")


def restore_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A copy made by `lanterne-rouge backup`.")],
) -> None:
    """Check a backup and swap it in; the current database is kept aside, not deleted."""
    from lanterne_rouge.memory.backup import restore

    c = CliContext.of(ctx)
    database = _database(c)
    kept = restore(file, database, now=datetime.now(UTC))
    typer.echo(f"Restored {database} from {file}.")
    if kept is not None:
        typer.echo(f"The database it replaced is kept at {kept}")


def export_history(c: CliContext, out: Path | None, since: date | None) -> None:
    """``export history --format jsonl``: every run and message, sorted, one a line."""
    from lanterne_rouge.memory.history_export import write_history

    target = out or c.settings.output_dir / "history.jsonl"
    count = write_history(c.store, target, since=since)
    typer.echo(f"Wrote {count} runs and messages to {target}")


def import_history(c: CliContext, path: Path) -> None:
    """``import history FILE``: load an export; what is already stored is left as it is."""
    from lanterne_rouge.errors import DataError
    from lanterne_rouge.memory.history_export import import_history as load

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read the history export: {exc}") from exc
    done = load(c.store, lines, name=path.name)
    typer.echo(
        f"Imported {path.name}: {done.runs} runs and {done.messages} messages; "
        f"{done.already_there} already stored."
    )
