"""The state store: one unit of work over SQLAlchemy 2.x Core, SQLite (default) or any URL.

It owns the engine and the connection. Its own verbs cover runs (the unique key claims an
athlete-day), messages (append-only), the observed inputs (``recovery`` and ``daily_loads``,
one row per day and source), the fitness cache and the usage ledger; the repositories
``store.activities`` (activities, raw payloads, sync cursors, fitness seeds),
``store.profiles`` (each athlete's time zone and dated thresholds) and ``store.deliveries``
(the morning message's ledger) work in the same unit of work. Verbs return pydantic models.
Every table is in ``tables.py``; opening a store brings its schema to this release
(``schema.py``: an older database is copied aside, then migrated).

Inside ``with store.transaction():`` every verb and repository uses the same connection, and
an exception anywhere rolls the whole block back.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    delete,
    event,
    exists,
    insert,
    or_,
    select,
)
from sqlalchemy import union as sa_union
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from lanterne_rouge.errors import StoreError
from lanterne_rouge.memory import rows as sql
from lanterne_rouge.memory import sqlite_file as files
from lanterne_rouge.memory.message_log import MessageLog
from lanterne_rouge.memory.observed_inputs import SOURCE_PRECEDENCE, ObservedInputs
from lanterne_rouge.memory.records import LLMCallRecord, Spent
from lanterne_rouge.memory.tables import (
    daily_loads,
    fitness_cache,
    llm_calls,
    recovery,
    runs,
)
from lanterne_rouge.training.fitness_state import FitnessState

if TYPE_CHECKING:
    from lanterne_rouge.memory.activity_store import ActivityStore
    from lanterne_rouge.memory.athlete_cards import AthleteCards
    from lanterne_rouge.memory.athletes import AthleteProfiles
    from lanterne_rouge.memory.deliveries import NotificationLedger
    from lanterne_rouge.memory.outbox import Outbox
    from lanterne_rouge.memory.runs import DayRuns

BUSY_TIMEOUT_S = 60  # how long a writer waits for another one to finish


def _no_driver_transactions(dbapi_connection: Any, _record: Any) -> None:
    """The driver's own implicit transactions off: the store says BEGIN itself (``_begin``)."""
    dbapi_connection.isolation_level = None


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class StateStore(MessageLog, ObservedInputs):
    """The few verbs the coach needs to remember everything."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._conn: Connection | None = None
        from lanterne_rouge.memory.schema import ensure_current

        self.path = files.sqlite_path(url)
        opened, self.read_only = files.opening_url(url)
        try:
            self.engine: Engine = _make_engine(opened, read_only=self.read_only)
            if self.path is not None:
                files.quick_check(self.engine, self.path)
            self.copied_before_upgrade: Path | None = ensure_current(self.engine)
        except ImportError as exc:
            raise files.missing_driver(url, exc) from exc
        except IntegrityError as exc:
            raise StoreError(f"cannot open the state store at {_safe_url(url)}: {exc}") from exc
        except SQLAlchemyError as exc:
            raise self._translated(exc) from exc

    def _translated(self, exc: SQLAlchemyError) -> StoreError:
        return files.translate(exc, self.path, read_only=self.read_only)

    # -- repositories ---------------------------------------------------------------------

    @cached_property
    def activities(self) -> ActivityStore:
        """Activities, raw payloads, sync cursors and fitness seeds."""
        from lanterne_rouge.memory.activity_store import ActivityStore

        return ActivityStore(self)

    @cached_property
    def profiles(self) -> AthleteProfiles:
        """Each athlete's time zone and dated thresholds."""
        from lanterne_rouge.memory.athletes import AthleteProfiles

        return AthleteProfiles(self)

    @cached_property
    def cards(self) -> AthleteCards:
        """Each athlete's name, morning run time, mission, channels and sources."""
        from lanterne_rouge.memory.athlete_cards import AthleteCards

        return AthleteCards(self)

    @cached_property
    def day_runs(self) -> DayRuns:
        """Attempts at athlete-days: claims, and the lease on a decided day."""
        from lanterne_rouge.memory.runs import DayRuns

        return DayRuns(self)

    @cached_property
    def outbox(self) -> Outbox:
        """Effects owed by stored messages."""
        from lanterne_rouge.memory.outbox import Outbox

        return Outbox(self)

    @cached_property
    def deliveries(self) -> NotificationLedger:
        """Which morning messages went out, on which channel."""
        from lanterne_rouge.memory.deliveries import NotificationLedger

        return NotificationLedger(self)

    # -- transactions -------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Run the block in one transaction; every verb inside it shares it.

        On SQLite it takes the write lock at once (``BEGIN IMMEDIATE``): a transaction that
        read first and wrote later could otherwise fail when another process wrote between.
        """
        if self._conn is not None:
            yield
            return
        with self._begin("BEGIN IMMEDIATE") as conn:
            self._conn = conn
            try:
                yield
            finally:
                self._conn = None

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Run a block of reads on one connection: one begin and one end for all of them, not
        a pair per read (inside a transaction: that transaction's)."""
        if self._conn is not None:
            yield
            return
        with self._begin("BEGIN") as conn:
            self._conn = conn
            try:
                yield
            finally:
                self._conn = None

    @property
    def in_transaction(self) -> bool:
        return self._conn is not None

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """The unit of work's connection: the open transaction's, else a short one of its own.

        Only repositories (``memory/``) use it; everyone else uses verbs.
        """
        if self._conn is not None:
            yield self._conn
            return
        with self._begin("BEGIN") as conn:
            yield conn

    @contextmanager
    def _begin(self, statement: str) -> Iterator[Connection]:
        try:
            with self.engine.begin() as conn:
                if self.engine.dialect.name == "sqlite":
                    conn.exec_driver_sql(statement)
                yield conn
        except IntegrityError:
            raise  # a claim or a ledger decides what a duplicate means
        except SQLAlchemyError as exc:
            raise self._translated(exc) from exc

    def close(self) -> None:
        self.engine.dispose()

    def athletes(self) -> list[str]:
        """Every athlete the store holds runs or inputs of, sorted."""
        union = sa_union(
            select(runs.c.athlete_id),
            select(recovery.c.athlete_id),
            select(daily_loads.c.athlete_id),
        )
        with self.connection() as conn:
            return sorted(conn.execute(union).scalars())

    def knows(self, athlete_id: str) -> bool:
        """Whether the store holds any run or input of ``athlete_id`` (one statement: every
        command resolves its athlete with it)."""
        held = (exists().where(t.c.athlete_id == athlete_id) for t in (recovery, daily_loads, runs))
        with self.connection() as conn:
            return bool(conn.execute(select(or_(*held))).scalar())

    # -- fitness cache -------------------------------------------------------------------

    def fitness_state(self, athlete_id: str, *, until: date) -> FitnessState | None:
        """The newest cached end-of-day fitness state on or before ``until``."""
        with self.connection() as conn:
            found = conn.execute(
                sql.LATEST_FITNESS, {"athlete": athlete_id, "until": until}
            ).scalar()
        return None if found is None else FitnessState.model_validate_json(found)

    def save_fitness_states(self, athlete_id: str, states: Sequence[FitnessState]) -> None:
        """Cache end-of-day states (replacing any of the same days): two statements."""
        if not states:
            return
        rows = [
            {"athlete_id": athlete_id, "day": s.day, "state": s.model_dump_json()} for s in states
        ]
        days = [s.day for s in states]
        with self.connection() as conn:
            conn.execute(
                delete(fitness_cache).where(
                    fitness_cache.c.athlete_id == athlete_id, fitness_cache.c.day.in_(days)
                )
            )
            conn.execute(sql.INSERT_FITNESS, rows)

    def drop_fitness_from(self, athlete_id: str, day: date | None) -> None:
        """Forget the cached fitness states from ``day`` on (all of them when None)."""
        query = delete(fitness_cache).where(fitness_cache.c.athlete_id == athlete_id)
        if day is not None:
            query = query.where(fitness_cache.c.day >= day)
        with self.connection() as conn:
            conn.execute(query)

    # -- LLM ledger ----------------------------------------------------------------------

    def record_llm_call(self, call: LLMCallRecord) -> None:
        """A ledger row, and its athlete's and the fleet's running sums of the day."""
        from lanterne_rouge.memory import spend

        row = call.model_dump()
        row["run_id"] = str(call.run_id) if call.run_id else None
        with self.connection() as conn:
            conn.execute(insert(llm_calls).values(**row))
            spend.add(conn, call)

    def spent(self, athlete_id: str, *, now: datetime) -> Spent:
        """What the model cost the athlete this UTC day and month, and the fleet today."""
        from lanterne_rouge.memory import spend

        with self.connection() as conn:
            return spend.spent(conn, athlete_id, now)

    def llm_calls(
        self, *, since: datetime | None = None, athlete_id: str | None = None
    ) -> list[LLMCallRecord]:
        """The usage ledger's rows (of one athlete), oldest first."""
        query = select(llm_calls)
        if athlete_id is not None:
            query = query.where(llm_calls.c.athlete_id == athlete_id)
        if since is not None:
            query = query.where(llm_calls.c.created_at >= since)
        with self.connection() as conn:
            rows = conn.execute(query.order_by(llm_calls.c.id)).mappings()
            return [
                LLMCallRecord.model_validate({k: v for k, v in row.items() if k != "id"})
                for row in rows
            ]


def _make_engine(url: str, *, read_only: bool = False) -> Engine:
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _no_driver_transactions)
        if not read_only:
            event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _safe_url(url: str) -> str:
    """The URL without its password."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # a URL too broken to parse is shown by scheme only
        return url.split(":", 1)[0] + "://…"


__all__ = ["SOURCE_PRECEDENCE", "StateStore"]
