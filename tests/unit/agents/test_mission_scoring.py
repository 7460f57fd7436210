"""Stage-race scoring in the mission file: ride modes, points tables, bonuses and their checks."""

from __future__ import annotations

import copy
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from lanterne_rouge.errors import ConfigError
from lanterne_rouge.memory.records import DailyLoad
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.mission_config import Mission, RideMode, Scoring
from lanterne_rouge.mission_file import load_mission

CliRunner = Callable[..., subprocess.CompletedProcess[str]]
REPO = Path(__file__).resolve().parents[3]
MISSIONS = REPO / "config" / "missions"
TOUR_FILE = MISSIONS / "tour_de_france_sim.toml"

MODES = [
    {"name": "breakaway", "min_if": 0.88, "min_tss": 90},
    {"name": "gc", "min_if": 0.75, "min_tss": 60},
    {"name": "domestique", "min_if": 0.60, "min_tss": 40},
]
POINTS = {
    "flat": {"breakaway": 8, "gc": 5, "domestique": 2},
    "mountain": {"breakaway": 20, "gc": 12, "domestique": 4},
}


def scoring_dict(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "modes": copy.deepcopy(MODES),
        "points": copy.deepcopy(POINTS),
        "bonuses": [{"name": "Finisher", "kind": "finisher", "points": 25}],
    }
    return base | changes


def mission_dict(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "mission": {
            "id": "mini-tour",
            "name": "Mini tour",
            "kind": "stage_race",
            "start": "2026-07-04",
            "end": "2026-07-06",
        },
        "athlete": {"ftp": 250, "threshold_hr": 168, "max_hr": 188, "resting_hr": 50},
        "targets": {"ctl": 70, "form_min": 0, "form_max": 15, "max_weekly_ramp": 6},
        "stages": [
            {"number": 1, "day": "2026-07-04", "type": "flat"},
            {"number": 2, "day": "2026-07-05", "type": "mountain"},
            {"number": 3, "day": "2026-07-06", "type": "flat"},
        ],
        "scoring": scoring_dict(),
    }
    return base | changes


def rejected(model: type[Scoring] | type[Mission], data: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return str(caught.value)


SCORING = Scoring.model_validate(scoring_dict())

# -- classifying a ride ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("factor", "tss", "mode"),
    [
        (0.95, 120, "breakaway"),
        (0.88, 90, "breakaway"),
        (0.95, 70, "gc"),
        (0.80, 250, "gc"),
        (0.65, 45, "domestique"),
        (0.87, 89.9, "gc"),
        (0.59, 300, "rest"),
        (1.05, 39, "rest"),
        (None, 100, "rest"),
        (0.9, None, "rest"),
    ],
    ids=[
        "meets-breakaway",
        "exactly-at-breakaway-minimums",
        "breakaway-intensity-but-gc-load",
        "long-but-gc-intensity",
        "domestique",
        "just-under-breakaway",
        "too-easy-for-any-mode",
        "too-short-for-any-mode",
        "no-intensity",
        "no-tss",
    ],
)
def test_classify_takes_the_first_mode_whose_minimums_are_both_met(
    factor: float | None, tss: float | None, mode: str
) -> None:
    assert SCORING.classify(factor, tss) == mode


def test_classify_follows_config_order_not_strictness() -> None:
    loose_first = Scoring.model_validate(
        {
            "modes": [
                {"name": "easy", "min_if": 0.5, "min_tss": 10},
                {"name": "hard", "min_if": 0.9, "min_tss": 100},
            ],
            "points": {"flat": {"easy": 1, "hard": 10}},
        }
    )
    assert loose_first.classify(1.0, 200) == "easy"


def test_points_come_from_the_stage_type_table_and_rest_earns_nothing() -> None:
    assert SCORING.points_for("mountain", "gc") == 12
    assert SCORING.points_for("flat", "breakaway") == 8
    assert SCORING.points_for("flat", "rest") == 0
    assert SCORING.points_for("hilly", "rest") == 0  # no table needed to score a rest


# -- rejected scoring tables ----------------------------------------------------------------


def test_a_ride_mode_cannot_be_called_rest() -> None:
    with pytest.raises(ValidationError, match="'rest' is the built-in mode"):
        RideMode(name="rest", min_if=0.5, min_tss=10)
    modes = [*MODES, {"name": "rest", "min_if": 0, "min_tss": 0}]
    assert "'rest' is the built-in mode" in rejected(Scoring, scoring_dict(modes=modes))


def test_ride_mode_names_must_differ() -> None:
    modes = [*MODES, {"name": "gc", "min_if": 0.5, "min_tss": 30}]
    assert "ride modes must have different names" in rejected(Scoring, scoring_dict(modes=modes))


@pytest.mark.parametrize(
    ("points", "message"),
    [
        (
            {**POINTS, "flat": {**POINTS["flat"], "sprint": 3}},
            "points.flat: unknown ride mode 'sprint'",
        ),
        (
            {**POINTS, "mountain": {"breakaway": 20, "gc": 12}},
            "points.mountain: no points for ride mode 'domestique'",
        ),
        (
            {**POINTS, "flat": {"breakaway": 8, "gc": -5, "domestique": 2}},
            "points.flat.gc: points must be >= 0",
        ),
    ],
    ids=["unknown-mode", "missing-mode", "negative-points"],
)
def test_points_tables_must_list_exactly_the_modes_with_non_negative_points(
    points: dict[str, dict[str, int]], message: str
) -> None:
    assert message in rejected(Scoring, scoring_dict(points=points))


