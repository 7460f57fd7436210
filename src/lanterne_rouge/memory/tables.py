"""Every table of the state store (SQLAlchemy Core), on one ``metadata``: the only place a
table is defined. Each change here ships an Alembic migration in ``memory/migrations``.

``runs`` holds one row per attempt at an athlete-day (the unique key claims the day);
``messages`` is append-only (SQLite triggers refuse UPDATE and DELETE); ``recovery`` and
``daily_loads`` hold the observed inputs, one row per athlete, day and source;
``fitness_cache`` the model's end-of-day state; ``llm_calls`` the usage ledger;
``activities``, ``raw_payloads``, ``sync_cursors`` and ``fitness_seeds`` what the sources
remember; ``notifications`` the deliveries of the morning message; ``outbox`` the effects
owed by stored messages; ``athletes`` and ``athlete_thresholds`` the athlete as data (time
zone; FTP and heart rates, each in force from a day on).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)


class UTCDateTime(TypeDecorator[datetime]):
    """Stored as naive UTC, returned timezone-aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


metadata = MetaData()

runs = Table(
    "runs",
    metadata,
    Column("run_id", String(36), primary_key=True),
    Column("athlete_id", String(64), nullable=False),
    Column("day", Date, nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    # Who is finishing a decided day (phases 2 and 3), and until when: "host:pid".
    Column("lease_owner", String(128)),
    Column("lease_until", UTCDateTime),
    UniqueConstraint("athlete_id", "day", "attempt", name="uq_runs_athlete_day_attempt"),
)

messages = Table(
    "messages",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("message_id", String(36), nullable=False, unique=True),
    Column("run_id", String(36), nullable=False),
    Column("causation_id", String(36)),
    Column("athlete_id", String(64), nullable=False),
    Column("day", Date, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("schema_version", Integer, nullable=False),
    Column("producer", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("payload", Text, nullable=False),
    Index("ix_messages_athlete_kind_day", "athlete_id", "kind", "day"),
    Index("ix_messages_run", "run_id"),
)

recovery = Table(
    "recovery",
    metadata,
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
    metadata,
    Column("athlete_id", String(64), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("source", String(32), primary_key=True),
    Column("load", Float, nullable=False),
    Column("fatigue_load", Float),
    Column("method", String(32), nullable=False),
)

# The fitness model's end-of-day state, so the daily run moves on from yesterday in O(1).
# A change to an athlete's loads drops the states from the first changed day on.
fitness_cache = Table(
    "fitness_cache",
    metadata,
    Column("athlete_id", String(64), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("state", Text, nullable=False),
)

llm_calls = Table(
    "llm_calls",
    metadata,
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
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_llm_calls_created", "created_at"),
    Index("ix_llm_calls_athlete_created", "athlete_id", "created_at"),  # budgets per athlete
)

# -- what the sources remember beside the daily inputs ------------------------------

activities = Table(
    "activities",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("athlete_id", String(64), nullable=False),
    Column("source", String(32), nullable=False),
    Column("external_id", String(128), nullable=False),
    Column("sport", String(32), nullable=False),
    Column("source_type", String(64), nullable=False),
    Column("name", Text),
    Column("start_utc", UTCDateTime, nullable=False),
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
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("athlete_id", String(64), nullable=False),
    Column("source", String(32), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("external_id", String(128), nullable=False),
    Column("day", Date),
    Column("fetched_at", UTCDateTime, nullable=False),
    Column("payload", Text, nullable=False),
    UniqueConstraint("athlete_id", "source", "kind", "external_id", name="uq_raw_payloads_key"),
    Index("ix_raw_payloads_day", "athlete_id", "source", "day"),
)

sync_cursors = Table(
    "sync_cursors",
    metadata,
    Column("athlete_id", String(64), primary_key=True),
    Column("source", String(32), primary_key=True),
    Column("collection", String(64), primary_key=True),
    Column("position", String(64), nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

fitness_seeds = Table(
    "fitness_seeds",
    metadata,
    Column("athlete_id", String(64), primary_key=True),
    Column("source", String(32), primary_key=True),
    Column("day", Date, nullable=False),
    Column("ctl", Float, nullable=False),
    Column("atl", Float, nullable=False),
)

# -- deliveries of the morning message ------------------------------------------------

notifications = Table(
    "notifications",
    metadata,
    Column("athlete_id", String(64), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("channel", String(16), primary_key=True),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("error", Text),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime),
)

# -- athletes as data --------------------------------------------------------------------

athletes = Table(
    "athletes",
    metadata,
    Column("athlete_id", String(64), primary_key=True),
    Column("timezone", String(64)),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("name", String(128)),
    Column("morning", String(5)),  # HH:MM local; with a mission, the fleet runs the athlete
    Column("mission", Text),
    Column("email", String(254)),
    Column("telegram_chat", String(64)),
    Column("sources", String(128)),  # comma-separated: strava, oura, intervals, files
)

# Each athlete's OAuth tokens and other secrets, Fernet-encrypted (memory/secrets.py).
athlete_secrets = Table(
    "athlete_secrets",
    metadata,
    Column(
        "athlete_id",
        String(64),
        ForeignKey("athletes.athlete_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("name", String(32), primary_key=True),
    Column("ciphertext", Text, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

# One row per threshold and day it took effect (valid_from NULL: from the start).
athlete_thresholds = Table(
    "athlete_thresholds",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "athlete_id",
        String(64),
        ForeignKey("athletes.athlete_id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("name", String(32), nullable=False),
    Column("value", String(32), nullable=False),
    Column("valid_from", Date),
    Column("origin", String(16), nullable=False),
    Column("set_at", UTCDateTime, nullable=False),
    Index("ix_athlete_thresholds_athlete", "athlete_id", "name"),
)


# -- the transactional outbox ------------------------------------------------------------

# One row per effect a stored message owes (the reasoning-log row, the report, the morning
# message), written in the message's own transaction; done after the commit, then marked.
outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("message_id", String(36), nullable=False),
    Column("run_id", String(36), nullable=False),
    Column("athlete_id", String(64), nullable=False),
    Column("day", Date, nullable=False),
    Column("effect", String(32), nullable=False),
    Column("status", String(16), nullable=False),  # owed, running, done
    Column("attempts", Integer, nullable=False),
    Column("error", Text),
    Column("lease_owner", String(128)),
    Column("lease_until", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    Column("done_at", UTCDateTime),
    UniqueConstraint("message_id", "effect", name="uq_outbox_message_effect"),
    Index("ix_outbox_status", "status"),
)

APPEND_ONLY_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS messages_no_update BEFORE UPDATE ON messages "
    "BEGIN SELECT RAISE(ABORT, 'messages are append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS messages_no_delete BEFORE DELETE ON messages "
    "BEGIN SELECT RAISE(ABORT, 'messages are append-only'); END",
)

APPEND_ONLY_TRIGGERS_POSTGRESQL = (
    "CREATE OR REPLACE FUNCTION messages_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'messages are append-only'; END $$",
    "CREATE TRIGGER messages_no_change BEFORE UPDATE OR DELETE ON messages "
    "FOR EACH ROW EXECUTE FUNCTION messages_append_only()",
    "CREATE TRIGGER messages_no_truncate BEFORE TRUNCATE ON messages "
    "FOR EACH STATEMENT EXECUTE FUNCTION messages_append_only()",
)


def append_only_ddl(dialect: str) -> tuple[str, ...]:
    """The triggers that refuse to change or remove a stored message, for this database."""
    return {
        "sqlite": APPEND_ONLY_TRIGGERS,
        "postgresql": APPEND_ONLY_TRIGGERS_POSTGRESQL,
    }.get(dialect, ())
