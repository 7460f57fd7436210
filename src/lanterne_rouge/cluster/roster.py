"""The athletes a fleet coaches, and when each one's day is due.

The roster is a TOML file (``LANTERNE_FLEET_FILE``), one ``[[athletes]]`` table each::

    [[athletes]]
    id = "anna"
    name = "Anna"
    timezone = "Europe/Paris"
    morning = "06:30"             # local time after which the day is run
    mission = "config/missions/gran_fondo.toml"
    email = "anna@example.org"    # optional: the morning message's channels
    telegram_chat = "123456789"   # optional

An athlete's day is due once their local morning time has passed; the day is the local
calendar date then. A typo is an error naming the file and the field (``extra="forbid"``).
"""

from __future__ import annotations

import re
import tomllib
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from lanterne_rouge.errors import ConfigError

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
TELEGRAM_CHAT = re.compile(r"-?[0-9]{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31}")


class FleetAthlete(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[A-Za-z0-9_.\-]{1,64}$")
    name: str = ""
    timezone: str
    morning: time = time(6, 30)
    mission: Path
    email: str | None = None
    telegram_chat: str | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (use an IANA name)") from exc
        return value

    @field_validator("email")
    @classmethod
    def _an_address(cls, value: str | None) -> str | None:
        if value is not None and not EMAIL.fullmatch(value):
            raise ValueError(f"{value!r} is not an email address")
        return value

    @field_validator("telegram_chat")
    @classmethod
    def _a_chat(cls, value: str | None) -> str | None:
        if value is not None and not TELEGRAM_CHAT.fullmatch(value):
            raise ValueError(f"{value!r} is not a Telegram chat id (a number, or @channelname)")
        return value

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
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        roster = Roster.model_validate(raw)
    except OSError as exc:
        raise ConfigError(f"cannot read the fleet roster {path}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
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


def utc_now() -> datetime:
    return datetime.now(UTC)
