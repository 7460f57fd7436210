"""activity_load: method order, recorded reasons, the sport table, plausible power, bad input."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from lanterne_rouge.training import TrainingInputError
from lanterne_rouge.training.load import (
    ActivityInput,
    AthleteThresholds,
    LoadResult,
    LoadSettings,
    SportRule,
    activity_load,
    duration_estimate_tss,
    session_rpe_tss,
)

ATHLETE = AthleteThresholds(
    ftp=250.0, threshold_hr=165.0, resting_hr=50.0, max_hr=190.0, sex="male"
)
HOUR = 3600.0
EVERYTHING = {
    "sport": "Ride",
    "duration_seconds": HOUR,
    "power_stream": tuple([250.0] * 3600),
    "normalized_power": 200.0,
    "device_watts": True,
    "hr_stream": tuple([165.0] * 3600),
    "average_hr": 150.0,
    "rpe": 6.0,
}


TABLE = LoadSettings(
    sports={
        "Ride": SportRule(tss_per_hour=50.0, provider_np=True),
        "WeightTraining": SportRule(ctl=0.0, without_data="not_counted"),
        "Workout": SportRule(ctl=0.0, without_data="not_counted"),
        "Yoga": SportRule(ctl=0.0, atl=0.0),
    },
    other=SportRule(without_data="not_counted"),
)


def _activity(**overrides: object) -> ActivityInput:
    return ActivityInput(**{**EVERYTHING, **overrides})


def _load(activity: ActivityInput, thresholds: AthleteThresholds) -> LoadResult:
    return activity_load(activity, thresholds, TABLE)


@pytest.mark.parametrize(
    ("overrides", "method", "source", "tss"),
    [
        ({}, "power", "power_stream", 100.0),
        ({"power_stream": None}, "power", "provider_np", 64.0),
        (
            {"power_stream": None, "normalized_power": None},
            "heart_rate",
            "heart_rate_stream",
            100.0,
        ),
        (
            {"power_stream": None, "normalized_power": None, "hr_stream": None},
            "heart_rate",
            "average_hr",
            None,
        ),
        (
            {"power_stream": None, "normalized_power": None, "hr_stream": None, "average_hr": None},
            "session_rpe",
            "rpe",
            60.0,
        ),
        (
            {
                "power_stream": None,
                "normalized_power": None,
                "hr_stream": None,
                "average_hr": None,
                "rpe": None,
            },
            "duration_estimate",
            "sport_table",
            50.0,
        ),
    ],
    ids=["power-stream", "provider-np", "hr-stream", "average-hr", "session-rpe", "duration"],
)
def test_the_best_available_method_is_used(
    overrides: dict[str, object], method: str, source: str, tss: float | None
) -> None:
    result = _load(_activity(**overrides), ATHLETE)
    assert (result.method, result.source) == (method, source)
    if tss is not None:
        assert result.tss == pytest.approx(tss)
    assert result.ctl_load == result.atl_load == result.tss


def test_result_records_the_details_of_its_method() -> None:
    power = _load(_activity(), ATHLETE)
    assert power.normalized_power == 250.0
    assert power.intensity_factor == pytest.approx(1.0)
    assert power.trimp is None
    heart = _load(_activity(power_stream=None, normalized_power=None), ATHLETE)
    assert heart.trimp is not None and heart.normalized_power is None


def test_estimated_power_never_gives_power_tss() -> None:
    result = _load(_activity(device_watts=False), ATHLETE)
    assert result.method == "heart_rate"
    assert result.skipped == (
        "power_stream: estimated power (device_watts is false)",
        "provider_np: estimated (device_watts is False)",
    )


def test_provider_np_of_unknown_origin_is_not_used_but_a_recorded_stream_is() -> None:
    result = _load(_activity(device_watts=None, power_stream=None), ATHLETE)
    assert result.method == "heart_rate"
    assert "provider_np: not known to be measured (device_watts is None)" in result.skipped
    assert _load(_activity(device_watts=None), ATHLETE).source == "power_stream"


def test_every_skipped_method_says_why() -> None:
    result = _load(
        _activity(power_stream=(0.0,) * 600, normalized_power=None, average_hr=None),
        AthleteThresholds(ftp=250.0, resting_hr=50.0, max_hr=190.0, threshold_hr=165.0),
    )
    assert result.method == "session_rpe"
    assert result.skipped == (
        "power_stream: all zeros",
        "provider_np: none given",
        "heart_rate_stream: no sex",
        "average_hr: none given",
    )


def test_streams_without_readings_fall_through() -> None:
    result = _load(
        _activity(power_stream=(None,) * 60, normalized_power=None, hr_stream=(0.0,) * 60),
        ATHLETE,
    )
    assert result.source == "average_hr"
    assert result.skipped[0] == "power_stream: no readings"
    assert result.skipped[2] == "heart_rate_stream: no readings"


def test_missing_thresholds_are_named() -> None:
    result = _load(_activity(), AthleteThresholds())
    assert result.method == "session_rpe"
    assert result.skipped == (
        "power_stream: no ftp",
        "provider_np: no ftp",
        "heart_rate_stream: no resting_hr, max_hr, threshold_hr, sex",
        "average_hr: no resting_hr, max_hr, threshold_hr, sex",
    )


def test_strength_counts_for_fatigue_only() -> None:
    result = _load(ActivityInput(sport="WeightTraining", duration_seconds=HOUR, rpe=5.0), ATHLETE)
    assert result.tss == pytest.approx(50.0)
    assert (result.ctl_load, result.atl_load, result.fatigue_only) == (0.0, result.tss, True)


def test_a_sport_that_loads_nothing_is_not_counted_whatever_its_data() -> None:
    result = _load(_activity(sport="yoga"), ATHLETE)
    assert (result.method, result.tss, result.ctl_load, result.atl_load) == ("not_counted", 0, 0, 0)
    assert result.not_counted == "yoga loads nothing (sport table)"


def test_a_workout_without_heart_rate_or_rpe_is_not_counted_never_estimated() -> None:
    result = _load(ActivityInput(sport="Workout", duration_seconds=HOUR), ATHLETE)
    assert (result.method, result.atl_load) == ("not_counted", 0.0)
    assert result.not_counted == "no power, heart rate or session RPE"
    with_hr = _load(ActivityInput(sport="Workout", duration_seconds=HOUR, average_hr=130), ATHLETE)
    assert with_hr.method == "heart_rate" and with_hr.atl_load > 0 and with_hr.ctl_load == 0


def test_sport_rules_are_matched_ignoring_case_and_unknown_sports_follow_other() -> None:
    settings = LoadSettings(sports={"YOGA": SportRule(ctl=0.5, atl=0.25, tss_per_hour=15.0)})
    result = activity_load(ActivityInput(sport="yoga", duration_seconds=HOUR), ATHLETE, settings)
    assert (result.tss, result.ctl_load, result.atl_load) == (15.0, 7.5, 3.75)
    assert not result.fatigue_only
    curling = _load(ActivityInput(sport="Curling", duration_seconds=HOUR), ATHLETE)
    assert curling.method == "not_counted"


@pytest.mark.parametrize(
    ("overrides", "why"),
    [
        (
            {"sport": "Workout", "power_stream": None, "normalized_power": 125.0},
            "provider_np: not trusted for workout (sport table)",
        ),
        (
            {"power_stream": None, "normalized_power": 125.0, "average_power": 39.0},
            "provider_np: provider NP 125 W rejected: 3.2x average power",
        ),
        (
            {"power_stream": None, "normalized_power": 400.0, "average_power": 380.0},
            "provider_np: provider NP 400 W rejected: IF 1.60 over 60 min (above 1.3)",
        ),
        (
            {"power_stream": (0.0,) * 2700 + (400.0,) * 900, "normalized_power": None},
            "power_stream: stream NP 282 W rejected: 2.8x average power",
        ),
    ],
    ids=["np-of-a-workout", "np-3x-average", "np-if-1.6-for-an-hour", "stream-3x-average"],
)
def test_implausible_power_falls_through_and_says_why(
    overrides: dict[str, object], why: str
) -> None:
    result = _load(_activity(**overrides), ATHLETE)
    assert result.method == "heart_rate"
    assert why in result.skipped


def test_session_rpe_scale_puts_a_maximal_hour_at_100() -> None:
    assert session_rpe_tss(10.0, HOUR) == pytest.approx(100.0)
    assert session_rpe_tss(5.0, HOUR / 2) == pytest.approx(25.0)
    assert session_rpe_tss(0.0, HOUR) == 0.0
    assert session_rpe_tss(7.0, HOUR, rpe_at_one_hour_max=7.0) == pytest.approx(100.0)


def test_duration_estimate_reads_the_sport_table() -> None:
    assert duration_estimate_tss("Ride", HOUR, TABLE) == (50.0, 50.0)
    assert duration_estimate_tss("Curling", HOUR / 2) == (20.0, 40.0)
    custom = LoadSettings(
        sports={"Curling": SportRule(tss_per_hour=30.0)}, other=SportRule(tss_per_hour=10.0)
    )
    assert duration_estimate_tss("curling", HOUR, custom) == (30.0, 30.0)
    assert duration_estimate_tss("Ride", HOUR, custom) == (10.0, 10.0)


@pytest.mark.parametrize(
    "settings",
    [
        {"sports": {"Ride": {}, "ride": {}}},
        {"sports": {"ride": {"tss_per_hour": 400.0}}},
        {"sports": {"ride": {"ctl": 1.5}}},
        {"rpe_at_one_hour_max": 0.0},
        {"sports": {"ride": {"tss_per_houre": 50}}},
    ],
    ids=["duplicate-sport-by-case", "absurd-rate", "weight-above-one", "zero-rpe-scale", "typo"],
)
def test_bad_settings_are_rejected(settings: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        LoadSettings.model_validate(settings)


@pytest.mark.parametrize(
    ("activity", "thresholds", "message"),
    [
        ({"duration_seconds": -60.0}, {}, "duration_seconds must be above 0"),
        ({"duration_seconds": 0.0}, {}, "duration_seconds must be above 0"),
        ({"duration_seconds": 49 * HOUR}, {}, "at most 172800 s (48 h), got 176400.0"),
        ({"average_power": 5000.0}, {}, "average_power must be between 0 and 2500 W, got 5000.0"),
        ({"normalized_power": 2600.0}, {}, "normalized_power must be between 0 and 2500 W"),
        ({"average_hr": 300.0}, {}, "average_hr must be between 25 and 250 bpm, got 300.0"),
        ({"average_hr": 20.0}, {}, "average_hr must be between 25 and 250 bpm, got 20.0"),
        ({"rpe": 11.0}, {}, "rpe must be between 0 and 10, got 11.0"),
        ({"rpe": -1.0}, {}, "rpe must be between 0 and 10, got -1.0"),
        ({"sample_seconds": 0.0}, {}, "sample_seconds must be between 0.01 and 3600 s"),
        ({"sport": " "}, {}, "sport must not be empty"),
        ({"power_stream": (200.0, 5000.0)}, {}, "power sample 1 must be between 0 and 3000 W"),
        ({"hr_stream": (150.0, 300.0)}, {"ftp": None}, "heart rate sample 1 must be between"),
        ({}, {"ftp": 0.0}, "ftp must be above 0 and at most 700 W, got 0.0"),
        ({}, {"ftp": 900.0}, "ftp must be above 0 and at most 700 W, got 900.0"),
        ({}, {"threshold_hr": 260.0}, "threshold_hr must be between 80 and 240 bpm, got 260.0"),
        ({}, {"threshold_hr": 195.0}, "threshold_hr must lie between resting_hr 50 and max_hr"),
        ({}, {"resting_hr": 195.0}, "resting_hr must be between 25 and 120 bpm, got 195.0"),
        ({}, {"max_hr": 300.0}, "max_hr must be between 100 and 250 bpm, got 300.0"),
    ],
    ids=[
        "negative-duration",
        "zero-duration",
        "duration-49h",
        "average-5000-watts",
        "np-2600-watts",
        "average-hr-300",
        "average-hr-20",
        "rpe-11",
        "rpe-negative",
        "zero-sample-interval",
        "blank-sport",
        "power-sample-5000-watts",
        "hr-sample-300",
        "ftp-zero",
        "ftp-900",
        "threshold-hr-260",
        "threshold-hr-above-max",
        "resting-hr-195",
        "max-hr-300",
    ],
)
def test_absurd_inputs_are_rejected_naming_the_field(
    activity: dict[str, object], thresholds: dict[str, object], message: str
) -> None:
    athlete = ATHLETE.model_copy(update=thresholds)
    with pytest.raises(TrainingInputError, match=re.escape(message)):
        _load(_activity(**activity), athlete)
