"""Recorded scenarios: a folder with ``history.csv``, ``mission.toml``, ``expected.csv`` and a
README. Replaying one runs every expected day in order into a throwaway store.

``expected.csv`` has ``day,action,rule``: the decision each day must produce.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from lanterne_rouge.errors import ConfigError, DataError
from lanterne_rouge.messages import ACTIONS
from lanterne_rouge.mission_config import Mission
from lanterne_rouge.sources.history_csv import History, read_history
from lanterne_rouge.utils.config_loader import load_mission

SCENARIO_SOURCE = "scenario"
SCENARIO_ATHLETE = "scenario"


@dataclass(frozen=True)
class Expected:
    day: date
    action: str
    rule: str


@dataclass(frozen=True)
class Scenario:
    name: str
    path: Path
    mission: Mission
    history: History
    expected: tuple[Expected, ...]

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


def load_scenario(path: Path) -> Scenario:
    history = read_history(path / "history.csv", source=SCENARIO_SOURCE)
    if history.skipped:
        raise DataError(f"{path}: bad history rows: {'; '.join(history.skipped)}")
    return Scenario(
        name=path.name,
        path=path,
        mission=load_mission(path / "mission.toml"),
        history=history,
        expected=_read_expected(path / "expected.csv"),
    )


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
