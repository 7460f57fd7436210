"""Benchmarks of the daily coach as a whole.

1. Replay throughput: a 365-day scenario (the demo history, extended) replayed day by day
   into a throwaway SQLite store (three phases a day); goal >= 500 days/s.
2. The daily run in process, effects included (reasoning-log row and HTML report), on 1 and
   on 20 years of stored history, each after the day before was run (the steady state);
   goal: within 10 % of each other (a day's cost does not grow with history).
3. The offline daily run as a whole process (``python run_tour_coach.py`` on a fresh home,
   then again with --force), against ``python -c "import sqlalchemy, pydantic"`` measured in
   the same way, each finding its bytecode cached; goal: within 1.5x of it.

Times in 1 and 2 are CPU seconds, the least of the repeats (the least disturbed by other work
on the machine); 3 gives the median wall and CPU seconds of each process. ``--repo PATH``
times another checkout's ``run_tour_coach.py`` (the release before, say) in the same way.

    .venv/bin/python benchmarks/bench_daily_run.py [--repeats N] [--repo PATH]
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
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


def whole_process(repeats: int, repo: Path = REPO) -> dict[str, tuple[float, float]]:
    """(median wall s, median CPU s) of each whole process: ``import sqlalchemy, pydantic``,
    the run on a fresh home, and again with --force; the three take turns.

    The processes find their bytecode cached, as an installed package (or any second run)
    does: PYTHONDONTWRITEBYTECODE is dropped and one round goes untimed first.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    commands = {
        "baseline": ["-c", "import sqlalchemy, pydantic"],
        "fresh": [str(repo / "run_tour_coach.py")],
        "warm": [str(repo / "run_tour_coach.py"), "--force"],
    }
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for round_ in range(repeats + 1):
        with tempfile.TemporaryDirectory() as tmp:
            home = {**env, "LANTERNE_HOME": tmp, "LANTERNE_OUTPUT_DIR": f"{tmp}/out"}
            for name, argv in commands.items():
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                started = time.perf_counter()
                subprocess.run(
                    [sys.executable, *argv], env=home, cwd=tmp, check=True, capture_output=True
                )
                wall = time.perf_counter() - started
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                if round_:  # the first round writes the bytecode caches
                    walls[name].append(wall)
                    cpus[name].append(
                        after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
                    )
    return {
        name: (statistics.median(walls[name]), statistics.median(cpus[name])) for name in commands
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument(
        "--repo", type=Path, default=REPO, help="a checkout whose run_tour_coach.py to time"
    )
    parser.add_argument("--parts", default="123", help="which parts to run, e.g. 3 or 12")
    args = parser.parse_args()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    if "1" in args.parts:
        rates = sorted(replay_throughput() for _ in range(3))
        print(
            f"replay throughput: {rates[-1]:.0f} days per CPU second over {DAYS} days, best of "
            f"3 (median {rates[1]:.0f}; goal >= 500)"
        )
    if "2" in args.parts:
        days_and_print(args.repeats)
    if "3" in args.parts:
        whole_and_print(args.repeats, args.repo)


def days_and_print(repeats: int) -> None:
    one, twenty = days_in_process(repeats)
    print(
        f"daily run in process, effects included: {one * 1000:.1f} ms on 1 year, "
        f"{twenty * 1000:.1f} ms on 20 years of history (CPU): {twenty / one:.2f}x "
        "(goal <= 1.10x)"
    )


def whole_and_print(repeats: int, repo: Path) -> None:
    timed = whole_process(repeats, repo)
    base_wall, base_cpu = timed["baseline"]
    for name, label in (("fresh", "fresh home"), ("warm", "with data, --force")):
        wall, cpu = timed[name]
        print(
            f"daily run, whole process, {label}: {wall:.3f} s wall, {cpu:.3f} s CPU; "
            f'python -c "import sqlalchemy, pydantic": {base_wall:.3f} s wall, '
            f"{base_cpu:.3f} s CPU; {wall / base_wall:.2f}x wall, {cpu / base_cpu:.2f}x CPU "
            "(goal <= 1.5x; medians)"
        )


if __name__ == "__main__":
    main()
