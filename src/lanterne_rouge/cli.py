"""The ``lanterne-rouge`` command line.

Expected errors (the ``LanterneError`` tree) print one line and exit non-zero; a traceback
means a bug. Heavy modules are imported inside the commands so ``--help`` and the daily run
start fast.
"""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from lanterne_rouge.errors import DayAlreadyDone, LanterneError

if TYPE_CHECKING:
    from lanterne_rouge.memory.state_store import StateStore
    from lanterne_rouge.utils.config_loader import Settings

app = typer.Typer(
    name="lanterne-rouge",
    help="An endurance coach that runs once a day: observe, decide, plan, explain, remember.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class TableFormat(StrEnum):
    table = "table"
    json = "json"


class FitnessFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


DateOption = Annotated[
    datetime | None,
    typer.Option("--date", formats=["%Y-%m-%d"], help="The athlete's local day (default: today)."),
]
AthleteOption = Annotated[
    str | None, typer.Option("--athlete", help="Athlete id (default: LANTERNE_ATHLETE_ID or 'me').")
]
SinceOption = Annotated[
    datetime | None, typer.Option("--since", formats=["%Y-%m-%d"], help="First day to include.")
]


def _settings() -> Settings:
    from lanterne_rouge.utils.config_loader import load_settings
    from lanterne_rouge.utils.logger import configure_logging

    settings = load_settings()
    configure_logging(settings.log_level)
    return settings


def _store(settings: Settings) -> StateStore:
    from lanterne_rouge.memory.state_store import StateStore

    return StateStore(settings.resolved_database_url())


def _today(timezone: str | None) -> date:
    """The athlete's local calendar date: resolved once, here."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from lanterne_rouge.errors import ConfigError

    if not timezone:
        return datetime.now().astimezone().date()
    try:
        return datetime.now(ZoneInfo(timezone)).date()
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"unknown time zone {timezone!r} (use an IANA name)") from exc


@app.command()
def run(
    day: DateOption = None,
    athlete: AthleteOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="Record a new attempt even if the day is done.")
    ] = False,
    mission: Annotated[
        Path | None,
        typer.Option("--mission", help="Mission TOML (default: LANTERNE_MISSION_FILE)."),
    ] = None,
) -> None:
    """Run the daily coach for one athlete-day and print the decision.

    With no stored data and no source configured, the bundled demo athlete is used.
    """
    from lanterne_rouge.ai.ai_clients import OfflineNarrator, build_narrator
    from lanterne_rouge.orchestrator import build_orchestrator
    from lanterne_rouge.sources.demo import DEMO_ATHLETE, seed_demo
    from lanterne_rouge.usage import run_summary
    from lanterne_rouge.utils.config_loader import load_mission

    settings = _settings()
    store = _store(settings)
    athlete_id = athlete or settings.athlete_id
    if athlete_id != DEMO_ATHLETE:
        from lanterne_rouge.cli_data import sync_before_run

        sync_before_run(settings, store, athlete_id, mission)
    asked = load_mission(mission) if mission else None  # checked even when the demo runs
    demo = athlete_id == DEMO_ATHLETE or not store.has_inputs(athlete_id)
    the_mission = None if demo else asked or load_mission(settings.mission_file)
    zone = the_mission.athlete.timezone if the_mission else None
    the_day = day.date() if day else _today(zone or settings.timezone)
    if demo:
        if athlete_id != DEMO_ATHLETE:
            typer.echo(
                f"No stored data for athlete '{athlete_id}' and no source configured: "
                "running the bundled DEMO athlete instead (see README: importing your data)."
            )
        athlete_id = DEMO_ATHLETE
        the_mission = seed_demo(store, the_day)
    assert the_mission is not None
    narrator = build_narrator(settings, store)
    coach = build_orchestrator(
        store,
        the_mission,
        narrator=narrator,
        reasoning_log=settings.output_dir / "reasoning_log.csv",
        tsb_convention=settings.tsb_convention,
    )
    try:
        result = coach.run_day(
            athlete_id, the_day, data_label="demo" if demo else "stored", force=force
        )
    except DayAlreadyDone as done:
        typer.echo(f"{done}.")
        _echo_stored_decision(store, athlete_id, the_day)
        return
    from lanterne_rouge.cli_format import format_day

    typer.echo(format_day(result, settings.output_dir / "reasoning_log.csv"))
    typer.echo(run_summary(store, offline=isinstance(narrator, OfflineNarrator)))
    from lanterne_rouge.cli_outputs import publish_day

    publish_day(settings, store, result, the_mission)


def _echo_stored_decision(store: StateStore, athlete_id: str, day: date) -> None:
    found = store.messages(athlete_id, kinds=["decision"], since=day, until=day, newest_first=True)
    if found:
        decision = found[0].payload
        typer.echo(f"Stored decision: {decision.action.upper()} (rule: {decision.rule})")  # type: ignore[union-attr]


@app.command()
def history(
    kind: Annotated[str | None, typer.Option("--kind", help="Message kind, e.g. decision.")] = None,
    since: SinceOption = None,
    athlete: AthleteOption = None,
    fmt: Annotated[
        TableFormat, typer.Option("--format", help="Output format.")
    ] = TableFormat.table,
) -> None:
    """Show stored messages (every agent's output, every attempt), oldest first."""
    from lanterne_rouge.cli_format import message_summary
    from lanterne_rouge.messages import KINDS

    settings = _settings()
    if kind is not None and kind not in KINDS:
        raise typer.BadParameter(
            f"unknown kind {kind!r}; one of {', '.join(KINDS)}", param_hint="--kind"
        )
    store = _store(settings)
    athlete_id = athlete or _default_athlete(store, settings)
    found = store.messages(
        athlete_id, kinds=[kind] if kind else None, since=since.date() if since else None
    )
    if fmt is TableFormat.json:
        typer.echo(json.dumps([e.model_dump(mode="json") for e in found], indent=2))
        return
    attempts = {r.run_id: r.attempt for r in store.runs(athlete_id)}
    for e in found:
        typer.echo(
            f"{e.day}  #{attempts.get(e.run_id, '?')}  {e.kind:<15} {message_summary(e.payload)}"
        )
    if not found:
        typer.echo(f"No messages for athlete '{athlete_id}'.")


def _default_athlete(store: StateStore, settings: Settings) -> str:
    from lanterne_rouge.sources.demo import DEMO_ATHLETE

    if store.runs(settings.athlete_id) or store.has_inputs(settings.athlete_id):
        return settings.athlete_id
    return DEMO_ATHLETE


@app.command()
def fitness(
    since: SinceOption = None,
    athlete: AthleteOption = None,
    fmt: Annotated[
        FitnessFormat, typer.Option("--format", help="Output format.")
    ] = FitnessFormat.table,
    seed_ctl: Annotated[
        float | None,
        typer.Option("--seed-ctl", help="CTL before the first day (default: stored seed, or 0)."),
    ] = None,
    seed_atl: Annotated[
        float | None,
        typer.Option("--seed-atl", help="ATL before the first day (default: stored seed, or 0)."),
    ] = None,
) -> None:
    """Print fitness (CTL), fatigue (ATL), form (TSB) and ramp rate from stored daily loads.

    The model starts from the fitness before the history: an imported export's own (kept as
    the history's seed), or --seed-ctl/--seed-atl, or zero.
    """
    from lanterne_rouge.cli_data import seed_override
    from lanterne_rouge.memory.fitness_history import fitness_history

    settings = _settings()
    store = _store(settings)
    athlete_id = athlete or _default_athlete(store, settings)
    loads = store.loads(athlete_id)
    points = (
        fitness_history(
            store,
            athlete_id,
            loads[-1].day,
            since=since.date() if since else None,
            convention=settings.tsb_convention,
            seed=seed_override(store, athlete_id, loads[0].day, seed_ctl, seed_atl),
        ).points
        if loads
        else ()
    )
    rows = [
        {
            "day": p.day.isoformat(),
            "load": round(p.load, 1),
            "ctl": round(p.ctl, 2),
            "atl": round(p.atl, 2),
            "tsb": round(p.tsb, 2),
            "ramp_rate": None if p.ramp_rate is None else round(p.ramp_rate, 2),
        }
        for p in points
    ]
    _print_rows(rows, fmt)


def _print_rows(rows: list[dict[str, Any]], fmt: FitnessFormat) -> None:
    if fmt is FitnessFormat.json:
        typer.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        typer.echo("No training load stored.")
        return
    columns = list(rows[0])
    if fmt is FitnessFormat.csv:
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return
    typer.echo("  ".join(f"{c:>10}" for c in columns))
    for row in rows:
        typer.echo("  ".join(f"{'' if row[c] is None else row[c]!s:>10}" for c in columns))


class ExportFormat(StrEnum):
    zwo = "zwo"
    ics = "ics"


@app.command()
def export(
    fmt: Annotated[ExportFormat, typer.Argument(help="zwo: today's workout; ics: the plan.")],
    day: DateOption = None,
    athlete: AthleteOption = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="File to write (default: in the output folder).")
    ] = None,
) -> None:
    """Export the day's planned workout (.zwo, for Zwift) or the days ahead (.ics calendar)."""
    from lanterne_rouge.errors import DataError
    from lanterne_rouge.exports import plan_to_ics, workout_to_zwo
    from lanterne_rouge.messages import Plan, utc_now

    settings = _settings()
    store = _store(settings)
    athlete_id = athlete or _default_athlete(store, settings)
    the_day = day.date() if day else _today(settings.timezone)
    found = store.messages(
        athlete_id, kinds=["plan"], since=the_day, until=the_day, newest_first=True, limit=1
    )
    if not found or not isinstance(found[0].payload, Plan):
        raise DataError(f"no plan for athlete '{athlete_id}' on {the_day}: run the coach first")
    plan = found[0].payload
    if fmt is ExportFormat.zwo:
        text = workout_to_zwo(plan.workout)
    else:
        text = plan_to_ics(plan, athlete_id=athlete_id, created=utc_now())
    target = out or settings.output_dir / f"plan-{athlete_id}-{the_day}.{fmt.value}"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    typer.echo(f"Wrote {target}")


