"""Importing the real intervals.icu exports: recovery on its dates, loads, fitness, precedence."""

from __future__ import annotations

import csv
import math
import shutil
from collections import defaultdict
from datetime import UTC, date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lanterne_rouge.cli import app
from lanterne_rouge.errors import DataError
from lanterne_rouge.memory.activity_store import ActivityStore
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.sources.importer import ImportKind, ImportReport, import_file
from lanterne_rouge.training.load_models import AthleteThresholds

from .conftest import INTERVALS, MISSION
from .snapshots import snapshot

WELLNESS = INTERVALS / "wellness.csv"
ACTIVITIES = INTERVALS / "activities.csv"
THRESHOLDS = AthleteThresholds(ftp=250, threshold_hr=168, max_hr=188, resting_hr=50, sex="male")

runner = CliRunner()


def _export() -> dict[str, dict[str, str]]:
    with WELLNESS.open(newline="", encoding="utf-8-sig") as handle:
        return {row["date"]: row for row in csv.DictReader(handle)}


def _import(
    store: StateStore, kind: ImportKind, path: Path, since: date | None = None
) -> ImportReport:
    return import_file(store, "me", kind, path, thresholds=THRESHOLDS, where=UTC, since=since)


def _within(value: float, reference: float, share: float) -> bool:
    return abs(value - reference) <= share * reference


