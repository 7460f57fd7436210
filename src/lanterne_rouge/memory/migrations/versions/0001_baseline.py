"""Baseline: the schema of release 0.1.0, the first with a database.

A database made by 0.1.0 has no ``alembic_version`` table and may lack the tables its code
created on first use (``notifications``), so this revision creates only what is missing
(``checkfirst``) and is a no-op on the tables that are there. The definitions are frozen
here: ``memory/tables.py`` moves on with later revisions.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

m = MetaData()

runs = Table(
    "runs",
    m,
    Column("run_id", String(36), primary_key=True),
    Column("athlete_id", String(64), nullable=False),
    Column("day", Date, nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("started_at", DateTime, nullable=False),
    Column("finished_at", DateTime),
    UniqueConstraint("athlete_id", "day", "attempt", name="uq_runs_athlete_day_attempt"),
)

messages = Table(
    "messages",
    m,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("message_id", String(36), nullable=False, unique=True),
    Column("run_id", String(36), nullable=False),
    Column("causation_id", String(36)),
    Column("athlete_id", String(64), nullable=False),
    Column("day", Date, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("schema_version", Integer, nullable=False),
    Column("producer", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("payload", Text, nullable=False),
    Index("ix_messages_athlete_kind_day", "athlete_id", "kind", "day"),
)

recovery = Table(
    "recovery",
    m,
    Column("athlete_id", String(64), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("source", String(32), primary_key=True),
    Column("readiness_score", Integer),
    Column("hrv_rmssd", Float),
    Column("resting_hr", Float),
    Column("sleep_secs", Integer),
    Column("sleep_score", Integer),
)

daily_loads = Table(
    "daily_loads",
    m,
    Column("athlete_id", String(64), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("source", String(32), primary_key=True),
    Column("load", Float, nullable=False),
    Column("fatigue_load", Float),
    Column("method", String(32), nullable=False),
)

fitness_cache = Table(
    "fitness_cache",
    m,
    Column("athlete_id", String(64), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("state", Text, nullable=False),
)

llm_calls = Table(
    "llm_calls",
    m,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", String(36)),
    Column("athlete_id", String(64), nullable=False),
    Column("day", Date, nullable=False),
    Column("agent", String(32), nullable=False),
    Column("provider", String(32), nullable=False),
    Column("model_requested", String(128), nullable=False),
    Column("model_reported", String(128)),
    Column("prompt_id", String(64), nullable=False),
    Column("prompt_version", Integer, nullable=False),
    Column("prompt_sha256", String(64), nullable=False),
    Column("input_tokens", Integer),
    Column("cached_tokens", Integer),
    Column("output_tokens", Integer),
    Column("cost_usd", Float),
    Column("latency_ms", Float, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("reason", Text),
    Column("created_at", DateTime, nullable=False),
    Index("ix_llm_calls_created", "created_at"),
)

activities = Table(
    "activities",
    m,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("athlete_id", String(64), nullable=False),
    Column("source", String(32), nullable=False),
    Column("external_id", String(128), nullable=False),
    Column("sport", String(32), nullable=False),
    Column("source_type", String(64), nullable=False),
    Column("name", Text),
    Column("start_utc", DateTime, nullable=False),
    Column("local_day", Date, nullable=False),
    Column("moving_s", Float, nullable=False),
    Column("elapsed_s", Float),
    Column("tss", Float, nullable=False),
    Column("load", Float, nullable=False),
    Column("fatigue_load", Float, nullable=False),
    Column("method", String(32), nullable=False),
    Column("method_source", String(32), nullable=False),
    Column("detail", Text, nullable=False),
    UniqueConstraint("athlete_id", "source", "external_id", name="uq_activities_source_id"),
    Index("ix_activities_athlete_start", "athlete_id", "start_utc"),
    Index("ix_activities_athlete_day", "athlete_id", "local_day"),
)

raw_payloads = Table(
    "raw_payloads",
    m,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("athlete_id", String(64), nullable=False),
    Column("source", String(32), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("external_id", String(128), nullable=False),
    Column("day", Date),
    Column("fetched_at", DateTime, nullable=False),
    Column("payload", Text, nullable=False),
    UniqueConstraint("athlete_id", "source", "kind", "external_id", name="uq_raw_payloads_key"),
    Index("ix_raw_payloads_day", "athlete_id", "source", "day"),
)

sync_cursors = Table(
    "sync_cursors",
    m,
    Column("athlete_id", String(64), primary_key=True),
    Column("source", String(32), primary_key=True),
    Column("collection", String(64), primary_key=True),
    Column("position", String(64), nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

fitness_seeds = Table(
    "fitness_seeds",
    m,
    Column("athlete_id", String(64), primary_key=True),
    Column("source", String(32), primary_key=True),
    Column("day", Date, nullable=False),
    Column("ctl", Float, nullable=False),
    Column("atl", Float, nullable=False),
)

notifications = Table(
    "notifications",
    m,
    Column("athlete_id", String(64), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("channel", String(16), primary_key=True),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("error", Text),
    Column("updated_at", DateTime, nullable=False),
    Column("sent_at", DateTime),
)


TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS messages_no_update BEFORE UPDATE ON messages "
    "BEGIN SELECT RAISE(ABORT, 'messages are append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS messages_no_delete BEFORE DELETE ON messages "
    "BEGIN SELECT RAISE(ABORT, 'messages are append-only'); END",
)


def upgrade() -> None:
    bind = op.get_bind()
    m.create_all(bind, checkfirst=True)
    if bind.dialect.name == "sqlite":
        for ddl in TRIGGERS:
            op.execute(ddl)


def downgrade() -> None:
    m.drop_all(op.get_bind())
