"""Reflection agent: a weekly look back over state history (plans, loads, decisions, mornings).

- **Done**: all training of the week, planned or not.
- **Compliance**: done / planned load, on the days the coach planned (a week it ran on two
  days is not judged against seven days of training); none when it planned fewer than
  ``MIN_PLANNED_DAYS`` days, too few to judge a week by, and none for a week that touches a
  stage race: a stage is ridden as the race goes, not to a plan's load.
- **Day after**: mean readiness and HRV on the mornings after push days, and after recover or
  rest days, so the week shows whether hard days were absorbed.
- **Form vs plan**: the form the week's first plan projected for the last day of the week it
  can be checked on, against the form observed that morning.
- **Rules**: how often each rule decided.

The reflection is stored as a ``Reflection`` message on the first run of the next week and
read back by reasoning and planning for that week.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta
from statistics import fmean
from typing import Protocol, TypeVar

from lanterne_rouge.memory.memory_bus import MemoryBus
from lanterne_rouge.memory.records import DailyLoad
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.messages import DayAfter, Decision, Observation, Plan, Reflection

_ONE_DAY = timedelta(days=1)
T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Dated(Protocol[T_co]):
    """A message with its day (what the bus's ``history_stored`` gives)."""

    @property
    def day(self) -> date: ...

    @property
    def payload(self) -> T_co: ...


RECOVERY_ACTIONS = ("recover", "rest")
MIN_PLANNED_DAYS = 4


def week_of(day: date) -> tuple[date, date]:
    """Monday and Sunday of the week holding ``day``."""
    start = day - timedelta(days=day.weekday())
    return start, start + timedelta(days=6)


def reflect(
    week_start: date,
    decisions: Sequence[Dated[Decision]],
    plans: Sequence[Dated[Plan]],
    loads: Sequence[DailyLoad],
    observations: Sequence[Dated[Observation]] = (),
    compliance_low: float = 0.7,
    race: tuple[date, date] | None = None,
) -> Reflection:
    """Pure: the week's review (see the module docstring). ``observations`` may run to the
    Monday after the week (the morning after Sunday); ``compliance_low`` is the mission's
    threshold, for the note; ``race`` the first and last day of a stage race."""
    week_end = week_start + timedelta(days=6)
    latest_plan = _latest(plans)
    latest_decision = _latest(decisions)
    mornings = _latest(observations)
    planned = sum(p.workout.tss_target for p in latest_plan.values())
    week = [d for d in loads if week_start <= d.day <= week_end]
    actual = sum(d.load for d in week)
    on_planned = sum(d.load for d in week if d.day in latest_plan)
    in_race = race is not None and race[0] <= week_end and week_start <= race[1]
    judged = planned > 0 and len(latest_plan) >= MIN_PLANNED_DAYS and not in_race
    compliance = round(on_planned / planned, 2) if judged else None
    after_push = _day_after(latest_decision, mornings, ("push",))
    after_recovery = _day_after(latest_decision, mornings, RECOVERY_ACTIONS)
    form_day, form_planned, form_actual = _form_vs_plan(plans, mornings, week_end)
    notes = _notes(compliance, compliance_low, len(latest_decision), after_push, after_recovery)
    if in_race:
        notes.insert(0, "a stage race week: compliance is not computed inside the race")
    return Reflection(
        week_start=week_start,
        week_end=week_end,
        planned_load=round(planned, 1),
        actual_load=round(actual, 1),
        done_on_planned_days=round(on_planned, 1) if latest_plan else None,
        compliance=compliance,
        actions=dict(Counter(d.action for d in latest_decision.values())),
        rules=dict(Counter(d.rule for d in latest_decision.values())),
        after_push=after_push,
        after_recovery=after_recovery,
        form_day=form_day,
        form_planned=form_planned,
        form_actual=form_actual,
        notes=tuple(notes),
    )


def _latest(messages: Sequence[Dated[T]]) -> dict[date, T]:
    """The last message per day (a forced re-run replaces the first attempt)."""
    return {m.day: m.payload for m in messages}


def _day_after(
    decisions: dict[date, Decision], mornings: dict[date, Observation], actions: Sequence[str]
) -> DayAfter | None:
    nexts = [
        mornings[day + _ONE_DAY]
        for day, d in decisions.items()
        if d.action in actions and day + _ONE_DAY in mornings
    ]
    if not nexts:
        return None
    readiness = [o.readiness_score for o in nexts if o.readiness_score is not None]
    hrv = [o.hrv_rmssd for o in nexts if o.hrv_rmssd is not None]
    return DayAfter(
        days=len(nexts),
        readiness=round(fmean(readiness), 1) if readiness else None,
        hrv_rmssd=round(fmean(hrv), 1) if hrv else None,
    )


def _form_vs_plan(
    plans: Sequence[Dated[Plan]], mornings: dict[date, Observation], week_end: date
) -> tuple[date | None, float | None, float | None]:
    first = plans[0] if plans else None
    if first is None:
        return None, None, None
    projected = {p.day: p.projected_tsb for p in first.payload.days}
    checkable = [d for d in projected if first.day < d <= week_end and d in mornings]
    if not checkable:
        return None, None, None
    day = max(checkable)
    return day, projected[day], mornings[day].tsb


def _notes(
    compliance: float | None,
    compliance_low: float,
    decided_days: int,
    after_push: DayAfter | None,
    after_recovery: DayAfter | None,
) -> list[str]:
    notes = []
    if compliance is not None and compliance < compliance_low:
        notes.append(
            f"only {compliance:.0%} of the planned load was done (under {compliance_low:.0%}): "
            "next week holds its pushes and plans a smaller ramp"
        )
    elif compliance is not None and compliance > 1.3:
        notes.append(f"{compliance:.0%} of the planned load was done: more than asked")
    if decided_days < 7:
        notes.append(f"{7 - decided_days} days of the week have no decision")
    if (
        after_push
        and after_recovery
        and after_push.readiness is not None
        and after_recovery.readiness is not None
    ):
        gap = after_recovery.readiness - after_push.readiness
        notes.append(
            f"readiness the morning after push days {after_push.readiness:.0f}, after "
            f"recovery days {after_recovery.readiness:.0f} ({gap:+.0f})"
        )
    return notes


class ReflectionAgent:
    producer = "reflection_agent"

    def __init__(
        self,
        store: StateStore,
        compliance_low: float = 0.7,
        race: tuple[date, date] | None = None,
    ) -> None:
        self.store = store
        self.bus = MemoryBus(store)
        self.compliance_low = compliance_low
        self.race = race

    def stored(self, athlete_id: str, week_start: date) -> Reflection | None:
        """The newest stored reflection on the week starting ``week_start``, if any."""
        found = self.bus.history(Reflection, athlete_id, since=week_start)
        matching = [r for r in found if r.week_start == week_start]
        return matching[-1] if matching else None

    def reflect_week(self, athlete_id: str, week_start: date) -> Reflection:
        week_end = week_start + timedelta(days=6)
        bus = self.bus
        return reflect(
            week_start,
            bus.history_stored(Decision, athlete_id, since=week_start, until=week_end),
            bus.history_stored(Plan, athlete_id, since=week_start, until=week_end),
            self.store.loads(athlete_id, since=week_start, until=week_end),
            bus.history_stored(
                Observation, athlete_id, since=week_start, until=week_end + _ONE_DAY
            ),
            self.compliance_low,
            self.race,
        )
