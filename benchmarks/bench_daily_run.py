"""Benchmarks of the daily coach as a whole.

1. Replay throughput: a 365-day scenario (the demo history, extended) replayed day by day
   into a throwaway SQLite store; goal >= 500 days/s.
2. Wall time of the offline daily run as a whole process (`python run_tour_coach.py` on a
   fresh home, then on a home that already has data); goal < 1.0 s.

    .venv/bin/python benchmarks/bench_daily_run.py
"""

from __future__ import annotations

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

from lanterne_rouge.memory.records import DailyLoad, RecoveryRecord
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.mission_file import load_mission
from lanterne_rouge.orchestrator import build_orchestrator
from lanterne_rouge.sources.demo import _demo_file
from lanterne_rouge.sources.history_csv import read_history

REPO = Path(__file__).resolve().parents[1]
DAYS = 365


def year_of_history(end: date) -> tuple[list[RecoveryRecord], list[DailyLoad]]:
    """The demo's 180 days repeated to cover a year before and through ``end``."""
    demo = read_history(_demo_file("history.csv"), source="scenario")
    recovery, loads = [], []
    span = 180  # days in the demo history
    for block in range(0, DAYS + span, span):
        shift = (end - demo.last_day).days - block  # type: ignore[operator]
        moved = demo.shifted(shift)
        recovery += moved.recovery
        loads += moved.loads
    return recovery, loads


def replay_throughput() -> float:
    end = date(2026, 6, 30)
    recovery, loads = year_of_history(end)
    mission = load_mission(_demo_file("mission.toml")).shifted((end - date(2026, 5, 31)).days)
    with tempfile.TemporaryDirectory() as tmp:
        store = StateStore(f"sqlite:///{Path(tmp) / 'bench.db'}")
        with store.transaction():
            store.upsert_recovery("bench", recovery)
            store.upsert_loads("bench", loads)
        coach = build_orchestrator(store, mission)
        first = end - timedelta(days=DAYS - 1)
        started = time.perf_counter()
        for i in range(DAYS):
            coach.run_day("bench", first + timedelta(days=i), data_label="scenario")
        elapsed = time.perf_counter() - started
        store.close()
    return DAYS / elapsed


def daily_run_wall_time(runs: int = 5) -> tuple[float, float]:
    """(fresh home, warm home): median wall seconds of the whole process."""
    fresh, warm = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, "LANTERNE_HOME": tmp, "LANTERNE_OUTPUT_DIR": f"{tmp}/out"}
            for bucket, args in ((fresh, []), (warm, ["--force"])):
                started = time.perf_counter()
                subprocess.run(
                    [sys.executable, str(REPO / "run_tour_coach.py"), *args],
                    env=env,
                    cwd=tmp,
                    check=True,
                    capture_output=True,
                )
                bucket.append(time.perf_counter() - started)
    return statistics.median(fresh), statistics.median(warm)


def main() -> None:
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    rate = replay_throughput()
    print(f"replay throughput: {rate:.0f} days/s over {DAYS} days (goal >= 500)")
    fresh, warm = daily_run_wall_time()
    print(
        f"offline daily run, whole process: {fresh:.3f} s fresh home, {warm:.3f} s with data "
        "(median of 5; goal < 1.0 s)"
    )


if __name__ == "__main__":
    main()
