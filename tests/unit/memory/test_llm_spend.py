"""The ledger's running sums (``llm_spend``) on SQLite and PostgreSQL: kept with every ledger
row, read in a few rows by the budgets, and filled from the ledger on upgrade, every row kept."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import column, create_engine, func, insert, select, table, text

from lanterne_rouge.memory import schema
from lanterne_rouge.memory.records import FLEET, LLMCallRecord, Spent
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.memory.tables import llm_calls, llm_spend
from support.ledger import ledger_row

NOW = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)


def call(
    athlete: str,
    at: datetime,
    *,
    cost: float | None = 0.001,
    outcome: str = "ok",
    attempts: int = 1,
    reason: str | None = None,
) -> LLMCallRecord:
    return ledger_row(
        athlete,
        at.date(),
        input_tokens=120,
        output_tokens=40,
        cost_usd=cost,
        attempts=attempts,
        outcome=outcome,
        reason=reason,
        created_at=at,
    )


LEDGER = (
    call("anna", NOW - timedelta(days=25)),  # last month: counted nowhere today
    call("anna", NOW - timedelta(days=3), cost=0.002),
    call("anna", NOW - timedelta(hours=2), cost=None),  # sent, cost unknown
    call(
        "anna",
        NOW - timedelta(hours=1),
        cost=0.0,
        outcome="skipped",
        attempts=0,
        reason="budget: daily budget $0.02 reached",
    ),
    call("ben", NOW - timedelta(hours=1), cost=0.004),
)


def test_the_budgets_read_the_athletes_day_and_month_and_the_fleets_day(
    database_url: str,
) -> None:
    store = StateStore(database_url)
    with store.transaction():
        for row in LEDGER:
            store.record_llm_call(row)
    assert store.spent("anna", now=NOW) == Spent(
        day_usd=0.0, day_unknown=1, month_usd=0.002, month_unknown=1,
        fleet_day_usd=0.004, fleet_day_unknown=1,
    )  # fmt: skip
    assert store.spent("cleo", now=NOW) == Spent(fleet_day_usd=0.004, fleet_day_unknown=1)
    with store.engine.connect() as conn:
        today = (
            conn.execute(
                select(llm_spend)
                .where(llm_spend.c.day == NOW.date())
                .order_by(llm_spend.c.athlete_id)
            )
            .mappings()
            .all()
        )
    assert [(r["athlete_id"], r["calls"], r["skipped"], r["over_budget"]) for r in today] == [
        (FLEET, 2, 1, 1),
        ("anna", 1, 1, 1),
        ("ben", 1, 0, 0),
    ]
    store.close()


def test_upgrading_fills_the_sums_from_the_ledger_and_keeps_every_ledger_row(
    database_url: str,
) -> None:
    engine = create_engine(database_url)
    config = Config()
    config.set_main_option("script_location", schema.SCRIPTS)
    before = _previous_revision()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, before)
        ledger = table("llm_calls", *(column(c.name) for c in llm_calls.c if c.name != "id"))
        for row in LEDGER:
            values = row.model_dump()
            values["created_at"] = row.created_at.replace(tzinfo=None)  # stored naive, UTC
            conn.execute(insert(ledger).values(**values))
    engine.dispose()

    store = StateStore(database_url)  # upgrades to the newest revision
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(llm_calls)).scalar_one() == 5
        sums = conn.execute(text("SELECT COUNT(*) FROM llm_spend")).scalar_one()
    assert sums == 7  # anna on 3 days, ben on 1, the fleet on 3
    assert store.spent("anna", now=NOW) == Spent(
        day_usd=0.0, day_unknown=1, month_usd=0.002, month_unknown=1,
        fleet_day_usd=0.004, fleet_day_unknown=1,
    )  # fmt: skip
    store.record_llm_call(call("ben", NOW, cost=0.001))
    assert store.spent("ben", now=NOW).day_usd == pytest.approx(0.005)
    store.close()


def _previous_revision() -> str:
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", schema.SCRIPTS)
    found = ScriptDirectory.from_config(config).get_revision(schema.HEAD)
    assert found is not None and isinstance(found.down_revision, str)
    return found.down_revision


def test_the_first_day_of_a_month_starts_the_month_afresh(database_url: str) -> None:
    store = StateStore(database_url)
    store.record_llm_call(call("anna", datetime(2026, 3, 31, 23, 0, tzinfo=UTC)))
    first = datetime(2026, 4, 1, 0, 30, tzinfo=UTC)
    assert store.spent("anna", now=first) == Spent()
    assert date(2026, 3, 31) < first.date()
    store.close()
