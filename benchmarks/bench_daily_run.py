"""Benchmarks of the daily coach as a whole.

1. Replay throughput: a 365-day scenario (the demo history, extended) replayed day by day
   into a throwaway SQLite store (three phases a day); goal >= 500 days/s.
2. The daily run in process, effects included (reasoning-log row and HTML report), on 1 and
   on 20 years of stored history, each after the day before was run (the steady state);
   goal: within 10 % of each other (a day's cost does not grow with history).
3. The offline daily run as a whole process (``python run_tour_coach.py`` on a fresh home,
   then again with --force), against ``python -c "import sqlalchemy, pydantic"`` measured in
   the same way; goal: within 1.5x of it.

Times are CPU seconds, the least of the repeats (the least disturbed by other work on the
machine; wall time on a shared machine says more about the neighbours). ``--repo PATH`` times
another checkout's ``run_tour_coach.py`` (the release before, say) in the same way.

    .venv/bin/python benchmarks/bench_daily_run.py [--repeats N] [--repo PATH]
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
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
    """Days per CPU second (the process's own CPU time: other work on the machine counts
    less than in wall time)."""
    with tempfile.TemporaryDirectory() as tmp:
        store = _stored(Path(tmp), 1, END)
        coach = build_orchestrator(store, _mission(END))
        first = END - timedelta(days=DAYS - 1)
        started = time.process_time()
        for i in range(DAYS):
            coach.run_day("bench", first + timedelta(days=i), data_label="scenario")
        elapsed = time.process_time() - started
        store.close()
    return DAYS / elapsed


def days_in_process(repeats: int) -> tuple[float, float]:
    """(1 year, 20 years): the least CPU seconds of one daily run with its effects, each after
    the day before was run (the steady state); the two histories take turns, day by day."""
    with tempfile.TemporaryDirectory() as tmp:
        start = END - timedelta(days=repeats + 1)
        coaches = []
        for years in (1, 20):
            folder = Path(tmp) / str(years)
            folder.mkdir()
            store = _stored(folder, years, END)
            bus = subscribe_effects(MemoryBus(store), Outputs(folder / "out", "previous_day"))
            coach = build_orchestrator(store, _mission(END), bus=bus)
            coach.run_day("bench", start, data_label="stored")  # the day before
            bus.deliver_owed()
            coaches.append(coach)
        times: list[list[float]] = [[], []]
        for i in range(1, repeats + 1):
            for which, coach in enumerate(coaches):
                started = time.process_time()
                coach.run_day("bench", start + timedelta(days=i), data_label="stored")
                coach.bus.deliver_owed()
                times[which].append(time.process_time() - started)
        for coach in coaches:
            coach.store.close()
    return min(times[0]), min(times[1])


def whole_process(repeats: int, repo: Path = REPO) -> tuple[float, float, float]:
    """(fresh home, with --force, ``import sqlalchemy, pydantic``): the least CPU seconds
    (user + system) of each whole process, the three taking turns."""
    fresh: list[float] = []
    warm: list[float] = []
    baseline: list[float] = []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, "LANTERNE_HOME": tmp, "LANTERNE_OUTPUT_DIR": f"{tmp}/out"}
            for bucket, argv in (
                (baseline, ["-c", "import sqlalchemy, pydantic"]),
                (fresh, [str(repo / "run_tour_coach.py")]),
                (warm, [str(repo / "run_tour_coach.py"), "--force"]),
            ):
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                subprocess.run(
                    [sys.executable, *argv], env=env, cwd=tmp, check=True, capture_output=True
                )
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                bucket.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return min(fresh), min(warm), min(baseline)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument(
        "--repo", type=Path, default=REPO, help="a checkout whose run_tour_coach.py to time"
    )
    args = parser.parse_args()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    rate = replay_throughput()
    print(f"replay throughput: {rate:.0f} days per CPU second over {DAYS} days (goal >= 500)")
    one, twenty = days_in_process(args.repeats)
    print(
        f"daily run in process, effects included: {one * 1000:.1f} ms on 1 year, "
        f"{twenty * 1000:.1f} ms on 20 years of history (CPU): {twenty / one:.2f}x "
        "(goal <= 1.10x)"
    )
    fresh, warm, baseline = whole_process(args.repeats, args.repo)
    print(
        f"daily run, whole process (CPU): {fresh:.3f} s fresh home, {warm:.3f} s with data; "
        f'python -c "import sqlalchemy, pydantic": {baseline:.3f} s; '
        f"{warm / baseline:.2f}x (goal <= 1.5x)"
    )


if __name__ == "__main__":
    main()
