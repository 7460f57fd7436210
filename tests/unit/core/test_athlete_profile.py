"""The athlete as data: `athlete show|set`, dated thresholds used by each load's day, the
note while the thresholds are the example's, and the schema upgrade that brought the tables."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lanterne_rouge.cli import app
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.sources.activity import Scoring, SourceActivity, with_load
from lanterne_rouge.training.thresholds import DatedThreshold, ThresholdHistory

REPO = Path(__file__).resolve().parents[3]
MISSION = REPO / "config" / "missions" / "tour_de_france_sim.toml"
ACTIVITIES = REPO.parent / "shared" / "data" / "intervals_icu" / "activities.csv"
OLD_DB = REPO / "tests" / "fixtures" / "v0_1_0.db"

runner = CliRunner()


def _cli(*args: str, ok: bool = True) -> str:
    result = runner.invoke(app, list(args))
    if ok:
        assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def _ride(day: date) -> SourceActivity:
    start = datetime(day.year, day.month, day.day, 7, tzinfo=UTC)
    return SourceActivity(
        source="strava",
        external_id=str(day),
        source_type="Ride",
        sport="ride",
        start_utc=start,
        local_day=day,
        moving_s=3600,
        average_power=110,
        normalized_power=115,
        device_watts=True,
    )


def test_each_load_uses_the_ftp_in_force_on_its_day() -> None:
    history = ThresholdHistory(
        entries=(
            DatedThreshold(name="ftp", value=100),
            DatedThreshold(name="ftp", value=128, valid_from=date(2025, 3, 1)),
        )
    )
    scoring = Scoring.of(history)
    before, after = (with_load(_ride(d), scoring) for d in (date(2025, 2, 1), date(2025, 3, 1)))
    assert (before.detail["ftp"], after.detail["ftp"]) == (100, 128)
    assert before.tss == pytest.approx(100 * (115 / 100) ** 2)
    assert after.tss == pytest.approx(100 * (115 / 128) ** 2)


def test_athlete_set_and_show_keep_dated_thresholds(lanterne_env: Path) -> None:
    assert "No profile for athlete 'me'" in _cli("athlete", "show")
    assert "ftp 128 from 2025-01-01" in _cli("athlete", "set", "ftp", "128", "--from", "2025-01-01")
    _cli("athlete", "set", "ftp", "110")
    _cli("athlete", "set", "sex", "female")
    _cli("athlete", "set", "timezone", "America/Los_Angeles")
    shown = _cli("athlete", "show")
    assert "time zone America/Los_Angeles" in shown
    assert "ftp               110  from the start" in shown
    assert "ftp               128  from 2025-01-01" in shown
    assert "Note: threshold_hr, max_hr, resting_hr are not your own" in shown


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ftp", "900"), "athlete set ftp 900: ftp must be above 0 and at most 700 W"),
        (("max_hr", "fast"), "athlete set max_hr fast: max_hr must be a number"),
        (("timezone", "Mars/Olympus"), "unknown time zone 'Mars/Olympus'"),
    ],
    ids=["ftp-900", "max-hr-text", "unknown-zone"],
)
def test_a_bad_value_is_one_line_and_nothing_is_stored(
    lanterne_env: Path, args: tuple[str, ...], message: str
) -> None:
    result = runner.invoke(app, ["athlete", "set", *args])
    assert result.exit_code != 0 and message in str(result.exception)
    assert "No profile" in _cli("athlete", "show")


def test_until_the_athletes_own_thresholds_are_set_import_and_run_say_so(
    lanterne_env: Path,
) -> None:
    note = "ftp, threshold_hr, max_hr, resting_hr are not your own"
    first = runner.invoke(
        app, ["import", "intervals-activities", str(ACTIVITIES), "--mission", str(MISSION)]
    )
    assert first.exit_code == 0 and note in first.output
    out = _cli("run", "--date", "2025-06-25", "--mission", str(MISSION))
    assert "Note:     loads computed without the athlete's own ftp" in out
    store = StateStore(f"sqlite:///{lanterne_env / 'home' / 'lanterne.db'}")
    obs = store.messages("me", kinds=["observation"])[-1].payload
    assert obs.warnings and "example mission" in obs.warnings[0]  # type: ignore[union-attr]
    for name, value in (
        ("ftp", "128"),
        ("threshold_hr", "165"),
        ("max_hr", "182"),
        ("resting_hr", "59"),
    ):
        _cli("athlete", "set", name, value)
    again = runner.invoke(
        app, ["import", "intervals-activities", str(ACTIVITIES), "--mission", str(MISSION)]
    )
    assert again.exit_code == 0 and note not in again.output
    out = _cli("run", "--date", "2025-06-25", "--force", "--mission", str(MISSION))
    assert "loads computed without" not in out
    example = [line for line in _cli("athlete", "show").splitlines() if "(EXAMPLE)" in line]
    assert [line.split()[0] for line in example] == ["sex"]  # the only one still the example's


def _rows(path: Path, tables: tuple[str, ...]) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(path) as conn:
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}


def test_a_database_of_the_previous_schema_upgrades_with_every_row_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, inspect

    from lanterne_rouge.memory import schema

    path = tmp_path / "home" / "lanterne.db"
    path.parent.mkdir()
    shutil.copyfile(OLD_DB, path)
    engine = create_engine(f"sqlite:///{path}")
    config = Config()
    config.set_main_option("script_location", schema.SCRIPTS)
    with engine.begin() as conn:  # the database as the release before this one left it
        config.attributes["connection"] = conn
        command.upgrade(config, "0004")
    assert schema.status(engine).current == "0004"
    tables = tuple(t for t in inspect(engine).get_table_names() if t != "alembic_version")
    assert "athletes" not in tables
    before = _rows(path, tables)
    engine.dispose()
    StateStore(f"sqlite:///{path}").close()
    assert _rows(path, tables) == before
    assert {"athletes", "athlete_thresholds"} <= set(
        inspect(create_engine(f"sqlite:///{path}")).get_table_names()
    )
    monkeypatch.setenv("LANTERNE_HOME", str(path.parent))
    _cli("athlete", "set", "ftp", "128", "--from", "2025-01-01")
    assert "ftp               128  from 2025-01-01" in _cli("athlete", "show")


def test_today_is_the_athletes_own_time_zones(lanterne_env: Path) -> None:
    from zoneinfo import ZoneInfo

    from lanterne_rouge.cli.context import Athlete, CliContext

    _cli("athlete", "set", "timezone", "Pacific/Kiritimati")  # UTC+14: often a day ahead
    context = CliContext()
    try:
        today = context.today(Athlete("me", demo=False))
    finally:
        context.close()
    assert today == datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
