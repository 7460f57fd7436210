"""Replay a recorded scenario day by day into a throwaway store (the sandbox).

The sandbox is a SQLite file in a temporary folder, or, given the configured database's URL
on another backend (PostgreSQL), a schema of its own in that database: the replay then runs
on the same backend as the daily run, and the schema is dropped afterwards.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import msgspec
from sqlalchemy import URL, create_engine, make_url, text
from sqlalchemy.exc import SQLAlchemyError

from lanterne_rouge.errors import StoreError
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.orchestrator import DayResult, build_orchestrator
from lanterne_rouge.sources.activity_days import rebuild_days
from lanterne_rouge.sources.scenarios import SCENARIO_ATHLETE, Arrival, Expected, Scenario


class ReplayedDay(msgspec.Struct, frozen=True):
    expected: Expected
    result: DayResult

    @property
    def matches(self) -> bool:
        d = self.result.decision
        return (d.action, d.rule) == (self.expected.action, self.expected.rule)


def replay(
    scenario: Scenario,
    *,
    store_dir: Path | None = None,
    on_day: Callable[[ReplayedDay], None] | None = None,
    database_url: str | None = None,
) -> list[ReplayedDay]:
    """Run each expected day of the scenario in order; the store is deleted afterwards."""
    with sandbox(database_url, store_dir) as url:
        store = StateStore(url)
        try:
            return replay_into(store, scenario, on_day=on_day)
        finally:
            store.close()


def replay_into(
    store: StateStore,
    scenario: Scenario,
    *,
    on_day: Callable[[ReplayedDay], None] | None = None,
) -> list[ReplayedDay]:
    """Run each expected day of the scenario in order into ``store``, which is kept."""
    with store.transaction():
        store.upsert_recovery(SCENARIO_ATHLETE, scenario.history.recovery)
        store.upsert_loads(SCENARIO_ATHLETE, scenario.history.loads)
    coach = build_orchestrator(store, scenario.mission)
    out = []
    pending = sorted(scenario.arrivals, key=lambda a: a.day)
    for expected in scenario.expected:
        arrived = [a for a in pending if a.day <= expected.day]
        pending = pending[len(arrived) :]
        _store_arrivals(store, arrived)
        result = coach.run_day(SCENARIO_ATHLETE, expected.day, data_label="scenario")
        day = ReplayedDay(expected, result)
        out.append(day)
        if on_day:
            on_day(day)
    return out


@contextmanager
def sandbox(database_url: str | None, store_dir: Path | None = None) -> Iterator[str]:
    """The URL of a throwaway store on the backend of ``database_url`` (default SQLite)."""
    url = make_url(database_url) if database_url else None
    if url is None or url.get_backend_name() == "sqlite":
        with tempfile.TemporaryDirectory(prefix="lanterne-replay-", dir=store_dir) as tmp:
            yield f"sqlite:///{Path(tmp) / 'replay.db'}"
        return
    schema = f"lanterne_replay_{uuid.uuid4().hex[:12]}"
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            inside = url.update_query_dict({"options": f"-csearch_path={schema}"})
            yield inside.render_as_string(hide_password=False)
        finally:
            with engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot make a replay sandbox in {_safe(url)}: {exc}") from exc
    finally:
        engine.dispose()


def _safe(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def _store_arrivals(store: StateStore, arrived: list[Arrival]) -> None:
    """Activities the coach sees from today on, and their days' loads, as a sync stores them."""
    if not arrived:
        return
    with store.transaction():
        store.activities.upsert_activities(SCENARIO_ATHLETE, [a.activity for a in arrived])
        rebuild_days(store, SCENARIO_ATHLETE, {a.activity.local_day for a in arrived})
