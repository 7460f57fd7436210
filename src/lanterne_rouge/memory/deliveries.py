"""Which morning messages went out: one row per (athlete, day, channel).

A delivery is claimed before anything is sent (status ``sending``), then marked ``sent`` or
``failed``. Only a ``failed`` row can be claimed again, so a day is never sent twice on a
channel, even by two runs at once. A row left ``sending`` by a crash is never resent: the
message may have gone out before the crash.

The ledger is the state store's repository for deliveries (``store.deliveries``); its table is
in ``memory/tables.py``. Each verb is its own short transaction unless called inside one.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import ColumnElement, insert, select, update
from sqlalchemy.exc import IntegrityError

from lanterne_rouge.memory.tables import notifications

if TYPE_CHECKING:
    from lanterne_rouge.memory.state_store import StateStore

DeliveryStatus = Literal["sending", "sent", "failed"]


class DeliveryRecord(BaseModel):
    # defer_build: built the first time it is used, not as the module is imported; the
    # morning run never uses it on its own (a millisecond or two of start-up each).
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    athlete_id: str
    day: date
    channel: str
    status: DeliveryStatus
    attempts: int
    error: str | None = None
    updated_at: datetime
    sent_at: datetime | None = None


class NotificationLedger:
    """The deliveries of the morning message, in the state store's unit of work."""

    def __init__(self, store: StateStore) -> None:
        self.store = store

    def claim(self, athlete_id: str, day: date, channel: str, *, now: datetime) -> bool:
        """True when this caller may send: nothing recorded yet, or only a failure."""
        key = {"athlete_id": athlete_id, "day": day, "channel": channel}
        try:
            with self.store.connection() as conn:
                conn.execute(
                    insert(notifications).values(
                        **key, status="sending", attempts=0, updated_at=now
                    )
                )
                return True
        except IntegrityError:
            pass
        with self.store.connection() as conn:
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
        with self.store.connection() as conn:
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
        with self.store.connection() as conn:
            return [DeliveryRecord.model_validate(dict(r)) for r in conn.execute(query).mappings()]


def _key(athlete_id: str, day: date, channel: str) -> tuple[ColumnElement[bool], ...]:
    c = notifications.c
    return (c.athlete_id == athlete_id, c.day == day, c.channel == channel)


__all__ = ["DeliveryRecord", "DeliveryStatus", "NotificationLedger"]
