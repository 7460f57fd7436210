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

import math
from collections.abc import Callable
from typing import NamedTuple

from lanterne_rouge.training._checks import within
from lanterne_rouge.training.errors import TrainingInputError
from lanterne_rouge.training.heart_rate import (
    Sex,
    check_heart_rate,
    check_hr_thresholds,
    hr_tss,
    trimp_from_average,
    trimp_from_stream,
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
    intensity_factor,
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


class _Estimate(NamedTuple):
    method: LoadMethod
    source: LoadSource
    tss: float
    normalized_power: float | None = None
    intensity_factor: float | None = None
    trimp: float | None = None
    session_rpe: float | None = None
    tss_per_hour: float | None = None


class _HeartRateProfile(NamedTuple):
    resting_hr: float
    max_hr: float
    threshold_hr: float
    sex: Sex


def _by_power_stream(
    activity: ActivityInput, thresholds: AthleteThresholds, settings: LoadSettings
) -> _Estimate | str:
    if activity.power_stream is None:
        return "power_stream: none recorded"
    if activity.device_watts is False:
        return "power_stream: estimated power (device_watts is false)"
    if thresholds.ftp is None:
        return "power_stream: no ftp"
    np_watts = normalized_power(activity.power_stream, sample_seconds=activity.sample_seconds)
    if np_watts is None:
        return "power_stream: no readings"
    if np_watts == 0.0:
        return "power_stream: all zeros"
    readings = [w for w in activity.power_stream if w is not None and math.isfinite(w)]
    average = sum(readings) / len(readings)
    doubt = _implausible(np_watts, average, activity, thresholds.ftp, settings)
    if doubt:
        return f"power_stream: stream NP {np_watts:.0f} W rejected: {doubt}"
    return _power_estimate("power_stream", np_watts, activity, thresholds.ftp)


def _by_provider_np(
    activity: ActivityInput, thresholds: AthleteThresholds, settings: LoadSettings
) -> _Estimate | str:
    if activity.normalized_power is None:
        return "provider_np: none given"
    if activity.device_watts is not True:
        kind = "estimated" if activity.device_watts is False else "not known to be measured"
        return f"provider_np: {kind} (device_watts is {activity.device_watts})"
    if thresholds.ftp is None:
        return "provider_np: no ftp"
    if activity.normalized_power == 0.0:
        return "provider_np: zero"
    np_watts = activity.normalized_power
    doubt = _implausible(np_watts, activity.average_power, activity, thresholds.ftp, settings)
    if doubt:
        return f"provider_np: provider NP {np_watts:.0f} W rejected: {doubt}"
    if not settings.rule(activity.sport).provider_np:
        return f"provider_np: not trusted for {activity.sport.casefold()} (sport table)"
    return _power_estimate("provider_np", np_watts, activity, thresholds.ftp)


def _implausible(
    np_watts: float,
    average: float | None,
    activity: ActivityInput,
    ftp: float,
    settings: LoadSettings,
) -> str | None:
    """Why a normalized power cannot be believed, or None."""
    if average is not None and average > 0 and np_watts / average > settings.max_variability:
        return f"{np_watts / average:.1f}x average power"
    factor = intensity_factor(np_watts, ftp)
    long_enough = activity.duration_seconds >= settings.intensity_check_minutes * 60
    if long_enough and factor > settings.max_intensity:
        minutes = activity.duration_seconds / 60
        return f"IF {factor:.2f} over {minutes:.0f} min (above {settings.max_intensity:g})"
    return None


def _power_estimate(
    source: LoadSource, np_watts: float, activity: ActivityInput, ftp: float
) -> _Estimate:
    return _Estimate(
        method="power",
        source=source,
        tss=power_tss(np_watts, activity.duration_seconds, ftp),
        normalized_power=np_watts,
        intensity_factor=intensity_factor(np_watts, ftp),
    )


def _by_hr_stream(
    activity: ActivityInput, thresholds: AthleteThresholds, settings: LoadSettings
) -> _Estimate | str:
    if activity.hr_stream is None:
        return "heart_rate_stream: none recorded"
    profile = _heart_rate_profile(thresholds)
    if isinstance(profile, str):
        return f"heart_rate_stream: {profile}"
    trimp = trimp_from_stream(
        activity.hr_stream,
        resting_hr=profile.resting_hr,
        max_hr=profile.max_hr,
        sex=profile.sex,
        sample_seconds=activity.sample_seconds,
    )
    if trimp is None:
        return "heart_rate_stream: no readings"
    return _hr_estimate("heart_rate_stream", trimp, profile)


def _by_average_hr(
    activity: ActivityInput, thresholds: AthleteThresholds, settings: LoadSettings
) -> _Estimate | str:
    if activity.average_hr is None:
        return "average_hr: none given"
    profile = _heart_rate_profile(thresholds)
    if isinstance(profile, str):
        return f"average_hr: {profile}"
    trimp = trimp_from_average(
        activity.average_hr,
        activity.duration_seconds,
        resting_hr=profile.resting_hr,
        max_hr=profile.max_hr,
        sex=profile.sex,
    )
    return _hr_estimate("average_hr", trimp, profile)


def _heart_rate_profile(thresholds: AthleteThresholds) -> _HeartRateProfile | str:
    """The thresholds heart-rate load needs, or which of them are missing."""
    resting, maximum = thresholds.resting_hr, thresholds.max_hr
    threshold, sex = thresholds.threshold_hr, thresholds.sex
    if resting is None or maximum is None or threshold is None or sex is None:
        names = ("resting_hr", "max_hr", "threshold_hr", "sex")
        missing = [name for name in names if getattr(thresholds, name) is None]
        return "no " + ", ".join(missing)
    return _HeartRateProfile(resting, maximum, threshold, sex)


def _hr_estimate(source: LoadSource, trimp: float, profile: _HeartRateProfile) -> _Estimate:
    tss = hr_tss(
        trimp,
        threshold_hr=profile.threshold_hr,
        resting_hr=profile.resting_hr,
        max_hr=profile.max_hr,
        sex=profile.sex,
    )
    return _Estimate(method="heart_rate", source=source, tss=tss, trimp=trimp)


def _by_rpe(
    activity: ActivityInput, thresholds: AthleteThresholds, settings: LoadSettings
) -> _Estimate | str:
    if activity.rpe is None:
        return "rpe: none given"
    tss = session_rpe_tss(
        activity.rpe, activity.duration_seconds, rpe_at_one_hour_max=settings.rpe_at_one_hour_max
    )
    session = activity.rpe * activity.duration_seconds / 60.0
    return _Estimate(method="session_rpe", source="rpe", tss=tss, session_rpe=session)


def _by_duration(activity: ActivityInput, settings: LoadSettings) -> _Estimate:
    tss, rate = duration_estimate_tss(activity.sport, activity.duration_seconds, settings)
    return _Estimate(method="duration_estimate", source="sport_table", tss=tss, tss_per_hour=rate)


def _weighted(estimate: _Estimate, rule: SportRule, skipped: list[str]) -> LoadResult:
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


_Attempt = Callable[[ActivityInput, AthleteThresholds, LoadSettings], _Estimate | str]
_ATTEMPTS: tuple[_Attempt, ...] = (
    _by_power_stream,
    _by_provider_np,
    _by_hr_stream,
    _by_average_hr,
    _by_rpe,
)
