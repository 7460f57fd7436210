"""Migration 0006 (athletes' cards and secrets): a database at 0005, with athletes, thresholds
and history in it, upgrades on SQLite and PostgreSQL with every row kept."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, inspect, text

from lanterne_rouge.memory import schema
from lanterne_rouge.memory.state_store import StateStore

OLD_DB = Path(__file__).resolve().parents[2] / "fixtures" / "v0_1_0.db"
ATHLETES = [
    {"athlete_id": "me", "timezone": "Europe/Paris", "updated_at": datetime(2026, 3, 1, 6)},
    {"athlete_id": "anna", "timezone": None, "updated_at": datetime(2026, 3, 2, 6)},
]
THRESHOLD = {
    "athlete_id": "me",
    "name": "ftp",
    "value": "250",
    "valid_from": date(2025, 1, 1),
    "origin": "athlete",
    "set_at": datetime(2026, 3, 1, 6),
}


def _at_0005(engine: Engine) -> None:
    config = Config()
    config.set_main_option("script_location", schema.SCRIPTS)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0005")
        conn.execute(
            text("INSERT INTO athletes (athlete_id, timezone, updated_at) VALUES (:a, :t, :u)"),
            [{"a": r["athlete_id"], "t": r["timezone"], "u": r["updated_at"]} for r in ATHLETES],
        )
        conn.execute(
            text(
                "INSERT INTO athlete_thresholds (athlete_id, name, value, valid_from, origin, "
                "set_at) VALUES (:athlete_id, :name, :value, :valid_from, :origin, :set_at)"
            ),
            THRESHOLD,
        )


def _rows(engine: Engine, tables: list[str]) -> dict[str, list[Any]]:
    with engine.connect() as conn:
        found = {}
        for table in tables:
            columns = [c["name"] for c in inspect(conn).get_columns(table)]
            rows = conn.execute(text(f"SELECT {', '.join(columns)} FROM {table}")).all()
            found[table] = sorted(repr(tuple(r)) for r in rows)
        return found


def _check_upgrade(url: str) -> None:
    engine = create_engine(url)
    _at_0005(engine)
    assert schema.status(engine).current == "0005"
    tables = sorted(set(inspect(engine).get_table_names()) - {"alembic_version"})
    before = _rows(engine, tables)
    assert before["athletes"] and before["athlete_thresholds"]
    engine.dispose()

    store = StateStore(url)
    assert schema.status(store.engine).up_to_date
    after = _rows(store.engine, tables)
    assert {t for t in after if after[t] != before[t]} == {"athletes"}  # new columns only
    with store.engine.connect() as conn:
        kept = conn.execute(
            text("SELECT athlete_id, timezone, name, morning, mission FROM athletes")
        ).all()
    assert sorted(tuple(r) for r in kept) == [
        ("anna", None, None, None, None),
        ("me", "Europe/Paris", None, None, None),
    ]
    me = store.profiles.profile("me")
    assert me is not None and [(e.name, e.value) for e in me.thresholds.entries] == [("ftp", 250)]
    card = store.cards.get("me")
    assert card is not None and (card.timezone, card.in_fleet, card.sources) == (
        "Europe/Paris",
        False,
        (),
    )
    assert store.cards.fleet() == []  # no morning or mission yet: not run by the fleet
    store.close()


def test_a_sqlite_database_at_0005_upgrades_keeping_every_row(tmp_path: Path) -> None:
    path = tmp_path / "lanterne.db"
    shutil.copyfile(OLD_DB, path)  # with the 0.1.0 release's history in it too
    _check_upgrade(f"sqlite:///{path}")


def test_a_postgresql_database_at_0005_upgrades_keeping_every_row(postgres_url: str) -> None:
    _check_upgrade(postgres_url)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_upgraded_database_takes_cards_and_secrets(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url = (
        f"sqlite:///{tmp_path / 'db.sqlite'}"
        if backend == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    _at_0005(create_engine(url))
    from lanterne_rouge.memory.athlete_cards import AthleteCard
    from lanterne_rouge.memory.secrets import AthleteSecrets, SecretBox, new_key

    store = StateStore(url)
    card = AthleteCard(athlete_id="anna", timezone="Asia/Tokyo", email="anna@example.org")
    store.cards.put(card, now=datetime(2026, 3, 3, tzinfo=UTC))
    secrets = AthleteSecrets(store, SecretBox(new_key()))
    secrets.put("anna", "strava", "opaque-token-value", now=datetime(2026, 3, 3, tzinfo=UTC))
    assert store.cards.get("anna") == card
    assert secrets.get("anna", "strava") == "opaque-token-value"
    store.close()
