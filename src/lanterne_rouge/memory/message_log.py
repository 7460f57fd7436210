"""The messages' verbs of the state store: append-only, read by kind, day range and run.

A mixin of ``StateStore`` (kept apart to keep each file small); it works on the store's unit
of work through ``connection()``. Everything but the memory bus reads messages through the
bus's typed queries.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import date

from sqlalchemy import Connection, select

from lanterne_rouge.memory import rows as sql
from lanterne_rouge.memory.tables import messages
from lanterne_rouge.messages import Envelope


class MessageLog:
    def connection(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError  # the state store's

    def append_message(self, envelope: Envelope) -> Envelope:
        """Store a message; returns it as the store will give it back.

        The envelope is validated from the row about to be inserted, its payload from the very
        JSON that is stored, so a message that could not be read back raises
        ``ValidationError`` and nothing is stored.
        """
        row = sql.message_row(envelope)
        stored = sql.envelope_from_row(row)
        with self.connection() as conn:
            conn.execute(sql.INSERT_MESSAGE, row)
        return stored

    def messages(
        self,
        athlete_id: str,
        *,
        kinds: Sequence[str] | None = None,
        since: date | None = None,
        until: date | None = None,
        run_id: uuid.UUID | None = None,
        newest_first: bool = False,
        limit: int | None = None,
    ) -> list[Envelope]:
        """Messages of an athlete, oldest first, filtered by kind, day range and run."""
        query = select(messages).where(messages.c.athlete_id == athlete_id)
        if kinds:
            query = query.where(messages.c.kind.in_(list(kinds)))
        if since is not None:
            query = query.where(messages.c.day >= since)
        if until is not None:
            query = query.where(messages.c.day <= until)
        if run_id is not None:
            query = query.where(messages.c.run_id == str(run_id))
        # Newest: the latest day, then the latest stored that day (the index on athlete, kind
        # and day, with the sequence SQLite keeps in every index, serves it without a sort).
        order = (
            (messages.c.day.desc(), messages.c.seq.desc()) if newest_first else (messages.c.seq,)
        )
        query = query.order_by(*order).limit(limit)
        with self.connection() as conn:
            found = (sql.readable_envelope(row) for row in conn.execute(query).mappings())
            return [envelope for envelope in found if envelope is not None]

    def message_pages(
        self,
        athlete_id: str,
        *,
        kinds: Sequence[str] | None = None,
        since: date | None = None,
        page_size: int = 500,
    ) -> Iterator[list[Envelope]]:
        """Messages of an athlete, oldest first, a page at a time (keyed on the sequence, so
        each page is one indexed read and memory stays flat however long the history)."""
        query = select(messages).where(messages.c.athlete_id == athlete_id)
        if kinds:
            query = query.where(messages.c.kind.in_(list(kinds)))
        if since is not None:
            query = query.where(messages.c.day >= since)
        after = 0
        while True:
            page_query = query.where(messages.c.seq > after).order_by(messages.c.seq)
            with self.connection() as conn:
                rows = conn.execute(page_query.limit(page_size)).mappings().all()
            if not rows:
                return
            after = rows[-1]["seq"]
            yield [e for e in map(sql.readable_envelope, rows) if e is not None]

    def message(self, message_id: uuid.UUID) -> Envelope:
        """One stored message by id."""
        query = select(messages).where(messages.c.message_id == str(message_id))
        with self.connection() as conn:
            row = conn.execute(query).mappings().one()
        return sql.envelope_from_row(row)

    def latest_message(
        self, athlete_id: str, kind: str, *, since: date, until: date
    ) -> Envelope | None:
        """The newest message of ``kind`` with a day in ``since..until`` (a daily lookup, so
        its statement is built once)."""
        params = {"athlete": athlete_id, "kind": kind, "since": since, "until": until}
        with self.connection() as conn:
            row = conn.execute(sql.LATEST_OF_KIND, params).mappings().first()
        return sql.readable_envelope(row) if row is not None else None

    def has_message(self, athlete_id: str, kind: str, *, since: date, until: date) -> bool:
        """Whether any message of ``kind`` has a day in ``since..until``."""
        params = {"athlete": athlete_id, "kind": kind, "since": since, "until": until}
        with self.connection() as conn:
            return conn.execute(sql.ANY_OF_KIND, params).first() is not None
