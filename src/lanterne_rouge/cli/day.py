"""``run``: the daily run for one athlete-day (``run_tour_coach.py`` is this command)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from lanterne_rouge.cli.context import CliContext
from lanterne_rouge.cli.options import AthleteOption, DateOption, DemoOption, MissionOption
from lanterne_rouge.errors import DayAlreadyDone

if TYPE_CHECKING:
    from datetime import date

    from lanterne_rouge.memory.state_store import StateStore


def register(app: typer.Typer) -> None:
    app.command()(run)


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

    On a store with no athlete and no source configured, the bundled demo athlete is used.
    """
    from lanterne_rouge.ai.ai_clients import OfflineNarrator, build_narrator
    from lanterne_rouge.orchestrator import build_orchestrator
    from lanterne_rouge.usage import run_summary
    from lanterne_rouge.utils.config_loader import load_mission

    c = CliContext.of(ctx)
    settings, store = c.settings, c.store
    if not demo and c.athlete_id(athlete) != "demo":
        from lanterne_rouge.cli.data import sync_before_run

        sync_before_run(c, c.athlete_id(athlete), mission)
    asked = load_mission(mission) if mission else None  # checked even when the demo runs
    who = c.athlete(athlete, demo=demo)
    the_mission = None if who.demo else asked or load_mission(settings.mission_file)
    the_day = day.date() if day else c.today(who, the_mission)
    if who.demo:
        from lanterne_rouge.sources.demo import seed_demo

        if who.fallback:
            typer.echo(
                f"No stored data for athlete '{c.athlete_id(athlete)}' and no source "
                "configured: running the bundled DEMO athlete instead (see README: importing "
                "your data)."
            )
        the_mission = seed_demo(store, the_day)
    assert the_mission is not None
    narrator = build_narrator(settings)
    coach = build_orchestrator(
        store,
        the_mission,
        narrator=narrator,
        reasoning_log=settings.output_dir / "reasoning_log.csv",
        tsb_convention=settings.tsb_convention,
    )
    try:
        result = coach.run_day(
            who.id, the_day, data_label="demo" if who.demo else "stored", force=force
        )
    except DayAlreadyDone as done:
        typer.echo(f"{done}.")
        _echo_stored_decision(store, who.id, the_day)
        return
    from lanterne_rouge.cli.format import format_day

    typer.echo(format_day(result, settings.output_dir / "reasoning_log.csv"))
    typer.echo(run_summary(store, offline=isinstance(narrator, OfflineNarrator)))
    from lanterne_rouge.cli.outputs import publish_day

    publish_day(c, result, the_mission)


def _echo_stored_decision(store: StateStore, athlete_id: str, day: date) -> None:
    found = store.messages(athlete_id, kinds=["decision"], since=day, until=day, newest_first=True)
    if found:
        decision = found[0].payload
        typer.echo(f"Stored decision: {decision.action.upper()} (rule: {decision.rule})")  # type: ignore[union-attr]
