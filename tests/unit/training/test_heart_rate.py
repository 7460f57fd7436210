"""Heart-rate load: Banister TRIMP normalised to one hour at threshold heart rate."""

from __future__ import annotations

import math
import re

import pytest

from lanterne_rouge.training import TrainingInputError
from lanterne_rouge.training.heart_rate import (
    Sex,
    hr_tss,
    threshold_hour_trimp,
    trimp_from_average,
    trimp_from_stream,
)
from lanterne_rouge.training.load import ActivityInput, AthleteThresholds, activity_load

PROFILE = {"resting_hr": 50.0, "max_hr": 190.0}
THRESHOLD = 165.0


@pytest.mark.parametrize("sex", ["male", "female"])
def test_one_hour_at_threshold_is_100_points(sex: Sex) -> None:
    from_average = trimp_from_average(THRESHOLD, 3600.0, sex=sex, **PROFILE)
    from_stream = trimp_from_stream([THRESHOLD] * 3600, sex=sex, **PROFILE)
    for trimp in (from_average, from_stream):
        assert trimp is not None
        assert hr_tss(trimp, threshold_hr=THRESHOLD, sex=sex, **PROFILE) == pytest.approx(100.0)


@pytest.mark.parametrize(
    ("sex", "a", "b"), [("male", 0.64, 1.92), ("female", 0.86, 1.67)], ids=["male", "female"]
)
def test_trimp_uses_the_sex_specific_coefficients(sex: Sex, a: float, b: float) -> None:
    bpm = 50.0 + 0.5 * 140.0  # half of the heart-rate reserve
    trimp = trimp_from_average(bpm, 3600.0, sex=sex, **PROFILE)
    assert trimp == pytest.approx(60.0 * 0.5 * a * math.exp(b * 0.5))


def test_threshold_hour_trimp_is_the_normaliser() -> None:
    fraction = (THRESHOLD - 50.0) / 140.0
    expected = 60.0 * fraction * 0.64 * math.exp(1.92 * fraction)
    assert threshold_hour_trimp(threshold_hr=THRESHOLD, sex="male", **PROFILE) == pytest.approx(
        expected
    )


def test_stream_counts_surges_more_than_their_average() -> None:
    stream = [120.0] * 1800 + [180.0] * 1800
    from_stream = trimp_from_stream(stream, sex="male", **PROFILE)
    from_average = trimp_from_average(150.0, 3600.0, sex="male", **PROFILE)
    assert from_stream is not None
    assert from_stream > from_average


def test_stream_dropouts_are_skipped_with_their_time() -> None:
    clean = [140.0] * 600
    holed: list[float | None] = [*clean, None, math.nan, 0, 0.0]
    assert trimp_from_stream(holed, sex="female", **PROFILE) == trimp_from_stream(
        clean, sex="female", **PROFILE
    )
    assert trimp_from_stream([None, 0.0], sex="female", **PROFILE) is None


def test_heart_rate_below_resting_counts_as_zero_and_above_max_as_max() -> None:
    assert trimp_from_stream([45.0] * 60, sex="male", **PROFILE) == 0.0
    assert trimp_from_stream([200.0] * 60, sex="male", **PROFILE) == pytest.approx(
        trimp_from_stream([190.0] * 60, sex="male", **PROFILE)
    )


def test_samples_are_per_recording_interval() -> None:
    per_second = trimp_from_stream([150.0] * 600, sex="male", **PROFILE)
    per_five = trimp_from_stream([150.0] * 120, sex="male", sample_seconds=5.0, **PROFILE)
    assert per_five == pytest.approx(per_second)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: trimp_from_stream([140.0, 300.0], sex="male", **PROFILE),
            "heart rate sample 1 must be between 25 and 250 bpm, got 300.0",
        ),
        (
            lambda: trimp_from_average(300.0, 3600.0, sex="male", **PROFILE),
            "average_hr must be between 25 and 250 bpm, got 300.0",
        ),
        (
            lambda: trimp_from_average(140.0, 3600.0, sex="x", **PROFILE),
            "sex must be 'male' or 'female', got 'x'",
        ),
        (
            lambda: threshold_hour_trimp(threshold_hr=195.0, sex="male", **PROFILE),
            "threshold_hr must lie between resting_hr 50 and max_hr 190, got 195.0",
        ),
        (
            lambda: threshold_hour_trimp(
                threshold_hr=165.0, sex="male", resting_hr=200.0, max_hr=190.0
            ),
            "resting_hr must be between 25 and 120 bpm, got 200.0",
        ),
        (
            lambda: threshold_hour_trimp(
                threshold_hr=165.0, sex="male", resting_hr=60.0, max_hr=280.0
            ),
            "max_hr must be between 100 and 250 bpm, got 280.0",
        ),
    ],
    ids=[
        "stream-sample-300",
        "average-hr-300",
        "unknown-sex",
        "threshold-above-max",
        "resting-200",
        "max-280",
    ],
)
def test_absurd_heart_rates_are_rejected(call: object, message: str) -> None:
    with pytest.raises(TrainingInputError, match=re.escape(message)):
        call()  # type: ignore[operator]


def test_average_hr_load_tracks_intervals_icu_hr_load(activity_rows: list[dict[str, str]]) -> None:
    """intervals.icu's hr_load for this athlete is matched by the female coefficients.

    It works from the stream and we from the average here, so agreement is close, not exact.
    """
    rows = [r for r in activity_rows if r["average_heartrate"] and r["hr_load"]]
    errors = []
    for row in rows:
        result = activity_load(
            ActivityInput(
                sport=row["type"],
                duration_seconds=float(row["moving_time"]),
                average_hr=float(row["average_heartrate"]),
            ),
            AthleteThresholds(
                resting_hr=float(row["icu_resting_hr"]),
                max_hr=float(row["hr_max"]),
                threshold_hr=float(row["lthr"]),
                sex="female",
            ),
        )
        assert (result.method, result.source) == ("heart_rate", "average_hr")
        errors.append(abs(result.tss - float(row["hr_load"])))
    within_five = sum(1 for error in errors if error <= 5.0) / len(errors)
    print(f"hr load: {within_five:.1%} of {len(errors)} within 5 points, worst {max(errors):.1f}")
    assert within_five >= 0.9
