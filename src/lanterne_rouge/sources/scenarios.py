"""Recorded scenarios: a folder with ``history.csv``, ``mission.toml``, ``expected.csv`` and a
README, and optionally ``activities.csv``. Replaying one runs every expected day in order into
a throwaway store.

``expected.csv`` has ``day,action,rule``: the decision each day must produce.

``activities.csv`` has ``id,source,sport,start,minutes,tss,intensity_factor,arrives``: one
activity per row as a source would give it. ``start`` is the local start time with its UTC
offset (``2026-07-04T18:00:00-04:00``), so its date is the athlete's local day wherever the
ride was; ``intensity_factor`` may be empty; ``arrives`` is the day the coach first sees the
activity (empty: the day after the ride, as a morning sync would). A day with activities takes
its load from them (each session once, as for real sources), not from ``history.csv``.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import msgspec
from pydantic import ValidationError

from lanterne_rouge.errors import ConfigError, DataError
from lanterne_rouge.memory.activity_store import StoredActivity
from lanterne_rouge.messages import ACTIONS
from lanterne_rouge.mission_config import Mission
from lanterne_rouge.mission_file import load_mission
from lanterne_rouge.sources.history_csv import History, read_history
from lanterne_rouge.sources.sports import our_sport

SCENARIO_SOURCE = "scenario"
SCENARIO_ATHLETE = "scenario"


class Expected(msgspec.Struct, frozen=True):
    day: date
    action: str
    rule: str


class Arrival(msgspec.Struct, frozen=True):
    """An activity and the day the coach first sees it."""

    day: date
    activity: StoredActivity


class Scenario(msgspec.Struct, frozen=True):
    name: str
    path: Path
    mission: Mission
    history: History
    expected: tuple[Expected, ...]
    arrivals: tuple[Arrival, ...] = ()

    @property
    def days(self) -> list[date]:
        return [e.day for e in self.expected]


def find_scenario(name_or_path: str, search: Path) -> Path:
    """A scenario folder by path, or by name under ``search``."""
    candidate = Path(name_or_path)
    for path in (candidate, search / name_or_path):
        if (path / "history.csv").is_file():
            return path
    known = sorted(p.name for p in search.glob("*/") if (p / "history.csv").is_file())
    hint = f"; known scenarios: {', '.join(known)}" if known else ""
    raise ConfigError(f"{name_or_path}: no scenario there (expected a history.csv){hint}")


def load_scenario(path: Path, *, expected: Sequence[Expected] | None = None) -> Scenario:
    """The scenario in ``path``; ``expected`` replaces its ``expected.csv`` (to write one)."""
    history = read_history(path / "history.csv", source=SCENARIO_SOURCE)
    if history.skipped:
        raise DataError(f"{path}: bad history rows: {'; '.join(history.skipped)}")
    return Scenario(
        name=path.name,
        path=path,
        mission=load_mission(path / "mission.toml"),
        history=history,
        expected=tuple(expected) if expected is not None else _read_expected(path / "expected.csv"),
        arrivals=_read_activities(path / "activities.csv"),
    )


def _read_activities(path: Path) -> tuple[Arrival, ...]:
    if not path.is_file():
        return ()
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return tuple(_arrival(path, line, row) for line, row in enumerate(rows, start=2))


def _arrival(path: Path, line: int, row: dict[str, str]) -> Arrival:
    try:
        start = datetime.fromisoformat(row["start"])
        if start.tzinfo is None:
            raise ValueError("start needs its UTC offset, e.g. 2026-07-04T18:00:00+02:00")
        tss = float(row["tss"])
        factor = float(row["intensity_factor"]) if row.get("intensity_factor") else None
        activity = StoredActivity(
            source=row["source"],
            external_id=row["id"],
            sport=our_sport(row.get("sport") or "VirtualRide"),
            source_type="scenario",
            start_utc=start.astimezone(UTC),
            local_day=start.date(),
            moving_s=float(row["minutes"]) * 60,
            tss=tss,
            load=tss,
            fatigue_load=tss,
            method="power" if factor is not None else "scenario",
            method_source="scenario",
            detail={"intensity_factor": factor} if factor is not None else {},
        )
        arrives = row.get("arrives")
        day = date.fromisoformat(arrives) if arrives else activity.local_day + timedelta(days=1)
    except (KeyError, ValueError, TypeError, ValidationError) as exc:
        raise ConfigError(f"{path} line {line}: bad activity: {exc}") from exc
    return Arrival(day, activity)


def _read_expected(path: Path) -> tuple[Expected, ...]:
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read expected decisions: {exc}") from exc
    out = []
    for line, row in enumerate(rows, start=2):
        try:
            expected = Expected(date.fromisoformat(row["day"]), row["action"], row["rule"])
        except (KeyError, ValueError, TypeError) as exc:
            raise ConfigError(f"{path} line {line}: expected day,action,rule: {exc}") from exc
        if expected.action not in ACTIONS:
            raise ConfigError(f"{path} line {line}: action: unknown action {expected.action!r}")
        out.append(expected)
    days = [e.day for e in out]
    if days != sorted(set(days)):
        raise ConfigError(f"{path}: days must be in order, once each")
    return tuple(out)
