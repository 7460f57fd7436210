"""The fitness model day by day: a stored state, moved on in O(1), and projected forward.

``FitnessState`` is what the daily run keeps between days: the last ``FitnessPoint`` and the
CTL of the last seven days (for the ramp rate). ``advance`` moves it on to a new day,
``project`` looks ahead over planned loads, ``state_from_points`` rebuilds it from stored
``pmc`` results and ``seed_state`` starts one before any history. They run the same loop as
``pmc``, so advancing day by day gives exactly the batch result.
"""

# Annotations are evaluated as the classes are made (no ``from __future__ import
# annotations``): pydantic would otherwise evaluate each one from its string, a third of
# the time these models take to build at start-up.

from collections.abc import Mapping, Sequence
from datetime import date
from itertools import pairwise
from typing import Annotated, Any, Self

import msgspec
from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler, GetPydanticSchema, model_validator
from pydantic_core import core_schema

from lanterne_rouge.training._checks import non_negative
from lanterne_rouge.training.errors import TrainingInputError
from lanterne_rouge.training.fitness import (
    _ONE_DAY,
    RAMP_DAYS,
    FitnessPoint,
    TsbConvention,
    _check_convention,
    _check_day,
    _checked_loads,
    _coefficient,
    _dense,
    _load,
    _run,
)


