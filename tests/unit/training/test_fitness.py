"""Batch fitness model: reproduces intervals.icu, conventions, calendar handling, validation."""

from __future__ import annotations

import itertools
import math
import re
from datetime import date, datetime, timedelta

import msgspec
import pytest

from lanterne_rouge.training import FitnessPoint, TrainingInputError, pmc

D0 = date(2025, 1, 1)
K_CTL = 1.0 - math.exp(-1.0 / 42.0)
K_ATL = 1.0 - math.exp(-1.0 / 7.0)


def _day(offset: int) -> date:
    return D0 + timedelta(days=offset)


def _seed(end_of_first_day: float, first_load: float, k: float) -> float:
    # The exported value of the first day already includes that day's load; undo one step.
    return (end_of_first_day - first_load * k) / (1.0 - k)


def test_reproduces_intervals_icu_ctl_atl_and_ramp_on_every_day(
    wellness_rows: list[dict[str, str]],
) -> None:
    loads = {date.fromisoformat(r["date"]): float(r["ctlLoad"]) for r in wellness_rows}
    fatigue = {date.fromisoformat(r["date"]): float(r["atlLoad"]) for r in wellness_rows}
    first = wellness_rows[0]
    points = pmc(
        loads,
        fatigue_loads=fatigue,
        seed_ctl=_seed(float(first["ctl"]), float(first["ctlLoad"]), K_CTL),
        seed_atl=_seed(float(first["atl"]), float(first["atlLoad"]), K_ATL),
    )

    assert len(points) == len(wellness_rows) == 1455
    assert [p.day.isoformat() for p in points] == [r["date"] for r in wellness_rows]
    ctl_error = max(
        abs(p.ctl - float(r["ctl"])) for p, r in zip(points, wellness_rows, strict=True)
    )
    atl_error = max(
        abs(p.atl - float(r["atl"])) for p, r in zip(points, wellness_rows, strict=True)
    )
    # intervals.icu leaves rampRate empty for the first 7 days (no CTL 7 days back in its
    # history); from day 8 on, d-7 is inside the file and every value is compared.
    assert all(r["rampRate"] == "" for r in wellness_rows[:7])
    ramp_pairs = list(zip(points[7:], wellness_rows[7:], strict=True))
    assert len(ramp_pairs) == 1448
    ramp_error = max(abs((p.ramp_rate or 0.0) - float(r["rampRate"])) for p, r in ramp_pairs)
    print(f"max |error| ctl={ctl_error:.2e} atl={atl_error:.2e} ramp={ramp_error:.2e}")
    assert ctl_error < 0.01
    assert atl_error < 0.01
    assert ramp_error < 0.01


def test_strength_days_count_for_fatigue_only(wellness_rows: list[dict[str, str]]) -> None:
    """On 2025-04-05 (weight training only) ATL gets the load, CTL does not."""
    loads = {date.fromisoformat(r["date"]): float(r["ctlLoad"]) for r in wellness_rows}
    fatigue = {date.fromisoformat(r["date"]): float(r["atlLoad"]) for r in wellness_rows}
    points = {p.day: p for p in pmc(loads, fatigue_loads=fatigue)}
    strength_day = points[date(2025, 4, 5)]
    assert (strength_day.load, strength_day.fatigue_load) == (0.0, 14.0)
    day_before = points[date(2025, 4, 4)]
    assert strength_day.ctl < day_before.ctl
    assert strength_day.atl == pytest.approx(day_before.atl + (14.0 - day_before.atl) * K_ATL)


def test_same_days_load_is_included_from_the_seed() -> None:
    [point] = pmc({D0: 100.0}, seed_ctl=10.0, seed_atl=20.0)
    assert point.ctl == pytest.approx(10.0 + 90.0 * K_CTL)
    assert point.atl == pytest.approx(20.0 + 80.0 * K_ATL)


def test_previous_day_tsb_is_yesterdays_ctl_minus_atl_with_seeds_on_day_one() -> None:
    points = pmc({D0: 100.0, _day(1): 50.0, _day(2): 0.0}, seed_ctl=30.0, seed_atl=10.0)
    assert points[0].tsb == 30.0 - 10.0
    for before, today in itertools.pairwise(points):
        assert today.tsb == before.ctl - before.atl


def test_same_day_tsb_is_todays_ctl_minus_atl() -> None:
    points = pmc({D0: 100.0, _day(1): 50.0}, seed_ctl=30.0, tsb_convention="same_day")
    assert [p.tsb for p in points] == [p.ctl - p.atl for p in points]


def test_first_week_ramp_is_measured_against_the_seed() -> None:
    points = pmc({D0: 80.0, _day(9): 40.0}, seed_ctl=25.0)
    assert [p.ramp_rate for p in points[:7]] == [p.ctl - 25.0 for p in points[:7]]
    assert [p.ramp_rate for p in points[7:]] == [
        p.ctl - points[i].ctl for i, p in enumerate(points[7:])
    ]


