"""Budgets at fleet scale: the ledger's running sums per athlete and UTC day, and indexes for
one athlete's owed effects and one day's calls.

``llm_spend`` is filled from the ledger as it stands (every row kept in ``llm_calls``), one
row per athlete and UTC day of ``created_at`` and one for the whole fleet (athlete ``*``);
from then on each ledger row adds to it in its own transaction.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

FLEET = "*"
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


def upgrade() -> None:
    spend = op.create_table(
        "llm_spend",
        sa.Column("athlete_id", sa.String(64), primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),
        *(
            sa.Column(name, sa.Float if name == "cost_usd" else sa.Integer, nullable=False)
            for name in SUMMED
        ),
    )
    op.create_index("ix_llm_calls_day", "llm_calls", ["day"])
    op.create_index("ix_outbox_athlete_status", "outbox", ["athlete_id", "status"])
    rows = _sums(op.get_bind())
    if rows:
        op.bulk_insert(spend, rows)


def _sums(conn: sa.Connection) -> list[dict[str, Any]]:
    calls = sa.table(
        "llm_calls",
        *(
            sa.column(name)
            for name in (
                "id",
                "athlete_id",
                "outcome",
                "reason",
                "input_tokens",
                "output_tokens",
                "cost_usd",
                "attempts",
                "created_at",
            )
        ),
    )
    sums: dict[tuple[str, date], dict[str, Any]] = defaultdict(lambda: dict.fromkeys(SUMMED, 0))
    for row in conn.execute(sa.select(calls).order_by(calls.c.id)).mappings():
        sent = row["outcome"] != "skipped"
        added = {
            "calls": int(sent),
            "fallbacks": int(row["outcome"] == "fallback"),
            "skipped": int(not sent),
            "over_budget": int(not sent and (row["reason"] or "").startswith("budget:")),
            "input_tokens": (row["input_tokens"] or 0) if sent else 0,
            "output_tokens": (row["output_tokens"] or 0) if sent else 0,
            "cost_usd": row["cost_usd"] or 0.0,
            "unknown_cost": int(row["cost_usd"] is None and row["attempts"] > 0),
        }
        day = _utc_day(row["created_at"])
        for who in (row["athlete_id"], FLEET):
            total = sums[(who, day)]
            for name, value in added.items():
                total[name] += value
    return [{"athlete_id": a, "day": d, **t} for (a, d), t in sums.items()]


def _utc_day(value: datetime | str) -> date:
    """Stored naive in UTC (SQLite gives text back through a bare table)."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.date()


def downgrade() -> None:
    op.drop_index("ix_outbox_athlete_status", "outbox")
    op.drop_index("ix_llm_calls_day", "llm_calls")
    op.drop_table("llm_spend")
