"""Properties of the fitness model over generated load histories."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from lanterne_rouge.training import advance, pmc, project, seed_state, state_from_points

D0 = date(2024, 1, 1)
LOAD = st.floats(min_value=0.0, max_value=1000.0, allow_nan=False)
SEED = st.floats(min_value=0.0, max_value=300.0, allow_nan=False)
HISTORY = st.lists(LOAD, min_size=1, max_size=120)
SPARSE = st.dictionaries(st.integers(0, 150), LOAD, min_size=1, max_size=60)
TAU = st.sampled_from([42.0, 28.0, 7.0, 3.5, 1.0])
PROPERTY = settings(max_examples=150, deadline=None)


def _by_day(loads: list[float]) -> dict[date, float]:
    return {D0 + timedelta(days=i): load for i, load in enumerate(loads)}


@PROPERTY
@given(loads=HISTORY, seed_ctl=SEED, seed_atl=SEED, ctl_days=TAU, atl_days=TAU)
def test_ctl_and_atl_stay_within_the_loads_and_seed_seen(
    loads: list[float], seed_ctl: float, seed_atl: float, ctl_days: float, atl_days: float
) -> None:
    points = pmc(
        _by_day(loads), seed_ctl=seed_ctl, seed_atl=seed_atl, ctl_days=ctl_days, atl_days=atl_days
    )
    slack = 1e-9 * max(1.0, max(loads), seed_ctl, seed_atl)
    for i, point in enumerate(points):
        seen = loads[: i + 1]
        assert min(*seen, seed_ctl) - slack <= point.ctl <= max(*seen, seed_ctl) + slack
        assert min(*seen, seed_atl) - slack <= point.atl <= max(*seen, seed_atl) + slack


@PROPERTY
@given(loads=HISTORY)
def test_from_a_zero_seed_ctl_and_atl_stay_between_zero_and_the_peak_load(
    loads: list[float],
) -> None:
    for point in pmc(_by_day(loads)):
        assert 0.0 <= point.ctl <= max(loads) * (1 + 1e-12)
        assert 0.0 <= point.atl <= max(loads) * (1 + 1e-12)


@PROPERTY
@given(sparse=SPARSE, seed_ctl=SEED, seed_atl=SEED)
def test_incremental_update_equals_the_batch_result(
    sparse: dict[int, float], seed_ctl: float, seed_atl: float
) -> None:
    loads = {D0 + timedelta(days=offset): load for offset, load in sparse.items()}
    fatigue = {day: load * 1.5 for day, load in loads.items()}
    batch = pmc(loads, fatigue_loads=fatigue, seed_ctl=seed_ctl, seed_atl=seed_atl)
    first = min(loads)
    state = seed_state(first - timedelta(days=1), seed_ctl=seed_ctl, seed_atl=seed_atl)
    for day in sorted(loads):  # days in between are skipped: zero-load days
        state = advance(state, day, loads[day], fatigue[day])
        assert state.point == batch[(day - first).days]


@PROPERTY
@given(loads=HISTORY, seed_ctl=SEED, days=st.integers(1, 200))
def test_projection_with_zero_load_decays_monotonically(
    loads: list[float], seed_ctl: float, days: int
) -> None:
    state = state_from_points(pmc(_by_day(loads), seed_ctl=seed_ctl))
    points = project(state, [0.0] * days)
    ctl = [state.ctl, *(p.ctl for p in points)]
    atl = [state.atl, *(p.atl for p in points)]
    assert all(after <= before for before, after in itertools.pairwise(ctl))
    assert all(after <= before for before, after in itertools.pairwise(atl))
    assert all(after < before for before, after in itertools.pairwise(ctl) if before > 1e-9)
    assert all(p.ctl >= 0.0 and p.atl >= 0.0 for p in points)