def test_missing_days_are_zero_load_days() -> None:
    sparse = pmc({D0: 60.0, _day(3): 90.0})
    dense = pmc({D0: 60.0, _day(1): 0.0, _day(2): 0.0, _day(3): 90.0})
    assert [p.day for p in sparse] == [_day(i) for i in range(4)]
    assert sparse == dense


def test_start_and_end_extend_the_range_and_loads_outside_are_ignored() -> None:
    points = pmc({_day(-5): 500.0, D0: 60.0}, start=D0, end=_day(4))
    assert [p.day for p in points] == [_day(i) for i in range(5)]
    assert points[0].ctl == pytest.approx(60.0 * K_CTL)
    assert [p.load for p in points] == [60.0, 0.0, 0.0, 0.0, 0.0]


def test_start_alone_after_the_last_load_gives_that_day() -> None:
    assert [p.day for p in pmc({D0: 10.0}, start=_day(3))] == [_day(3)]


def test_no_loads_and_no_range_gives_no_points() -> None:
    assert pmc({}) == []


def test_fatigue_loads_replace_loads_for_atl_only() -> None:
    points = pmc({D0: 100.0}, fatigue_loads={_day(1): 70.0})
    assert [(p.load, p.fatigue_load) for p in points] == [(100.0, 0.0), (0.0, 70.0)]
    assert points[0].atl == 0.0
    assert points[1].atl == pytest.approx(70.0 * K_ATL)


def test_integer_loads_come_back_as_floats() -> None:
    [point] = pmc({D0: 50})
    assert type(point.load) is float


def test_a_point_is_a_frozen_slotted_struct() -> None:
    values = {
        "day": D0,
        "load": 1.0,
        "fatigue_load": 2.0,
        "ctl": 3.0,
        "atl": 4.0,
        "tsb": -1.0,
        "ramp_rate": 0.5,
    }
    point = FitnessPoint(**values)
    assert point == FitnessPoint(D0, 1.0, 2.0, 3.0, 4.0, -1.0, 0.5)
    assert hash(point) == hash(FitnessPoint(**values))
    assert msgspec.structs.asdict(point) == values
    assert not hasattr(point, "__dict__"), "slotted"
    with pytest.raises(AttributeError, match="immutable"):
        point.ctl = 0.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        FitnessPoint(**values, extra=1.0)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"daily_loads": {D0: -5.0}}, "load on 2025-01-01 must be >= 0, got -5.0"),
        ({"daily_loads": {D0: math.nan}}, "load on 2025-01-01 must be finite, got nan"),
        ({"daily_loads": {D0: math.inf}}, "load on 2025-01-01 must be finite, got inf"),
        ({"daily_loads": {D0: "50"}}, "load on 2025-01-01 must be a number, got '50'"),
        ({"daily_loads": {D0: True}}, "load on 2025-01-01 must be a number, got True"),
        (
            {"daily_loads": {D0: 1.0}, "fatigue_loads": {D0: -1.0}},
            "fatigue load on 2025-01-01 must be >= 0",
        ),
        (
            {"daily_loads": {datetime(2025, 1, 1, 6): 1.0}},
            "load key must be a date, got datetime.datetime(2025, 1, 1, 6, 0)",
        ),
        ({"daily_loads": {D0: 1.0}, "ctl_days": 0}, "ctl_days must be > 0, got 0"),
        ({"daily_loads": {D0: 1.0}, "atl_days": -7}, "atl_days must be > 0, got -7"),
        ({"daily_loads": {D0: 1.0}, "ctl_days": math.nan}, "ctl_days must be finite"),
        ({"daily_loads": {D0: 1.0}, "seed_ctl": -1.0}, "seed_ctl must be >= 0"),
        ({"daily_loads": {D0: 1.0}, "seed_atl": math.inf}, "seed_atl must be finite"),
        ({"daily_loads": {D0: 1.0}, "tsb_convention": "today"}, "tsb_convention must be one"),
        ({"daily_loads": {}, "start": _day(2), "end": D0}, "start 2025-01-03 is after end"),
    ],
    ids=[
        "negative-load",
        "nan-load",
        "infinite-load",
        "text-load",
        "bool-load",
        "negative-fatigue-load",
        "datetime-key",
        "zero-ctl-days",
        "negative-atl-days",
        "nan-ctl-days",
        "negative-seed",
        "infinite-seed",
        "unknown-tsb-convention",
        "start-after-end",
    ],
)
def test_bad_input_is_rejected_naming_day_and_value(
    kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(TrainingInputError, match=re.escape(message)):
        pmc(**kwargs)


def test_input_error_is_a_value_error() -> None:
    assert issubclass(TrainingInputError, ValueError)
