"""The recovery trend's baselines, found in one pass: the same floats as reading day by day."""

from __future__ import annotations

import math
import random
import statistics
from datetime import date, timedelta

import pytest

from lanterne_rouge.training import TrainingInputError
from lanterne_rouge.training.exact_stats import ExactWindows, exact_stdev
from lanterne_rouge.training.readiness import assess_days
from lanterne_rouge.training.readiness_models import RecoveryDay
from lanterne_rouge.training.readiness_trend import DayBaselines, baseline_days


def _as_read(history: list[RecoveryDay], days: list[date], **kwargs: object) -> list[DayBaselines]:
    """What the chart took from ``assess_days`` before: the judged bands, and the resting HR's
    line on the days it was read."""
    found = []
    for day, assessment in zip(days, assess_days(history, days, **kwargs), strict=True):  # type: ignore[arg-type]
        hrv, rhr = assessment.signal("hrv"), assessment.signal("resting_hr")
        band = None
        if hrv.lower is not None and hrv.upper is not None and hrv.value is not None:
            band = (hrv.lower, hrv.upper, hrv.value)
        line = None
        if rhr.baseline is not None and rhr.upper is not None and rhr.observed_on == day:
            line = (rhr.baseline, rhr.upper)
        found.append(DayBaselines(day, band, line))
    return found


@pytest.mark.parametrize("look_back", [60, 20, None], ids=["report", "short", "all"])
@pytest.mark.parametrize("stale_after", [0, 2, 10], ids=["fresh-only", "default", "lenient"])
def test_the_baselines_are_those_each_days_assessment_reads(
    oura_history: list[RecoveryDay], look_back: int | None, stale_after: int
) -> None:
    rng = random.Random(look_back or 0)
    gappy = [r for r in oura_history if rng.random() > 0.3]  # missing and stale days too
    for history in (oura_history, gappy):
        first = history[0].day
        days = [first + timedelta(days=n) for n in range((history[-1].day - first).days + 5)]
        expected = _as_read(history, days, look_back=look_back, stale_after_days=stale_after)
        found = baseline_days(history, days, look_back=look_back, stale_after_days=stale_after)
        assert found == expected


def test_bad_records_are_rejected_as_the_assessment_rejects_them() -> None:
    day = date(2025, 5, 31)
    with pytest.raises(TrainingInputError, match="two records for 2025-05-31"):
        baseline_days([RecoveryDay(day=day), RecoveryDay(day=day)], [day])
    with pytest.raises(TrainingInputError, match="hrv_rmssd on 2025-05-31 must be between"):
        baseline_days([RecoveryDay(day=day, hrv_rmssd=0.0)], [day])
    assert baseline_days([], []) == []


@pytest.mark.parametrize(
    "make",
    [
        lambda rng, n: [math.log(rng.uniform(15.0, 180.0)) for _ in range(n)],
        lambda rng, n: [rng.uniform(-1e6, 1e6) for _ in range(n)],
        lambda rng, n: [rng.choice((0.0, 1.0, 2.5, 3.25)) for _ in range(n)],
        lambda rng, n: [rng.uniform(0.0, 1.0) * 10.0 ** rng.randint(-12, 12) for _ in range(n)],
        lambda rng, n: [rng.choice((1e300, -1e300, 3.0, 5e-324, 1e-300)) for _ in range(n)],
    ],
    ids=["ln-rmssd", "wide", "repeated", "mixed-magnitudes", "too-wide-for-one-scale"],
)
def test_window_means_and_deviations_are_the_same_floats_as_statistics(make: object) -> None:
    rng = random.Random(20261130)
    for _ in range(100):
        values = make(rng, rng.randint(2, 90))  # type: ignore[operator]
        windows = ExactWindows(values)
        for _ in range(20):
            low = rng.randrange(len(values) - 1)
            high = rng.randint(low + 2, len(values))
            part = values[low:high]
            assert windows.mean(low, high) == statistics.fmean(part), part
            if all(map(math.isfinite, part)) and max(map(abs, part)) < 1e150:
                assert windows.stdev(low, high) == exact_stdev(part) == statistics.stdev(part)
