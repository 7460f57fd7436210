"""An athlete is known to the store by any run or input of theirs, on both backends."""

from __future__ import annotations

from datetime import UTC, date, datetime

from lanterne_rouge.memory.records import DailyLoad, RecoveryRecord
from lanterne_rouge.memory.state_store import StateStore

DAY = date(2026, 3, 10)


def test_an_athlete_is_known_by_recovery_loads_or_runs_alone(database_url: str) -> None:
    store = StateStore(database_url)
    try:
        assert not store.knows("ann")
        with store.transaction():
            store.upsert_recovery("ann", [RecoveryRecord(day=DAY, readiness_score=80)])
            store.upsert_loads("bob", [DailyLoad(day=DAY, load=55.0)])
            store.day_runs.claim("cat", DAY, now=datetime(2026, 3, 10, 6, tzinfo=UTC))
        assert [store.knows(a) for a in ("ann", "bob", "cat", "dan")] == [True, True, True, False]
    finally:
        store.close()
