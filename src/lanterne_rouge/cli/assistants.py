"""``lanterne-rouge mcp``: serve the coach's answers to AI assistants over stdio (MCP)."""

from __future__ import annotations

from typing import Annotated

import typer

from lanterne_rouge.cli.context import CliContext


def register(app: typer.Typer) -> None:
    app.command("mcp")(mcp_command)


def mcp_command(
    ctx: typer.Context,
    athlete: Annotated[
        list[str] | None,
        typer.Option(
            "--athlete",
            metavar="ID",
            help="An athlete to answer about; repeat for several "
            "(default: LANTERNE_ATHLETE_ID, else 'me').",
        ),
    ] = None,
    every_athlete: Annotated[
        bool, typer.Option("--all-athletes", help="Answer about every athlete in the store.")
    ] = False,
) -> None:
    """Serve read-only tools to AI assistants over stdio (Model Context Protocol).

    Needs the [mcp] extra. Add it to an MCP client as the command `lanterne-rouge mcp`.
    It never writes: the database must exist and be at this release's schema.
    """
    from lanterne_rouge.assistants.mcp_server import _sdk

    _sdk()  # a missing extra is one line, before anything else
    from lanterne_rouge.assistants.answers import Answers
    from lanterne_rouge.assistants.mcp_server import read_only, serve
    from lanterne_rouge.cli.context import mission_for

    c = CliContext.of(ctx)  # logs go to stderr: stdout carries the protocol
    _check_readable(c)
    store = read_only(c.store)
    served = tuple(c.athlete(a).id for a in athlete) if athlete else (c.athlete(None).id,)
    if every_athlete:
        served += tuple(a for a in store.athletes() if a not in served and store.day_runs.of(a))
    serve(
        Answers(
            store,
            served,
            lambda who, day: mission_for(c, who, day),
            c.settings.tsb_convention,
        )
    )


def _check_readable(c: CliContext) -> None:
    """Opening the store must not create or upgrade it: say what to do instead."""
    from pathlib import Path

    from sqlalchemy import create_engine

    from lanterne_rouge.errors import ConfigError
    from lanterne_rouge.memory.schema import status

    url = c.settings.resolved_database_url()
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        raise ConfigError(
            f"no database at {url.removeprefix('sqlite:///')}: run `lanterne-rouge run` first "
            "(or set LANTERNE_HOME)"
        )
    engine = create_engine(url)
    try:
        found = status(engine)
    finally:
        engine.dispose()
    if not found.up_to_date:
        raise ConfigError(
            "the database's schema is not this release's: run `lanterne-rouge db upgrade` first"
        )
