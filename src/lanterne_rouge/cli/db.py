"""``db status`` and ``db upgrade``: the database's schema against this release's."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from lanterne_rouge.cli.context import CliContext

if TYPE_CHECKING:
    from sqlalchemy import Engine

db = typer.Typer(
    name="db", help="The database's schema version and its migrations.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(db)


def _engine(c: CliContext) -> Engine:
    from sqlalchemy import create_engine

    return create_engine(c.settings.resolved_database_url())


@db.command()
def status(ctx: typer.Context) -> None:
    """Say which schema revision the database is at and which migrations are pending."""
    from lanterne_rouge.memory import schema

    c = CliContext.of(ctx)
    engine = _engine(c)
    try:
        found = schema.status(engine)
    finally:
        engine.dispose()
    where = c.settings.resolved_database_url()
    current = found.current or ("0.1.0 (no version recorded)" if found.has_tables else "empty")
    typer.echo(f"Database: {_safe(where)}")
    typer.echo(f"Schema:   {current}; this release: {found.head}")
    if found.up_to_date:
        typer.echo("Up to date.")
    elif not found.has_tables:
        typer.echo("Empty: the first command that opens it creates every table.")
    else:
        typer.echo(f"Pending:  {', '.join(found.pending)} (run `lanterne-rouge db upgrade`)")


@db.command()
def upgrade(ctx: typer.Context) -> None:
    """Bring the database to this release's schema (a SQLite file is copied aside first)."""
    from lanterne_rouge.memory import schema

    c = CliContext.of(ctx)
    engine = _engine(c)
    try:
        before = schema.status(engine)
        copy = schema.upgrade(engine)
    finally:
        engine.dispose()
    if before.up_to_date:
        typer.echo(f"Already at schema {before.head}.")
        return
    typer.echo(f"Upgraded the schema to {before.head}.")
    if copy is not None:
        typer.echo(f"The database as it was is kept at {copy}")


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
