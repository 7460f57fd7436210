"""What the data sources remember beside the daily inputs: activities, raw payloads, cursors.

Tables (defined with every other one in ``memory/tables.py``):

- ``activities``: one row per activity per source, unique on (athlete, source, external id);
  its local day, duration and the load computed by ``training.load`` with the method used.
- ``raw_payloads``: what an API or file gave us, unchanged (JSON), unique on (athlete, source,
  kind, external id), so records can be re-processed without fetching them again.
- ``sync_cursors``: how far each source's collection has been synced.
- ``fitness_seeds``: CTL and ATL at the end of the day before an imported history begins
  (an export that starts mid-history carries fitness from before it).

``ActivityStore`` is the state store's repository for them (``store.activities``): inside
``with store.transaction():`` its verbs share the unit of work's connection, so a file import
or a sync page is written whole or not at all. Verbs return pydantic models, never ORM rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import (
    and_,
    delete,
    insert,
    or_,
    select,
    tuple_,
)

from lanterne_rouge.memory import rows as sql
from lanterne_rouge.memory.tables import (
    activities,
    daily_loads,
    fitness_seeds,
    raw_payloads,
    sync_cursors,
)

if TYPE_CHECKING:
    from lanterne_rouge.memory.state_store import StateStore


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StoredActivity(_Record):
    """One activity as one source recorded it, with its computed load."""

    # defer_build: built the first time it is used, not as the module is imported; the
    # morning run never uses it on its own (a millisecond or two of start-up each).
    model_config = ConfigDict(defer_build=True)

    source: str
    external_id: str
    sport: str = Field(description="our sport name, see sources.sports")
    source_type: str = Field(description="the type as the source names it")
    name: str | None = None
    start_utc: datetime
    local_day: date
    moving_s: float = Field(gt=0, description="s")
    elapsed_s: float | None = Field(default=None, description="s")
    tss: float = Field(ge=0, description="load before sport weighting, TSS points")
    load: float = Field(ge=0, description="the part counted for fitness (CTL)")
    fatigue_load: float = Field(ge=0, description="the part counted for fatigue (ATL)")
    method: str
    method_source: str
    detail: dict[str, Any] = Field(default_factory=dict)


class RawPayload(_Record):
    model_config = ConfigDict(defer_build=True)

    source: str
    kind: str
    external_id: str
    day: date | None = None
    fetched_at: datetime
    payload: Any


class FitnessSeed(_Record):
    """CTL and ATL at the end of ``day``, the day before a history begins."""

    model_config = ConfigDict(defer_build=True)

    source: str
    day: date
    ctl: float = Field(ge=0)
    atl: float = Field(ge=0)


class ActivityStore:
    """The sources' verbs over the state store's database and transaction."""

    def __init__(self, store: StateStore) -> None:
        self.store = store

    # -- activities ----------------------------------------------------------------------

    def upsert_activities(self, athlete_id: str, items: Iterable[StoredActivity]) -> int:
        """Store activities, replacing any with the same (source, external id)."""
        rows = {(a.source, a.external_id): _activity_row(athlete_id, a) for a in items}
        if not rows:
            return 0
        with self.store.connection() as conn:  # the state store's shared transaction
            for chunk in _chunks(list(rows), 400):
                conn.execute(
                    delete(activities).where(
                        activities.c.athlete_id == athlete_id,
                        tuple_(activities.c.source, activities.c.external_id).in_(chunk),
                    )
                )
            conn.execute(insert(activities), list(rows.values()))
        return len(rows)

    def activities(
        self,
        athlete_id: str,
        *,
        since: date | None = None,
        until: date | None = None,
        source: str | None = None,
    ) -> list[StoredActivity]:
        """Activities by local day (inclusive range), oldest start first."""
        if since is not None and until is not None and source is None:  # the daily read
            params = {"athlete": athlete_id, "since": since, "until": until}
            with self.store.connection() as conn:
                found = conn.execute(sql.ACTIVITIES_IN_DAYS, params).mappings().all()
            return [_activity(row) for row in found]
        query = select(activities).where(activities.c.athlete_id == athlete_id)
        if since is not None:
            query = query.where(activities.c.local_day >= since)
        if until is not None:
            query = query.where(activities.c.local_day <= until)
        if source is not None:
            query = query.where(activities.c.source == source)
        with self.store.connection() as conn:
            rows = conn.execute(query.order_by(activities.c.start_utc)).mappings().all()
        return [_activity(row) for row in rows]

    def activity(self, athlete_id: str, source: str, external_id: str) -> StoredActivity | None:
        query = select(activities).where(
            activities.c.athlete_id == athlete_id,
            activities.c.source == source,
            activities.c.external_id == external_id,
        )
        with self.store.connection() as conn:
            row = conn.execute(query).mappings().first()
        return None if row is None else _activity(row)

    def load_days(self, athlete_id: str, source: str, since: date, until: date) -> list[date]:
        """Days that have a ``daily_loads`` row of ``source`` in the range."""
        query = select(daily_loads.c.day).where(
            daily_loads.c.athlete_id == athlete_id,
            daily_loads.c.source == source,
            daily_loads.c.day >= since,
            daily_loads.c.day <= until,
        )
        with self.store.connection() as conn:
            return list(conn.execute(query).scalars())

    # -- raw payloads --------------------------------------------------------------------

    def save_raw(self, athlete_id: str, payloads: Iterable[RawPayload]) -> int:
        """Keep payloads as they came, replacing an older copy of the same record."""
        rows = {
            (p.source, p.kind, p.external_id): {
                "athlete_id": athlete_id,
                "source": p.source,
                "kind": p.kind,
                "external_id": p.external_id,
                "day": p.day,
                "fetched_at": p.fetched_at,
                "payload": json.dumps(p.payload, separators=(",", ":"), sort_keys=True),
            }
            for p in payloads
        }
        if not rows:
            return 0
        with self.store.connection() as conn:
            for chunk in _chunks(list(rows), 300):
                keys = [
                    and_(
                        raw_payloads.c.source == s,
                        raw_payloads.c.kind == k,
                        raw_payloads.c.external_id == e,
                    )
                    for s, k, e in chunk
                ]
                conn.execute(
                    delete(raw_payloads).where(raw_payloads.c.athlete_id == athlete_id, or_(*keys))
                )
            conn.execute(insert(raw_payloads), list(rows.values()))
        return len(rows)

    def raw(
        self,
        athlete_id: str,
        source: str,
        *,
        kinds: Sequence[str] | None = None,
        since: date | None = None,
        until: date | None = None,
        external_id: str | None = None,
    ) -> list[RawPayload]:
        query = select(raw_payloads).where(
            raw_payloads.c.athlete_id == athlete_id, raw_payloads.c.source == source
        )
        if kinds:
            query = query.where(raw_payloads.c.kind.in_(list(kinds)))
        if since is not None:
            query = query.where(raw_payloads.c.day >= since)
        if until is not None:
            query = query.where(raw_payloads.c.day <= until)
        if external_id is not None:
            query = query.where(raw_payloads.c.external_id == external_id)
        with self.store.connection() as conn:
            rows = conn.execute(query.order_by(raw_payloads.c.id)).mappings().all()
        return [
            RawPayload(
                source=row["source"],
                kind=row["kind"],
                external_id=row["external_id"],
                day=row["day"],
                fetched_at=row["fetched_at"],
                payload=json.loads(row["payload"]),
            )
            for row in rows
        ]

    # -- sync cursors --------------------------------------------------------------------

    def cursor(self, athlete_id: str, source: str, collection: str) -> str | None:
        query = select(sync_cursors.c.position).where(
            sync_cursors.c.athlete_id == athlete_id,
            sync_cursors.c.source == source,
            sync_cursors.c.collection == collection,
        )
        with self.store.connection() as conn:
            found: str | None = conn.execute(query).scalar()
        return found

    def set_cursor(
        self, athlete_id: str, source: str, collection: str, position: str, *, now: datetime
    ) -> None:
        key = (
            sync_cursors.c.athlete_id == athlete_id,
            sync_cursors.c.source == source,
            sync_cursors.c.collection == collection,
        )
        with self.store.connection() as conn:
            conn.execute(delete(sync_cursors).where(*key))
            conn.execute(
                insert(sync_cursors).values(
                    athlete_id=athlete_id,
                    source=source,
                    collection=collection,
                    position=position,
                    updated_at=now,
                )
            )

    # -- fitness seeds -------------------------------------------------------------------

    def save_seed(self, athlete_id: str, seed: FitnessSeed) -> None:
        with self.store.connection() as conn:
            conn.execute(
                delete(fitness_seeds).where(
                    fitness_seeds.c.athlete_id == athlete_id,
                    fitness_seeds.c.source == seed.source,
                )
            )
            conn.execute(insert(fitness_seeds).values(athlete_id=athlete_id, **seed.model_dump()))
        # The model starts from the seed: every cached state built without it is stale.
        self.store.drop_fitness_from(athlete_id, None)

    def seeds(self, athlete_id: str) -> list[FitnessSeed]:
        query = select(fitness_seeds).where(fitness_seeds.c.athlete_id == athlete_id)
        with self.store.connection() as conn:
            rows = conn.execute(query.order_by(fitness_seeds.c.day)).mappings().all()
        return [
            FitnessSeed.model_validate({k: v for k, v in r.items() if k != "athlete_id"})
            for r in rows
        ]


def history_seed(seeds: Sequence[FitnessSeed], first_load_day: date | None) -> FitnessSeed | None:
    """The seed that starts the stored history, if any.

    A seed applies when no stored load is on or before its day: it stands for the fitness
    built before the history begins. A load older than the seed means the history itself
    reaches further back, and the model starts from zero on its first day instead.
    """
    usable = [s for s in seeds if first_load_day is None or s.day < first_load_day]
    return min(usable, key=lambda s: s.day) if usable else None


def fitness_seed(store: StateStore, athlete_id: str) -> FitnessSeed | None:
    """The seed for ``athlete_id``'s stored load history (see ``history_seed``)."""
    first = store.first_load_day(athlete_id)
    return history_seed(store.activities.seeds(athlete_id), first)


def _activity_row(athlete_id: str, a: StoredActivity) -> dict[str, Any]:
    row = a.model_dump()
    row["detail"] = json.dumps(a.detail, separators=(",", ":"), sort_keys=True)
    row["athlete_id"] = athlete_id
    return row


def _activity(row: Any) -> StoredActivity:
    values = {k: v for k, v in row.items() if k not in ("id", "athlete_id")}
    values["detail"] = json.loads(values["detail"])
    return StoredActivity.model_validate(values)


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


__all__ = [
    "ActivityStore",
    "FitnessSeed",
    "RawPayload",
    "StoredActivity",
    "fitness_seed",
    "history_seed",
]
