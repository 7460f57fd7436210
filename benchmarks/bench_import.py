"""Benchmarks of the file imports, on the real intervals.icu exports.

1. ``import_file`` of the full wellness history (1,455 days: recovery, loads, the seed) into a
   fresh SQLite store, median of several runs; and re-importing it over itself.
2. ``import_file`` of the activities export (224 activities, each load computed).
3. ``lanterne-rouge import intervals-wellness`` as a whole process (start-up included).

    .venv/bin/python benchmarks/bench_import.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC
from pathlib import Path

from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.sources.importer import ImportKind, import_file
from lanterne_rouge.training.load_models import AthleteThresholds

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "intervals_icu"
WELLNESS = DATA / "wellness.csv"
ACTIVITIES = DATA / "activities.csv"
THRESHOLDS = AthleteThresholds(ftp=250, threshold_hr=168, max_hr=188, resting_hr=50, sex="male")
RUNS = 7


def _timed(kind: ImportKind, path: Path, *, again: bool = False) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        store = StateStore(f"sqlite:///{Path(tmp) / 'bench.db'}")

        def once() -> None:
            import_file(store, "bench", kind, path, thresholds=THRESHOLDS, where=UTC)

        if again:
            once()
        started = time.perf_counter()
        once()
        elapsed = time.perf_counter() - started
        store.close()
    return elapsed


def _median(measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(RUNS))


def _process() -> float:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "LANTERNE_HOME": tmp}
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "lanterne_rouge", "import", "intervals-wellness", str(WELLNESS)],
            check=True,
            capture_output=True,
            cwd=tmp,
            env=env,
        )
        return time.perf_counter() - started


def main() -> None:
    days = sum(1 for _ in WELLNESS.open(encoding="utf-8")) - 1
    fresh = _median(lambda: _timed(ImportKind.intervals_wellness, WELLNESS))
    again = _median(lambda: _timed(ImportKind.intervals_wellness, WELLNESS, again=True))
    activities = _median(lambda: _timed(ImportKind.intervals_activities, ACTIVITIES))
    process = _median(_process)
    print(
        f"wellness history, {days} days, fresh store:   {fresh * 1000:7.1f} ms "
        f"({days / fresh:,.0f} days/s)"
    )
    print(f"wellness history, {days} days, re-imported:   {again * 1000:7.1f} ms")
    print(f"activities export, 224 activities with loads: {activities * 1000:7.1f} ms")
    print(f"`lanterne-rouge import intervals-wellness` as a process: {process * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
