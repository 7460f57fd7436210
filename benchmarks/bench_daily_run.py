"""Benchmarks of the daily coach as a whole.

1. Replay throughput: a 365-day scenario (the demo history, extended) replayed day by day
   into a throwaway SQLite store (three phases a day); goal >= 500 days/s.
2. The daily run in process, effects included (reasoning-log row and HTML report), on 1 and
   on 20 years of stored history, each after the day before was run (the steady state);
   goal: within 10 % of each other (a day's cost does not grow with history).
3. The offline daily run as a whole process (``python run_tour_coach.py`` on a fresh home,
   then again with --force), against ``python -c "import sqlalchemy, pydantic"`` measured in
   the same way; goal: within 1.5x of it.

Each figure is a median over repeats; run it on a quiet machine.

    .venv/bin/python benchmarks/bench_daily_run.py [--repeats N]
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import structlog

from lanterne_rouge.effects import Outputs, subscribe_effects
from lanterne_rouge.memory.memory_bus import MemoryBus
from lanterne_rouge.memory.records import DailyLoad, RecoveryRecord
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.mission_file import load_mission
from lanterne_rouge.orchestrator import build_orchestrator
from lanterne_rouge.sources.demo import _demo_file as demo_file
from lanterne_rouge.sources.history_csv import read_history

REPO = Path(__file__).resolve().parents[1]
DAYS = 365
END = date(2026, 6, 30)


def history(years: int, end: date) -> tuple[list[RecoveryRecord], list[DailyLoad]]:
    """The demo's 180 days repeated to cover ``years`` before and through ``end``."""
    demo = read_history(demo_file("history.csv"), source="scenario")
    assert demo.last_day is not None
    recovery: list[RecoveryRecord] = []
    loads: list[DailyLoad] = []
    span = 180  # days in the demo history
    for block in range(0, 365 * years + span, span):
        moved = demo.shifted((end - demo.last_day).days - block)
        recovery += moved.recovery
        loads += moved.loads
    first = end - timedelta(days=365 * years)
    return (
        [r for r in recovery if r.day > first],
        [d for d in loads if d.day > first],
    )


def _mission(end: date):  # type: ignore[no-untyped-def]
    return load_mission(demo_file("mission.toml")).shifted((end - date(2026, 5, 31)).days)


def _stored(folder: Path, years: int, end: date) -> StateStore:
    store = StateStore(f"sqlite:///{folder / 'bench.db'}")
    recovery, loads = history(years, end)
    with store.transaction():
        store.upsert_recovery("bench", recovery)
        store.upsert_loads("bench", loads)
    return store


def replay_throughput() -> float:
    with tempfile.TemporaryDirectory() as tmp:
        store = _stored(Path(tmp), 1, END)
        coach = build_orchestrator(store, _mission(END))
        first = END - timedelta(days=DAYS - 1)
        started = time.perf_counter()
        for i in range(DAYS):
            coach.run_day("bench", first + timedelta(days=i), data_label="scenario")
        elapsed = time.perf_counter() - started
        store.close()
    return DAYS / elapsed


def day_in_process(years: int, repeats: int) -> float:
    """Median seconds of one daily run with its effects, after the day before was run."""
    with tempfile.TemporaryDirectory() as tmp:
        start = END - timedelta(days=repeats + 1)
        store = _stored(Path(tmp), years, END)
        bus = subscribe_effects(MemoryBus(store), Outputs(Path(tmp) / "out", "previous_day"))
        coach = build_orchestrator(store, _mission(END), bus=bus)
        coach.run_day("bench", start, data_label="stored")  # the day before: the steady state
        bus.deliver_owed()
        times = []
        for i in range(1, repeats + 1):
            started = time.perf_counter()
            coach.run_day("bench", start + timedelta(days=i), data_label="stored")
            bus.deliver_owed()
            times.append(time.perf_counter() - started)
        store.close()
    return statistics.median(times)


def whole_process(repeats: int) -> tuple[float, float, float]:
    """(fresh home, with --force, ``import sqlalchemy, pydantic``): median wall seconds."""
    fresh, warm, baseline = [], [], []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, "LANTERNE_HOME": tmp, "LANTERNE_OUTPUT_DIR": f"{tmp}/out"}
            for bucket, argv in (
                (baseline, ["-c", "import sqlalchemy, pydantic"]),
                (fresh, [str(REPO / "run_tour_coach.py")]),
                (warm, [str(REPO / "run_tour_coach.py"), "--force"]),
            ):
                started = time.perf_counter()
                subprocess.run(
                    [sys.executable, *argv], env=env, cwd=tmp, check=True, capture_output=True
                )
                bucket.append(time.perf_counter() - started)
    return statistics.median(fresh), statistics.median(warm), statistics.median(baseline)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    rate = replay_throughput()
    print(f"replay throughput: {rate:.0f} days/s over {DAYS} days (goal >= 500)")
    one, twenty = day_in_process(1, args.repeats), day_in_process(20, args.repeats)
    print(
        f"daily run in process, effects included: {one * 1000:.1f} ms on 1 year, "
        f"{twenty * 1000:.1f} ms on 20 years of history: {twenty / one:.2f}x (goal <= 1.10x)"
    )
    fresh, warm, baseline = whole_process(args.repeats)
    print(
        f"daily run, whole process: {fresh:.3f} s fresh home, {warm:.3f} s with data; "
        f'python -c "import sqlalchemy, pydantic": {baseline:.3f} s; '
        f"{warm / baseline:.2f}x (goal <= 1.5x)"
    )


if __name__ == "__main__":
    main()
