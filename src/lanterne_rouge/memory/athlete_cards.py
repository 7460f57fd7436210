"""Each athlete's card: name, time zone, morning run time, mission, channels and sources.

``store.cards`` reads and writes the ``athletes`` rows (their dated thresholds are
``store.profiles``'). An athlete with a morning time and a mission is one the fleet runs
every day (``fleet()``). A card is checked when it is made, so a bad value is one line naming
the field: an unknown time zone, a morning that is not HH:MM, an email without an ``@``, a
Telegram chat that is not a number or an ``@channel``, a source this release cannot sync.
"""

from __future__ import annotations

import re
from datetime import datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import delete, func, insert, or_, select, union, update

from lanterne_rouge.errors import ConfigError
from lanterne_rouge.memory.tables import (
    athlete_secrets,
    athlete_thresholds,
    athletes,
    daily_loads,
    recovery,
    runs,
)

if TYPE_CHECKING:
    from sqlalchemy import Row

    from lanterne_rouge.memory.state_store import StateStore

Source = Literal["strava", "oura", "intervals", "files"]
SOURCES: tuple[Source, ...] = ("strava", "oura", "intervals", "files")
SYNCED: tuple[Source, ...] = ("strava", "oura")  # the ones a worker pulls from an API
ATHLETE_ID = r"^[A-Za-z0-9_.\-]{1,64}$"
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
TELEGRAM_CHAT = re.compile(r"-?[0-9]{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31}")


def check_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {value!r} (use an IANA name)") from exc
    return value


def check_email(value: str | None) -> str | None:
    if value is not None and not EMAIL.fullmatch(value):
        raise ValueError(f"{value!r} is not an email address")
    return value


def check_chat(value: str | None) -> str | None:
    if value is not None and not TELEGRAM_CHAT.fullmatch(value):
        raise ValueError(f"{value!r} is not a Telegram chat id (a number, or @channelname)")
    return value


def parse_sources(value: Any) -> tuple[str, ...]:
    """``"strava, oura"`` or a list, to a tuple of known sources without repeats."""
    items = value.split(",") if isinstance(value, str) else list(value or ())
    found: list[str] = []
    for item in (str(i).strip().lower() for i in items):
        if not item:
            continue
        if item not in SOURCES:
            raise ValueError(f"unknown source {item!r}; one of {', '.join(SOURCES)}")
        if item not in found:
            found.append(item)
    return tuple(found)


