"""Observation agent: this morning's recovery signals and the fitness model, gaps made explicit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from statistics import fmean

from lanterne_rouge.memory.records import DailyLoad, RecoveryRecord
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.messages import Observation, SignalGap
from lanterne_rouge.training.fitness import TsbConvention, pmc

HRV_BASELINE_DAYS = 60
RHR_BASELINE_DAYS = 30
STALE_AFTER_DAYS = 2


def build_observation(
    day: date,
    recovery: Sequence[RecoveryRecord],
    loads: Sequence[DailyLoad],
    *,
    data_label: str,
    tsb_convention: TsbConvention = "previous_day",
) -> Observation:
    """Pure: the morning observation from recovery records (up to ``day``) and loads (before)."""
    past = [r for r in recovery if r.day < day]
    today = next((r for r in recovery if r.day == day), None)
    fitness = _fitness(day, loads, tsb_convention)
    gaps, days_without = _gaps(day, recovery, today, loads)
    week = [d.load for d in loads if day - timedelta(days=7) <= d.day < day]
    yesterday = next((d.load for d in loads if d.day == day - timedelta(days=1)), 0.0)
    return Observation(
        data_label=data_label,
        readiness_score=today.readiness_score if today else None,
        hrv_rmssd=today.hrv_rmssd if today else None,
        hrv_baseline=_mean([r.hrv_rmssd for r in past if r.day >= day - _days(HRV_BASELINE_DAYS)]),
        resting_hr=today.resting_hr if today else None,
        resting_hr_baseline=_mean(
            [r.resting_hr for r in past if r.day >= day - _days(RHR_BASELINE_DAYS)]
        ),
        sleep_hours=round(today.sleep_secs / 3600, 2) if today and today.sleep_secs else None,
        sleep_score=today.sleep_score if today else None,
        ctl=round(fitness[0], 2),
        atl=round(fitness[1], 2),
        tsb=round(fitness[2], 2),
        ramp_rate=None if fitness[3] is None else round(fitness[3], 2),
        yesterday_load=yesterday,
        week_load=round(sum(week), 1),
        days_without_recovery=days_without,
        gaps=tuple(gaps),
    )


def _days(n: int) -> timedelta:
    return timedelta(days=n)


def _mean(values: Sequence[float | int | None]) -> float | None:
    present = [float(v) for v in values if v is not None]
    return round(fmean(present), 2) if len(present) >= 3 else None


def _fitness(
    day: date, loads: Sequence[DailyLoad], convention: TsbConvention
) -> tuple[float, float, float, float | None]:
    """CTL and ATL at the end of yesterday, form going into today, and the ramp."""
    before = [d for d in loads if d.day < day]
    if not before:
        return 0.0, 0.0, 0.0, None
    points = pmc(
        {d.day: d.load for d in before},
        fatigue_loads={d.day: d.atl_load for d in before},
        end=day,
        tsb_convention=convention,
    )
    yesterday, today = points[-2] if len(points) > 1 else None, points[-1]
    if convention == "previous_day" or yesterday is None:
        tsb = today.tsb
    else:
        tsb = yesterday.tsb
    ctl, atl = (yesterday.ctl, yesterday.atl) if yesterday else (0.0, 0.0)
    ramp = yesterday.ramp_rate if yesterday else None
    return ctl, atl, tsb, ramp


def _gaps(
    day: date,
    recovery: Sequence[RecoveryRecord],
    today: RecoveryRecord | None,
    loads: Sequence[DailyLoad],
) -> tuple[list[SignalGap], int | None]:
    gaps: list[SignalGap] = []
    fields = (
        ("readiness", "readiness_score"),
        ("hrv", "hrv_rmssd"),
        ("resting_hr", "resting_hr"),
        ("sleep", "sleep_secs"),
    )
    for signal, field in fields:
        if today is not None and getattr(today, field) is not None:
            continue
        seen = [r.day for r in recovery if getattr(r, field) is not None and r.day <= day]
        last = max(seen) if seen else None
        reason = "no reading for today" if last else "never recorded"
        if last is not None:
            reason += f"; last seen {last} ({(day - last).days} days ago)"
        gaps.append(SignalGap(signal=signal, reason=reason, last_seen=last))
    readings = [
        r.day
        for r in recovery
        if r.day <= day and (r.readiness_score is not None or r.hrv_rmssd is not None)
    ]
    days_without = (day - max(readings)).days if readings else None
    if not any(d.day < day for d in loads):
        gaps.append(SignalGap(signal="training_load", reason="no training history"))
    return gaps, days_without


class ObservationAgent:
    """Reads the stored inputs for an athlete-day and returns the ``Observation``."""

    producer = "observation_agent"

    def __init__(self, store: StateStore, *, tsb_convention: TsbConvention = "previous_day"):
        self.store = store
        self.tsb_convention: TsbConvention = tsb_convention

    def observe(self, athlete_id: str, day: date, *, data_label: str) -> Observation:
        recovery = self.store.recovery(
            athlete_id, since=day - _days(HRV_BASELINE_DAYS + STALE_AFTER_DAYS + 30), until=day
        )
        loads = self.store.loads(athlete_id, until=day - _days(1))
        return build_observation(
            day, recovery, loads, data_label=data_label, tsb_convention=self.tsb_convention
        )