def _point_schema(_: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
    """How pydantic reads and writes a ``FitnessPoint`` (a Struct, which it does not know): an
    instance as it is, or an object of its fields, no others; written as that object."""
    fields = core_schema.typed_dict_schema(
        {
            f.name: core_schema.typed_dict_field(handler.generate_schema(f.type))
            for f in msgspec.structs.fields(FitnessPoint)
        },
        extra_behavior="forbid",
    )
    from_fields = core_schema.no_info_after_validator_function(
        lambda values: FitnessPoint(**values), fields
    )
    return core_schema.json_or_python_schema(
        json_schema=from_fields,
        python_schema=core_schema.union_schema(
            [core_schema.is_instance_schema(FitnessPoint), from_fields]
        ),
        serialization=core_schema.plain_serializer_function_ser_schema(
            msgspec.structs.asdict, return_schema=fields
        ),
    )


class FitnessState(BaseModel):
    """Everything needed to advance the model by one day in O(1).

    ``recent_ctl`` holds the CTL of the last seven days, oldest first, ending with
    ``point.ctl``: the oldest is the one the next day's ramp rate is measured against.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    point: Annotated[FitnessPoint, GetPydanticSchema(_point_schema)]
    recent_ctl: tuple[float, ...]
    ctl_days: float = 42.0
    atl_days: float = 7.0
    tsb_convention: TsbConvention = "previous_day"

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if len(self.recent_ctl) != RAMP_DAYS:
            raise ValueError(f"recent_ctl must hold {RAMP_DAYS} values, got {self.recent_ctl}")
        if self.recent_ctl[-1] != self.point.ctl:
            raise ValueError("recent_ctl must end with point.ctl")
        _coefficient(self.ctl_days, "ctl_days")
        _coefficient(self.atl_days, "atl_days")
        return self

    @property
    def day(self) -> date:
        """The day this state is the end of."""
        return self.point.day

    @property
    def ctl(self) -> float:
        """End-of-day CTL."""
        return self.point.ctl

    @property
    def atl(self) -> float:
        """End-of-day ATL."""
        return self.point.atl


def seed_state(
    day_before: date,
    *,
    seed_ctl: float = 0.0,
    seed_atl: float = 0.0,
    ctl_days: float = 42.0,
    atl_days: float = 7.0,
    tsb_convention: TsbConvention = "previous_day",
) -> FitnessState:
    """The state at the end of ``day_before``, the day before history starts.

    Advancing it over the loads gives exactly what ``pmc`` gives with the same seeds.
    """
    ctl = non_negative(seed_ctl, "seed_ctl")
    atl = non_negative(seed_atl, "seed_atl")
    _check_convention(tsb_convention)
    point = FitnessPoint(
        day=day_before, load=0.0, fatigue_load=0.0, ctl=ctl, atl=atl, tsb=ctl - atl, ramp_rate=0.0
    )
    return FitnessState(
        point=point,
        recent_ctl=(ctl,) * RAMP_DAYS,
        ctl_days=ctl_days,
        atl_days=atl_days,
        tsb_convention=tsb_convention,
    )


def state_from_points(
    points: Sequence[FitnessPoint],
    *,
    ctl_days: float = 42.0,
    atl_days: float = 7.0,
    tsb_convention: TsbConvention = "previous_day",
) -> FitnessState:
    """Rebuild the state at the end of the last point, e.g. from stored ``pmc`` results.

    The last seven points (or all, if fewer) must be consecutive days. With fewer than seven
    points, CTL before the first point is taken as ``ctl - ramp_rate`` of the first point,
    which is the seed under ``pmc``'s convention; the points must then come from the start of
    a ``pmc`` history and the first must have a ramp rate. Pass the time constants and TSB
    convention the points were computed with: the points do not record them.
    """
    if not points:
        raise TrainingInputError("state_from_points needs at least one point")
    tail = list(points[-RAMP_DAYS:])
    for before, after in pairwise(tail):
        if after.day - before.day != _ONE_DAY:
            raise TrainingInputError(
                f"points must be consecutive days, got {before.day} then {after.day}"
            )
    recent = [p.ctl for p in tail]
    if len(recent) < RAMP_DAYS:
        first = tail[0]
        if first.ramp_rate is None:
            raise TrainingInputError(
                f"point of {first.day} has no ramp rate; need {RAMP_DAYS} points or a ramp rate"
            )
        recent = [first.ctl - first.ramp_rate] * (RAMP_DAYS - len(recent)) + recent
    return FitnessState(
        point=tail[-1],
        recent_ctl=tuple(recent),
        ctl_days=ctl_days,
        atl_days=atl_days,
        tsb_convention=tsb_convention,
    )


def advance(
    state: FitnessState, day: date, load: float, fatigue_load: float | None = None
) -> FitnessState:
    """Move ``state`` on to the end of ``day`` with that day's load.

    ``fatigue_load`` defaults to ``load``. Days skipped between ``state.day`` and ``day`` count
    as zero-load days (the cost is one step per skipped day). ``day`` must be after
    ``state.day``.
    """
    gap = (_check_day(day, "day") - state.day).days
    if gap < 1:
        raise TrainingInputError(f"day {day} must be after the state's day {state.day}")
    ctl_load = _load(load, "load", day)
    atl_load = ctl_load if fatigue_load is None else _load(fatigue_load, "fatigue load", day)
    zeros = [0.0] * (gap - 1)
    return _moved(state, [*zeros, ctl_load], [*zeros, atl_load])[1]


def advance_days(
    state: FitnessState, loads: Sequence[float], fatigue_loads: Sequence[float] | None = None
) -> tuple[list[FitnessPoint], FitnessState]:
    """Move ``state`` on over the days after it, one load each (``fatigue_loads``, as long,
    default ``loads``): each day's point, and the state at the end; the same numbers as
    ``advance`` day after day, in one pass."""
    if not loads:
        return [], state
    first = state.day + _ONE_DAY
    series = [_load(v, "load", first + i * _ONE_DAY) for i, v in enumerate(loads)]
    fatigue = series
    if fatigue_loads is not None:
        if len(fatigue_loads) != len(series):
            raise TrainingInputError(
                f"fatigue loads cover {len(fatigue_loads)} days but the loads cover {len(series)}"
            )
        fatigue = [
            _load(v, "fatigue load", first + i * _ONE_DAY) for i, v in enumerate(fatigue_loads)
        ]
    return _moved(state, series, fatigue)


def _moved(
    state: FitnessState, loads: list[float], fatigue_loads: list[float]
) -> tuple[list[FitnessPoint], FitnessState]:
    """The model run on from ``state`` over checked loads, one a day from the day after it."""
    window = list(state.recent_ctl)
    points = _run(
        state.day + _ONE_DAY,
        loads,
        fatigue_loads,
        state.ctl,
        state.atl,
        window,
        state.ctl_days,
        state.atl_days,
        state.tsb_convention,
    )
    return points, _next_state(state, points[-1], window)


def project(
    state: FitnessState,
    planned_loads: Sequence[float] | Mapping[date, float],
    *,
    fatigue_loads: Sequence[float] | Mapping[date, float] | None = None,
) -> list[FitnessPoint]:
    """Project the model forward from ``state`` over planned loads.

    A sequence gives the loads of the days after ``state.day`` in order; a mapping gives loads
    by day (all after ``state.day``; missing days are zero, the projection ends on the last
    planned day). ``fatigue_loads``, of the same shape, replaces the planned loads for ATL.
    """
    first = state.day + _ONE_DAY
    ctl_series = _planned(planned_loads, first, None, "planned load")
    atl_series = ctl_series
    if fatigue_loads is not None:
        atl_series = _planned(fatigue_loads, first, len(ctl_series), "planned fatigue load")
        if len(atl_series) > len(ctl_series):
            ctl_series += [0.0] * (len(atl_series) - len(ctl_series))
    window = list(state.recent_ctl)
    return _run(
        first,
        ctl_series,
        atl_series,
        state.ctl,
        state.atl,
        window,
        state.ctl_days,
        state.atl_days,
        state.tsb_convention,
    )


def _next_state(state: FitnessState, point: FitnessPoint, window: list[float]) -> FitnessState:
    # Built from a validated state and checked floats: skip re-validation on the hot path.
    return FitnessState.model_construct(
        point=point,
        recent_ctl=tuple(window[-RAMP_DAYS:]),
        ctl_days=state.ctl_days,
        atl_days=state.atl_days,
        tsb_convention=state.tsb_convention,
    )


def _planned(
    planned: Sequence[float] | Mapping[date, float],
    first: date,
    length: int | None,
    what: str,
) -> list[float]:
    if isinstance(planned, Mapping):
        loads = _checked_loads(planned, what)
        if not loads:
            return [0.0] * (length or 0)
        earliest = min(loads)
        if earliest < first:
            raise TrainingInputError(f"{what} on {earliest} is not after {first - _ONE_DAY}")
        days = max((max(loads) - first).days + 1, length or 0)
        return _dense(loads, first, days)
    series = [_load(v, what, first + i * _ONE_DAY) for i, v in enumerate(planned)]
    if length is not None and len(series) != length:
        raise TrainingInputError(
            f"{what}s cover {len(series)} days but the planned loads cover {length}"
        )
    return series