class AthleteCard(BaseModel):
    """What the store knows about an athlete besides their thresholds."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    athlete_id: str = Field(pattern=ATHLETE_ID)
    name: str = ""
    timezone: str | None = None
    morning: time | None = None
    mission: Path | None = None
    email: str | None = None
    telegram_chat: str | None = None
    sources: tuple[Source, ...] = ()

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        return None if value is None else check_zone(value)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        return check_email(value)

    @field_validator("telegram_chat")
    @classmethod
    def _chat(cls, value: str | None) -> str | None:
        return check_chat(value)

    @field_validator("sources", mode="before")
    @classmethod
    def _sources(cls, value: Any) -> tuple[str, ...]:
        return parse_sources(value)

    @property
    def in_fleet(self) -> bool:
        return self.morning is not None and self.mission is not None and bool(self.timezone)

    @property
    def synced(self) -> tuple[str, ...]:
        return tuple(s for s in self.sources if s in SYNCED)


class AthleteCards:
    """The athletes' cards, in the state store's unit of work."""

    def __init__(self, store: StateStore) -> None:
        self.store = store

    def get(self, athlete_id: str) -> AthleteCard | None:
        with self.store.connection() as conn:
            row = conn.execute(select(athletes).where(athletes.c.athlete_id == athlete_id)).first()
        return None if row is None else _card(row)

    def all(self) -> list[AthleteCard]:
        with self.store.connection() as conn:
            rows = conn.execute(select(athletes).order_by(athletes.c.athlete_id)).all()
        return [_card(r) for r in rows]

    def fleet(self) -> list[AthleteCard]:
        """The athletes the fleet runs: those with a time zone, a morning time and a mission."""
        query = (
            select(athletes)
            .where(
                athletes.c.morning.is_not(None),
                athletes.c.mission.is_not(None),
                athletes.c.timezone.is_not(None),
            )
            .order_by(athletes.c.athlete_id)
        )
        with self.store.connection() as conn:
            return [_card(r) for r in conn.execute(query)]

    def syncing(self) -> set[str]:
        """The athletes with a source a worker pulls from an API (``SYNCED``)."""
        wanted = [athletes.c.sources.contains(s) for s in SYNCED]
        query = select(athletes.c.athlete_id).where(athletes.c.sources.is_not(None), or_(*wanted))
        with self.store.connection() as conn:
            return set(conn.execute(query).scalars())

    def add(self, card: AthleteCard, *, now: datetime) -> None:
        """A new athlete; an id already taken is a one-line error."""
        with self.store.transaction(), self.store.connection() as conn:
            if self.get(card.athlete_id) is not None:
                raise ConfigError(
                    f"athlete {card.athlete_id!r} exists already: change it with "
                    f"`lanterne-rouge athlete set FIELD VALUE --athlete {card.athlete_id}`"
                )
            conn.execute(insert(athletes).values({**_values(card), "updated_at": now}))

    def put(self, card: AthleteCard, *, now: datetime) -> bool:
        """Add or replace the athlete's card (not their thresholds); True when it is new."""
        return self.put_many([card], now=now)[0] == 1

    def put_many(self, cards: list[AthleteCard], *, now: datetime) -> tuple[int, int]:
        """Add or replace many cards in one transaction; (added, replaced)."""
        ids = [c.athlete_id for c in cards]
        with self.store.transaction(), self.store.connection() as conn:
            known: set[str] = set()
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                query = select(athletes.c.athlete_id).where(athletes.c.athlete_id.in_(chunk))
                known.update(conn.execute(query).scalars())
            fresh = [{**_values(c), "updated_at": now} for c in cards if c.athlete_id not in known]
            if fresh:
                conn.execute(insert(athletes), fresh)
            for card in (c for c in cards if c.athlete_id in known):
                conn.execute(
                    update(athletes)
                    .where(athletes.c.athlete_id == card.athlete_id)
                    .values({**_values(card), "updated_at": now})
                )
        return len(fresh), len(cards) - len(fresh)

    def remove(self, athlete_id: str) -> None:
        """The card, thresholds and secrets; the athlete's days are left where they are."""
        with self.store.transaction(), self.store.connection() as conn:
            for table in (athlete_secrets, athlete_thresholds, athletes):
                conn.execute(delete(table).where(table.c.athlete_id == athlete_id))

    def stored_days(self, athlete_id: str) -> int:
        """Days the athlete has runs or inputs of: their history."""
        days = union(
            *(
                select(t.c.day).where(t.c.athlete_id == athlete_id)
                for t in (runs, daily_loads, recovery)
            )
        ).subquery()
        with self.store.connection() as conn:
            return int(conn.execute(select(func.count()).select_from(days)).scalar_one())


def _values(card: AthleteCard) -> dict[str, object]:
    return {
        "athlete_id": card.athlete_id,
        "name": card.name or None,
        "timezone": card.timezone,
        "morning": card.morning.strftime("%H:%M") if card.morning else None,
        "mission": str(card.mission) if card.mission else None,
        "email": card.email,
        "telegram_chat": card.telegram_chat,
        "sources": ",".join(card.sources) or None,
    }


def _card(row: Row[Any]) -> AthleteCard:
    return AthleteCard(
        athlete_id=row.athlete_id,
        name=row.name or "",
        timezone=row.timezone,
        morning=time.fromisoformat(row.morning) if row.morning else None,
        mission=Path(row.mission) if row.mission else None,
        email=row.email,
        telegram_chat=row.telegram_chat,
        sources=row.sources or (),
    )


__all__ = ["SOURCES", "AthleteCard", "AthleteCards", "check_chat", "check_email", "check_zone"]
