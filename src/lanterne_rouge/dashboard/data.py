"""What the dashboard reads: the athletes, their stored days, one day's page, the decision
history. Only reads the store, never calls a model, so a page never waits on one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape
from typing import Any

import msgspec

from lanterne_rouge.day_view import DayView, load_day_view
from lanterne_rouge.errors import LanterneError
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.messages import Decision, Plan
from lanterne_rouge.mission_config import Mission
from lanterne_rouge.report.html import Sections, text_sections
from lanterne_rouge.report.series import fitness_chart, recovery_trends
from lanterne_rouge.training.fitness import TsbConvention

TREND_DAYS = 182  # recovery trends with their daily baselines: half a year is enough to read
HISTORY_COLUMNS = ["date", "action", "rule", "load done (TSS)", "load planned (TSS)"]
MissionFor = Callable[[str, date], Mission | None]


class Page(msgspec.Struct, frozen=True):
    """One athlete-day as the dashboard shows it; figures are None when there is no day."""

    sections: Sections
    fitness: Any = None
    trends: Any = None
    history: tuple[tuple[str, str, str, str, str], ...] = ()


def stored_days(store: StateStore, athlete: str) -> list[date]:
    """The days with a decision, newest first."""
    days = {e.day for e in store.messages(athlete, kinds=["decision"])}
    return sorted(days, reverse=True)


def page(
    store: StateStore,
    athlete: str,
    day: date | None,
    *,
    mission_for: MissionFor,
    tsb_convention: TsbConvention = "previous_day",
) -> Page:
    """The page of ``day`` (default: the newest), or a header saying why there is none."""
    from lanterne_rouge.dashboard.figures import fitness_figure, trends_figure

    try:
        the_day = day or next(iter(stored_days(store, athlete)), None)
        view = load_day_view(
            store,
            athlete,
            the_day,
            tsb_convention=tsb_convention,
            mission=mission_for(athlete, the_day) if the_day else None,
            history_days=None,
        )
    except LanterneError as exc:
        said = f'<div class="lr"><h1>Lanterne Rouge</h1><p>{escape(str(exc))}</p></div>'
        empty = {name: "" for name in Sections.__struct_fields__ if name != "header"}
        return Page(Sections(header=said, **empty))
    return Page(
        text_sections(view),
        fitness_figure(fitness_chart(view, days=None)),
        trends_figure(recovery_trends(view, days=TREND_DAYS), view.day),
        decision_history(store, view),
    )


def decision_history(
    store: StateStore, view: DayView
) -> tuple[tuple[str, str, str, str, str], ...]:
    """Each day up to the view's: its last attempt's action and rule, load done and planned."""
    done = {p.day: p.load for p in view.history}
    latest: dict[date, tuple[Decision | None, Plan | None]] = {}
    for e in store.messages(view.athlete_id, kinds=["decision", "plan"], until=view.day):
        decision, plan = latest.get(e.day, (None, None))
        if isinstance(e.payload, Decision):
            latest[e.day] = (e.payload, None)  # a new attempt starts with its decision
        elif isinstance(e.payload, Plan):
            latest[e.day] = (decision, e.payload)
    rows = []
    for day in sorted(latest, reverse=True):
        decision, plan = latest[day]
        if decision is None:
            continue
        planned = f"{plan.workout.tss_target:.0f}" if plan else ""
        load = f"{done[day]:.0f}" if day in done else "not yet"
        rows.append((day.isoformat(), decision.action, decision.rule, load, planned))
    return tuple(rows)
