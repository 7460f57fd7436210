"""Readiness signals: HRV trend, resting HR, sleep, Oura scores; stale and missing data."""

from __future__ import annotations

import math
import re
import statistics
from datetime import date, timedelta

import pytest

from lanterne_rouge.training import TrainingInputError
from lanterne_rouge.training.exact_stats import exact_stdev
from lanterne_rouge.training.readiness import (
    assess_days,
    assess_readiness,
    hrv_reading,
    score_band,
)
from lanterne_rouge.training.readiness_models import ReadinessSettings, RecoveryDay

DAY = date(2025, 5, 31)


def _steady(days: int = 60, **fields: float) -> list[RecoveryDay]:
    """A quiet baseline: the same night every day up to DAY, HRV alternating 40/50 ms."""
    return [
        RecoveryDay(
            day=DAY - timedelta(days=offset),
            hrv_rmssd=40.0 if offset % 2 else 50.0,
            resting_hr=50.0 + (offset % 3),
            sleep_secs=8 * 3600.0,
            sleep_score=80.0,
            readiness_score=80.0,
            **fields,
        )
        for offset in range(days)
    ]


def _with_last(history: list[RecoveryDay], days: int, **fields: float) -> list[RecoveryDay]:
    """Replace fields of the last ``days`` days."""
    cutoff = DAY - timedelta(days=days)
    return [r.model_copy(update=fields) if r.day > cutoff else r for r in history]


def test_hrv_trend_matches_a_hand_computation_on_real_data(
    oura_history: list[RecoveryDay], wellness_rows: list[dict[str, str]]
) -> None:
    day = date(2025, 6, 25)
    by_day = {date.fromisoformat(r["date"]): r for r in wellness_rows}

    def ln_hrv(first: int) -> list[float]:
        days = (day - timedelta(days=i) for i in range(first))
        return [math.log(float(by_day[d]["hrv"])) for d in days if by_day[d]["hrv"]]

    hrv = assess_readiness(oura_history, day).signal("hrv")
    baseline = ln_hrv(60)
    band = 0.5 * statistics.stdev(baseline)
    assert hrv.value == pytest.approx(statistics.fmean(ln_hrv(7)))
    assert hrv.baseline == pytest.approx(statistics.fmean(baseline))
    assert (hrv.lower, hrv.upper) == pytest.approx(
        (statistics.fmean(baseline) - band, statistics.fmean(baseline) + band)
    )
    assert hrv.status == "normal"
    assert hrv.observed_on == day


def test_latest_real_day_reads_every_signal(oura_history: list[RecoveryDay]) -> None:
    assessment = assess_readiness(oura_history, date(2025, 6, 25))
    assert set(assessment.available) == {
        "hrv",
        "resting_hr",
        "sleep_duration",
        "sleep_score",
        "readiness_score",
    }
    assert assessment.stale == assessment.missing == assessment.insufficient_baseline == ()
    assert assessment.signal("readiness_score").status == "good"  # 73
    assert assessment.signal("sleep_score").status == "fair"  # 61
    assert assessment.signal("sleep_duration").status == "short"  # 6.6 h


def test_a_gap_in_the_ring_data_makes_every_signal_stale(
    oura_history: list[RecoveryDay],
) -> None:
    """The export has no Oura data from 2024-10-10 to 2024-10-16."""
    assessment = assess_readiness(oura_history, date(2024, 10, 14))
    assert assessment.available == ()
    assert len(assessment.stale) == 5
    hrv = assessment.signal("hrv")
    assert hrv.observed_on == date(2024, 10, 9)
    assert hrv.reason == "latest hrv is from 2024-10-09, 5 days old (stale after 2)"
    assert assess_readiness(oura_history, date(2024, 10, 14), stale_after_days=5).stale == ()


def test_first_days_of_history_have_no_baseline_yet(oura_history: list[RecoveryDay]) -> None:
    assessment = assess_readiness(oura_history, date(2021, 7, 5))
    assert assessment.insufficient_baseline == ("hrv", "resting_hr")
    hrv = assessment.signal("hrv")
    assert hrv.baseline is None and hrv.value is not None
    assert "need 14 for a baseline" in hrv.reason
    assert "readiness_score" in assessment.available


def test_no_data_at_all_is_missing_not_a_default() -> None:
    assessment = assess_readiness([], DAY)
    assert len(assessment.missing) == 5
    assert all(s.value is None and s.status == "missing" for s in assessment.signals)
    assert assessment.signal("resting_hr").reason == "no resting_hr recorded up to 2025-05-31"


def test_records_after_the_day_are_ignored() -> None:
    future = RecoveryDay(day=DAY + timedelta(days=1), readiness_score=10.0)
    assessment = assess_readiness([*_steady(), future], DAY)
    assert assessment.signal("readiness_score").value == 80.0


def test_steady_history_is_normal() -> None:
    assessment = assess_readiness(_steady(), DAY)
    statuses = {s.name: s.status for s in assessment.signals}
    assert statuses == {
        "hrv": "normal",
        "resting_hr": "normal",
        "sleep_duration": "normal",
        "sleep_score": "good",
        "readiness_score": "good",
    }


def test_a_week_of_suppressed_hrv_reads_low() -> None:
    hrv = assess_readiness(_with_last(_steady(), 7, hrv_rmssd=30.0), DAY).signal("hrv")
    assert hrv.status == "low"
    assert hrv.value is not None and hrv.lower is not None and hrv.value < hrv.lower
    assert "below the 60-day normal range" in hrv.reason


