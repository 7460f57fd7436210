"""The schema on PostgreSQL: migrations from the previous release, append-only messages,
and many workers opening a new database at once."""

from __future__ import annotations

import threading
from datetime import date, datetime

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from lanterne_rouge.memory import schema
from lanterne_rouge.memory.state_store import StateStore

MESSAGE = {
    "seq": 1,
    "message_id": "00000000-0000-0000-0000-000000000001",
    "run_id": "00000000-0000-0000-0000-0000000000aa",
    "athlete_id": "me",
    "day": date(2026, 3, 10),
    "kind": "decision",
    "schema_version": 1,
    "producer": "reasoning_agent",
    "created_at": datetime(2026, 3, 10, 6, 30),
    "payload": "{}",
}


def _at_revision(url: str, revision: str) -> None:
    engine = create_engine(url)
    config = Config()
    config.set_main_option("script_location", schema.SCRIPTS)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
        conn.execute(
            text(
                "INSERT INTO messages (seq, message_id, run_id, athlete_id, day, kind, "
                "schema_version, producer, created_at, payload) VALUES (:seq, :message_id, "
                ":run_id, :athlete_id, :day, :kind, :schema_version, :producer, :created_at, "
                ":payload)"
            ),
            MESSAGE,
        )
    engine.dispose()


def test_a_database_of_the_previous_revision_upgrades_on_postgresql_keeping_its_rows(
    postgres_url: str,
) -> None:
    _at_revision(postgres_url, "0001")
    store = StateStore(postgres_url)
    assert schema.status(store.engine).up_to_date
    with store.engine.connect() as conn:
        kept = conn.execute(text("SELECT message_id, athlete_id FROM messages")).all()
    assert [tuple(r) for r in kept] == [(MESSAGE["message_id"], "me")]
    with pytest.raises(SQLAlchemyError, match="append-only"), store.engine.begin() as conn:
        conn.execute(text("UPDATE messages SET payload = '{\"x\": 1}'"))
    store.close()


@pytest.mark.parametrize(
    "statement",
    ["UPDATE messages SET payload = '{}'", "DELETE FROM messages"],
    ids=["update", "delete"],
)
def test_a_stored_message_can_be_neither_changed_nor_removed(
    database_url: str, statement: str
) -> None:
    store = StateStore(database_url)
    with store.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO messages (message_id, run_id, athlete_id, day, kind, "
                "schema_version, producer, created_at, payload) VALUES (:message_id, :run_id, "
                ":athlete_id, :day, :kind, :schema_version, :producer, :created_at, :payload)"
            ),
            {k: v for k, v in MESSAGE.items() if k != "seq"},
        )
    with pytest.raises(SQLAlchemyError, match="append-only"), store.engine.begin() as conn:
        conn.execute(text(statement))
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT payload FROM messages")).scalar_one() == "{}"
    store.close()


def test_workers_opening_a_new_postgresql_database_at_once_all_get_one_schema(
    postgres_url: str,
) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def open_store() -> None:
        start.wait()
        try:
            StateStore(postgres_url).close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    engine = create_engine(postgres_url)
    assert schema.status(engine).up_to_date
    engine.dispose()
    StateStore(postgres_url).close()
