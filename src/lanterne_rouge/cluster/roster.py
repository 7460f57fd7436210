"""The athletes a fleet coaches, and when each one's day is due.

The fleet is every athlete of the athletes table with a time zone, a morning time and a
mission (``lanterne-rouge athlete add``). A roster file loads many at once
(``lanterne-rouge athlete import FILE``), one ``[[athletes]]`` table each::

    [[athletes]]
    id = "anna"
    name = "Anna"
    timezone = "Europe/Paris"
    morning = "06:30"             # local time after which the day is run
    mission = "config/missions/gran_fondo.toml"
    email = "anna@example.org"    # optional: the morning message's channels
    telegram_chat = "123456789"   # optional
    sources = ["strava"]          # optional: strava, oura (synced by workers), intervals, files

An athlete's day is due once their local morning time has passed; the day is the local
calendar date then. A typo is an error naming the file and the field (``extra="forbid"``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import tomli
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from lanterne_rouge.errors import ConfigError
from lanterne_rouge.memory.athlete_cards import (
    ATHLETE_ID,
    SYNCED,
    AthleteCard,
    check_chat,
    check_email,
    check_zone,
    parse_sources,
)

if TYPE_CHECKING:
    from lanterne_rouge.memory.state_store import StateStore


class FleetAthlete(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=ATHLETE_ID)
    name: str = ""
    timezone: str
    morning: time = time(6, 30)
    mission: Path
    email: str | None = None
    telegram_chat: str | None = None
    sources: tuple[str, ...] = ()

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return check_zone(value)

    @field_validator("email")
    @classmethod
    def _an_address(cls, value: str | None) -> str | None:
        return check_email(value)

    @field_validator("telegram_chat")
    @classmethod
    def _a_chat(cls, value: str | None) -> str | None:
        return check_chat(value)

    @field_validator("sources", mode="before")
    @classmethod
    def _known_sources(cls, value: Any) -> tuple[str, ...]:
        return parse_sources(value)

    @property
    def synced(self) -> tuple[str, ...]:
        """The sources a worker pulls from an API before the day."""
        return tuple(s for s in self.sources if s in SYNCED)

    @classmethod
    def of(cls, card: AthleteCard) -> FleetAthlete:
        """From a card already checked (``AthleteCards.fleet``'s), without checking again."""
        assert card.timezone and card.morning and card.mission
        return cls.model_construct(
            id=card.athlete_id,
            name=card.name,
            timezone=card.timezone,
            morning=card.morning,
            mission=card.mission,
            email=card.email,
            telegram_chat=card.telegram_chat,
            sources=card.sources,
        )

    def card(self) -> AthleteCard:
        return AthleteCard(
            athlete_id=self.id,
            name=self.name,
            timezone=self.timezone,
            morning=self.morning,
            mission=self.mission,
            email=self.email,
            telegram_chat=self.telegram_chat,
            sources=self.sources,
        )

    def due_day(self, now: datetime) -> date | None:
        """The local date whose day is due at ``now`` (aware), or None before the morning."""
        local = now.astimezone(ZoneInfo(self.timezone))
        return local.date() if local.time() >= self.morning else None

    def today(self, now: datetime) -> date:
        return now.astimezone(ZoneInfo(self.timezone)).date()


class Roster(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    athletes: tuple[FleetAthlete, ...] = ()

    def get(self, athlete_id: str) -> FleetAthlete:
        for athlete in self.athletes:
            if athlete.id == athlete_id:
                return athlete
        raise ConfigError(f"athlete {athlete_id!r} is not in the fleet's roster")


def load_roster(path: Path) -> Roster:
    """Read and check the roster; missions are relative to the roster's folder."""
    try:
        raw = tomli.loads(path.read_text(encoding="utf-8"))
        roster = Roster.model_validate(raw)
    except OSError as exc:
        raise ConfigError(f"cannot read the fleet roster {path}: {exc.strerror}") from exc
    except tomli.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    except ValidationError as exc:
        # a misspelt key says more than the key it was meant to be being missing
        first = min(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
        where = "".join(f"[{p + 1}]" if isinstance(p, int) else f".{p}" for p in first["loc"])
        where = where.lstrip(".")
        message = str(first["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"{path}: {where}: {message}") from exc
    seen: set[str] = set()
    for athlete in roster.athletes:
        if athlete.id in seen:
            raise ConfigError(f"{path}: athlete {athlete.id!r} is listed twice")
        seen.add(athlete.id)
    base = path.parent
    return Roster(
        athletes=tuple(
            a if a.mission.is_absolute() else a.model_copy(update={"mission": base / a.mission})
            for a in roster.athletes
        )
    )


def import_roster(store: StateStore, path: Path, *, now: datetime) -> tuple[int, int]:
    """Add or replace the roster's athletes in the athletes table; (added, replaced).

    Every athlete is checked first (their mission file must load): one bad record imports
    nothing. Thresholds and secrets already stored are kept."""
    from lanterne_rouge.mission_file import load_mission

    roster = load_roster(path)
    for athlete in roster.athletes:
        if not athlete.mission.is_file():
            raise ConfigError(
                f"{path}: athlete {athlete.id!r}: mission file {athlete.mission} does not exist"
            )
    for mission in {a.mission for a in roster.athletes}:
        load_mission(mission)  # a broken mission is its own one-line error
    return store.cards.put_many([a.card() for a in roster.athletes], now=now)


def utc_now() -> datetime:
    return datetime.now(UTC)
