"""Benchmarks of what keeps the history safe, on a store holding the real intervals.icu history.

1. The check on open (``PRAGMA quick_check``) against the whole open of the store, median.
2. ``backup`` of that store (online copy, integrity check), and the jsonl export and its
   import into an empty store (round trip checked byte for byte).
3. Backups taken in a loop while four daily runs write: how many, all ``integrity_check`` ok.
4. First runs racing on a fresh home: how many of N processes succeed.

    .venv/bin/python benchmarks/bench_resilience.py
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from lanterne_rouge.memory import sqlite_file
from lanterne_rouge.memory.backup import backup
from lanterne_rouge.memory.history_export import history_lines, import_history
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.orchestrator import build_orchestrator
from lanterne_rouge.sources.demo import DEMO_ATHLETE, seed_demo
from lanterne_rouge.sources.importer import ImportKind, import_file
from lanterne_rouge.training.load_models import AthleteThresholds

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "intervals_icu"
THRESHOLDS = AthleteThresholds(ftp=250, threshold_hr=168, max_hr=188, resting_hr=50, sex="male")
RUNS = 7
RACERS = 48


def _median_ms(measure: Callable[[], None]) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        measure()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def _filled(folder: Path, days: int) -> Path:
    path = folder / "lanterne.db"
    store = StateStore(f"sqlite:///{path}")
    for kind, name in (
        (ImportKind.intervals_wellness, "wellness.csv"),
        (ImportKind.intervals_activities, "activities.csv"),
    ):
        import_file(store, "me", kind, DATA / name, thresholds=THRESHOLDS, where=UTC)
    first = date(2026, 3, 1)
    for offset in range(days):
        day = first + timedelta(days=offset)
        build_orchestrator(store, seed_demo(store, day)).run_day(
            DEMO_ATHLETE, day, data_label="demo"
        )
    store.close()
    return path


def _process(*args: str, home: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "LANTERNE_HOME": str(home), "LANTERNE_OUTPUT_DIR": str(home / "out")}
    return subprocess.Popen(
        [sys.executable, "-m", "lanterne_rouge", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=home,
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = _filled(folder, days=60)
        url = f"sqlite:///{path}"
        size = path.stat().st_size
        engine = StateStore(url).engine
        check = _median_ms(lambda: sqlite_file.quick_check(engine, path))
        opened = _median_ms(lambda: StateStore(url).close())
        print(f"store: {size / 2**20:.1f} MB (1,455 days imported, 224 activities, 60 runs)")
        print(f"quick_check on open: {check:6.1f} ms of a {opened:6.1f} ms open")
        copies = folder / "copies"
        stamp = iter(range(10_000))
        took = _median_ms(
            lambda: backup(
                path,
                copies,
                keep=3,
                now=datetime(2026, 6, 1, tzinfo=UTC) + timedelta(seconds=next(stamp)),
            )
        )
        print(f"backup (online copy + integrity_check): {took:6.1f} ms")
        store = StateStore(url)
        lines = list(history_lines(store))
        exported = _median_ms(lambda: list(history_lines(store)))

        def round_trip() -> None:
            with tempfile.TemporaryDirectory() as empty:
                rebuilt = StateStore(f"sqlite:///{Path(empty) / 'x.db'}")
                import_history(rebuilt, lines, name="bench")
                assert list(history_lines(rebuilt)) == lines
                rebuilt.close()

        rebuilt_ms = _median_ms(round_trip)
        print(
            f"export history: {len(lines)} lines in {exported:6.1f} ms; "
            f"import into an empty store + re-export identical: {rebuilt_ms:6.1f} ms"
        )
        _backups_while_writing(folder / "busy")
        _racing_first_runs(folder / "race")


def _backups_while_writing(home: Path) -> None:
    home.mkdir()
    first = _process("run", "--demo", "--date", "2026-05-31", home=home)
    assert first.wait() == 0
    writers = [
        _process("run", "--demo", "--date", f"2026-06-{d:02}", home=home) for d in (1, 2, 3, 4)
    ]
    database, copies, made = home / "lanterne.db", home / "copies", 0
    while any(w.poll() is None for w in writers):
        backup(database, copies, keep=1000, now=datetime.now(UTC) + timedelta(seconds=made))
        made += 1
    codes = [w.wait() for w in writers]
    ok = 0
    for copy in copies.iterdir():
        with sqlite3.connect(copy) as conn:
            ok += conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    print(f"backups while 4 runs wrote: {made} taken, {ok} pass integrity_check; runs exit {codes}")


def _racing_first_runs(home: Path) -> None:
    home.mkdir()
    started = time.perf_counter()
    first = date(2026, 5, 1)
    racers = [
        _process("run", "--demo", "--date", str(first + timedelta(days=d)), home=home)
        for d in range(RACERS)
    ]
    codes = [r.wait() for r in racers]
    tracebacks = sum("Traceback" in (r.stderr.read() if r.stderr else "") for r in racers)
    took = time.perf_counter() - started
    print(
        f"first runs racing on a fresh home: {codes.count(0)} of {RACERS} succeed, "
        f"{tracebacks} tracebacks, {took:.1f} s in all"
    )


if __name__ == "__main__":
    main()
