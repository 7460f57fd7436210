"""Incremental fitness model: advance, rebuild from stored points, project planned loads."""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta

import pytest

from lanterne_rouge.training import (
    FitnessState,
    TrainingInputError,
    advance,
    advance_days,
    pmc,
    project,
    seed_state,
    state_from_points,
)

D0 = date(2025, 3, 1)
LOADS = {D0 + timedelta(days=i): float((i * 37) % 120) for i in range(30)}
FATIGUE = {day: load + (15.0 if day.day % 5 == 0 else 0.0) for day, load in LOADS.items()}


def _day(offset: int) -> date:
    return D0 + timedelta(days=offset)


def test_advancing_from_the_seed_state_equals_batch_exactly() -> None:
    batch = pmc(LOADS, fatigue_loads=FATIGUE, seed_ctl=40.0, seed_atl=55.0)
    state = seed_state(_day(-1), seed_ctl=40.0, seed_atl=55.0)
    stepped = []
    for day, load in LOADS.items():
        state = advance(state, day, load, FATIGUE[day])
        stepped.append(state.point)
    assert stepped == batch


@pytest.mark.parametrize("convention", ["previous_day", "same_day"])
def test_advancing_many_days_at_once_equals_advancing_day_by_day(convention: str) -> None:
    start = seed_state(_day(-1), seed_ctl=40.0, seed_atl=55.0, tsb_convention=convention)  # type: ignore[arg-type]
    state, stepped = start, []
    for day, load in LOADS.items():
        state = advance(state, day, load, FATIGUE[day])
        stepped.append(state.point)
    points, moved = advance_days(start, list(LOADS.values()), list(FATIGUE.values()))
    assert points == stepped
    assert moved == state
    assert advance_days(start, []) == ([], start)
    with pytest.raises(TrainingInputError, match="fatigue loads cover 1 days"):
        advance_days(start, [10.0, 20.0], [10.0])
    with pytest.raises(TrainingInputError, match="load"):
        advance_days(start, [10.0, -5.0])


@pytest.mark.parametrize("stored_days", [7, 8, 20], ids=["one-week", "eight-days", "twenty-days"])
def test_state_rebuilt_from_stored_points_continues_exactly(stored_days: int) -> None:
    batch = pmc(LOADS, tsb_convention="same_day")
    state = state_from_points(batch[:stored_days], tsb_convention="same_day")
    for expected in batch[stored_days:]:
        state = advance(state, expected.day, expected.load)
        assert state.point == expected


def test_state_from_fewer_than_seven_points_uses_the_seed_behind_them() -> None:
    batch = pmc(LOADS, seed_ctl=33.0)
    state = state_from_points(batch[:3])
    assert state.recent_ctl[:4] == pytest.approx([33.0] * 4)
    for expected in batch[3:12]:
        state = advance(state, expected.day, expected.load)
        assert state.point.ctl == expected.ctl
        assert state.point.ramp_rate == pytest.approx(expected.ramp_rate, abs=1e-12)


def test_skipped_days_are_zero_load_days() -> None:
    batch = pmc({D0: 100.0, _day(4): 50.0})
    state = advance(seed_state(_day(-1)), D0, 100.0)
    state = advance(state, _day(4), 50.0)
    assert state.point == batch[-1]
    assert state.recent_ctl[-5:] == tuple(p.ctl for p in batch)


def test_state_keeps_the_last_seven_ctl_values_oldest_first() -> None:
    batch = pmc(LOADS)
    state = state_from_points(batch)
    assert state.recent_ctl == tuple(p.ctl for p in batch[-7:])
    assert (state.day, state.ctl, state.atl) == (batch[-1].day, batch[-1].ctl, batch[-1].atl)


def test_state_carries_its_time_constants_and_convention() -> None:
    batch = pmc(LOADS, ctl_days=28, atl_days=5, tsb_convention="same_day")
    state = state_from_points(batch[:10], ctl_days=28, atl_days=5, tsb_convention="same_day")
    state = advance(state, batch[10].day, batch[10].load)
    assert state.point == batch[10]


def test_projection_of_a_plan_matches_the_batch_model() -> None:
    batch = pmc(LOADS)
    state = state_from_points(batch[:20])
    planned = [p.load for p in batch[20:]]
    assert project(state, planned) == batch[20:]


def test_projection_by_date_fills_unplanned_days_with_zero() -> None:
    state = state_from_points(pmc(LOADS))
    last = state.day
    points = project(state, {last + timedelta(days=3): 90.0})
    assert [p.day for p in points] == [last + timedelta(days=i) for i in (1, 2, 3)]
    assert [p.load for p in points] == [0.0, 0.0, 90.0]


def test_projection_with_separate_fatigue_loads() -> None:
    state = state_from_points(pmc(LOADS))
    points = project(state, [50.0, 0.0], fatigue_loads=[50.0, 30.0])
    assert [(p.load, p.fatigue_load) for p in points] == [(50.0, 50.0), (0.0, 30.0)]
    assert points[1].atl > points[0].atl * math.exp(-1.0 / 7.0)


def test_empty_plan_projects_nothing() -> None:
    assert project(state_from_points(pmc(LOADS)), []) == []


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: advance(s, s.day, 10.0), "must be after the state's day"),
        (lambda s: advance(s, s.day - timedelta(days=3), 10.0), "must be after"),
        (lambda s: advance(s, datetime(2025, 4, 1, 7), 10.0), "day must be a date, got datetime"),
        (lambda s: advance(s, s.day + timedelta(days=1), -1.0), "must be >= 0, got -1.0"),
        (lambda s: advance(s, s.day + timedelta(days=1), 1.0, math.nan), "fatigue load on"),
        (lambda s: project(s, [10.0, -2.0]), "planned load on 2025-04-01 must be >= 0"),
        (lambda s: project(s, {s.day: 10.0}), "planned load on 2025-03-30 is not after"),
        (
            lambda s: project(s, [1.0], fatigue_loads=[1.0, 2.0]),
            "cover 2 days but the planned loads cover 1",
        ),
    ],
    ids=[
        "same-day",
        "earlier-day",
        "datetime-day",
        "negative-load",
        "nan-fatigue-load",
        "negative-planned-load",
        "plan-on-past-day",
        "fatigue-plan-of-other-length",
    ],
)
def test_bad_steps_are_rejected(call: object, message: str) -> None:
    state = state_from_points(pmc(LOADS))
    with pytest.raises(TrainingInputError, match=re.escape(message)):
        call(state)  # type: ignore[operator]


def test_state_from_points_needs_consecutive_days() -> None:
    points = pmc(LOADS)
    with pytest.raises(TrainingInputError, match="consecutive days"):
        state_from_points([*points[:5], *points[6:9]])
    with pytest.raises(TrainingInputError, match="at least one point"):
        state_from_points([])


def test_state_rejects_an_inconsistent_ctl_window() -> None:
    point = pmc({D0: 10.0})[0]
    with pytest.raises(ValueError, match="recent_ctl must hold 7 values"):
        FitnessState(point=point, recent_ctl=(point.ctl,))
    with pytest.raises(ValueError, match=r"must end with point\.ctl"):
        FitnessState(point=point, recent_ctl=(0.0,) * 7)
