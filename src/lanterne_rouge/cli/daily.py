"""The daily run for one athlete-day, without Typer: ``lanterne-rouge run`` and
``run_tour_coach.py`` both come here (``day.py`` reads the options through the app,
``run_fast.py`` reads the plain ones itself).

The day's effects (the reasoning-log row, the morning message, the report) are subscribers of
the bus, owed through the outbox and done at the end of the run (``effects.py``). A scheduled
morning has nobody watching, so the run also:

- says first when the run before it failed (``run_failures``), and puts it in the message;
- catches up the mornings missed since the last completed day (``catch_up``: at most 14,
  oldest first, each decided from the data dated up to that day), when no ``--date`` is given;
- keeps its own failure, in one line, for the next run to say.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from lanterne_rouge.cli.context import Athlete, CliContext, echo, mission_for
from lanterne_rouge.errors import ConfigError, DayAlreadyDone, DayInProgress, LanterneError

if TYPE_CHECKING:
    from lanterne_rouge.memory.memory_bus import EffectOutcome, MemoryBus
    from lanterne_rouge.mission_config import Mission
    from lanterne_rouge.orchestrator import Orchestrator

LATEST_DAY = date(2099, 12, 31)


def run_day(
    c: CliContext,
    asked: date | None,
    athlete: str | None,
    *,
    demo: bool = False,
    force: bool = False,
    mission_file: Path | None = None,
    passing: tuple[type[BaseException], ...] = (),
) -> None:
    """The daily run; a failure is kept for the next run to say (``passing``: exceptions that
    only end the command, such as the app's own exits, and are not failures)."""
    try:
        _run(c, asked, athlete, demo=demo, force=force, mission_file=mission_file)
    except passing:
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
    from lanterne_rouge.mission_file import load_mission
    from lanterne_rouge.run_failures import clear_failure, last_failure

    if asked is not None:
        _check_day(asked)
    settings = c.settings
    earlier = last_failure(settings.home)
    if earlier is not None:
        echo(earlier.line())
    alerts = [earlier.line()] if earlier is not None else []
    mission_path = mission_file
    athlete_id = c.athlete_id(athlete)
    if not demo and athlete_id != "demo" and c.store.knows(athlete_id):
        from lanterne_rouge.cli.context import athlete_context

        athlete_context(c, athlete_id, mission_path)  # seeds the thresholds it uses
    if not demo and c.athlete_id(athlete) != "demo":
        from lanterne_rouge.sources.connect import configured_sources

        if configured_sources(settings):  # else nothing to sync: no HTTP client, no Typer
            from lanterne_rouge.cli.data import sync_before_run

            alerts += sync_before_run(c, c.athlete_id(athlete), mission_path)
    asked_mission = load_mission(mission_path) if mission_path else None  # checked even for demo
    who = c.athlete(athlete, demo=demo)
    the_mission = None if who.demo else asked_mission or load_mission(settings.mission_file)
    the_day = asked or c.today(who, the_mission)
    if who.demo:
        the_mission = _demo_mission(c, who, athlete, the_day)
    assert the_mission is not None
    coach, offline = _coach(c, the_mission, alerts, who.id)
    if asked is None and not force and not who.demo:
        _catch_up(coach, who.id, the_day)
    try:
        result = coach.run_day(
            who.id, the_day, data_label="demo" if who.demo else "stored", force=force
        )
    except (DayAlreadyDone, DayInProgress) as done:
        echo(f"{done}.")
        _echo_stored_decision(coach.bus, who.id, the_day)
        echo_outcomes(coach.bus.deliver_owed(who.id))
        clear_failure(settings.home)
        return
    from lanterne_rouge.cli.format import format_day
    from lanterne_rouge.usage import run_summary

    echo(format_day(result, settings.output_dir / "reasoning_log.csv"))
    echo(run_summary(c.store, offline=offline))
    echo_outcomes(coach.bus.deliver_owed(who.id))
    clear_failure(settings.home)


def _check_day(day: date) -> None:
    from lanterne_rouge.sources.dates import EARLIEST

    if not EARLIEST <= day <= LATEST_DAY:
        raise ConfigError(f"--date {day}: the coach runs days from {EARLIEST} to {LATEST_DAY}")


def _demo_mission(c: CliContext, who: Athlete, athlete: str | None, day: date) -> Mission:
    from lanterne_rouge.sources.demo import seed_demo

    if who.fallback:
        echo(
            f"No stored data for athlete '{c.athlete_id(athlete)}' and no source "
            "configured: running the bundled DEMO athlete instead (see README: importing "
            "your data)."
        )
    return seed_demo(c.store, day)


def _coach(
    c: CliContext, mission: Mission, alerts: list[str], athlete_id: str
) -> tuple[Orchestrator, bool]:
    from lanterne_rouge.ai.ai_clients import OfflineNarrator, build_narrator
    from lanterne_rouge.orchestrator import build_orchestrator

    settings = c.settings
    narrator = build_narrator(settings)
    coach = build_orchestrator(
        c.store,
        mission,
        narrator=narrator,
        bus=effects_bus(c, alerts, (athlete_id, mission)),
        tsb_convention=settings.tsb_convention,
    )
    return coach, isinstance(narrator, OfflineNarrator)


def effects_bus(
    c: CliContext,
    alerts: list[str] | None = None,
    ran: tuple[str, Mission] | None = None,
) -> MemoryBus:
    """The bus on the context's store, with the day's effects subscribed. ``alerts`` (this
    run's notes) go into its report and message; ``ran`` is the athlete and mission this run
    used, for the report's goal (other days take the configured mission, or the demo's)."""
    from lanterne_rouge.effects import Outputs, subscribe_effects
    from lanterne_rouge.memory.memory_bus import MemoryBus

    def mission(athlete_id: str, day: date) -> Mission | None:
        if ran is not None and athlete_id == ran[0] and athlete_id != "demo":
            return ran[1]
        return mission_for(c, athlete_id, day)

    s = c.settings
    outputs = Outputs(
        s.output_dir, s.tsb_convention, s, alerts=tuple(alerts or ()), mission_for=mission
    )
    return subscribe_effects(MemoryBus(c.store), outputs)


def echo_outcomes(outcomes: list[EffectOutcome]) -> None:
    """What each effect done has to say; one line per day and error for those left owed."""
    from lanterne_rouge.effects import NAMES

    failed: dict[tuple[str, date, str], list[str]] = {}
    for outcome in outcomes:
        if outcome.error is None:
            if outcome.line:
                echo(outcome.line)
            continue
        key = (outcome.athlete_id, outcome.day, outcome.error)
        failed.setdefault(key, []).append(NAMES.get(outcome.effect, outcome.effect))
    for (athlete_id, day, error), names in failed.items():
        what = " and ".join(names)
        echo(
            f"Not done for {athlete_id} {day}: {what} ({error}); "
            "kept owed: the next run or `lanterne-rouge repair` does it."
        )


def _catch_up(coach: Orchestrator, athlete_id: str, today: date) -> None:
    """Run the mornings missed since the last completed day, oldest first, one line each."""
    from lanterne_rouge.catch_up import owed_days

    runs = coach.store.day_runs.of(athlete_id)
    done = [r.day for r in runs if r.status == "done" and r.day <= today]
    owed = owed_days(max(done) if done else None, today)
    summary = owed.summary()
    if summary is None:
        return
    echo(summary)
    for missed in owed.missed:
        try:
            result = coach.run_day(athlete_id, missed, data_label="stored")
        except (DayAlreadyDone, DayInProgress):
            continue
        d = result.decision
        echo(f"  {missed}  {d.action.upper():<8} (rule: {d.rule})")


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


def _echo_stored_decision(bus: MemoryBus, athlete_id: str, day: date) -> None:
    from lanterne_rouge.messages import Decision

    decision = bus.latest(Decision, athlete_id, since=day, until=day)
    if decision is not None:
        echo(f"Stored decision: {decision.action.upper()} (rule: {decision.rule})")