@app.command()
def usage(since: SinceOption = None) -> None:
    """Model calls, tokens and cost per day and model, from the usage ledger (UTC days)."""
    from datetime import UTC

    from lanterne_rouge.usage import table

    store = _store(_settings())
    start = since.replace(tzinfo=UTC) if since else None
    for line in table(store.llm_calls(since=start)):
        typer.echo(line)


from lanterne_rouge.cli_data import auth_command, import_command, sync_command  # noqa: E402

app.command("import")(import_command)
app.command("sync")(sync_command)
app.command("auth")(auth_command)

from lanterne_rouge.cli_outputs import dashboard_command, notify_command  # noqa: E402
from lanterne_rouge.cli_review import reflect_command, replay_command  # noqa: E402

app.command("replay")(replay_command)
app.command("reflect")(reflect_command)
app.command("notify")(notify_command)
app.command("dashboard")(dashboard_command)

from lanterne_rouge.cli_mcp import mcp_command  # noqa: E402

app.command("mcp")(mcp_command)


def main() -> None:
    """Console entry point: one line for expected errors, a traceback only for bugs."""
    try:
        app()
    except LanterneError as exc:
        from lanterne_rouge.utils.logger import redact_text

        typer.echo(f"lanterne-rouge: error: {redact_text(str(exc))}", err=True)
        sys.exit(exc.exit_code or 1)
