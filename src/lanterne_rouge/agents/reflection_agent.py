"""Reflection agent: a weekly look back over state history (plans, loads, decisions)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta

from lanterne_rouge.memory.records import DailyLoad
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.messages import Decision, Envelope, Plan, Reflection


def week_of(day: date) -> tuple[date, date]:
    """Monday and Sunday of the week holding ``day``."""
    start = day - timedelta(days=day.weekday())
    return start, start + timedelta(days=6)


def reflect(
    week_start: date,
    decisions: Sequence[Envelope],
    plans: Sequence[Envelope],
    loads: Sequence[DailyLoad],
) -> Reflection:
    """Pure: planned vs executed load, compliance, the actions and rules of the week.

    Load is compared only on the days the coach planned, so a week it ran on two days is not
    judged against seven days of training.
    """
    week_end = week_start + timedelta(days=6)
    latest_plan = {e.day: e.payload for e in plans if isinstance(e.payload, Plan)}
    latest_decision = {e.day: e.payload for e in decisions if isinstance(e.payload, Decision)}
    planned = sum(p.workout.tss_target for p in latest_plan.values())
    actual = sum(d.load for d in loads if d.day in latest_plan and week_start <= d.day <= week_end)
    compliance = round(actual / planned, 2) if planned > 0 else None
    notes = []
    if compliance is not None and compliance < 0.7:
        notes.append(f"only {compliance:.0%} of the planned load was done")
    elif compliance is not None and compliance > 1.3:
        notes.append(f"{compliance:.0%} of the planned load was done: more than asked")
    missing = 7 - len(latest_decision)
    if missing > 0:
        notes.append(f"{missing} days of the week have no decision")
    return Reflection(
        week_start=week_start,
        week_end=week_end,
        planned_load=round(planned, 1),
        actual_load=round(actual, 1),
        compliance=compliance,
        actions=dict(Counter(d.action for d in latest_decision.values())),
        rules=dict(Counter(d.rule for d in latest_decision.values())),
        notes=tuple(notes),
    )


class ReflectionAgent:
    producer = "reflection_agent"

    def __init__(self, store: StateStore) -> None:
        self.store = store

    def reflect_week(self, athlete_id: str, week_start: date) -> Reflection:
        week_end = week_start + timedelta(days=6)
        found = self.store.messages(
            athlete_id, kinds=["decision", "plan"], since=week_start, until=week_end
        )
        return reflect(
            week_start,
            [e for e in found if e.kind == "decision"],
            [e for e in found if e.kind == "plan"],
            self.store.loads(athlete_id, since=week_start, until=week_end),
        )
