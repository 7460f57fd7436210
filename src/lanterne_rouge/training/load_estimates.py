"""The power and heart-rate methods of ``load.activity_load``: each gives an estimate of one
activity's load, or says in one phrase why it cannot ("provider_np: estimated (device_watts is
false)"). Power must be plausible (see ``load``'s docstring); heart rate needs the athlete's
resting, max and threshold HR and sex.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from lanterne_rouge.training.heart_rate import (
    Sex,
    hr_tss,
    trimp_from_average,
    trimp_from_stream,
)
from lanterne_rouge.training.load_models import (
    ActivityInput,
    AthleteThresholds,
    LoadMethod,
    LoadSettings,
    LoadSource,
)
from lanterne_rouge.training.power import intensity_factor, normalized_power, power_tss


class Estimate(NamedTuple):
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


def by_power_stream(
    activity: ActivityInput, thresholds: AthleteThresholds, settings: LoadSettings
) -> Estimate | str:
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


def by_provider_np(
    activity: ActivityInput, thresholds: AthleteThresholds, settings: LoadSettings
) -> Estimate | str:
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
) -> Estimate:
    return Estimate(
        method="power",
        source=source,
        tss=power_tss(np_watts, activity.duration_seconds, ftp),
        normalized_power=np_watts,
        intensity_factor=intensity_factor(np_watts, ftp),
    )


def by_hr_stream(
    activity: ActivityInput, thresholds: AthleteThresholds, settings: LoadSettings
) -> Estimate | str:
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


def by_average_hr(
    activity: ActivityInput, thresholds: AthleteThresholds, settings: LoadSettings
) -> Estimate | str:
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


def _hr_estimate(source: LoadSource, trimp: float, profile: _HeartRateProfile) -> Estimate:
    tss = hr_tss(
        trimp,
        threshold_hr=profile.threshold_hr,
        resting_hr=profile.resting_hr,
        max_hr=profile.max_hr,
        sex=profile.sex,
    )
    return Estimate(method="heart_rate", source=source, tss=tss, trimp=trimp)
