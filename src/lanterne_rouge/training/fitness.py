"""The fitness model: CTL (fitness), ATL (fatigue), TSB (form) and ramp rate.

CTL and ATL are exponentially weighted averages of daily load with ``k = 1 - exp(-1/tau)``
(tau = 42 and 7 days), the same day's load included::

    ctl[d] = ctl[d-1] + (load[d] - ctl[d-1]) * k

starting from a seed on the day before the first day. This reproduces intervals.icu's
``ctl``, ``atl`` and ``rampRate`` exactly. Ramp rate is ``ctl[d] - ctl[d-7]``; before the
first day CTL is taken to be the seed, so the ramp of the first week is always a number
(intervals.icu leaves it empty instead).

TSB has two conventions, chosen by ``tsb_convention``:

- ``"previous_day"`` (default, TrainingPeaks/GoldenCheetah): ``tsb[d] = ctl[d-1] - atl[d-1]``,
  the form going into day d; on the first day the seeds stand for day d-1.
- ``"same_day"``: ``tsb[d] = ctl[d] - atl[d]``, the form at the end of day d.

``pmc`` computes a whole history. ``fitness_state`` moves a stored state on one day in O(1)
(``advance``) and looks ahead over planned loads (``project``); it runs the loop below, so the
incremental and batch results are identical to the last bit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Literal

import msgspec

from lanterne_rouge.training._checks import non_negative, positive
from lanterne_rouge.training.errors import TrainingInputError

TsbConvention = Literal["previous_day", "same_day"]

RAMP_DAYS = 7
"""Ramp rate is the change of CTL over this many days."""

_ONE_DAY = timedelta(days=1)
_CONVENTIONS: tuple[str, ...] = ("previous_day", "same_day")


class FitnessPoint(msgspec.Struct, frozen=True):
    """One day of the fitness model: a frozen Struct (the batch loop makes one per day, 7,305
    for 20 years, so it is built without validation; its inputs are checked first).

    ``load`` is the day's load as counted for fitness (CTL) and ``fatigue_load`` as counted for
    fatigue (ATL); they differ when some work (strength) counts for fatigue only. ``ctl`` and
    ``atl`` are end-of-day values; ``tsb`` follows the chosen convention; ``ramp_rate`` is
    ``ctl[d] - ctl[d-7]`` (None only when a point comes from somewhere that does not know it).
    All loads are TSS-like points per day.
    """

    day: date
    load: float
    fatigue_load: float
    ctl: float
    atl: float
    tsb: float
    ramp_rate: float | None


def pmc(
    daily_loads: Mapping[date, float],
    *,
    ctl_days: float = 42.0,
    atl_days: float = 7.0,
    seed_ctl: float = 0.0,
    seed_atl: float = 0.0,
    fatigue_loads: Mapping[date, float] | None = None,
    tsb_convention: TsbConvention = "previous_day",
    start: date | None = None,
    end: date | None = None,
) -> list[FitnessPoint]:
    """Compute the fitness model for every calendar day from ``start`` to ``end``.

    ``start`` defaults to the first day in ``daily_loads`` (or ``fatigue_loads``) and ``end``
    to the last; days without an entry are zero-load days and loads outside the range are
    ignored (the seeds stand for everything before ``start``). When ``fatigue_loads`` is given
    it replaces ``daily_loads`` for ATL entirely: a day missing from it has zero fatigue load.
    Returns an empty list when there are no loads and no ``start``/``end``.

    Raises ``TrainingInputError`` for a negative or non-finite load or seed, a key that is not
    a date, a time constant that is not a positive number, or ``start`` after ``end``.
    """
    _coefficient(ctl_days, "ctl_days")
    _coefficient(atl_days, "atl_days")
    _check_convention(tsb_convention)
    ctl0 = non_negative(seed_ctl, "seed_ctl")
    atl0 = non_negative(seed_atl, "seed_atl")
    loads = _checked_loads(daily_loads, "load")
    fatigue = loads if fatigue_loads is None else _checked_loads(fatigue_loads, "fatigue load")
    span = _span(loads, fatigue, start, end)
    if span is None:
        return []
    first, days = span
    ctl_series = _dense(loads, first, days)
    atl_series = ctl_series if fatigue_loads is None else _dense(fatigue, first, days)
    window = [ctl0] * RAMP_DAYS
    return _run(
        first, ctl_series, atl_series, ctl0, atl0, window, ctl_days, atl_days, tsb_convention
    )


def _run(
    first_day: date,
    loads: Sequence[float],
    fatigue_loads: Sequence[float],
    ctl: float,
    atl: float,
    window: list[float],
    ctl_days: float,
    atl_days: float,
    tsb_convention: TsbConvention,
) -> list[FitnessPoint]:
    """The one loop behind pmc, advance and project; appends each day's CTL to ``window``.

    ``window`` starts with the CTL of the seven days before ``first_day``, oldest first.
    Inputs are checked by the callers, so the loop works on plain floats.
    """
    k_ctl = _coefficient(ctl_days, "ctl_days")
    k_atl = _coefficient(atl_days, "atl_days")
    same_day = tsb_convention == "same_day"
    base = len(window) - RAMP_DAYS
    points: list[FitnessPoint] = []
    append = points.append
    day = first_day
    for i, (load, fatigue) in enumerate(zip(loads, fatigue_loads, strict=True)):
        new_ctl = ctl + (load - ctl) * k_ctl
        new_atl = atl + (fatigue - atl) * k_atl
        tsb = new_ctl - new_atl if same_day else ctl - atl
        ramp = new_ctl - window[base + i]
        window.append(new_ctl)
        append(FitnessPoint(day, load, fatigue, new_ctl, new_atl, tsb, ramp))
        ctl, atl = new_ctl, new_atl
        day += _ONE_DAY
    return points


def _coefficient(tau: float, what: str) -> float:
    """``k = 1 - exp(-1/tau)`` for a time constant in days."""
    return 1.0 - math.exp(-1.0 / positive(tau, what))


def _check_convention(convention: str) -> None:
    if convention not in _CONVENTIONS:
        raise TrainingInputError(
            f"tsb_convention must be one of {', '.join(_CONVENTIONS)}, got {convention!r}"
        )


def _check_day(day: object, what: str) -> date:
    """A calendar date; a datetime is refused because it would never match a day's key."""
    if type(day) is not date and (not isinstance(day, date) or isinstance(day, datetime)):
        raise TrainingInputError(f"{what} must be a date, got {day!r}")
    return day


