"""What is stored: ``history`` (every message), ``fitness`` (the model) and ``usage`` (LLM)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Annotated, Any

import typer

from lanterne_rouge.cli.context import CliContext
from lanterne_rouge.cli.options import (
    AthleteOption,
    DemoOption,
    FitnessFormat,
    SinceOption,
    TableFormat,
)


def register(app: typer.Typer) -> None:
    app.command()(history)
    app.command()(fitness)
    app.command()(usage)


def history(
    ctx: typer.Context,
    kind: Annotated[str | None, typer.Option("--kind", help="Message kind, e.g. decision.")] = None,
    since: SinceOption = None,
    athlete: AthleteOption = None,
    demo: DemoOption = False,
    fmt: Annotated[
        TableFormat, typer.Option("--format", help="Output format.")
    ] = TableFormat.table,
) -> None:
    """Show stored messages (every agent's output, every attempt), oldest first."""
    from lanterne_rouge.cli.format import message_summary
    from lanterne_rouge.memory.memory_bus import MemoryBus
    from lanterne_rouge.messages import KINDS

    c = CliContext.of(ctx)
    if kind is not None and kind not in KINDS:
        raise typer.BadParameter(
            f"unknown kind {kind!r}; one of {', '.join(KINDS)}", param_hint="--kind"
        )
    store = c.store
    athlete_id = c.athlete(athlete, demo=demo).id
    messages = MemoryBus(store).stream(
        athlete_id, kinds=[kind] if kind else None, since=since.date() if since else None
    )
    if fmt is TableFormat.json:
        _echo_json_array(e.model_dump_json(indent=2) for e in messages)
        return
    attempts = {r.run_id: r.attempt for r in store.day_runs.of(athlete_id)}
    shown = 0
    for e in messages:
        typer.echo(
            f"{e.day}  #{attempts.get(e.run_id, '?')}  {e.kind:<15} {message_summary(e.payload)}"
        )
        shown += 1
    if not shown:
        typer.echo(f"No messages for athlete '{athlete_id}'.")


def _echo_json_array(items: Iterable[str]) -> None:
    """A JSON array written as it is read: the whole history is never in memory at once."""
    first = True
    for item in items:
        typer.echo(("[\n" if first else ",\n") + item, nl=False)
        first = False
    typer.echo("[]" if first else "\n]")


def fitness(
    ctx: typer.Context,
    since: SinceOption = None,
    athlete: AthleteOption = None,
    demo: DemoOption = False,
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
    from lanterne_rouge.cli.data import seed_override
    from lanterne_rouge.memory.fitness_history import fitness_history

    c = CliContext.of(ctx)
    store = c.store
    athlete_id = c.athlete(athlete, demo=demo).id
    loads = store.loads(athlete_id)
    points = (
        fitness_history(
            store,
            athlete_id,
            loads[-1].day,
            since=since.date() if since else None,
            convention=c.settings.tsb_convention,
            seed=seed_override(store, athlete_id, loads[0].day, seed_ctl, seed_atl),
        ).points
        if loads
        else ()
    )
    rows = [
        {
            "day": p.day.isoformat(),
            "load": round(p.load, 1),
            "fatigue_load": round(p.fatigue_load, 1),
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


def usage(ctx: typer.Context, since: SinceOption = None) -> None:
    """Model calls, tokens and cost per day and model, from the usage ledger (UTC days)."""
    from datetime import UTC

    from lanterne_rouge.usage import table

    store = CliContext.of(ctx).store
    start = since.replace(tzinfo=UTC) if since else None
    for line in table(store.llm_calls(since=start)):
        typer.echo(line)
