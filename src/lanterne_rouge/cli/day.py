"""``run``: the daily run for one athlete-day (``run_tour_coach.py`` is this command), and
``repair``: finish what a crash or a full disk left owed."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from lanterne_rouge.cli.context import CliContext
from lanterne_rouge.cli.options import AthleteOption, DateOption, DemoOption, MissionOption
from lanterne_rouge.errors import DayAlreadyDone, DayInProgress

if TYPE_CHECKING:
    from lanterne_rouge.memory.memory_bus import EffectOutcome, MemoryBus


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

    On a store with no athlete and no source configured, the bundled demo athlete is used.
    A day a crash left decided is finished without deciding again; effects still owed (the
    reasoning-log row, the morning message, the report) are done at the end.
    """
    from lanterne_rouge.ai.ai_clients import OfflineNarrator, build_narrator
    from lanterne_rouge.mission_file import load_mission
    from lanterne_rouge.orchestrator import build_orchestrator
    from lanterne_rouge.usage import run_summary

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
    bus = effects_bus(c)
    coach = build_orchestrator(
        store,
        the_mission,
        narrator=narrator,
        bus=bus,
        tsb_convention=settings.tsb_convention,
    )
    try:
        result = coach.run_day(
            who.id, the_day, data_label="demo" if who.demo else "stored", force=force
        )
    except (DayAlreadyDone, DayInProgress) as done:
        typer.echo(f"{done}.")
        _echo_stored_decision(bus, who.id, the_day)
        echo_outcomes(bus.deliver_owed(who.id))
        return
    from lanterne_rouge.cli.format import format_day

    typer.echo(format_day(result, settings.output_dir / "reasoning_log.csv"))
    typer.echo(run_summary(store, offline=isinstance(narrator, OfflineNarrator)))
    echo_outcomes(bus.deliver_owed(who.id))


def repair(ctx: typer.Context) -> None:
    """Finish decided days whose report a crash left owed, and redo every owed effect (the
    reasoning-log row, the morning message, the report), for every athlete."""
    from lanterne_rouge.ai.ai_clients import build_narrator
    from lanterne_rouge.orchestrator import finish_decided

    c = CliContext.of(ctx)
    bus = effects_bus(c)
    finished = finish_decided(bus, build_narrator(c.settings))
    for result in finished:
        typer.echo(f"Finished {result.run.athlete_id} {result.run.day}: the decision stood.")
    outcomes = bus.deliver_owed()
    echo_outcomes(outcomes)
    if not finished and not outcomes:
        typer.echo("Nothing owed: every day is finished and every effect done.")
    if any(o.error for o in outcomes):
        raise typer.Exit(1)


def effects_bus(c: CliContext) -> MemoryBus:
    """The bus on the context's store, with the day's effects subscribed."""
    from lanterne_rouge.effects import Outputs, subscribe_effects
    from lanterne_rouge.memory.memory_bus import MemoryBus

    outputs = Outputs(c.settings.output_dir, c.settings.tsb_convention, c.settings)
    return subscribe_effects(MemoryBus(c.store), outputs)


def echo_outcomes(outcomes: list[EffectOutcome]) -> None:
    """What each effect done has to say; one line per day and error for those left owed."""
    from lanterne_rouge.effects import NAMES

    failed: dict[tuple[str, date, str], list[str]] = {}
    for outcome in outcomes:
        if outcome.error is None:
            if outcome.line:
                typer.echo(outcome.line)
            continue
        key = (outcome.athlete_id, outcome.day, outcome.error)
        failed.setdefault(key, []).append(NAMES.get(outcome.effect, outcome.effect))
    for (athlete_id, day, error), names in failed.items():
        what = " and ".join(names)
        typer.echo(
            f"Not done for {athlete_id} {day}: {what} ({error}); "
            "kept owed: the next run or `lanterne-rouge repair` does it."
        )


def _echo_stored_decision(bus: MemoryBus, athlete_id: str, day: date) -> None:
    from lanterne_rouge.messages import Decision

    decision = bus.latest(Decision, athlete_id, since=day, until=day)
    if decision is not None:
        typer.echo(f"Stored decision: {decision.action.upper()} (rule: {decision.rule})")
