"""Normalized power and power TSS, including against intervals.icu's power_load."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lanterne_rouge.training import TrainingInputError
from lanterne_rouge.training.load import (
    ActivityInput,
    AthleteThresholds,
    LoadSettings,
    SportRule,
    activity_load,
    normalized_power,
    power_tss,
)
from lanterne_rouge.training.power import intensity_factor


@pytest.mark.parametrize("watts", [0.5, 180, 200.3, 250.0, 1234.56], ids=str)
def test_steady_stream_gives_its_power_exactly(watts: float) -> None:
    assert normalized_power([watts] * 3600) == watts


def test_spikes_lift_np_above_the_average() -> None:
    stream = ([150.0] * 50 + [600.0] * 10) * 60
    average = sum(stream) / len(stream)
    result = normalized_power(stream)
    assert result is not None
    assert result > average * 1.1


def test_two_steady_halves_give_the_fourth_power_mean() -> None:
    result = normalized_power([100.0] * 1800 + [300.0] * 1800)
    assert result == pytest.approx(((100.0**4 + 300.0**4) / 2) ** 0.25, rel=0.01)


def test_empty_stream_has_no_np() -> None:
    assert normalized_power([]) is None


@pytest.mark.parametrize("stream", [[None] * 60, [math.nan] * 60], ids=["all-none", "all-nan"])
def test_stream_of_dropouts_only_has_no_np(stream: list[float | None]) -> None:
    assert normalized_power(stream) is None


def test_all_zero_stream_gives_zero() -> None:
    assert normalized_power([0.0] * 600) == 0.0


def test_dropouts_are_skipped_not_counted_as_zero_watts() -> None:
    holed: list[float | None] = [200.0] * 1200
    for start in range(100, 1100, 200):
        holed[start : start + 40] = [None] * 20 + [math.nan] * 20
    assert normalized_power(holed) == 200.0
    zero_filled = [0.0 if w is None or math.isnan(w) else w for w in holed]
    assert (normalized_power(zero_filled) or 0.0) < 200.0


def test_stream_shorter_than_the_window_gives_its_mean() -> None:
    assert normalized_power([100.0, 200.0, 300.0]) == pytest.approx(200.0)


def test_sample_interval_sets_the_window_in_seconds() -> None:
    one_second = ([120.0] * 20 + [400.0] * 20) * 90
    five_seconds = ([120.0] * 4 + [400.0] * 4) * 90
    assert normalized_power(five_seconds, sample_seconds=5.0) == pytest.approx(
        normalized_power(one_second), rel=0.02
    )


@pytest.mark.parametrize(
    ("stream", "kwargs", "message"),
    [
        ([100.0, -5.0], {}, "power sample 1 must be between 0 and 3000 W, got -5.0"),
        ([100.0, 200.0, 5000.0], {}, "power sample 2 must be between 0 and 3000 W, got 5000.0"),
        ([100.0, math.inf], {}, "power sample 1 must be finite, got inf"),
        ([100.0], {"sample_seconds": 0.0}, "sample_seconds must be > 0, got 0.0"),
    ],
    ids=["negative-sample", "5000-watt-sample", "infinite-sample", "zero-interval"],
)
def test_corrupt_streams_are_rejected_naming_the_sample(
    stream: list[float], kwargs: dict[str, float], message: str
) -> None:
    with pytest.raises(TrainingInputError, match=re.escape(message)):
        normalized_power(stream, **kwargs)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.floats(0.0, 2000.0) | st.none(), min_size=1, max_size=400))
def test_np_lies_between_the_lowest_and_highest_reading(stream: list[float | None]) -> None:
    readings = [w for w in stream if w is not None]
    result = normalized_power(stream)
    if not readings:
        assert result is None
    else:
        assert result is not None
        assert min(readings) * (1 - 1e-9) <= result <= max(readings) * (1 + 1e-9)


def test_one_hour_at_ftp_is_100_points() -> None:
    assert power_tss(250.0, 3600.0, 250.0) == pytest.approx(100.0)
    assert intensity_factor(200.0, 250.0) == pytest.approx(0.8)
    assert power_tss(200.0, 1800.0, 250.0) == pytest.approx(32.0)


@pytest.mark.parametrize(
    ("np_watts", "seconds", "ftp", "message"),
    [
        (200.0, 3600.0, 0.0, "ftp must be above 0 and at most 700 W, got 0.0"),
        (200.0, 3600.0, 800.0, "ftp must be above 0 and at most 700 W, got 800.0"),
        (5000.0, 3600.0, 250.0, "normalized_power must be between 0 and 2500 W, got 5000.0"),
        (200.0, -60.0, 250.0, "duration_seconds must be above 0 and at most 172800 s"),
    ],
    ids=["ftp-zero", "ftp-800", "np-5000-watts", "negative-duration"],
)
def test_power_tss_rejects_absurd_inputs(
    np_watts: float, seconds: float, ftp: float, message: str
) -> None:
    with pytest.raises(TrainingInputError, match=re.escape(message)):
        power_tss(np_watts, seconds, ftp)


RIDES = LoadSettings(sports={"ride": SportRule(provider_np=True)})


def test_power_tss_matches_intervals_icu_power_load(activity_rows: list[dict[str, str]]) -> None:
    rides = [r for r in activity_rows if r["type"] == "Ride" and r["icu_normalized_watts"]]
    assert len(rides) == 117
    errors: list[tuple[float, str, float, float]] = []
    for ride in rides:
        result = activity_load(
            ActivityInput(
                sport=ride["type"],
                duration_seconds=float(ride["moving_time"]),
                normalized_power=float(ride["icu_normalized_watts"]),
                average_power=float(ride["icu_average_watts"]),
                device_watts=ride["device_watts"] == "true",
            ),
            AthleteThresholds(ftp=float(ride["icu_ftp"])),
            RIDES,
        )
        assert (result.method, result.source) == ("power", "provider_np")
        expected = float(ride["power_load"])
        errors.append((abs(result.tss - expected), ride["id"], result.tss, expected))
    within = sum(1 for error, *_ in errors if error <= 2.0) / len(errors)
    worst = max(errors)
    report = (
        f"{within:.1%} of {len(errors)} rides within 2 points; worst: activity {worst[1]} "
        f"ours {worst[2]:.2f} vs power_load {worst[3]:.0f} (|diff| {worst[0]:.2f})"
    )
    print(report)
    assert within >= 0.95, report
