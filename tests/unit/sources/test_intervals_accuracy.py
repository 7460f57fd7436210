"""Importing both intervals.icu files still reproduces intervals.icu: fitness, fatigue, form
and the daily fatigue load over the activities period, and the same decision."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lanterne_rouge.cli import app

from .conftest import INTERVALS, MISSION

WELLNESS = INTERVALS / "wellness.csv"
ACTIVITIES = INTERVALS / "activities.csv"
FIRST_ACTIVITY = date(2024, 11, 11)
DAY = "2025-06-25"

runner = CliRunner()


def _cli(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


def _export() -> dict[str, dict[str, str]]:
    with WELLNESS.open(newline="", encoding="utf-8-sig") as handle:
        return {row["date"]: row for row in csv.DictReader(handle)}


def _decision(home: Path, monkeypatch: pytest.MonkeyPatch, *files: tuple[str, Path]) -> str:
    monkeypatch.setenv("LANTERNE_HOME", str(home))
    for kind, path in files:
        _cli("import", kind, str(path), "--mission", str(MISSION))
    out = _cli("run", "--date", DAY, "--mission", str(MISSION))
    return next(line for line in out.splitlines() if line.startswith("Decision: "))


@pytest.fixture
def both(lanterne_env: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, dict[str, str]]:
    shutil.copy(MISSION, lanterne_env / "mission.toml")
    monkeypatch.setenv("LANTERNE_HOME", str(lanterne_env / "both"))
    _cli("import", "intervals-wellness", str(WELLNESS))
    _cli("import", "intervals-activities", str(ACTIVITIES), "--mission", str(MISSION))
    rows = csv.DictReader(_cli("fitness", "--format", "csv", "--since", "2024-11-11").splitlines())
    return {r["day"]: r for r in rows}


def test_fitness_stays_within_one_point_of_intervals_icu_every_day(
    both: dict[str, dict[str, str]],
) -> None:
    export = _export()
    errors = [abs(float(r["ctl"]) - float(export[d]["ctl"])) for d, r in both.items()]
    assert len(errors) == (date(2025, 6, 25) - FIRST_ACTIVITY).days + 1 == 227
    assert max(errors) <= 1.0


def test_fatigue_form_and_daily_fatigue_load_match_on_nearly_every_day(
    both: dict[str, dict[str, str]],
) -> None:
    export = _export()
    atl = [abs(float(r["atl"]) - float(export[d]["atl"])) <= 2.0 for d, r in both.items()]
    form = [
        abs(
            (float(r["ctl"]) - float(r["atl"]))
            - (float(export[d]["ctl"]) - float(export[d]["atl"]))
        )
        <= 2.0
        for d, r in both.items()
    ]
    load = [
        abs(float(r["fatigue_load"]) - float(export[d]["atlLoad"])) <= 5.0 for d, r in both.items()
    ]
    assert sum(atl) / len(atl) >= 0.95
    assert sum(form) / len(form) >= 0.95
    assert sum(load) / len(load) >= 0.95
    assert float(both["2025-06-24"]["fatigue_load"]) == pytest.approx(25.0, abs=1.0)  # ride only


def test_the_decision_is_the_one_wellness_alone_gives(
    lanterne_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = _decision(lanterne_env / "alone", monkeypatch, ("intervals-wellness", WELLNESS))
    both = _decision(
        lanterne_env / "both",
        monkeypatch,
        ("intervals-wellness", WELLNESS),
        ("intervals-activities", ACTIVITIES),
    )
    assert both == alone
