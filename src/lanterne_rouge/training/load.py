"""Training load of one activity, recording how it was obtained.

``activity_load`` takes the best method the data allows, in this order:

1. ``power`` from a power stream: NP of the stream, then ``hours x IF^2 x 100``;
2. ``power`` from the provider's normalized power, only for a sport whose rule trusts it
   (rides) and when ``device_watts`` is true (power TSS is never computed from estimated
   power; a stream marked estimated is not used either). Power from either must be
   plausible: NP at most ``max_variability`` times the average power and, over
   ``intensity_check_minutes`` or more, an IF at most ``max_intensity``; otherwise the next
   method is used and the reason is kept ("provider NP 125 W rejected: 3.2x average power");
3. ``heart_rate`` from a heart-rate stream (Banister TRIMP, one hour at threshold HR = 100);
4. ``heart_rate`` from the average heart rate and duration;
5. ``session_rpe``: Foster's session RPE (CR-10 rating x minutes), scaled so that one hour
   rated ``rpe_at_one_hour_max`` (10, maximal) is 100 points, because a maximal one-hour effort
   is by definition one hour at FTP. The scale is linear, so it never gives more than 100
   points an hour and runs a little under power TSS in the middle of the scale (an hour at
   RPE 5 gives 50 where tempo riding gives 55-70): conservative, as a fallback should be;
6. ``duration_estimate``: hours x the sport's TSS per hour, only for a sport whose rule
   allows it; for the others (strength, generic workouts) the activity is ``not_counted``.

A sport whose rule counts neither fitness nor fatigue (mobility) is ``not_counted`` whatever
its data. The result keeps the raw load (``tss``), the loads counted for fitness and fatigue
after the sport's shares, the details of the method used, why each better one was skipped
and, when nothing was counted, why. Absurd inputs raise ``TrainingInputError`` naming
the field: duration not in (0, 48 h], average or normalized power above 2,500 W, heart rate
outside 25..250 bpm, FTP not in (0, 700] W, implausible heart-rate thresholds, RPE outside
0..10.
"""

from __future__ import annotations

from collections.abc import Callable

from lanterne_rouge.training._checks import within
from lanterne_rouge.training.errors import TrainingInputError
from lanterne_rouge.training.heart_rate import (
    check_heart_rate,
    check_hr_thresholds,
)
from lanterne_rouge.training.load_estimates import (
    Estimate,
    by_average_hr,
    by_hr_stream,
    by_power_stream,
    by_provider_np,
)
from lanterne_rouge.training.load_models import (
    ActivityInput,
    AthleteThresholds,
    LoadMethod,
    LoadResult,
    LoadSettings,
    LoadSource,
    SportRule,
)
from lanterne_rouge.training.power import (
    check_duration,
    check_ftp,
    check_power,
    normalized_power,
    power_tss,
)

__all__ = [
    "RPE_RANGE",
    "ActivityInput",
    "AthleteThresholds",
    "LoadMethod",
    "LoadResult",
    "LoadSettings",
    "LoadSource",
    "SportRule",
    "activity_load",
    "check_activity",
    "check_thresholds",
    "duration_estimate_tss",
    "normalized_power",
    "power_tss",
    "session_rpe_tss",
]

RPE_RANGE = (0.0, 10.0)
"""Borg CR-10, the scale of session RPE."""


def session_rpe_tss(rpe: float, seconds: float, *, rpe_at_one_hour_max: float = 10.0) -> float:
    """Session RPE (rating x minutes) scaled so one hour at ``rpe_at_one_hour_max`` is 100."""
    rating = within(rpe, "rpe", *RPE_RANGE)
    minutes = check_duration(seconds) / 60.0
    return rating * minutes * 100.0 / (60.0 * rpe_at_one_hour_max)


def duration_estimate_tss(
    sport: str, seconds: float, settings: LoadSettings | None = None
) -> tuple[float, float]:
    """Hours x the sport's TSS per hour; returns the load and the rate used."""
    rate = (settings if settings is not None else LoadSettings()).rule(sport).tss_per_hour
    return check_duration(seconds) / 3600.0 * rate, rate


