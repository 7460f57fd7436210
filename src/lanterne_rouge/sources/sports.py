"""Sport names: every source's activity types mapped to ours, and the sport table.

Our sports are the keys of the sport table (``data/sports.toml``): ``ride``, ``virtualride``,
``run``, ``virtualrun``, ``swim``, ``rowing``, ``walk``, ``hike``, ``strength``, ``workout``,
``mobility`` and ``other``. Strava's ``sport_type``/``type`` (``Ride``, ``VirtualRide``,
``GravelRide``, ``WeightTraining`` ...), the Strava export's spelled-out types (``Virtual
Ride``, ``Weight Training``), intervals.icu's types (the same as Strava's), FIT sports and
sub-sports (``cycling``/``indoor_cycling``, ``training``/``strength_training``) and TCX/GPX
types (``Biking``, ``running``) all map here; so do yoga and pilates (to ``mobility``), and any
session whose name holds one of the table's mobility words ("5 min Post-Ride Stretch").

The table says how each sport loads fitness and fatigue (``training.load_models.SportRule``).
It is data: ``LANTERNE_SPORTS_FILE`` replaces the bundled one, validated strictly.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path

import tomli
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from lanterne_rouge.errors import ConfigError
from lanterne_rouge.training.load_models import LoadSettings, SportRule

_ALIASES: dict[str, str] = {
    # rides
    "ride": "ride",
    "gravelride": "ride",
    "mountainbikeride": "ride",
    "ebikeride": "ride",
    "emountainbikeride": "ride",
    "velomobile": "ride",
    "handcycle": "ride",
    "cycling": "ride",
    "biking": "ride",
    "road": "ride",
    "mountain": "ride",
    "gravelcycling": "ride",
    "virtualride": "virtualride",
    "indoorcycling": "virtualride",
    "indoorride": "virtualride",
    # runs
    "run": "run",
    "trailrun": "run",
    "running": "run",
    "trail": "run",
    "treadmill": "virtualrun",
    "virtualrun": "virtualrun",
    # others
    "swim": "swim",
    "swimming": "swim",
    "lapswimming": "swim",
    "openwater": "swim",
    "rowing": "rowing",
    "virtualrow": "rowing",
    "indoorrowing": "rowing",
    "canoeing": "rowing",
    "kayaking": "rowing",
    "walk": "walk",
    "walking": "walk",
    "hike": "hike",
    "hiking": "hike",
    "weighttraining": "strength",
    "strengthtraining": "strength",
    "crossfit": "strength",
    "strength": "strength",
    "workout": "workout",
    "training": "workout",
    "hiit": "workout",
    "elliptical": "workout",
    "stairstepper": "workout",
    "cardiotraining": "workout",
    "fitnessequipment": "workout",
    "yoga": "mobility",
    "pilates": "mobility",
    "stretching": "mobility",
    "mobility": "mobility",
}


class _Mobility(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    names: tuple[str, ...] = ()


class SportTable(BaseModel):
    """The sport table file: the mobility words and the load settings."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    mobility: _Mobility = _Mobility()
    sports: dict[str, SportRule] = Field(default_factory=dict)
    other: SportRule = SportRule()
    max_variability: float = Field(default=1.5, ge=1.0, le=5.0)
    max_intensity: float = Field(default=1.3, gt=0.0, le=3.0)

    @property
    def settings(self) -> LoadSettings:
        return LoadSettings(
            sports=self.sports,
            other=self.other,
            max_variability=self.max_variability,
            max_intensity=self.max_intensity,
        )

    def sport(self, sport: str, name: str | None) -> str:
        """Our sport for an activity: mobility when its name says so."""
        folded = (name or "").casefold()
        if any(word in folded for word in self.mobility.names):
            return "mobility"
        return sport


def sport_table(path: Path | None = None) -> SportTable:
    """The sport table at ``path`` (default: the bundled one); ``ConfigError`` names the key."""
    return _table(str(path) if path else None)


@cache
def _table(path: str | None) -> SportTable:
    where = path or "data/sports.toml"
    try:
        if path is None:
            text = resources.files("lanterne_rouge.data").joinpath("sports.toml").read_text()
        else:
            text = Path(path).read_text(encoding="utf-8")
        return SportTable.model_validate(tomli.loads(text))
    except OSError as exc:
        raise ConfigError(f"sport table {where}: cannot read it ({exc.strerror})") from exc
    except tomli.TOMLDecodeError as exc:
        raise ConfigError(f"sport table {where}: not valid TOML ({exc})") from exc
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"])
        raise ConfigError(f"sport table {where}: {key}: {err['msg']}") from exc


def our_sport(*names: str | None) -> str:
    """Our sport for a source's type names, most specific first (e.g. sub-sport, sport)."""
    for name in names:
        if not name:
            continue
        key = re.sub(r"[^a-z]", "", name.casefold())
        if key in _ALIASES:
            return _ALIASES[key]
    return "other"
