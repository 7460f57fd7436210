"""The observed inputs' verbs of the state store: ``recovery`` and ``daily_loads``, one row per
day and source, read back as one row per day (the source earliest in ``SOURCE_PRECEDENCE``).

A mixin of ``StateStore`` (kept apart to keep each file small), like ``MessageLog``: it works
on the store's unit of work through ``connection()``, and a new load drops the fitness cache
from its day on (``drop_fitness_from``).
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from datetime import date
from typing import Any

from sqlalchemy import Connection, Table, bindparam, delete, insert, select

from lanterne_rouge.memory import rows as sql
from lanterne_rouge.memory.records import DailyLoad, RecoveryRecord
from lanterne_rouge.memory.tables import daily_loads, recovery

# When two sources give the same day, the earlier one in this list wins.
SOURCE_PRECEDENCE = (
    "manual",
    "activities",  # day sums of the activity sources below, each session once (activity_days)
    "strava",
    "fit",
    "gpx",
    "tcx",
    "strava_export",
    "intervals_activities",
    "oura",
    "intervals_wellness",
    "scenario",
    "demo",
)


class ObservedInputs:
    def connection(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError  # the state store's

    def drop_fitness_from(self, athlete_id: str, day: date | None) -> None:
        raise NotImplementedError  # the state store's

    def upsert_recovery(self, athlete_id: str, records: Iterable[RecoveryRecord]) -> int:
        rows = [{"athlete_id": athlete_id, **r.model_dump()} for r in records]
        return self._replace(recovery, rows)

    def upsert_loads(self, athlete_id: str, loads: Iterable[DailyLoad]) -> int:
        rows = [{"athlete_id": athlete_id, **d.model_dump()} for d in loads]
        if rows:
            self.drop_fitness_from(athlete_id, min(r["day"] for r in rows))
        return self._replace(daily_loads, rows)

    def _replace(self, table: Table, rows: list[dict[str, Any]]) -> int:
        """Insert rows, replacing any with the same key (athlete, day, source); last one wins."""
        unique = {(r["athlete_id"], r["day"], r["source"]): r for r in rows}
        if not unique:
            return 0
        keys = [{"k_athlete": a, "k_day": d, "k_source": s} for a, d, s in unique]
        with self.connection() as conn:
            conn.execute(
                delete(table).where(
                    table.c.athlete_id == bindparam("k_athlete"),
                    table.c.day == bindparam("k_day"),
                    table.c.source == bindparam("k_source"),
                ),
                keys,
            )
            conn.execute(insert(table), list(unique.values()))
        return len(unique)

    def delete_source(self, athlete_id: str, source: str) -> None:
        """Forget one source's inputs for an athlete (the demo re-seeds itself this way)."""
        self.drop_fitness_from(athlete_id, None)
        with self.connection() as conn:
            for table in (recovery, daily_loads):
                conn.execute(
                    delete(table).where(table.c.athlete_id == athlete_id, table.c.source == source)
                )

    def recovery(
        self, athlete_id: str, *, since: date | None = None, until: date | None = None
    ) -> list[RecoveryRecord]:
        """One record per day (the highest-precedence source), oldest first."""
        rows = self._select_days(recovery, athlete_id, since, until)
        return sql.RECOVERY_RECORDS.validate_python(_by_precedence(rows))

    def loads(
        self, athlete_id: str, *, since: date | None = None, until: date | None = None
    ) -> list[DailyLoad]:
        """One load per day (the highest-precedence source), oldest first."""
        rows = self._select_days(daily_loads, athlete_id, since, until)
        return sql.DAILY_LOADS.validate_python(_by_precedence(rows))

    def _select_days(
        self, table: Table, athlete_id: str, since: date | None, until: date | None
    ) -> list[dict[str, Any]]:
        params = {"athlete": athlete_id, "since": since or date.min, "until": until or date.max}
        with self.connection() as conn:
            result = conn.execute(sql.SELECT_DAYS[table.name], params)
            columns = list(result.keys())  # zipping plain rows is twice as fast as .mappings()
            return [dict(zip(columns, row, strict=True)) for row in result]

    def first_load_day(self, athlete_id: str) -> date | None:
        """The first day with a stored load (where the fitness model starts)."""
        with self.connection() as conn:
            found: date | None = conn.execute(
                select(daily_loads.c.day)
                .where(daily_loads.c.athlete_id == athlete_id)
                .order_by(daily_loads.c.day)
                .limit(1)
            ).scalar()
        return found


def _by_precedence(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Keep one row per day: the source earliest in ``SOURCE_PRECEDENCE``."""
    rank = {name: i for i, name in enumerate(SOURCE_PRECEDENCE)}
    best: dict[date, dict[str, Any]] = {}
    for row in rows:
        current = best.get(row["day"])
        if current is None or rank.get(row["source"], 99) < rank.get(current["source"], 99):
            best[row["day"]] = row
    return [best[d] for d in sorted(best)]
