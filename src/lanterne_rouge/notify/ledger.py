"""Which morning messages went out: one row per (athlete, day, channel).

A delivery is claimed before anything is sent (status ``sending``), then marked ``sent`` or
``failed``. Only a ``failed`` row can be claimed again, so a day is never sent twice on a
channel, even by two runs at once. A row left ``sending`` by a crash is never resent: the
message may have gone out before the crash.

The table lives on the state store's metadata and is created on first use.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import (
    Column,
    ColumnElement,
    Date,
    Integer,
    String,
    Table,
    Text,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.memory.tables import UTCDateTime, metadata

DeliveryStatus = Literal["sending", "sent", "failed"]

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


class DeliveryRecord(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    athlete_id: str
    day: date
    channel: str
    status: DeliveryStatus
    attempts: int
    error: str | None = None
    updated_at: datetime
    sent_at: datetime | None = None


class NotificationLedger:
    """The deliveries of the morning message, over the state store's engine."""

    def __init__(self, store: StateStore) -> None:
        self.engine = store.engine
        notifications.create(self.engine, checkfirst=True)

    def claim(self, athlete_id: str, day: date, channel: str, *, now: datetime) -> bool:
        """True when this caller may send: nothing recorded yet, or only a failure."""
        key = {"athlete_id": athlete_id, "day": day, "channel": channel}
        with self.engine.begin() as conn:
            try:
                conn.execute(
                    insert(notifications).values(
                        **key, status="sending", attempts=0, updated_at=now
                    )
                )
                return True
            except IntegrityError:
                pass
        with self.engine.begin() as conn:
            taken = conn.execute(
                update(notifications)
                .where(*_key(athlete_id, day, channel), notifications.c.status == "failed")
                .values(status="sending", updated_at=now)
            )
            return taken.rowcount == 1

    def sent(
        self, athlete_id: str, day: date, channel: str, *, attempts: int, now: datetime
    ) -> None:
        self._finish(athlete_id, day, channel, attempts, status="sent", error=None, now=now)

    def failed(
        self, athlete_id: str, day: date, channel: str, *, attempts: int, error: str, now: datetime
    ) -> None:
        self._finish(athlete_id, day, channel, attempts, status="failed", error=error, now=now)

    def _finish(
        self,
        athlete_id: str,
        day: date,
        channel: str,
        attempts: int,
        *,
        status: DeliveryStatus,
        error: str | None,
        now: datetime,
    ) -> None:
        values: dict[str, object] = {
            "status": status,
            "attempts": notifications.c.attempts + attempts,
            "error": error,
            "updated_at": now,
        }
        if status == "sent":
            values["sent_at"] = now
        with self.engine.begin() as conn:
            conn.execute(
                update(notifications).where(*_key(athlete_id, day, channel)).values(**values)
            )

    def deliveries(
        self, athlete_id: str, *, since: date | None = None, until: date | None = None
    ) -> list[DeliveryRecord]:
        """Deliveries of an athlete, oldest day first."""
        query = select(notifications).where(notifications.c.athlete_id == athlete_id)
        if since is not None:
            query = query.where(notifications.c.day >= since)
        if until is not None:
            query = query.where(notifications.c.day <= until)
        query = query.order_by(notifications.c.day, notifications.c.channel)
        with self.engine.begin() as conn:
            return [DeliveryRecord.model_validate(dict(r)) for r in conn.execute(query).mappings()]


def _key(athlete_id: str, day: date, channel: str) -> tuple[ColumnElement[bool], ...]:
    c = notifications.c
    return (c.athlete_id == athlete_id, c.day == day, c.channel == channel)


def failure_notes(records: list[DeliveryRecord], day: date, *, look_back: int = 7) -> list[str]:
    """What to tell the athlete about messages of the last days that never went out."""
    notes = []
    for record in records:
        age = (day - record.day).days
        if record.status != "failed" or not 0 <= age <= look_back:
            continue
        when = {0: "today's", 1: "yesterday's"}.get(age, f"the {record.day.isoformat()}")
        notes.append(
            f"{when} {_CHANNEL_NAMES.get(record.channel, record.channel)} could not be sent: "
            f"{record.error or 'unknown error'}"
        )
    return notes


_CHANNEL_NAMES = {"email": "email", "telegram": "Telegram message"}
