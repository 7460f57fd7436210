"""The options commands share: one definition each, so ``--athlete`` means one thing."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

AthleteOption = Annotated[
    str | None,
    typer.Option("--athlete", help="Athlete id (default: LANTERNE_ATHLETE_ID, else 'me')."),
]
DemoOption = Annotated[
    bool, typer.Option("--demo", help="Use the bundled demo athlete (example data, not yours).")
]
DateOption = Annotated[
    datetime | None,
    typer.Option(
        "--date", formats=["%Y-%m-%d"], help="The athlete's local day (default: today there)."
    ),
]
SinceOption = Annotated[
    datetime | None, typer.Option("--since", formats=["%Y-%m-%d"], help="First day to include.")
]
MissionOption = Annotated[
    Path | None,
    typer.Option(
        "--mission",
        help="Mission TOML, with the athlete's thresholds and time zone "
        "(default: LANTERNE_MISSION_FILE).",
    ),
]


class TableFormat(StrEnum):
    table = "table"
    json = "json"


class FitnessFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
