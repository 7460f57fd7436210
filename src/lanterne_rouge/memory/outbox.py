"""The transactional outbox (``store.outbox``): effects owed by stored messages.

``owe`` records an effect in the transaction that stores its message, so a message is never
stored without the effects it owes, nor an effect owed for a message that was rolled back.
After the commit a worker ``take``s a message's owed effects (a lease, in one short
transaction), does them, and marks them ``done`` (one more); a failure puts the effect back
to ``owed`` with the error, for the next run or ``repair``. An effect whose worker died
mid-way is taken again: the effect itself must tolerate that (``attempts`` says it was tried
before).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Update, insert, select, update

from lanterne_rouge.memory import leases
from lanterne_rouge.memory.tables import outbox

if TYPE_CHECKING:
    from lanterne_rouge.memory.state_store import StateStore

EffectStatus = Literal["owed", "running", "done"]
LEASE = timedelta(minutes=5)  # longer than any one effect (a message with its retries)


class OwedEffect(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    id: int
    message_id: uuid.UUID
    run_id: uuid.UUID
    athlete_id: str
    day: date
    effect: str
    status: EffectStatus
    attempts: int
    error: str | None = None
    lease_owner: str | None = None
    lease_until: datetime | None = None


class Outbox:
    def __init__(self, store: StateStore) -> None:
        self.store = store

    def owe(
        self,
        *,
        message_id: uuid.UUID,
        run_id: uuid.UUID,
        athlete_id: str,
        day: date,
        effects: list[str],
        now: datetime,
    ) -> None:
        rows = [
            {
                "message_id": str(message_id),
                "run_id": str(run_id),
                "athlete_id": athlete_id,
                "day": day,
                "effect": effect,
                "status": "owed",
                "attempts": 0,
                "created_at": now,
            }
            for effect in effects
        ]
        if rows:
            with self.store.connection() as conn:
                conn.execute(insert(outbox), rows)

    def pending(self, athlete_id: str | None = None) -> list[OwedEffect]:
        """Effects not done yet, in the order they were owed."""
        query = select(outbox).where(outbox.c.status.in_(("owed", "running")))  # indexed
        if athlete_id is not None:
            query = query.where(outbox.c.athlete_id == athlete_id)
        with self.store.connection() as conn:
            rows = conn.execute(query.order_by(outbox.c.id)).mappings().all()
        return [OwedEffect.model_validate(dict(r)) for r in rows]

    def of_run(self, run_id: uuid.UUID) -> list[OwedEffect]:
        query = select(outbox).where(outbox.c.run_id == str(run_id)).order_by(outbox.c.id)
        with self.store.connection() as conn:
            return [OwedEffect.model_validate(dict(r)) for r in conn.execute(query).mappings()]

    def take_all(self, owed: list[OwedEffect], *, now: datetime) -> list[OwedEffect]:
        """Hold for this process, in one transaction, those of the effects that are not done
        nor held elsewhere; the ones taken, in order."""
        free = [
            o
            for o in owed
            if o.status == "owed"
            or (o.status == "running" and leases.is_free(o.lease_owner, o.lease_until, now))
        ]
        if not free:
            return []
        owner = leases.me()
        new = [o.id for o in free if o.status == "owed" and o.lease_owner is None]
        held: set[int] = set()
        with self.store.transaction(), self.store.connection() as conn:
            if new:  # the usual case: one statement for all the effects nobody took yet
                query = (
                    update(outbox)
                    .where(
                        outbox.c.id.in_(new),
                        outbox.c.status == "owed",
                        outbox.c.lease_owner.is_(None),
                    )
                    .values(self._lease(owner, now))
                    .returning(outbox.c.id)
                )
                held |= set(conn.execute(query).scalars())
            for o in free:
                if o.id not in new and conn.execute(self._taking(o, owner, now)).rowcount == 1:
                    held.add(o.id)
        update_ = {"status": "running", "lease_owner": owner}
        return [
            o.model_copy(update={**update_, "attempts": o.attempts + 1})
            for o in free
            if o.id in held
        ]

    @staticmethod
    def _lease(owner: str, now: datetime) -> dict[str, Any]:
        return {
            "status": "running",
            "attempts": outbox.c.attempts + 1,
            "lease_owner": owner,
            "lease_until": now + LEASE,
        }

    @staticmethod
    def _taking(owed: OwedEffect, owner: str, now: datetime) -> Update:
        same = (
            outbox.c.lease_owner.is_(None)
            if owed.lease_owner is None
            else outbox.c.lease_owner == owed.lease_owner
        )
        return (
            update(outbox)
            .where(outbox.c.id == owed.id, outbox.c.status == owed.status, same)
            .values(Outbox._lease(owner, now))
        )

    def finish(self, results: list[tuple[OwedEffect, str | None]], *, now: datetime) -> None:
        """Mark each taken effect done (error None) or owed again with its error, in one
        transaction: one statement for all that are done."""
        done = [o.id for o, error in results if error is None]
        mine = outbox.c.lease_owner == leases.me()
        released = {"lease_owner": None, "lease_until": None}
        with self.store.transaction(), self.store.connection() as conn:
            if done:
                conn.execute(
                    update(outbox)
                    .where(outbox.c.id.in_(done), mine)
                    .values(status="done", error=None, done_at=now, **released)
                )
            for o, error in results:
                if error is not None:
                    conn.execute(
                        update(outbox)
                        .where(outbox.c.id == o.id, mine)
                        .values(status="owed", error=error, done_at=None, **released)
                    )