def _load(value: object, what: str, day: object) -> float:
    """A load as a float; the message naming the day is only built for a bad value."""
    if type(value) is float and 0.0 <= value < math.inf:
        return value
    return non_negative(value, f"{what} on {day}")


def _checked_loads(loads: Mapping[date, float], what: str) -> dict[date, float]:
    """Loads as floats keyed by date; raises naming the day for a bad value."""
    return {_check_day(day, f"{what} key"): _load(value, what, day) for day, value in loads.items()}


def _span(
    loads: Mapping[date, float],
    fatigue: Mapping[date, float],
    start: date | None,
    end: date | None,
) -> tuple[date, int] | None:
    """First day and number of days to compute, or None when there is nothing to compute."""
    days = [*loads, *fatigue] if fatigue is not loads else list(loads)
    if start is not None:
        days.append(_check_day(start, "start"))
    if end is not None:
        days.append(_check_day(end, "end"))
    if not days:
        return None
    first = start if start is not None else min(days)
    last = end if end is not None else max(days)
    if first > last:
        raise TrainingInputError(f"start {first} is after end {last}")
    return first, (last - first).days + 1


def _dense(loads: Mapping[date, float], first: date, days: int) -> list[float]:
    """One load per day from ``first`` for ``days`` days; zero where there is none."""
    series = [0.0] * days
    origin = first.toordinal()
    for day, value in loads.items():
        index = day.toordinal() - origin
        if 0 <= index < days:
            series[index] = value
    return series
