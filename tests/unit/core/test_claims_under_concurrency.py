"""A day is claimed exactly once when many runs race for it, on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from lanterne_rouge.errors import DayAlreadyDone
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.orchestrator import build_orchestrator
from lanterne_rouge.sources.demo import DEMO_ATHLETE, seed_demo

DAY = date(2026, 3, 10)
RACERS = 8


def test_racing_claims_of_one_day_leave_exactly_one_winner(database_url: str) -> None:
    StateStore(database_url).close()  # the schema exists before the race starts
    outcomes: list[str] = []
    start = threading.Barrier(RACERS)

    def claim() -> None:
        store = StateStore(database_url)
        try:
            start.wait()
            with store.transaction():
                store.day_runs.claim("rider", DAY, now=datetime.now(UTC))
            outcomes.append("won")
        except DayAlreadyDone:
            outcomes.append("lost")
        finally:
            store.close()

    threads = [threading.Thread(target=claim) for _ in range(RACERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    store = StateStore(database_url)
    assert (outcomes.count("won"), outcomes.count("lost")) == (1, RACERS - 1)
    assert len(store.day_runs.of("rider", DAY)) == 1
    store.close()


def test_the_daily_run_is_done_once_on_postgresql(postgres_url: str, tmp_path: Path) -> None:
    store = StateStore(postgres_url)
    coach = build_orchestrator(store, seed_demo(store, DAY))
    coach.run_day(DEMO_ATHLETE, DAY, data_label="demo")
    with pytest.raises(DayAlreadyDone):
        coach.run_day(DEMO_ATHLETE, DAY, data_label="demo")
    assert len(store.messages(DEMO_ATHLETE, kinds=["decision"])) == 1
    assert [r.status for r in store.day_runs.of(DEMO_ATHLETE, DAY)] == ["done"]
    store.close()
