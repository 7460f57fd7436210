"""The day's charts as data: what the report's SVG and the dashboard's Plotly figures draw.

Pure functions over a :class:`DayView`, so both pictures show the same numbers:

- :func:`fitness_chart`: each day's load, fitness (CTL), fatigue (ATL), form (TSB) and ramp
  rate; history up to yesterday, then the plan's days and its outlook up to the event's start
  (``agents.outlook``); today's values are the observation's; the target CTL and the event day.
- :func:`recovery_trends`: readiness, HRV and resting HR with the baselines the rules compare
  them against, as read by ``training.readiness`` on each day (HRV: its 7-day mean against the
  60-day normal range; resting HR: its 30-day mean and the "elevated" line above it;
  readiness: the mission's thresholds).
- :func:`stage_table`: the stage results, the bonuses earned and the points so far.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import msgspec

from lanterne_rouge.agents.outlook import ProjectedDay, outlook
from lanterne_rouge.agents.stage_agent import standings
from lanterne_rouge.day_view import BASELINE_DAYS, HISTORY_DAYS, DayView
from lanterne_rouge.memory.records import RecoveryRecord
from lanterne_rouge.messages import StageResult
from lanterne_rouge.training.readiness_models import RecoveryDay
from lanterne_rouge.training.readiness_trend import baseline_days
from lanterne_rouge.workouts import library


class ChartDay(msgspec.Struct, frozen=True):
    """One day of the fitness chart; ``planned`` days are projections, not history."""

    day: date
    load: float
    ctl: float
    atl: float
    tsb: float
    ramp: float | None
    planned: bool


class FitnessChart(msgspec.Struct, frozen=True):
    days: tuple[ChartDay, ...]
    today: date
    ctl: float  # today's values: fitness and fatigue at the end of yesterday,
    atl: float
    tsb: float  # form going into today,
    ramp: float | None  # CTL change over the last 7 days
    target_ctl: float
    max_ramp: float
    event_day: date
    event_name: str

    @property
    def past(self) -> tuple[ChartDay, ...]:
        return tuple(d for d in self.days if not d.planned)

    @property
    def ahead(self) -> tuple[ChartDay, ...]:
        return tuple(d for d in self.days if d.planned)

    def since(self, first: date) -> FitnessChart:
        """The same chart from ``first`` on (the days ahead are all kept)."""
        kept = tuple(d for d in self.days if d.planned or d.day >= first)
        return msgspec.structs.replace(self, days=kept)


def fitness_chart(view: DayView, *, days: int | None = HISTORY_DAYS) -> FitnessChart:
    """History (the last ``days`` days, or all), the plan and its outlook to the event."""
    history = view.history if days is None else view.history[-days:]
    past = [ChartDay(p.day, p.load, p.ctl, p.atl, p.tsb, p.ramp_rate, False) for p in history]
    ahead = [
        ChartDay(
            p.day,
            p.workout.tss_target,
            p.projected_ctl,
            p.projected_atl,
            p.projected_tsb,
            None,
            True,
        )
        for p in view.plan.days
    ]
    ahead += [ChartDay(p.day, p.load, p.ctl, p.atl, p.tsb, None, True) for p in _outlook(view)]
    s, obs = view.status, view.observation
    return FitnessChart(
        days=(*past, *ahead),
        today=view.day,
        ctl=obs.ctl,
        atl=obs.atl,
        tsb=obs.tsb,
        ramp=obs.ramp_rate,
        target_ctl=s.target_ctl,
        max_ramp=s.max_weekly_ramp,
        event_day=view.day + timedelta(days=s.days_to_go),
        event_name=s.mission_name,
    )


def _outlook(view: DayView) -> tuple[ProjectedDay, ...]:
    mission, plan, state = view.mission, view.plan, view.fitness_state
    yesterday = view.day - timedelta(days=1)
    if mission is None or not plan.days or state is None or state.day != yesterday:
        return ()
    limit = plan.ramp_limit or mission.targets.max_weekly_ramp
    return outlook(state, mission, plan.days, library(), limit)


class Level(msgspec.Struct, frozen=True):
    """A horizontal band of a trend: a range of values and what the rules make of it."""

    low: float | None
    high: float | None
    label: str


class Trend(msgspec.Struct, frozen=True):
    """One recovery signal: its daily values, and the baseline band of each day."""

    name: str
    unit: str
    values: tuple[tuple[date, float | None], ...]
    band: tuple[tuple[date, float, float], ...] = ()  # (day, low, high)
    band_label: str = ""
    mean: tuple[tuple[date, float], ...] = ()  # the value the band judges, when not the daily
    mean_label: str = ""
    levels: tuple[Level, ...] = ()


def recovery_trends(view: DayView, *, days: int | None = HISTORY_DAYS) -> tuple[Trend, ...]:
    """Readiness, HRV and resting HR with their baselines, day by day."""
    records = sorted(view.recovery, key=lambda r: r.day)
    history = [_recovery_day(r) for r in records]
    first = view.day - timedelta(days=days) if days is not None else None
    shown = [r for r in records if first is None or r.day > first]
    hrv_band, hrv_mean, rhr_band = [], [], []
    for b in baseline_days(history, [r.day for r in shown], look_back=BASELINE_DAYS):
        if b.hrv is not None:
            lower, upper, recent = b.hrv
            hrv_band.append((b.day, math.exp(lower), math.exp(upper)))
            hrv_mean.append((b.day, math.exp(recent)))
        if b.resting_hr is not None:
            rhr_band.append((b.day, *b.resting_hr))
    return (
        Trend(
            "Readiness",
            "",
            tuple((r.day, _num(r.readiness_score)) for r in shown),
            levels=_readiness_levels(view),
        ),
        Trend(
            "HRV",
            "ms",
            tuple((r.day, r.hrv_rmssd) for r in shown),
            band=tuple(hrv_band),
            band_label="60-day normal range",
            mean=tuple(hrv_mean),
            mean_label="7-day mean",
        ),
        Trend(
            "Resting HR",
            "bpm",
            tuple((r.day, r.resting_hr) for r in shown),
            band=tuple(rhr_band),
            band_label="30-day mean to elevated",
        ),
    )


def _recovery_day(r: RecoveryRecord) -> RecoveryDay:
    return RecoveryDay(
        day=r.day,
        readiness_score=r.readiness_score,
        hrv_rmssd=r.hrv_rmssd,
        resting_hr=r.resting_hr,
        sleep_secs=r.sleep_secs,
        sleep_score=r.sleep_score,
    )


def _readiness_levels(view: DayView) -> tuple[Level, ...]:
    """The mission's readiness thresholds: below each, the rules hold the day back."""
    if view.mission is None:
        return ()
    t = view.mission.thresholds
    return (
        Level(None, t.readiness_rest, "rest"),
        Level(t.readiness_rest, t.readiness_recover, "recover"),
        Level(t.readiness_recover, t.readiness_ease, "ease"),
        Level(t.readiness_push, None, "push"),
    )


def _num(value: int | None) -> float | None:
    return None if value is None else float(value)


class StageTable(msgspec.Struct, frozen=True):
    results: tuple[StageResult, ...]
    bonuses: tuple[tuple[str, int], ...]
    points: int

    @property
    def stage_points(self) -> int:
        return sum(r.points for r in self.results)


def stage_table(view: DayView) -> StageTable | None:
    """The stage race so far; None for a mission without stage scoring."""
    s = view.status
    if s.mission_kind != "stage_race" or (s.points is None and not view.stage_results):
        return None
    results = {r.stage.number: r for r in view.stage_results}
    if view.mission is not None and view.mission.scoring is not None:
        earned = standings(view.mission, results)
        return StageTable(view.stage_results, earned.bonuses, earned.points)
    total = s.points if s.points is not None else sum(r.points for r in view.stage_results)
    return StageTable(view.stage_results, (), total)