def test_a_week_of_raised_hrv_reads_high() -> None:
    hrv = assess_readiness(_with_last(_steady(), 7, hrv_rmssd=70.0), DAY).signal("hrv")
    assert hrv.status == "high"


def test_resting_hr_more_than_5_bpm_over_its_30_day_mean_is_elevated() -> None:
    history = _with_last(_steady(), 1, resting_hr=58.0)  # baseline about 51
    reading = assess_readiness(history, DAY).signal("resting_hr")
    assert reading.status == "elevated"
    assert reading.baseline == pytest.approx(51.0, abs=0.1)
    normal = assess_readiness(_with_last(_steady(), 1, resting_hr=55.0), DAY)
    assert normal.signal("resting_hr").status == "normal"


def test_short_sleep_reads_short() -> None:
    history = _with_last(_steady(), 1, sleep_secs=5.5 * 3600)
    reading = assess_readiness(history, DAY).signal("sleep_duration")
    assert (reading.status, reading.value, reading.lower) == ("short", 5.5, 7.0)


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (100, "optimal"),
        (85, "optimal"),
        (84.9, "good"),
        (70, "good"),
        (69, "fair"),
        (60, "fair"),
        (59, "pay_attention"),
        (0, "pay_attention"),
    ],
    ids=lambda value: str(value),
)
def test_oura_score_bands(score: float, band: str) -> None:
    assert score_band(score) == band


def test_settings_change_windows_and_thresholds() -> None:
    history = _with_last(_steady(), 1, resting_hr=55.0)
    strict = ReadinessSettings(rhr_elevated_bpm=3.0, min_sleep_hours=8.5)
    assessment = assess_readiness(history, DAY, settings=strict)
    assert assessment.signal("resting_hr").status == "elevated"
    assert assessment.signal("sleep_duration").status == "short"


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (RecoveryDay(day=DAY, hrv_rmssd=0.0), "hrv_rmssd on 2025-05-31 must be between 1 and 500"),
        (RecoveryDay(day=DAY, resting_hr=300.0), "resting_hr on 2025-05-31 must be between 25"),
        (RecoveryDay(day=DAY, readiness_score=120.0), "readiness_score on 2025-05-31 must be"),
        (RecoveryDay(day=DAY, sleep_secs=-1.0), "sleep_secs on 2025-05-31 must be between 0"),
        (RecoveryDay(day=DAY, sleep_score=math.nan), "sleep_score on 2025-05-31 must be finite"),
    ],
    ids=["hrv-zero", "resting-hr-300", "readiness-120", "negative-sleep", "nan-sleep-score"],
)
def test_implausible_recovery_values_are_rejected(record: RecoveryDay, message: str) -> None:
    with pytest.raises(TrainingInputError, match=re.escape(message)):
        assess_readiness([*_steady()[1:], record], DAY)


def test_two_records_for_one_day_are_rejected() -> None:
    with pytest.raises(TrainingInputError, match="two records for 2025-05-31"):
        assess_readiness([*_steady(), RecoveryDay(day=DAY)], DAY)


def test_assessing_many_days_at_once_reads_each_day_as_assessing_it_alone(
    oura_history: list[RecoveryDay],
) -> None:
    days = [r.day for r in oura_history[-120:]]
    alone = [
        assess_readiness([r for r in oura_history if r.day >= d - timedelta(days=60)], d)
        for d in days
    ]
    assert assess_days(oura_history, days, look_back=60) == alone
    assert assess_days(oura_history, days[-3:]) == [
        assess_readiness(oura_history, d) for d in days[-3:]
    ]


@pytest.mark.parametrize(
    "make",
    [
        lambda rng, n: [math.log(rng.uniform(15.0, 180.0)) for _ in range(n)],
        lambda rng, n: [rng.uniform(-1e6, 1e6) for _ in range(n)],
        lambda rng, n: [rng.choice((1.0, 2.5, 3.25)) for _ in range(n)],
        lambda rng, n: [rng.uniform(0.0, 1.0) * 10.0 ** rng.randint(-12, 12) for _ in range(n)],
    ],
    ids=["ln-rmssd", "wide", "repeated", "mixed-magnitudes"],
)
def test_the_exact_stdev_is_the_same_float_as_statistics(make: object) -> None:
    import random

    rng = random.Random(20261130)
    for _ in range(500):
        values = make(rng, rng.randint(2, 90))  # type: ignore[operator]
        assert exact_stdev(values) == statistics.stdev(values), values


@pytest.mark.parametrize(
    "values",
    [[1e300, -1e300, 3.0], [5e-324, 1.0], [0.0, 0.0], [1e20, 3e20], [1e-300, 3e-300]],
    ids=["huge", "subnormal", "zeros", "large-integers", "tiny"],
)
def test_the_exact_stdev_agrees_at_the_edges(values: list[float]) -> None:
    assert exact_stdev(values) == statistics.stdev(values)


@pytest.mark.parametrize("stale_after", [0, 2, 10], ids=["fresh-only", "default", "lenient"])
def test_the_hrv_reading_alone_is_the_assessments_hrv_signal(
    oura_history: list[RecoveryDay], stale_after: int
) -> None:
    hrv_only = [RecoveryDay(day=r.day, hrv_rmssd=r.hrv_rmssd) for r in oura_history]
    first = oura_history[0].day
    for offset in range(0, (oura_history[-1].day - first).days + 5, 3):
        day = first + timedelta(days=offset)
        for history in (oura_history, hrv_only):
            expected = assess_readiness(history, day, stale_after_days=stale_after)
            found = hrv_reading(history, day, stale_after_days=stale_after)
            assert found == expected.signal("hrv"), day
