"""Benchmark of ``lanterne-rouge history`` on a long life of daily runs.

A year of daily runs (the demo's history, repeated) is replayed into a SQLite store, and the
year's runs and messages are copied back year by year (new ids, days moved) to make 20 years:
7,300 runs and about 38,000 messages. ``history`` (table and JSON) then runs as a whole
process on 1 and on 20 years: wall seconds, CPU seconds and the process's peak memory
(``resource``). Goal: memory bounded (20 years within a few MiB of 1 year: messages are read
a page at a time) and time linear in what is printed.

    .venv/bin/python benchmarks/bench_history.py
"""

from __future__ import annotations

import logging
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import structlog
from bench_daily_run import END, _mission, _stored
from sqlalchemy import insert, select

from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.memory.tables import messages, runs
from lanterne_rouge.orchestrator import build_orchestrator

YEARS = 20
PROBE = """
import resource, sys
from lanterne_rouge.cli import main
sys.argv = ["lanterne-rouge", *sys.argv[1:]]
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, code, file=sys.stderr)
"""


def one_year(store: StateStore) -> None:
    coach = build_orchestrator(store, _mission(END))
    first = END - timedelta(days=364)
    for i in range(365):
        coach.run_day("bench", first + timedelta(days=i), data_label="scenario")


def copy_back(store: StateStore, years: int) -> int:
    """The first year's runs and messages again for each earlier year; the rows added."""
    with store.connection() as conn:
        run_rows = [dict(r) for r in conn.execute(select(runs)).mappings()]
        message_rows = [dict(r) for r in conn.execute(select(messages)).mappings()]
    added = 0
    for year in range(1, years):
        shift = timedelta(days=365 * year)
        new_id = _renamer()
        new_runs = [{**r, "run_id": new_id(r["run_id"]), "day": r["day"] - shift} for r in run_rows]
        new_messages: list[dict[str, Any]] = [
            {
                **{k: v for k, v in m.items() if k != "seq"},
                "message_id": new_id(m["message_id"]),
                "run_id": new_id(m["run_id"]),
                "causation_id": new_id(m["causation_id"]),
                "day": m["day"] - shift,
            }
            for m in message_rows
        ]
        with store.transaction(), store.connection() as conn:
            conn.execute(insert(runs), new_runs)
            conn.execute(insert(messages), new_messages)
        added += len(new_runs) + len(new_messages)
    return added


def _renamer() -> Callable[[str | None], str | None]:
    """A new id for each old one, the same new id each time it is asked again."""
    ids: dict[str, str] = {}

    def new_id(old: str | None) -> str | None:
        return None if old is None else ids.setdefault(old, str(uuid.uuid4()))

    return new_id


def history_process(database: Path, *args: str) -> tuple[float, float, float]:
    """(wall s, CPU s, peak MiB) of ``lanterne-rouge history ARGS`` as a whole process."""
    env = {**os.environ, "LANTERNE_DATABASE_URL": f"sqlite:///{database}"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "history", "--athlete", "bench", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_kib, code = done.stderr.split()[-2:]
    assert code in ("0", "None"), done.stderr
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, int(peak_kib) / 1024


def main() -> None:
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = _stored(folder, 1, END)
        one_year(store)
        database = folder / "bench.db"
        figures = {}
        for years in (1, YEARS):
            if years > 1:
                copy_back(store, years)
            with store.connection() as conn:
                count = len(conn.execute(select(messages.c.seq)).all())
            for fmt in ("table", "json"):
                runs_of = [history_process(database, "--format", fmt) for _ in range(3)]
                wall, cpu, peak = (sorted(x)[1] for x in zip(*runs_of, strict=True))  # medians
                figures[(years, fmt)] = peak
                print(
                    f"history --format {fmt:<5} {years:>2} years ({count} messages): "
                    f"{wall:5.2f} s wall, {cpu:5.2f} s CPU, peak {peak:5.1f} MiB (medians of 3)"
                )
        store.close()
    for fmt in ("table", "json"):
        grew = figures[(YEARS, fmt)] - figures[(1, fmt)]
        print(f"history --format {fmt}: peak memory {grew:+.1f} MiB from 1 to {YEARS} years")


if __name__ == "__main__":
    main()
