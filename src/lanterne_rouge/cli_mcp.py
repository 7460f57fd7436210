"""``lanterne-rouge mcp``: serve the coach's answers to AI assistants over stdio (MCP)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def mcp_command(
    athlete: Annotated[
        list[str] | None,
        typer.Option(
            "--athlete",
            help="An athlete to answer about; repeat for several (default: the configured one).",
        ),
    ] = None,
) -> None:
    """Serve read-only tools to AI assistants over stdio (Model Context Protocol).

    Needs the [mcp] extra. Add it to an MCP client as the command `lanterne-rouge mcp`.
    """
    from lanterne_rouge.assistants.mcp_server import _sdk

    _sdk()  # a missing extra is one line, before anything else
    from lanterne_rouge.assistants.answers import Answers
    from lanterne_rouge.assistants.mcp_server import read_only, serve
    from lanterne_rouge.cli_outputs import _athlete, mission_for
    from lanterne_rouge.errors import ConfigError
    from lanterne_rouge.memory.state_store import StateStore
    from lanterne_rouge.utils.config_loader import load_settings
    from lanterne_rouge.utils.logger import configure_logging

    settings = load_settings()
    configure_logging(settings.log_level)  # on stderr: stdout carries the protocol
    url = settings.resolved_database_url()
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        raise ConfigError(
            f"no database at {url.removeprefix('sqlite:///')}: run `lanterne-rouge run` first "
            "(or set LANTERNE_HOME)"
        )
    store = read_only(StateStore(url))
    served = tuple(athlete) if athlete else (_athlete(store, settings, None),)
    serve(
        Answers(
            store,
            served,
            lambda who, day: mission_for(settings, who, day),
            settings.tsb_convention,
        )
    )
