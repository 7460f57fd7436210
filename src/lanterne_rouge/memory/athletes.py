"""Athletes as data: each athlete's time zone and dated thresholds (``store.profiles``).

An athlete's thresholds are a :class:`~lanterne_rouge.training.thresholds.ThresholdHistory`:
``set`` adds one in force from a day on (``athlete set ftp 128 --from 2025-01-01``),
replacing one of the same name and day; ``seed`` adds the mission's ``[athlete]`` numbers for
the thresholds the athlete has none of, so setting one's own always wins over a file. The
tables are in ``memory/tables.py``; each verb is its own short transaction unless called
inside one.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict
from sqlalchemy import RowMapping, delete, insert, select, update

from lanterne_rouge.memory.tables import athlete_thresholds, athletes
from lanterne_rouge.training.thresholds import DatedThreshold, ThresholdHistory

if TYPE_CHECKING:
    from lanterne_rouge.memory.state_store import StateStore
    from lanterne_rouge.mission_config import AthleteProfile as MissionAthlete


class AthleteProfile(BaseModel):
    """What the store knows about one athlete."""

    # defer_build: built the first time it is used, not as the module is imported; the
    # morning run never uses it on its own (a millisecond or two of start-up each).
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    athlete_id: str
    timezone: str | None = None
    thresholds: ThresholdHistory = ThresholdHistory()


class AthleteProfiles:
    """The athletes repository, in the state store's unit of work."""

    def __init__(self, store: StateStore) -> None:
        self.store = store

    def profile(self, athlete_id: str) -> AthleteProfile | None:
        """The athlete's profile, or None when nothing was ever set or seeded."""
        with self.store.connection() as conn:
            row = conn.execute(select(athletes).where(athletes.c.athlete_id == athlete_id)).first()
            if row is None:
                return None
            found = conn.execute(
                select(athlete_thresholds)
                .where(athlete_thresholds.c.athlete_id == athlete_id)
                .order_by(athlete_thresholds.c.name, athlete_thresholds.c.valid_from)
            ).mappings()
            entries = tuple(_entry(r) for r in found)
        return AthleteProfile(
            athlete_id=athlete_id,
            timezone=row.timezone,
            thresholds=ThresholdHistory(entries=entries),
        )

    def ids(self) -> list[str]:
        query = select(athletes.c.athlete_id).order_by(athletes.c.athlete_id)
        with self.store.connection() as conn:
            return list(conn.execute(query).scalars())

    def set_threshold(self, athlete_id: str, entry: DatedThreshold, *, now: datetime) -> None:
        """Record ``entry``, replacing one of the same name and day."""
        with self.store.transaction(), self.store.connection() as conn:
            self._ensure(athlete_id, now)
            same_day = (
                athlete_thresholds.c.valid_from.is_(None)
                if entry.valid_from is None
                else athlete_thresholds.c.valid_from == entry.valid_from
            )
            conn.execute(
                delete(athlete_thresholds).where(
                    athlete_thresholds.c.athlete_id == athlete_id,
                    athlete_thresholds.c.name == entry.name,
                    same_day,
                )
            )
            conn.execute(insert(athlete_thresholds).values(_row(athlete_id, entry, now)))

    def set_timezone(self, athlete_id: str, timezone: str | None, *, now: datetime) -> None:
        with self.store.transaction(), self.store.connection() as conn:
            self._ensure(athlete_id, now)
            conn.execute(
                update(athletes)
                .where(athletes.c.athlete_id == athlete_id)
                .values(timezone=timezone, updated_at=now)
            )

    def seed(self, athlete_id: str, seeds: ThresholdHistory, *, now: datetime) -> AthleteProfile:
        """Add ``seeds``' entries for thresholds the athlete has none of; the profile after.

        Replaces earlier seeds from a file (a mission edited since), never the athlete's own.
        """
        with self.store.transaction(), self.store.connection() as conn:
            self._ensure(athlete_id, now)
            current = self.profile(athlete_id)
            own = current.thresholds if current else ThresholdHistory()
            mine = {e.name for e in own.entries if e.origin == "athlete"}
            fresh = [e for e in seeds.entries if e.name not in mine]
            if set(fresh) == {e for e in own.entries if e.origin != "athlete"}:
                return current or AthleteProfile(athlete_id=athlete_id)
            conn.execute(
                delete(athlete_thresholds).where(
                    athlete_thresholds.c.athlete_id == athlete_id,
                    athlete_thresholds.c.origin != "athlete",
                )
            )
            if fresh:
                conn.execute(insert(athlete_thresholds), [_row(athlete_id, e, now) for e in fresh])
        found = self.profile(athlete_id)
        assert found is not None  # made above, in the same unit of work
        return found

    def _ensure(self, athlete_id: str, now: datetime) -> None:
        with self.store.connection() as conn:
            known = conn.execute(
                select(athletes.c.athlete_id).where(athletes.c.athlete_id == athlete_id)
            ).first()
            if known is None:
                conn.execute(insert(athletes).values(athlete_id=athlete_id, updated_at=now))


def mission_seeds(athlete: MissionAthlete) -> ThresholdHistory:
    """A mission's ``[athlete]`` table as seeds (``template``: an example mission's)."""
    from lanterne_rouge.training.load_models import AthleteThresholds
    from lanterne_rouge.training.thresholds import ThresholdOrigin

    thresholds = AthleteThresholds(
        ftp=athlete.ftp,
        threshold_hr=athlete.threshold_hr,
        resting_hr=athlete.resting_hr,
        max_hr=athlete.max_hr,
        sex=athlete.sex,
    )
    origin: ThresholdOrigin = "template" if athlete.example else "mission"
    return ThresholdHistory.constant(thresholds, origin)


def _row(athlete_id: str, entry: DatedThreshold, now: datetime) -> dict[str, object]:
    return {
        "athlete_id": athlete_id,
        "name": entry.name,
        "value": str(entry.value),
        "valid_from": entry.valid_from,
        "origin": entry.origin,
        "set_at": now,
    }


def _entry(row: RowMapping) -> DatedThreshold:
    raw = row["value"]
    return DatedThreshold(
        name=row["name"],
        value=raw if row["name"] == "sex" else float(raw),
        valid_from=row["valid_from"],
        origin=row["origin"],
    )


__all__ = ["AthleteProfile", "AthleteProfiles"]
