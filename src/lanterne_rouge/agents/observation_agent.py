"""Observation agent: this morning's recovery signals and the fitness model, gaps made explicit."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta
from statistics import fmean

from lanterne_rouge.memory.activity_store import StoredActivity
from lanterne_rouge.memory.fitness_history import fitness_history
from lanterne_rouge.memory.records import DailyLoad, RecoveryRecord
from lanterne_rouge.memory.sessions import counted
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.messages import Observation, SignalGap
from lanterne_rouge.training.fitness import TsbConvention
from lanterne_rouge.training.fitness_state import FitnessState
from lanterne_rouge.training.readiness import hrv_reading
from lanterne_rouge.training.readiness_models import RecoveryDay, SignalReading

HRV_BASELINE_DAYS = 60
RHR_BASELINE_DAYS = 30


def build_observation(
    day: date,
    recovery: Sequence[RecoveryRecord],
    loads: Sequence[DailyLoad],
    fitness: FitnessState | None,
    *,
    data_label: str,
    not_counted: Sequence[StoredActivity] = (),
    warnings: Sequence[str] = (),
) -> Observation:
    """Pure: the morning observation.

    ``recovery`` holds records up to ``day``, ``loads`` at least the last week before it, and
    ``fitness`` the model's state at the end of yesterday (None when there is no history).
    """
    past = [r for r in recovery if r.day < day]
    hrv = _hrv_reading(day, recovery)
    hrv_from, rhr_from = day - _days(HRV_BASELINE_DAYS), day - _days(RHR_BASELINE_DAYS)
    today = next((r for r in recovery if r.day == day), None)
    gaps, days_without = _gaps(day, recovery, today, has_loads=fitness is not None)
    week_from = day - _days(7)
    week = [d.load for d in loads if week_from <= d.day < day]
    yesterday = next((d.load for d in loads if d.day == day - timedelta(days=1)), 0.0)
    return Observation(
        data_label=data_label,
        readiness_score=today.readiness_score if today else None,
        hrv_rmssd=today.hrv_rmssd if today else None,
        hrv_baseline=_mean([r.hrv_rmssd for r in past if r.day >= hrv_from]),
        hrv_7day=_ms(hrv.value),
        hrv_band_low=_ms(hrv.lower),
        hrv_band_high=_ms(hrv.upper),
        hrv_status=hrv.status,
        resting_hr=today.resting_hr if today else None,
        resting_hr_baseline=_mean([r.resting_hr for r in past if r.day >= rhr_from]),
        sleep_hours=round(today.sleep_secs / 3600, 2) if today and today.sleep_secs else None,
        sleep_score=today.sleep_score if today else None,
        ctl=round(fitness.ctl, 2) if fitness else 0.0,
        atl=round(fitness.atl, 2) if fitness else 0.0,
        tsb=round(fitness.ctl - fitness.atl, 2) if fitness else 0.0,
        ramp_rate=_round(fitness.point.ramp_rate) if fitness else None,
        yesterday_load=yesterday,
        week_load=round(sum(week), 1),
        days_without_recovery=days_without,
        gaps=tuple(gaps),
        not_counted=tuple(_not_counted_text(a) for a in not_counted),
        warnings=tuple(warnings),
    )


def _not_counted_text(activity: StoredActivity) -> str:
    name = activity.name or activity.source_type
    why = activity.detail.get("not_counted", "not counted")
    return f"{name} ({activity.sport}, {activity.moving_s / 60:.0f} min): {why}"


def _hrv_reading(day: date, recovery: Sequence[RecoveryRecord]) -> SignalReading:
    """The 7-day ln rMSSD against its 60-day band (``training.readiness``)."""
    history = [
        RecoveryDay(day=r.day, hrv_rmssd=r.hrv_rmssd) for r in recovery if r.hrv_rmssd is not None
    ]
    return hrv_reading(history, day)


def _ms(ln_value: float | None) -> float | None:
    return None if ln_value is None else round(math.exp(ln_value), 1)


def _days(n: int) -> timedelta:
    return timedelta(days=n)


def _mean(values: Sequence[float | int | None]) -> float | None:
    present = [float(v) for v in values if v is not None]
    return round(fmean(present), 2) if len(present) >= 3 else None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _gaps(
    day: date,
    recovery: Sequence[RecoveryRecord],
    today: RecoveryRecord | None,
    *,
    has_loads: bool,
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
    if not has_loads:
        gaps.append(SignalGap(signal="training_load", reason="no training history"))
    return gaps, days_without


class ObservationAgent:
    """Reads the stored inputs for an athlete-day and returns the ``Observation``."""

    producer = "observation_agent"

    def __init__(self, store: StateStore, *, tsb_convention: TsbConvention = "previous_day"):
        self.store = store
        self.tsb_convention: TsbConvention = tsb_convention

    def observe(self, athlete_id: str, day: date, *, data_label: str) -> Observation:
        return self.observe_with_state(athlete_id, day, data_label=data_label)[0]

    def observe_with_state(
        self, athlete_id: str, day: date, *, data_label: str
    ) -> tuple[Observation, FitnessState | None]:
        """The observation and the fitness state at the end of yesterday it was built on
        (the planner starts from the same state, without reading it again)."""
        recovery = self.store.recovery(athlete_id, since=day - _days(HRV_BASELINE_DAYS), until=day)
        fitness = fitness_history(
            self.store,
            athlete_id,
            day - _days(1),
            since=day,
            convention=self.tsb_convention,
            remember=True,
        ).state
        week = self.store.loads(athlete_id, since=day - _days(7), until=day - _days(1))
        skipped = self._not_counted(athlete_id, day - _days(1))
        obs = build_observation(
            day,
            recovery,
            week,
            fitness,
            data_label=data_label,
            not_counted=skipped,
            warnings=self._threshold_warnings(athlete_id, day - _days(1)),
        )
        return obs, fitness

    def _threshold_warnings(self, athlete_id: str, yesterday: date) -> list[str]:
        """Say so when loads were computed with thresholds that are not the athlete's own."""
        profile = self.store.profiles.profile(athlete_id)
        missing = profile.thresholds.not_own(yesterday) if profile else ()
        if not missing:
            return []
        return [
            f"loads computed without the athlete's own {', '.join(missing)} "
            "(missing, or the example mission's): set them with `lanterne-rouge athlete set`"
        ]

    def _not_counted(self, athlete_id: str, yesterday: date) -> list[StoredActivity]:
        """Yesterday's sessions that load nothing (each once, whatever its sources)."""
        found = self.store.activities.activities(athlete_id, since=yesterday, until=yesterday)
        return [a for a in counted(found) if a.method == "not_counted"]
