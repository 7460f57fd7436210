"""``run``: the daily run for one athlete-day (``run_tour_coach.py`` is this command).

A scheduled morning has nobody watching, so the run also:

- says first when the run before it failed (``run_failures``), and puts it in the message;
- catches up the mornings missed since the last completed day (``catch_up``: at most 14,
  oldest first, each decided from the data dated up to that day), when no ``--date`` is given;
- keeps its own failure, in one line, for the next run to say.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import click
import typer

from lanterne_rouge.cli.context import Athlete, CliContext
from lanterne_rouge.cli.options import AthleteOption, DateOption, DemoOption, MissionOption
from lanterne_rouge.errors import ConfigError, DayAlreadyDone, LanterneError

if TYPE_CHECKING:
    from lanterne_rouge.memory.state_store import StateStore
    from lanterne_rouge.mission_config import Mission
    from lanterne_rouge.orchestrator import Orchestrator

LATEST_DAY = date(2099, 12, 31)


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

    Without --date, the mornings missed since the last completed day are run first (at most
    14, oldest first). On a store with no athlete and no source configured, the bundled demo
    athlete is used.
    """
    c = CliContext.of(ctx)
    asked = day.date() if day else None
    try:
        _run(c, asked, athlete, demo=demo, force=force, mission_file=mission)
    except (click.exceptions.Exit, click.ClickException):
        raise
    except LanterneError as exc:
        _remember(c, asked, str(exc), exc.exit_code or 1)
        raise
    except Exception as exc:  # a bug: the traceback is printed, and the next run says so
        _remember(c, asked, f"unexpected {type(exc).__name__} (a bug; see the log)", 1)
        raise


def _run(
    c: CliContext,
    asked: date | None,
    athlete: str | None,
    *,
    demo: bool,
    force: bool,
    mission_file: Path | None,
) -> None:
    from lanterne_rouge.run_failures import clear_failure, last_failure
    from lanterne_rouge.utils.config_loader import load_mission

    if asked is not None:
        _check_day(asked)
    settings = c.settings
    earlier = last_failure(settings.home)
    if earlier is not None:
        typer.echo(earlier.line())
    alerts = [earlier.line()] if earlier is not None else []
    mission_path = mission_file
    if not demo and c.athlete_id(athlete) != "demo":
        from lanterne_rouge.cli.data import sync_before_run

        alerts += sync_before_run(c, c.athlete_id(athlete), mission_path)
    asked_mission = load_mission(mission_path) if mission_path else None  # checked even for demo
    who = c.athlete(athlete, demo=demo)
    the_mission = None if who.demo else asked_mission or load_mission(settings.mission_file)
    the_day = asked or c.today(who, the_mission)
    if who.demo:
        the_mission = _demo_mission(c, who, athlete, the_day)
    assert the_mission is not None
    coach, offline = _coach(c, the_mission)
    if asked is None and not force and not who.demo:
        _catch_up(c.store, coach, who.id, the_day)
    try:
        result = coach.run_day(
            who.id, the_day, data_label="demo" if who.demo else "stored", force=force
        )
    except DayAlreadyDone as done:
        typer.echo(f"{done}.")
        _echo_stored_decision(c.store, who.id, the_day)
        clear_failure(settings.home)
        return
    from lanterne_rouge.cli.format import format_day
    from lanterne_rouge.cli.outputs import publish_day
    from lanterne_rouge.usage import run_summary

    typer.echo(format_day(result, settings.output_dir / "reasoning_log.csv"))
    typer.echo(run_summary(c.store, offline=offline))
    publish_day(c, result, the_mission, alerts=alerts)
    clear_failure(settings.home)


def _check_day(day: date) -> None:
    from lanterne_rouge.sources.dates import EARLIEST

    if not EARLIEST <= day <= LATEST_DAY:
        raise ConfigError(f"--date {day}: the coach runs days from {EARLIEST} to {LATEST_DAY}")


def _demo_mission(c: CliContext, who: Athlete, athlete: str | None, day: date) -> Mission:
    from lanterne_rouge.sources.demo import seed_demo

    if who.fallback:
        typer.echo(
            f"No stored data for athlete '{c.athlete_id(athlete)}' and no source "
            "configured: running the bundled DEMO athlete instead (see README: importing "
            "your data)."
        )
    return seed_demo(c.store, day)


def _coach(c: CliContext, mission: Mission) -> tuple[Orchestrator, bool]:
    from lanterne_rouge.ai.ai_clients import OfflineNarrator, build_narrator
    from lanterne_rouge.orchestrator import build_orchestrator

    settings = c.settings
    narrator = build_narrator(settings)
    coach = build_orchestrator(
        c.store,
        mission,
        narrator=narrator,
        reasoning_log=settings.output_dir / "reasoning_log.csv",
        tsb_convention=settings.tsb_convention,
    )
    return coach, isinstance(narrator, OfflineNarrator)


def _catch_up(store: StateStore, coach: Orchestrator, athlete_id: str, today: date) -> None:
    """Run the mornings missed since the last completed day, oldest first, one line each."""
    from lanterne_rouge.catch_up import owed_days

    done = [r.day for r in store.runs(athlete_id) if r.status == "done" and r.day <= today]
    owed = owed_days(max(done) if done else None, today)
    summary = owed.summary()
    if summary is None:
        return
    typer.echo(summary)
    for missed in owed.missed:
        try:
            result = coach.run_day(athlete_id, missed, data_label="stored")
        except DayAlreadyDone:
            continue
        d = result.decision
        typer.echo(f"  {missed}  {d.action.upper():<8} (rule: {d.rule})")


def _remember(c: CliContext, day: date | None, message: str, exit_code: int) -> None:
    """Keep this run's failure for the next run (never fails itself)."""
    from lanterne_rouge.run_failures import Failure, record_failure
    from lanterne_rouge.utils.logger import redact_text

    try:
        home = c.settings.home
    except LanterneError:
        return  # the settings themselves are wrong: there is no home to keep it in
    failure = Failure(
        command="morning run",
        day=day.isoformat() if day else None,
        at=datetime.now(UTC),
        message=redact_text(message),
        exit_code=exit_code,
    )
    record_failure(home, failure)


def _echo_stored_decision(store: StateStore, athlete_id: str, day: date) -> None:
    found = store.messages(athlete_id, kinds=["decision"], since=day, until=day, newest_first=True)
    if found:
        decision = found[0].payload
        typer.echo(f"Stored decision: {decision.action.upper()} (rule: {decision.rule})")  # type: ignore[union-attr]
