"""Looking back: ``replay`` runs a recorded scenario in a throwaway store, ``reflect`` shows
a week's review from the stored history."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from lanterne_rouge.cli.context import CliContext
from lanterne_rouge.cli.options import AthleteOption, DemoOption


def register(app: typer.Typer) -> None:
    app.command("replay")(replay_command)
    app.command("reflect")(reflect_command)


def replay_command(
    ctx: typer.Context,
    scenario: Annotated[
        str, typer.Argument(help="Scenario folder, or its name under tests/agent_scenarios.")
    ],
    configured_backend: Annotated[
        bool,
        typer.Option(
            "--configured-backend",
            help="Replay on the configured database's backend (a throwaway schema in "
            "LANTERNE_DATABASE_URL on PostgreSQL) instead of a throwaway SQLite file.",
        ),
    ] = False,
) -> None:
    """Replay a recorded scenario day by day in a throwaway store and print each decision."""
    from lanterne_rouge.cli.format import stage_line
    from lanterne_rouge.replay import ReplayedDay
    from lanterne_rouge.replay import replay as run_replay
    from lanterne_rouge.sources.scenarios import find_scenario, load_scenario

    settings = CliContext.of(ctx).settings
    loaded = load_scenario(find_scenario(scenario, Path("tests/agent_scenarios")))
    typer.echo(
        f"Replaying {loaded.name}: {len(loaded.expected)} days ({loaded.mission.mission.name})"
    )

    def show(day: ReplayedDay) -> None:
        d = day.result.decision
        mark = "ok " if day.matches else "DIFF"
        want = "" if day.matches else f"  expected {day.expected.action}/{day.expected.rule}"
        typer.echo(f"{mark} {day.expected.day}  {d.action:<8} {d.rule}{want}")
        for result in day.result.stage_results:
            typer.echo(f"     {stage_line(result)}")

    url = settings.resolved_database_url() if configured_backend else None
    days = run_replay(loaded, on_day=show, database_url=url)
    wrong = sum(not d.matches for d in days)
    typer.echo(f"{len(days) - wrong} of {len(days)} days match the expected decisions.")
    points = days[-1].result.status.points if days else None
    if points is not None:
        typer.echo(f"Points after the last day: {points}.")
    if wrong:
        raise typer.Exit(1)


WeekOption = Annotated[
    datetime | None,
    typer.Option(
        "--week", formats=["%Y-%m-%d"], help="Any day of the week to review (default: last week)."
    ),
]


def reflect_command(
    ctx: typer.Context,
    week: WeekOption = None,
    athlete: AthleteOption = None,
    demo: DemoOption = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the reflection as JSON.")] = False,
) -> None:
    """Review a week from the stored history: planned vs done load, the mornings after push
    and recovery days, form against the plan, the rules that fired most.

    Shows the reflection the daily run stored for that week (on its first run of the next
    week; reasoning and planning read it). A week without one, such as the current week, is
    reviewed on the spot and not stored.
    """
    from datetime import timedelta

    from lanterne_rouge.agents.reflection_agent import ReflectionAgent, week_of
    from lanterne_rouge.cli.format import reflection_text

    c = CliContext.of(ctx)
    who = c.athlete(athlete, demo=demo)
    day = week.date() if week else c.today(who) - timedelta(days=7)
    monday, _ = week_of(day)
    agent = ReflectionAgent(c.store)
    stored = agent.stored(who.id, monday)
    reflection = stored or agent.reflect_week(who.id, monday)
    if as_json:
        typer.echo(reflection.model_dump_json(indent=2))
        return
    typer.echo(reflection_text(reflection))
    typer.echo("(stored by the daily run)" if stored else "(reviewed now, not stored)")
