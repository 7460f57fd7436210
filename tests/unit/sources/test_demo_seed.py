"""The bundled demo athlete's seeding: its history moved to end on the day run, written only
when the store does not already hold exactly that."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import event

from lanterne_rouge.memory.records import DailyLoad, RecoveryRecord
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.sources.demo import DEMO_ATHLETE, demo_mission, seed_demo

DAY = date(2026, 3, 8)


def _writes(store: StateStore, day: date) -> list[str]:
    """The statements that change the database while the demo is seeded for ``day``."""
    seen: list[str] = []

    def record(*args: object) -> None:
        statement = str(args[2]).lstrip().upper()
        if not statement.startswith(("SELECT", "PRAGMA", "BEGIN", "COMMIT", "ROLLBACK")):
            seen.append(statement)

    event.listen(store.engine, "before_cursor_execute", record)
    try:
        seed_demo(store, day)
    finally:
        event.remove(store.engine, "before_cursor_execute", record)
    return seen


def test_the_demo_history_ends_on_the_day_it_is_seeded_for(store: StateStore) -> None:
    mission = seed_demo(store, DAY)
    assert store.recovery(DEMO_ATHLETE)[-1].day == DAY
    assert store.loads(DEMO_ATHLETE)[-1].day == DAY - timedelta(days=1)  # today not ridden yet
    assert mission == demo_mission(DAY)


def test_seeding_the_same_day_again_writes_nothing(store: StateStore) -> None:
    assert _writes(store, DAY)  # a new store: everything is written
    assert _writes(store, DAY) == []


def test_seeding_another_day_moves_the_whole_history(store: StateStore) -> None:
    seed_demo(store, DAY)
    before = store.recovery(DEMO_ATHLETE), store.loads(DEMO_ATHLETE)
    assert _writes(store, DAY + timedelta(days=3))
    later = store.recovery(DEMO_ATHLETE), store.loads(DEMO_ATHLETE)
    assert [r.day + timedelta(days=3) for r in before[0]] == [r.day for r in later[0]]
    assert [d.day + timedelta(days=3) for d in before[1]] == [d.day for d in later[1]]
    assert _writes(store, DAY) and store.recovery(DEMO_ATHLETE) == before[0]


def test_a_changed_demo_day_is_seeded_again(store: StateStore) -> None:
    seed_demo(store, DAY)
    changed = store.recovery(DEMO_ATHLETE)[-1].model_copy(update={"readiness_score": 1})
    more = RecoveryRecord(day=DAY + timedelta(days=1), source="demo", readiness_score=50)
    extra = DailyLoad(day=DAY + timedelta(days=1), source="demo", load=10.0, method="recorded")
    for write in (
        lambda: store.upsert_recovery(DEMO_ATHLETE, [changed]),
        lambda: store.upsert_recovery(DEMO_ATHLETE, [more]),
        lambda: store.upsert_loads(DEMO_ATHLETE, [extra]),
    ):
        seed_demo(store, DAY)
        expected = store.recovery(DEMO_ATHLETE), store.loads(DEMO_ATHLETE)
        with store.transaction():
            write()
        assert _writes(store, DAY)
        assert (store.recovery(DEMO_ATHLETE), store.loads(DEMO_ATHLETE)) == expected
