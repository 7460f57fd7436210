"""The ``athlete`` command group, which ``athlete``, ``athlete_roster`` and ``athlete_secrets``
fill with their commands."""

from __future__ import annotations

import typer

athlete_app = typer.Typer(
    help="Athletes: who they are, when their day runs, thresholds, channels, sources, tokens.",
    no_args_is_help=True,
)
