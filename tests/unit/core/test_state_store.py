"""State store verbs: claims, append-only messages, source precedence, aware timestamps."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from lanterne_rouge.errors import DayAlreadyDone
from lanterne_rouge.memory.records import DailyLoad, RecoveryRecord
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.messages import Decision, Envelope, Evidence

NOW = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)


def _decision_envelope(run_id: uuid.UUID, day: date) -> Envelope:
    return Envelope(
        run_id=run_id,
        athlete_id="a1",
        day=day,
        producer="reasoning_agent",
        created_at=datetime(2026, 3, 10, 7, 0, tzinfo=timezone(timedelta(hours=1))),
        payload=Decision(
            action="ease", rule="r", reason="because", evidence=(Evidence(name="x", value=1),)
        ),
    )


def test_a_day_is_claimed_once_unless_forced(store: StateStore) -> None:
    store.day_runs.claim("a1", date(2026, 3, 10), now=NOW)
    with pytest.raises(DayAlreadyDone):
        store.day_runs.claim("a1", date(2026, 3, 10), now=NOW)
    again = store.day_runs.claim("a1", date(2026, 3, 10), now=NOW, force=True)
    assert again.attempt == 2
    assert store.day_runs.claim("a2", date(2026, 3, 10), now=NOW).attempt == 1


def test_messages_round_trip_with_utc_timestamps(store: StateStore) -> None:
    run = store.day_runs.claim("a1", date(2026, 3, 10), now=NOW)
    sent = _decision_envelope(run.run_id, run.day)
    store.append_message(sent)
    (got,) = store.messages("a1")
    assert got == sent
    assert got.created_at.utcoffset() == timedelta(0)
    assert got.created_at == datetime(2026, 3, 10, 6, 0, tzinfo=UTC)


def test_messages_table_refuses_updates_and_deletes(store: StateStore) -> None:
    run = store.day_runs.claim("a1", date(2026, 3, 10), now=NOW)
    store.append_message(_decision_envelope(run.run_id, run.day))
    for statement in ("UPDATE messages SET kind = 'plan'", "DELETE FROM messages"):
        with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
            conn.execute(text(statement))
    assert len(store.messages("a1")) == 1


def test_one_reading_per_day_by_source_precedence(store: StateStore) -> None:
    day = date(2026, 3, 1)
    store.upsert_recovery("a1", [RecoveryRecord(day=day, source="demo", readiness_score=50)])
    store.upsert_recovery("a1", [RecoveryRecord(day=day, source="oura", readiness_score=80)])
    assert [r.readiness_score for r in store.recovery("a1")] == [80]
    store.upsert_loads("a1", [DailyLoad(day=day, source="demo", load=10)])
    store.upsert_loads("a1", [DailyLoad(day=day, source="demo", load=20)])
    assert [d.load for d in store.loads("a1")] == [20]


def test_wal_and_busy_timeout_are_on(tmp_path: Path) -> None:
    store = StateStore(f"sqlite:///{tmp_path / 'wal.db'}")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 60000
    store.close()


def test_latest_message_of_a_kind_in_a_day_range(store: StateStore) -> None:
    run = uuid.uuid4()
    days = [date(2026, 3, d) for d in (2, 4, 4, 9)]
    stored = [store.append_message(_decision_envelope(run, d)) for d in days]
    found = store.latest_message("a1", "decision", since=date(2026, 3, 2), until=date(2026, 3, 8))
    assert found is not None and found.message_id == stored[2].message_id, "newest of the range"
    assert store.latest_message("a1", "plan", since=days[0], until=days[-1]) is None
    assert store.latest_message("a2", "decision", since=days[0], until=days[-1]) is None
    assert store.has_message("a1", "decision", since=date(2026, 3, 5), until=date(2026, 3, 9))
    assert not store.has_message("a1", "decision", since=date(2026, 3, 5), until=date(2026, 3, 8))