def _cli(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


def test_wellness_puts_recovery_and_loads_on_their_dates(store: StateStore) -> None:
    report = _import(store, ImportKind.intervals_wellness, WELLNESS)
    assert report.load_days == 1455 and report.recovery_days == 1434 and not report.skipped
    days = {r.day: r for r in store.recovery("me")}
    last = days[date(2025, 6, 25)]
    assert (last.readiness_score, last.hrv_rmssd, last.resting_hr) == (73, 17.0, 62.0)
    assert (last.sleep_secs, last.sleep_score, last.source) == (23_730, 61, "intervals_wellness")
    assert days[date(2025, 6, 24)].hrv_rmssd == 12.0
    loads = {d.day: d for d in store.loads("me")}
    assert (loads[date(2025, 6, 25)].load, loads[date(2025, 6, 25)].atl_load) == (40.0, 40.0)
    strength_day = loads[date(2025, 1, 6)]  # strength counts for fatigue only in the export
    assert (strength_day.load, strength_day.atl_load) == (0.0, 19.0)


@pytest.mark.parametrize("since", [None, "2025-01-01"], ids=["whole-history", "from-mid-history"])
def test_fitness_over_the_imported_wellness_reproduces_the_exports_ctl(since: str | None) -> None:
    args = ["import", "intervals-wellness", str(WELLNESS)]
    _cli(*(args + (["--since", since] if since else [])))
    rows = list(csv.DictReader(_cli("fitness", "--format", "csv").splitlines()))
    export = _export()
    assert rows[0]["day"] == (since or "2021-07-02") and rows[-1]["day"] == "2025-06-25"
    errors = [abs(float(r["ctl"]) - float(export[r["day"]]["ctl"])) for r in rows]
    atl_errors = [abs(float(r["atl"]) - float(export[r["day"]]["atl"])) for r in rows]
    assert len(errors) == len(rows) and max(errors) < 0.01 and max(atl_errors) < 0.01
    if since:
        assert float(export[since]["ctl"]) > 10  # the slice really starts with fitness built


def test_fitness_takes_an_explicit_seed() -> None:
    _cli("import", "intervals-wellness", str(WELLNESS), "--since", "2025-06-20")
    out = _cli("fitness", "--format", "csv", "--seed-ctl", "0", "--seed-atl", "0")
    first = next(csv.DictReader(out.splitlines()))
    load = float(_export()["2025-06-20"]["ctlLoad"])
    assert first["day"] == "2025-06-20"
    assert float(first["ctl"]) == pytest.approx(load * (1 - math.exp(-1 / 42)), abs=0.005)


def test_activities_get_our_own_load_within_ten_percent_of_the_export(store: StateStore) -> None:
    report = _import(store, ImportKind.intervals_activities, ACTIVITIES)
    assert report.activities == 224 and not report.skipped
    stored = ActivityStore(store).activities("me")
    rides = [a for a in stored if a.sport == "ride"]
    assert {a.method for a in rides} == {"power", "heart_rate"}
    assert all(a.method_source == "provider_np" for a in rides if a.method == "power")
    assert all(a.detail["ftp"] in (124.0, 128.0) for a in rides if a.method == "power")
    sums: dict[date, float] = defaultdict(float)
    for a in stored:
        sums[a.local_day] += a.load
    export = _export()
    ride_days = sorted({a.local_day for a in rides})
    close = [d for d in ride_days if _within(sums[d], float(export[str(d)]["ctlLoad"]), 0.10)]
    assert len(ride_days) == 109 and len(close) / len(ride_days) >= 0.9
    loads = {d.day: d for d in store.loads("me")}
    assert loads[ride_days[-1]].source == "activities"
    assert loads[ride_days[-1]].load == pytest.approx(sums[ride_days[-1]], abs=0.01)


def test_with_both_files_a_day_is_counted_once_by_precedence(store: StateStore) -> None:
    _import(store, ImportKind.intervals_wellness, WELLNESS)
    _import(store, ImportKind.intervals_activities, ACTIVITIES)
    loads = {d.day: d for d in store.loads("me")}
    assert len(loads) == 1455  # one row per day, whichever sources have it
    assert loads[date(2025, 6, 24)].source == "activities"  # activities outrank the wellness
    assert loads[date(2025, 6, 25)].source == "intervals_wellness"  # no activity that day
    assert loads[date(2024, 6, 1)].source == "intervals_wellness"  # before the activities


def test_importing_the_same_files_twice_changes_nothing(store: StateStore) -> None:
    _import(store, ImportKind.intervals_wellness, WELLNESS)
    _import(store, ImportKind.intervals_activities, ACTIVITIES)
    first = snapshot(store)
    _import(store, ImportKind.intervals_activities, ACTIVITIES)
    _import(store, ImportKind.intervals_wellness, WELLNESS)
    assert snapshot(store) == first


def test_a_csv_with_a_wrong_header_is_rejected_naming_the_file(
    store: StateStore, tmp_path: Path
) -> None:
    _import(store, ImportKind.intervals_wellness, WELLNESS)
    before = snapshot(store)
    for kind in (ImportKind.intervals_wellness, ImportKind.intervals_activities):
        wrong = tmp_path / f"{kind}.csv"
        wrong.write_text("day,readiness,load\n2025-06-26,70,50\n")
        with pytest.raises(DataError, match=rf"{wrong.name}.*missing column"):
            _import(store, kind, wrong)
    assert snapshot(store) == before


def test_bad_cells_are_skipped_with_file_line_and_field(store: StateStore, tmp_path: Path) -> None:
    lines = WELLNESS.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    first = lines[1].split(",")
    first[header.index("hrv")] = "abc"
    first[header.index("restingHR")] = "400"
    second = lines[2].split(",")
    second[header.index("date")] = "2025-13-45"
    edited = tmp_path / "wellness.csv"
    edited.write_text("\n".join([lines[0], ",".join(first), ",".join(second), *lines[3:]]) + "\n")
    report = _import(store, ImportKind.intervals_wellness, edited)
    text = "\n".join(report.skipped)
    assert "wellness.csv line 2: field hrv: not a number (got 'abc')" in text
    assert "wellness.csv line 2: field resting_hr" in text and "400" in text
    assert "wellness.csv line 3: field date: not a date" in text
    kept = {r.day: r for r in store.recovery("me")}[date(2025, 6, 25)]
    assert kept.readiness_score == 73 and kept.hrv_rmssd is None and kept.resting_hr is None


def test_the_daily_run_decides_from_the_imported_real_data(lanterne_env: Path) -> None:
    shutil.copy(MISSION, lanterne_env / "mission.toml")
    _cli("import", "intervals-wellness", str(WELLNESS))
    _cli("import", "intervals-activities", str(ACTIVITIES), "--mission", str(MISSION))
    out = _cli("run", "--date", "2025-06-25", "--mission", str(lanterne_env / "mission.toml"))
    assert "DEMO" not in out
    assert "Decision: " in out and "(rule: " in out
    assert "CTL 29." in out  # the real athlete's fitness, from the imported loads