@pytest.mark.parametrize(
    ("bonus", "message"),
    [
        (
            {"name": "Hat-trick", "kind": "streak", "points": 15, "length": 3},
            "a streak bonus needs a mode and a length",
        ),
        (
            {"name": "Hat-trick", "kind": "streak", "points": 15, "mode": "breakaway"},
            "a streak bonus needs a mode and a length",
        ),
        (
            {"name": "Finisher", "kind": "finisher", "points": 25, "mode": "gc"},
            "a finisher bonus takes no mode or length",
        ),
        (
            {"name": "Finisher", "kind": "finisher", "points": 25, "length": 3},
            "a finisher bonus takes no mode or length",
        ),
        (
            {"name": "Sprinter", "kind": "streak", "points": 15, "mode": "sprint", "length": 2},
            "bonus 'Sprinter': unknown ride mode 'sprint'",
        ),
    ],
    ids=[
        "streak-without-mode",
        "streak-without-length",
        "finisher-with-mode",
        "finisher-with-length",
        "unknown-mode",
    ],
)
def test_malformed_bonuses_are_rejected(bonus: dict[str, Any], message: str) -> None:
    assert message in rejected(Scoring, scoring_dict(bonuses=[bonus]))


# -- rejected missions ----------------------------------------------------------------------


def test_a_mission_dict_with_scoring_is_valid() -> None:
    mission = Mission.model_validate(mission_dict())
    assert mission.scoring is not None and [s.number for s in mission.stages] == [1, 2, 3]


def test_a_stage_type_without_a_points_table_is_rejected() -> None:
    stages = mission_dict()["stages"]
    stages[1]["type"] = "hilly"
    message = rejected(Mission, mission_dict(stages=stages))
    assert "scoring\n  Value error, stage 2 is 'hilly' but there is no points table" in message


@pytest.mark.parametrize(
    ("extra", "what"),
    [
        (
            {"stages": [{"number": 1, "day": "2026-07-04", "type": "flat"}], "scoring": None},
            "stages",
        ),
        ({"stages": [], "scoring": scoring_dict()}, "scoring"),
        ({"stages": [], "scoring": None, "rest_days": ["2026-07-04"]}, "rest days"),
    ],
    ids=["stages", "scoring", "rest-days"],
)
def test_a_single_event_has_no_stages_rest_days_or_scoring(
    extra: dict[str, Any], what: str
) -> None:
    data = mission_dict(**extra)
    data["mission"] |= {"kind": "single_event", "end": "2026-07-04"}
    message = rejected(Mission, data)
    assert f"a single_event mission has no {what}" in message


def test_a_single_event_without_stages_or_scoring_is_valid() -> None:
    data = mission_dict(stages=[], scoring=None)
    data["mission"] |= {"kind": "single_event", "end": "2026-07-04"}
    assert Mission.model_validate(data).scoring is None


def test_stage_numbers_must_differ() -> None:
    stages = mission_dict()["stages"]
    stages[2]["number"] = 2
    assert "stage numbers must be different, got [1, 2, 2]" in rejected(
        Mission, mission_dict(stages=stages)
    )


# -- mission files ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["tour_de_france_sim.toml", "gran_fondo.toml"], ids=str)
def test_shipped_mission_files_load(name: str) -> None:
    mission = load_mission(MISSIONS / name)
    if mission.mission.kind == "stage_race":
        assert mission.scoring is not None and len(mission.stages) == 21
        assert all(s.type in mission.scoring.points for s in mission.stages)
    else:
        assert mission.scoring is None and mission.stages == []


def _retype_stage_3(text: str) -> str:
    return text.replace(
        'number = 3\nday = 2026-07-06\ntype = "flat"',
        'number = 3\nday = 2026-07-06\ntype = "cobbles"',
    )


BROKEN = [
    (
        lambda s: s.replace("day = 2026-07-05\n", "day = 2026-08-30\n"),
        "stages: stage 2 day 2026-08-30 is outside the event 2026-07-04..2026-07-26",
    ),
    (_retype_stage_3, "stages[3].type: Input should be 'flat'"),  # entries counted from 1
    (lambda s: s.replace("ctl = 75 ", "ctl = -5 "), "targets.ctl: Input should be greater than 0"),
]
BROKEN_IDS = ["stage-outside-event", "unknown-stage-type", "negative-target-ctl"]


def _broken_copy(folder: Path, edit: Callable[[str], str]) -> Path:
    text = TOUR_FILE.read_text(encoding="utf-8")
    edited = edit(text)
    assert edited != text, "the edit no longer matches the shipped mission file"
    path = folder / "broken.toml"
    path.write_text(edited, encoding="utf-8")
    return path


@pytest.mark.parametrize(("edit", "field"), BROKEN, ids=BROKEN_IDS)
def test_a_broken_mission_file_is_one_config_error_line_naming_file_and_field(
    tmp_path: Path, edit: Callable[[str], str], field: str
) -> None:
    path = _broken_copy(tmp_path, edit)
    with pytest.raises(ConfigError) as caught:
        load_mission(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ") and field in message


def test_the_cli_reports_a_broken_mission_in_one_line_without_a_traceback(
    lanterne_env: Path, cli: CliRunner
) -> None:
    path = _broken_copy(lanterne_env, _retype_stage_3)
    # Stored data for the default athlete, so the run reads the mission instead of the demo.
    store = StateStore(f"sqlite:///{lanterne_env / 'home' / 'lanterne.db'}")
    store.upsert_loads("me", [DailyLoad(day=date(2026, 5, 30), source="manual", load=50)])
    store.close()
    done = cli("run", "--mission", str(path), "--date", "2026-06-01")
    assert done.returncode == ConfigError.exit_code
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert str(path) in lines[0] and "stages[3].type" in lines[0] and "'cobbles'" in lines[0]
