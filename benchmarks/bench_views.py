"""Benchmarks of what the athlete sees, on a year of history (the demo's, repeated) with the
event 40 days out, so the plan's outlook runs over five weeks.

1. The static report of a day (read the view, work out the outlook, draw the SVG, write the
   HTML): goal < 0.5 s.
2. A dashboard page for a day (the whole history, the Plotly figures, the decision table):
   goal < 1.0 s.
3. An MCP answer (`today`, `fitness` over 42 days) read from the store: goal < 0.2 s each.
4. The plan's outlook alone, 200 days before the event (the longest it runs): goal < 0.1 s.

    .venv/bin/python benchmarks/bench_views.py
"""

from __future__ import annotations

import logging
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import structlog
from bench_daily_run import history

from lanterne_rouge.agents.outlook import outlook
from lanterne_rouge.agents.plan_builder import build_plan
from lanterne_rouge.assistants.answers import Answers
from lanterne_rouge.dashboard.data import page
from lanterne_rouge.day_view import load_day_view
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.mission_file import load_mission
from lanterne_rouge.orchestrator import build_orchestrator
from lanterne_rouge.report.html import render_report
from lanterne_rouge.sources.demo import _demo_file
from lanterne_rouge.training.fitness_state import seed_state
from lanterne_rouge.workouts import library

RUN_DAYS = 14


def _median(fn: Callable[[], object], runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    end = date(2026, 6, 30)
    recovery, loads = history(1, end)
    mission = load_mission(_demo_file("mission.toml")).shifted((end - date(2026, 5, 31)).days)
    with tempfile.TemporaryDirectory() as tmp:
        store = StateStore(f"sqlite:///{Path(tmp) / 'bench.db'}")
        with store.transaction():
            store.upsert_recovery("bench", recovery)
            store.upsert_loads("bench", loads)
        coach = build_orchestrator(store, mission)
        for i in range(RUN_DAYS):
            coach.run_day("bench", end - timedelta(days=RUN_DAYS - 1 - i), data_label="scenario")

        def report() -> str:
            return render_report(load_day_view(store, "bench", end, mission=mission))

        def dashboard() -> object:
            return page(store, "bench", end, mission_for=lambda _a, _d: mission)

        answers = Answers(store, ("bench",), lambda _a, _d: mission)
        results = {
            "report (goal < 0.5 s)": _median(report),
            "dashboard page (goal < 1.0 s)": _median(dashboard),
            "mcp today (goal < 0.2 s)": _median(lambda: answers.decision()),
            "mcp fitness 42 days (goal < 0.2 s)": _median(lambda: answers.fitness()),
        }
        store.close()
    far = mission.mission.start - timedelta(days=200)
    state = seed_state(far - timedelta(days=1), seed_ctl=50, seed_atl=55)
    planned = build_plan(far, state, mission, "maintain", None, library())
    results["outlook, 200 days out (goal < 0.1 s)"] = _median(
        lambda: outlook(state, mission, planned, library(), mission.targets.max_weekly_ramp)
    )
    for name, seconds in results.items():
        print(f"{name:<40} {seconds * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
