"""The ``runs`` table's repository (``store.day_runs``): claiming an athlete-day, and the lease
that says who finishes a decided day.

A day's attempt is claimed in phase 1 with status ``decided`` and a lease held by this process
(nobody sees it before phase 1 commits). Phase 3 marks it ``done`` only while the lease is
still this process's, so a day is never finished twice. A ``decided`` day whose owner died is
taken over by the next run or ``repair``; one whose owner is alive is being run elsewhere.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.exc import IntegrityError

from lanterne_rouge.errors import DayAlreadyDone
from lanterne_rouge.memory import leases
from lanterne_rouge.memory import rows as sql
from lanterne_rouge.memory.records import RunRecord
from lanterne_rouge.memory.tables import runs

if TYPE_CHECKING:
    from lanterne_rouge.memory.state_store import StateStore


class _Unread:
    """The newest attempt has not been read yet."""


UNREAD = _Unread()


class DayRuns:
    def __init__(self, store: StateStore) -> None:
        self.store = store

    def last(self, athlete_id: str, day: date) -> RunRecord | None:
        """The newest attempt at the athlete-day."""
        with self.store.connection() as conn:
            row = conn.execute(sql.LAST_RUN, {"athlete": athlete_id, "day": day}).mappings().first()
        return None if row is None else RunRecord.model_validate(dict(row))

    def claim(
        self,
        athlete_id: str,
        day: date,
        *,
        now: datetime,
        force: bool = False,
        lease: timedelta = timedelta(minutes=2),
        last: RunRecord | _Unread | None = UNREAD,
    ) -> RunRecord:
        """A new attempt, ``decided`` once phase 1 commits; ``DayAlreadyDone`` unless the day
        is new or ``force`` is set. ``last``: the newest attempt, when the caller read it in
        this transaction already."""
        if isinstance(last, _Unread):
            last = self.last(athlete_id, day)
        if last is not None and not force:
            raise DayAlreadyDone(
                f"{athlete_id} {day} is already done (attempt {last.attempt}); "
                "use --force to record a new attempt"
            )
        record = RunRecord(
            run_id=uuid.uuid4(),
            athlete_id=athlete_id,
            day=day,
            attempt=(last.attempt if last else 0) + 1,
            status="decided",
            started_at=now,
            lease_owner=leases.me(),
            lease_until=now + lease,
        )
        try:
            with self.store.connection() as conn:
                conn.execute(sql.INSERT_RUN, sql.run_row(record))
        except IntegrityError as exc:
            raise DayAlreadyDone(
                f"{athlete_id} {day} was claimed by another run at the same time"
            ) from exc
        return record

    def take_over(self, run: RunRecord, *, now: datetime, lease: timedelta) -> RunRecord | None:
        """Hold the lease of a ``decided`` day whose owner is gone; None if it is still held."""
        if not leases.is_free(run.lease_owner, run.lease_until, now):
            return None
        owner, until = leases.me(), now + lease
        query = (
            update(runs)
            .where(runs.c.run_id == str(run.run_id), runs.c.status == "decided")
            .where(_same_lease(run))
            .values(lease_owner=owner, lease_until=until)
        )
        with self.store.connection() as conn:
            taken = conn.execute(query).rowcount == 1
        return (
            run.model_copy(update={"lease_owner": owner, "lease_until": until}) if taken else None
        )

    def release(self, run: RunRecord) -> RunRecord:
        """Give up this process's lease on a decided day, so any process may finish it (a
        fleet's next step runs wherever a worker is free)."""
        query = (
            update(runs)
            .where(runs.c.run_id == str(run.run_id), runs.c.status == "decided")
            .where(runs.c.lease_owner == leases.me())
            .values(lease_owner=None, lease_until=None)
        )
        with self.store.connection() as conn:
            conn.execute(query)
        return run.model_copy(update={"lease_owner": None, "lease_until": None})

    def finish(self, run_id: uuid.UUID, *, now: datetime) -> bool:
        """Mark the day done if this process still holds its lease (phase 3)."""
        params = {"run": str(run_id), "owner": leases.me(), "finished": now}
        with self.store.connection() as conn:
            return conn.execute(sql.FINISH_RUN, params).rowcount == 1

    def unfinished(self, athlete_id: str | None = None) -> list[RunRecord]:
        """Decided days whose report is still owed, oldest first."""
        query = select(runs).where(runs.c.status == "decided")
        if athlete_id is not None:
            query = query.where(runs.c.athlete_id == athlete_id)
        with self.store.connection() as conn:
            rows = conn.execute(query.order_by(runs.c.day, runs.c.attempt)).mappings()
            return [RunRecord.model_validate(dict(row)) for row in rows]

    def of(self, athlete_id: str, day: date | None = None) -> list[RunRecord]:
        """Every attempt of an athlete (on ``day``), oldest first."""
        query = select(runs).where(runs.c.athlete_id == athlete_id)
        if day is not None:
            query = query.where(runs.c.day == day)
        with self.store.connection() as conn:
            rows = conn.execute(query.order_by(runs.c.day, runs.c.attempt)).mappings()
            return [RunRecord.model_validate(dict(row)) for row in rows]


def _same_lease(run: RunRecord) -> ColumnElement[bool]:
    """The lease is still the one read (nobody took it over in between)."""
    owner = runs.c.lease_owner
    return owner.is_(None) if run.lease_owner is None else owner == run.lease_owner
