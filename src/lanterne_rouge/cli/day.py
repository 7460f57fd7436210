"""``run``: the daily run for one athlete-day (``run_tour_coach.py`` is this command; the run
itself is ``daily.py``), and ``repair``: finish what a crash, a full disk or a channel down
left owed.
"""

from __future__ import annotations

from typing import Annotated

import click
import typer

from lanterne_rouge.cli.context import CliContext, echo
from lanterne_rouge.cli.daily import echo_outcomes, effects_bus, run_day
from lanterne_rouge.cli.options import AthleteOption, DateOption, DemoOption, MissionOption


def register(app: typer.Typer) -> None:
    app.command()(run)
    app.command()(repair)


def run(
    ctx: typer.Context,
    day: DateOption = None,
    athlete: AthleteOption = None,
    demo: DemoOption = False,
    force: Annotated[
        bool, typer.Option("--force", help="Record a new attempt even if the day is done.")
    ] = False,
    mission: MissionOption = None,
) -> None:
    """Run the daily coach for one athlete-day and print the decision.

    Without --date, the mornings missed since the last completed day are run first (at most
    14, oldest first). On a store with no athlete and no source configured, the bundled demo
    athlete is used.
    """
    run_day(
        CliContext.of(ctx),
        day.date() if day else None,
        athlete,
        demo=demo,
        force=force,
        mission_file=mission,
        passing=(click.exceptions.Exit, click.ClickException),
    )


def repair(ctx: typer.Context) -> None:
    """Finish decided days whose report a crash left owed, and redo every owed effect (the
    reasoning-log row, the morning message, the report), for every athlete."""
    from lanterne_rouge.ai.ai_clients import build_narrator
    from lanterne_rouge.orchestrator import finish_decided

    c = CliContext.of(ctx)
    bus = effects_bus(c)
    finished = finish_decided(bus, build_narrator(c.settings))
    for result in finished:
        echo(f"Finished {result.run.athlete_id} {result.run.day}: the decision stood.")
    outcomes = bus.deliver_owed()
    echo_outcomes(outcomes)
    if not finished and not outcomes:
        echo("Nothing owed: every day is finished and every effect done.")
    if any(o.error for o in outcomes):
        raise typer.Exit(1)
