"""One fitness history: an athlete's fitness, fatigue and form, day by day, up to a day.

Every place that shows fitness reads it here: the observation (and the planner, which starts
from the state the observation was built on), ``lanterne-rouge fitness``, the report chart and
the dashboard. So each shows the same number for the same day.

The model starts on the first stored day from the imported history's seed (the fitness an
export began with; see ``activity_store.history_seed``), or from a seed the caller gives, or
from zero. When a cached end-of-day state is usable it moves on from it instead, one day at a
time; the cache is dropped from a day on whenever that day's loads or the seeds change.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import msgspec

from lanterne_rouge.memory.activity_store import FitnessSeed, history_seed
from lanterne_rouge.memory.records import DailyLoad
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.training.fitness import RAMP_DAYS, FitnessPoint, TsbConvention, pmc
from lanterne_rouge.training.fitness_state import FitnessState, advance_days, state_from_points

_ONE_DAY = timedelta(days=1)


class FitnessHistory(msgspec.Struct, frozen=True):
    """The points from ``since`` to ``until`` and the model's state at the end of ``until``."""

    points: tuple[FitnessPoint, ...]
    state: FitnessState | None


def fitness_history(
    store: StateStore,
    athlete_id: str,
    until: date,
    *,
    since: date | None = None,
    convention: TsbConvention = "previous_day",
    seed: FitnessSeed | None = None,
    remember: bool = False,
) -> FitnessHistory:
    """The fitness history of ``athlete_id`` up to the end of ``until``.

    ``since`` is the first day of the points returned (None: from the first stored day; a day
    after ``until``: no points, only the state, which is how the morning observation asks).
    ``seed`` replaces the stored seed (and skips the cache). ``remember`` caches the final
    state, so the next day moves on from it in O(1); read-only views leave it off.
    """
    cached = None if seed is not None or since is None else _cached(store, athlete_id, since, until)
    cached = cached if cached is None or cached.tsb_convention == convention else None
    if cached is not None:
        loads = store.loads(athlete_id, since=cached.day + _ONE_DAY, until=until)
        points, state = _moved_on(cached, loads, until)
    else:
        loads = store.loads(athlete_id, until=until)
        if not loads:
            return FitnessHistory((), None)
        points = _from_start(store, athlete_id, loads, until, convention, seed)
        state = state_from_points(points, tsb_convention=convention)
    if remember and state is not None and state != cached:
        kept = _checkpoints(points, convention) if cached is None else []
        store.save_fitness_states(athlete_id, [*kept, state])
    shown = tuple(p for p in points if since is None or p.day >= since)
    return FitnessHistory(shown, state)


CHECKPOINT_DAYS = 28


def _checkpoints(points: Sequence[FitnessPoint], convention: TsbConvention) -> list[FitnessState]:
    """After a history computed from its start, the state at every ``CHECKPOINT_DAYS`` of the
    last year is kept too: a view of the last weeks (the report's chart) then moves on from a
    nearby state instead of computing the whole history again."""
    last_year = points[-365:]
    states = []
    for end in range(len(last_year) - CHECKPOINT_DAYS, RAMP_DAYS, -CHECKPOINT_DAYS):
        offset = len(points) - len(last_year) + end
        window = points[max(0, offset - RAMP_DAYS) : offset + 1]
        if len(window) == RAMP_DAYS + 1:
            states.append(state_from_points(window, tsb_convention=convention))
    return states


def _cached(store: StateStore, athlete_id: str, since: date, until: date) -> FitnessState | None:
    return store.fitness_state(athlete_id, until=min(since - _ONE_DAY, until))


def _moved_on(
    cached: FitnessState, loads: Sequence[DailyLoad], until: date
) -> tuple[list[FitnessPoint], FitnessState]:
    by_day = {d.day: d for d in loads}
    days = [cached.day + i * _ONE_DAY for i in range(1, (until - cached.day).days + 1)]
    found = [by_day.get(day) for day in days]
    return advance_days(
        cached,
        [d.load if d else 0.0 for d in found],
        [d.atl_load if d else 0.0 for d in found],
    )


def _from_start(
    store: StateStore,
    athlete_id: str,
    loads: Sequence[DailyLoad],
    until: date,
    convention: TsbConvention,
    seed: FitnessSeed | None,
) -> list[FitnessPoint]:
    start_seed = seed or history_seed(store.activities.seeds(athlete_id), loads[0].day)
    return pmc(
        {d.day: d.load for d in loads},
        fatigue_loads={d.day: d.atl_load for d in loads},
        seed_ctl=start_seed.ctl if start_seed else 0.0,
        seed_atl=start_seed.atl if start_seed else 0.0,
        start=start_seed.day + _ONE_DAY if start_seed else None,
        end=until,
        tsb_convention=convention,
    )


__all__ = ["FitnessHistory", "fitness_history"]
