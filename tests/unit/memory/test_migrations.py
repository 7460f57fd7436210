"""The schema moves forward by migrations: a 0.1.0 database opens with every row kept."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from lanterne_rouge.errors import StoreError
from lanterne_rouge.memory import schema
from lanterne_rouge.memory.state_store import StateStore

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "v0_1_0.db"
V010_TABLES = (
    "runs",
    "messages",
    "recovery",
    "daily_loads",
    "fitness_cache",
    "llm_calls",
    "activities",
    "raw_payloads",
    "sync_cursors",
    "fitness_seeds",
    "notifications",
)


def _rows(path: Path, columns: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    """Every row of the 0.1.0 tables, as text, in the given (default: all) columns."""
    with sqlite3.connect(path) as conn:
        names = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        found = {}
        for table in (t for t in V010_TABLES if t in names):
            cursor = conn.execute(f"SELECT * FROM {table}")
            have = [d[0] for d in cursor.description]
            keep = columns[table] if columns else have
            found[table] = sorted(
                repr([dict(zip(have, row, strict=True))[c] for c in keep]) for row in cursor
            )
        return found


def _columns(path: Path) -> dict[str, list[str]]:
    with sqlite3.connect(path) as conn:
        return {t: [r[1] for r in conn.execute(f"PRAGMA table_info({t})")] for t in V010_TABLES}


@pytest.fixture
def old_db(tmp_path: Path) -> Path:
    copy = tmp_path / "home" / "lanterne.db"
    copy.parent.mkdir(parents=True)
    shutil.copyfile(FIXTURE, copy)
    return copy


def test_the_fixture_is_a_0_1_0_database_with_rows_in_the_main_tables() -> None:
    before = _rows(FIXTURE)
    assert "alembic_version" not in before
    for table in ("runs", "messages", "recovery", "daily_loads", "activities", "fitness_seeds"):
        assert before[table], table


def test_opening_a_0_1_0_database_copies_it_aside_upgrades_it_and_keeps_every_row(
    old_db: Path,
) -> None:
    before = _rows(old_db)
    store = StateStore(f"sqlite:///{old_db}")
    copy = store.copied_before_upgrade
    store.close()
    assert copy is not None and copy.parent == old_db.parent and "0.1.0" in copy.name
    assert _rows(copy) == before  # the copy is the database as it was
    after = _rows(old_db, _columns(copy))
    for table, rows in before.items():
        assert rows == after[table], table
    assert schema.status(create_engine(f"sqlite:///{old_db}")).up_to_date


def test_a_run_works_on_the_upgraded_0_1_0_database(
    old_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from lanterne_rouge.cli import app

    monkeypatch.setenv("LANTERNE_HOME", str(old_db.parent))
    monkeypatch.setenv("LANTERNE_MISSION_FILE", str(_mission()))
    done = CliRunner().invoke(app, ["run", "--date", "2025-06-23", "--athlete", "me"])
    assert done.exit_code == 0, done.output
    assert "Decision:" in done.output and "DEMO" not in done.output
    store = StateStore(f"sqlite:///{old_db}")
    assert [r.day for r in store.day_runs.of("me")][-1] == date(2025, 6, 23)
    assert len(store.day_runs.of("me")) == 4


def test_opening_an_upgraded_database_again_copies_nothing(old_db: Path) -> None:
    StateStore(f"sqlite:///{old_db}").close()
    again = StateStore(f"sqlite:///{old_db}")
    assert again.copied_before_upgrade is None


def test_a_new_database_is_stamped_at_the_newest_revision(tmp_path: Path) -> None:
    StateStore(f"sqlite:///{tmp_path / 'new.db'}").close()
    found = schema.status(create_engine(f"sqlite:///{tmp_path / 'new.db'}"))
    assert found.current == schema.HEAD and not found.pending


def test_a_database_from_a_newer_release_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    StateStore(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StoreError, match="newer than this release"):
        StateStore(f"sqlite:///{path}")


def test_the_migrations_build_the_same_schema_as_the_tables(tmp_path: Path) -> None:
    """A new database is made from tables.py; an old one by the migrations: they must agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.config import Config
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from lanterne_rouge.memory.tables import metadata

    config = Config()
    config.set_main_option("script_location", schema.SCRIPTS)
    assert ScriptDirectory.from_config(config).get_current_head() == schema.HEAD
    path = tmp_path / "migrated.db"
    shutil.copyfile(FIXTURE, path)
    StateStore(f"sqlite:///{path}").close()
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def _mission() -> Path:
    return Path(__file__).resolve().parents[3] / "config" / "missions" / "tour_de_france_sim.toml"


def test_db_status_and_upgrade_on_a_0_1_0_database(
    old_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from lanterne_rouge.cli import app

    monkeypatch.setenv("LANTERNE_HOME", str(old_db.parent))
    before = CliRunner().invoke(app, ["db", "status"])
    assert before.exit_code == 0, before.output
    assert "0.1.0 (no version recorded)" in before.output
    assert f"Pending:  {', '.join(schema.REVISIONS)}" in before.output
    done = CliRunner().invoke(app, ["db", "upgrade"])
    assert done.exit_code == 0, done.output
    assert f"Upgraded the schema to {schema.HEAD}" in done.output and ".bak" in done.output
    after = CliRunner().invoke(app, ["db", "status"])
    assert "Up to date." in after.output
    again = CliRunner().invoke(app, ["db", "upgrade"])
    assert f"Already at schema {schema.HEAD}." in again.output


def test_older_messages_are_read_as_todays_payloads(old_db: Path) -> None:
    """0.1.0 stored coach reports as version 1 (no weekly summary): read as version 2."""
    from lanterne_rouge.memory.memory_bus import MemoryBus
    from lanterne_rouge.messages import CURRENT_VERSIONS, KINDS, CoachReport

    assert set(CURRENT_VERSIONS) == set(KINDS)
    with sqlite3.connect(old_db) as conn:
        stored = conn.execute(
            "SELECT DISTINCT schema_version FROM messages WHERE kind = 'coach_report'"
        ).fetchall()
    assert stored == [(1,)]
    reports = MemoryBus(StateStore(f"sqlite:///{old_db}")).history(CoachReport, "me")
    assert len(reports) == 3
    assert all(r.schema_version == 2 and r.week_summary is None for r in reports)


def test_every_payload_version_written_today_is_current() -> None:
    """A payload model's version and CURRENT_VERSIONS move together (bump both, add an
    upgrade for the version before)."""
    from typing import get_args

    from lanterne_rouge.messages import CURRENT_VERSIONS, UPGRADES, Payload

    for model in get_args(get_args(Payload)[0]):
        kind = model.model_fields["kind"].default
        version = model.model_fields["schema_version"].default
        assert CURRENT_VERSIONS[kind] == version, kind
        assert all((kind, v) in UPGRADES for v in range(1, version)), kind