def activity_load(
    activity: ActivityInput,
    thresholds: AthleteThresholds,
    settings: LoadSettings | None = None,
) -> LoadResult:
    """The activity's load by the best method its data allows (see the module docstring)."""
    chosen = settings if settings is not None else LoadSettings()
    check_activity(activity)
    check_thresholds(thresholds)
    rule = chosen.rule(activity.sport)
    if rule.loads_nothing:
        return _not_counted(f"{activity.sport.casefold()} loads nothing (sport table)", [])
    skipped: list[str] = []
    for attempt in _ATTEMPTS:
        outcome = attempt(activity, thresholds, chosen)
        if isinstance(outcome, str):
            skipped.append(outcome)
        else:
            return _weighted(outcome, rule, skipped)
    if rule.without_data == "not_counted":
        return _not_counted("no power, heart rate or session RPE", skipped)
    return _weighted(_by_duration(activity, chosen), rule, skipped)


def _not_counted(reason: str, skipped: list[str]) -> LoadResult:
    return LoadResult(
        method="not_counted",
        source="sport_table",
        tss=0.0,
        ctl_load=0.0,
        atl_load=0.0,
        fatigue_only=False,
        skipped=tuple(skipped),
        not_counted=reason,
    )


def check_activity(activity: ActivityInput) -> None:
    """Reject absurd activity fields with a message naming the field."""
    check_duration(activity.duration_seconds)
    if not activity.sport.strip():
        raise TrainingInputError("sport must not be empty")
    within(activity.sample_seconds, "sample_seconds", 0.01, 3600.0, "s")
    if activity.average_power is not None:
        check_power(activity.average_power, "average_power")
    if activity.normalized_power is not None:
        check_power(activity.normalized_power, "normalized_power")
    if activity.average_hr is not None:
        check_heart_rate(activity.average_hr, "average_hr")
    if activity.rpe is not None:
        within(activity.rpe, "rpe", *RPE_RANGE)


def check_thresholds(thresholds: AthleteThresholds) -> None:
    """Reject implausible thresholds with a message naming the field."""
    if thresholds.ftp is not None:
        check_ftp(thresholds.ftp)
    check_hr_thresholds(
        resting_hr=thresholds.resting_hr,
        max_hr=thresholds.max_hr,
        threshold_hr=thresholds.threshold_hr,
    )


def _by_rpe(
    activity: ActivityInput, thresholds: AthleteThresholds, settings: LoadSettings
) -> Estimate | str:
    if activity.rpe is None:
        return "rpe: none given"
    tss = session_rpe_tss(
        activity.rpe, activity.duration_seconds, rpe_at_one_hour_max=settings.rpe_at_one_hour_max
    )
    session = activity.rpe * activity.duration_seconds / 60.0
    return Estimate(method="session_rpe", source="rpe", tss=tss, session_rpe=session)


def _by_duration(activity: ActivityInput, settings: LoadSettings) -> Estimate:
    tss, rate = duration_estimate_tss(activity.sport, activity.duration_seconds, settings)
    return Estimate(method="duration_estimate", source="sport_table", tss=tss, tss_per_hour=rate)


def _weighted(estimate: Estimate, rule: SportRule, skipped: list[str]) -> LoadResult:
    return LoadResult(
        method=estimate.method,
        source=estimate.source,
        tss=estimate.tss,
        ctl_load=estimate.tss * rule.ctl,
        atl_load=estimate.tss * rule.atl,
        fatigue_only=rule.ctl == 0.0 and rule.atl > 0.0,
        normalized_power=estimate.normalized_power,
        intensity_factor=estimate.intensity_factor,
        trimp=estimate.trimp,
        session_rpe=estimate.session_rpe,
        tss_per_hour=estimate.tss_per_hour,
        skipped=tuple(skipped),
    )


_Attempt = Callable[[ActivityInput, AthleteThresholds, LoadSettings], Estimate | str]
_ATTEMPTS: tuple[_Attempt, ...] = (
    by_power_stream,
    by_provider_np,
    by_hr_stream,
    by_average_hr,
    _by_rpe,
)
