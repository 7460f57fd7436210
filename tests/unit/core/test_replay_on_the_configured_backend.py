"""``replay --configured-backend`` runs on PostgreSQL, in a schema of its own, dropped after."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from lanterne_rouge.cli import app

SCENARIO = Path(__file__).resolve().parents[2] / "agent_scenarios" / "duplicate_activities"


def _schemas(url: str) -> set[str]:
    engine = create_engine(url)
    with engine.connect() as conn:
        found = {r[0] for r in conn.execute(text("SELECT nspname FROM pg_namespace"))}
    engine.dispose()
    return found


def test_a_replay_on_postgresql_decides_as_on_sqlite_and_leaves_nothing_behind(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_sqlite = CliRunner().invoke(app, ["replay", str(SCENARIO)])
    monkeypatch.setenv("LANTERNE_DATABASE_URL", postgres_url)
    before = _schemas(postgres_url)
    on_postgres = CliRunner().invoke(app, ["replay", str(SCENARIO), "--configured-backend"])
    assert on_postgres.exit_code == on_sqlite.exit_code == 0, on_postgres.output
    assert on_postgres.output == on_sqlite.output
    assert _schemas(postgres_url) == before
    engine = create_engine(postgres_url)
    with engine.connect() as conn:  # the configured database itself was not written to
        tables = conn.execute(text("SELECT count(*) FROM pg_tables WHERE schemaname='public'"))
        assert tables.scalar_one() == 0
    engine.dispose()
