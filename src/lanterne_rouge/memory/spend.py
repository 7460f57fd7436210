"""The ledger's running sums (``llm_spend``): one row per athlete and UTC day, and one for the
whole fleet (athlete ``FLEET``), added to in the transaction that writes each ledger row.

So a budget check reads the athlete's month in at most 31 rows and the fleet's day in one,
however long the ledger and however many athletes share it. Days are UTC calendar days of
each call's ``created_at``, the periods the budgets use.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, or_, select

from lanterne_rouge.memory.records import FLEET, LLMCallRecord, Spent
from lanterne_rouge.memory.tables import llm_spend

SUMMED = (
    "calls",
    "fallbacks",
    "skipped",
    "over_budget",
    "input_tokens",
    "output_tokens",
    "cost_usd",
    "unknown_cost",
)


def increments(row: LLMCallRecord) -> dict[str, Any]:
    """What one ledger row adds to its day's sums."""
    sent = row.outcome != "skipped"
    return {
        "calls": int(sent),
        "fallbacks": int(row.outcome == "fallback"),
        "skipped": int(not sent),
        "over_budget": int(not sent and (row.reason or "").startswith("budget:")),
        "input_tokens": (row.input_tokens or 0) if sent else 0,
        "output_tokens": (row.output_tokens or 0) if sent else 0,
        "cost_usd": row.cost_usd or 0.0,
        "unknown_cost": int(row.cost_usd is None and row.attempts > 0),
    }


def add(conn: Connection, row: LLMCallRecord) -> None:
    """Add the row to its athlete's day and to the fleet's day (in that order, always, so two
    writers never wait on each other crosswise)."""
    day = row.created_at.astimezone(UTC).date()
    added = increments(row)
    conn.execute(
        _upsert(conn.dialect.name),
        [{"athlete_id": athlete, "day": day, **added} for athlete in (row.athlete_id, FLEET)],
    )


_UPSERTS: dict[str, Any] = {}


def _upsert(dialect: str) -> Any:
    """The statement adding a row's increments to its day, built once per database kind (one
    compiled statement, its rows sent together)."""
    found = _UPSERTS.get(dialect)
    if found is None:
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
        statement = insert(llm_spend)
        found = _UPSERTS[dialect] = statement.on_conflict_do_update(
            index_elements=["athlete_id", "day"],
            set_={name: llm_spend.c[name] + statement.excluded[name] for name in SUMMED},
        )
    return found


def spent(conn: Connection, athlete_id: str, now: datetime) -> Spent:
    """The athlete's UTC day and month so far, and the fleet's UTC day."""
    today = now.astimezone(UTC).date()
    first = today.replace(day=1)
    c = llm_spend.c
    query = select(c.athlete_id, c.day, c.cost_usd, c.unknown_cost).where(
        or_(
            and_(c.athlete_id == athlete_id, c.day >= first, c.day <= today),
            and_(c.athlete_id == FLEET, c.day == today),
        )
    )
    found: dict[str, float | int] = dict.fromkeys(Spent.model_fields, 0)
    for who, day, usd, unknown in conn.execute(query):
        if who == FLEET:
            found["fleet_day_usd"], found["fleet_day_unknown"] = usd, unknown
            continue
        found["month_usd"] += usd
        found["month_unknown"] += unknown
        if day == today:
            found["day_usd"], found["day_unknown"] = usd, unknown
    return Spent.model_validate(found)
