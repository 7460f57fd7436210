"""Benchmark the fitness model: 20 years of history in one batch, and one daily step.

Run: ``.venv/bin/python benchmarks/bench_fitness.py [--check]``

Goals: the batch model over 20 years of daily loads in under 20 ms, one incremental
``advance`` in under 20 us. Each figure is the best of several repeats (the least disturbed
by other processes), with the median beside it. ``--check`` exits 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from collections.abc import Callable
from datetime import date, timedelta
from time import perf_counter

from lanterne_rouge.training import advance, pmc, project, state_from_points

YEARS = 20
PMC_GOAL_MS = 20.0
ADVANCE_GOAL_US = 20.0


def daily_loads(days: int, seed: int = 42) -> dict[date, float]:
    """A plausible history: rest days, easy days, hard days and the odd long ride."""
    rng = random.Random(seed)
    first = date(2005, 1, 1)
    loads: dict[date, float] = {}
    for offset in range(days):
        roll = rng.random()
        if roll < 0.2:
            continue  # rest day: no entry, counted as zero
        load = rng.gauss(60.0, 15.0) if roll < 0.8 else rng.gauss(120.0, 30.0)
        loads[first + timedelta(days=offset)] = max(0.0, load)
    return loads


def timed(action: Callable[[], object], repeats: int) -> list[float]:
    """Seconds per run of ``action``, one figure per repeat."""
    times = []
    for _ in range(repeats):
        start = perf_counter()
        action()
        times.append(perf_counter() - start)
    return times


def bench_pmc(loads: dict[date, float], repeats: int = 30) -> tuple[float, float]:
    pmc(loads)  # warm up
    times = timed(lambda: pmc(loads), repeats)
    return min(times) * 1e3, statistics.median(times) * 1e3


def bench_advance(
    loads: dict[date, float], calls: int = 20_000, repeats: int = 7
) -> tuple[float, float]:
    start_state = state_from_points(pmc(loads)[-7:])
    days = [start_state.day + timedelta(days=i + 1) for i in range(calls)]
    rng = random.Random(7)
    day_loads = [rng.uniform(0.0, 150.0) for _ in range(calls)]

    def run() -> None:
        state = start_state
        for day, load in zip(days, day_loads, strict=True):
            state = advance(state, day, load)

    run()  # warm up
    per_call = [t / calls * 1e6 for t in timed(run, repeats)]
    return min(per_call), statistics.median(per_call)


def bench_project(loads: dict[date, float], repeats: int = 200) -> tuple[float, float]:
    state = state_from_points(pmc(loads)[-7:])
    plan = [80.0, 0.0, 60.0, 120.0, 40.0, 0.0, 150.0] * 4
    times = timed(lambda: project(state, plan), repeats)
    return min(times) * 1e6, statistics.median(times) * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args(argv)

    days = round(YEARS * 365.25)
    loads = daily_loads(days)
    pmc_best, pmc_median = bench_pmc(loads)
    step_best, step_median = bench_advance(loads)
    plan_best, plan_median = bench_project(loads)

    pmc_ok = pmc_best < PMC_GOAL_MS
    step_ok = step_best < ADVANCE_GOAL_US
    print(f"pmc, {YEARS} years ({days} days, {len(loads)} with load):")
    print(
        f"  best {pmc_best:.2f} ms, median {pmc_median:.2f} ms, "
        f"{pmc_best * 1e3 / days:.2f} us/day  [goal < {PMC_GOAL_MS:g} ms: "
        f"{'met' if pmc_ok else 'MISSED'}]"
    )
    print("advance, one day from a stored state:")
    print(
        f"  best {step_best:.2f} us, median {step_median:.2f} us per call  "
        f"[goal < {ADVANCE_GOAL_US:g} us: {'met' if step_ok else 'MISSED'}]"
    )
    print("project, 28 planned days:")
    print(f"  best {plan_best:.1f} us, median {plan_median:.1f} us")
    return 0 if (pmc_ok and step_ok) or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
