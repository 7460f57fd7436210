"""The morning run by itself: missed days caught up as a daily run would have decided them,
"today" across DST changes, a failed run said first, a stale source said everywhere, and the
schedule commands. The wall clock is frozen and the real command line driven."""

from __future__ import annotations

import html
import importlib
import json
import pkgutil
import socket
import subprocess
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time
from msgspec.structs import replace
from typer.testing import CliRunner

from lanterne_rouge.cli import app
from lanterne_rouge.errors import ConfigError
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.sources.scenarios import SCENARIO_ATHLETE, load_scenario

REPO = Path(__file__).resolve().parents[3]
SCENARIO = REPO / "tests" / "agent_scenarios" / "overreaching"
PARIS = ZoneInfo("Europe/Paris")
runner = CliRunner()


def _import_the_package() -> None:
    """Import every module now: a pydantic model first built under a frozen clock would see
    freezegun's fake ``date`` class instead of ``datetime.date``."""
    import lanterne_rouge

    skipped = ("dashboard", "cluster", "__main__", "migrations")
    for found in pkgutil.walk_packages(lanterne_rouge.__path__, "lanterne_rouge."):
        if not any(part in found.name for part in skipped):
            importlib.import_module(found.name)


_import_the_package()


def _morning(day: str, zone: ZoneInfo = PARIS, at: time = time(6, 30)) -> datetime:
    """The instant it is ``at`` on ``day`` in ``zone``, as UTC (what the clock says)."""
    local = datetime.combine(datetime.fromisoformat(day).date(), at, tzinfo=zone)
    return local.astimezone(ZoneInfo("UTC"))


def _run(*args: str) -> str:
    done = runner.invoke(app, ["run", *args])
    assert done.exit_code == 0, (done.output, done.exception)
    return done.stdout


@pytest.fixture
def scenario_home(lanterne_env: Path, monkeypatch: pytest.MonkeyPatch) -> StateStore:
    """The overreaching scenario's history in the home store, as an imported history is."""
    monkeypatch.setenv("LANTERNE_TIMEZONE", "Europe/Paris")
    monkeypatch.setenv("LANTERNE_MISSION_FILE", str(SCENARIO / "mission.toml"))
    monkeypatch.setenv("LANTERNE_ATHLETE_ID", SCENARIO_ATHLETE)
    scenario = load_scenario(SCENARIO)
    store = StateStore(f"sqlite:///{lanterne_env / 'home' / 'lanterne.db'}")
    with store.transaction():
        store.upsert_recovery(SCENARIO_ATHLETE, scenario.history.recovery)
        store.upsert_loads(SCENARIO_ATHLETE, scenario.history.loads)
    return store


def test_a_store_five_days_behind_catches_up_in_order_as_daily_runs_would_have_decided(
    scenario_home: StateStore,
) -> None:
    expected = load_scenario(SCENARIO).expected[:12]
    for day in expected[:6]:  # six mornings run one by one
        with freeze_time(_morning(day.day.isoformat())):
            _run()
    with freeze_time(_morning(expected[11].day.isoformat())):  # five mornings missed
        out = _run()
    first, last = expected[6].day, expected[10].day
    assert out.splitlines()[0] == (f"Catching up 5 missed days ({first} .. {last}), oldest first.")
    caught = out.splitlines()[1:6]
    assert [line.split()[0] for line in caught] == [str(e.day) for e in expected[6:11]]
    assert f"Lanterne Rouge: {expected[11].day} athlete {SCENARIO_ATHLETE}, attempt 1" in out
    decisions = scenario_home.messages(SCENARIO_ATHLETE, kinds=["decision"])
    got = [(m.day, m.payload.action, m.payload.rule) for m in decisions]  # type: ignore[union-attr]
    assert got == [(e.day, e.action, e.rule) for e in expected]
    assert [r.attempt for r in scenario_home.day_runs.of(SCENARIO_ATHLETE)] == [1] * 12


def test_catch_up_runs_at_most_fourteen_days_and_says_how_many_it_left(
    scenario_home: StateStore,
) -> None:
    expected = load_scenario(SCENARIO).expected
    with freeze_time(_morning(expected[0].day.isoformat())):
        _run()
    with freeze_time(_morning(expected[20].day.isoformat())):
        out = _run()
    assert out.splitlines()[0] == (
        f"Catching up 14 missed days ({expected[6].day} .. {expected[19].day}), oldest first; "
        "5 older days not run."
    )
    assert len(scenario_home.day_runs.of(SCENARIO_ATHLETE)) == 1 + 14 + 1


def test_a_given_date_runs_that_day_only(scenario_home: StateStore) -> None:
    expected = load_scenario(SCENARIO).expected
    with freeze_time(_morning(expected[0].day.isoformat())):
        _run()
    with freeze_time(_morning(expected[8].day.isoformat())):
        out = _run("--date", str(expected[8].day))
    assert "Catching up" not in out
    assert len(scenario_home.day_runs.of(SCENARIO_ATHLETE)) == 2


@pytest.mark.parametrize(
    ("zone", "instant", "today"),
    [
        ("Europe/Paris", "2026-03-28T22:59:00+00:00", "2026-03-28"),  # 23:59 CET
        ("Europe/Paris", "2026-03-28T23:00:00+00:00", "2026-03-29"),  # 00:00 CET
        ("Europe/Paris", "2026-03-29T01:30:00+00:00", "2026-03-29"),  # 03:30 CEST, clocks on
        ("Europe/Paris", "2026-10-24T22:00:00+00:00", "2026-10-25"),  # 00:00 CEST
        ("America/New_York", "2026-03-08T04:59:00+00:00", "2026-03-07"),  # 23:59 EST
        ("America/New_York", "2026-03-08T07:30:00+00:00", "2026-03-08"),  # 03:30 EDT
        ("America/New_York", "2026-11-01T03:59:00+00:00", "2026-10-31"),  # 23:59 EDT
        ("America/New_York", "2026-11-01T04:00:00+00:00", "2026-11-01"),  # 00:00 EDT
    ],
    ids=[
        "paris-last-minute-before-spring",
        "paris-midnight-before-spring",
        "paris-after-the-spring-jump",
        "paris-midnight-before-autumn",
        "new-york-last-minute-before-spring",
        "new-york-after-the-spring-jump",
        "new-york-last-minute-before-autumn",
        "new-york-midnight-before-autumn",
    ],
)
def test_today_is_the_athletes_local_date_across_dst_changes(
    monkeypatch: pytest.MonkeyPatch, zone: str, instant: str, today: str
) -> None:
    monkeypatch.setenv("LANTERNE_TIMEZONE", zone)
    with freeze_time(instant):
        out = _run("--demo")
    assert out.splitlines()[0].startswith(f"Lanterne Rouge: {today} athlete demo")


def test_a_failed_run_is_said_first_in_the_next_run_and_in_its_report(
    lanterne_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANTERNE_TIMEZONE", "Europe/Paris")
    broken = lanterne_env / "broken.toml"
    broken.write_text("[mission\n")
    with freeze_time("2026-06-01T04:30:00+00:00"):
        failed = runner.invoke(app, ["run", "--mission", str(broken)])
    assert isinstance(failed.exception, ConfigError)
    kept = json.loads((lanterne_env / "home" / "last-failure.json").read_text())
    assert kept["message"].startswith(f"{broken}: not valid TOML")
    with freeze_time("2026-06-02T04:30:00+00:00"):
        out = _run("--demo")
    assert out.splitlines()[0] == (
        "The last morning run failed at 2026-06-01 04:30 UTC (exit 2): "
        f"{broken}: not valid TOML: Expected ']' at the end of a table declaration "
        "(at line 1, column 9)"
    )
    report = (lanterne_env / "output" / "report-demo-2026-06-02.html").read_text()
    assert "The last morning run failed at 2026-06-01 04:30 UTC (exit 2)" in report
    assert not (lanterne_env / "home" / "last-failure.json").exists()
    with freeze_time("2026-06-03T04:30:00+00:00"):
        assert "failed" not in _run("--demo").splitlines()[0]


def test_a_source_still_down_after_its_retries_is_named_stale_in_printout_report_and_message(
    lanterne_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lanterne_rouge.day_view import load_day_view
    from lanterne_rouge.notify.message import compose

    with socket.socket() as probe:  # a port where nothing listens: the API is down
        probe.bind(("127.0.0.1", 0))
        down = f"http://127.0.0.1:{probe.getsockname()[1]}"
    monkeypatch.setenv("OURA_API_BASE_URL", down)
    monkeypatch.setenv("OURA_PERSONAL_ACCESS_TOKEN", "pat-123456")
    monkeypatch.setenv("LANTERNE_SYNC_ATTEMPTS", "2")
    mission = REPO / "config" / "missions" / "tour_de_france_sim.toml"
    wellness = REPO.parent / "shared" / "data" / "intervals_icu" / "wellness.csv"
    assert runner.invoke(app, ["import", "intervals-wellness", str(wellness)]).exit_code == 0
    out = _run("--date", "2025-06-25", "--mission", str(mission))
    lines = out.splitlines()
    assert lines[0].startswith("Sync: oura try 1 failed (oura: cannot reach 127.0.0.1")
    assert lines[1].startswith("Sync: oura unavailable (")
    stale = "oura data is stale (never synced): the sync failed (oura: cannot reach 127.0.0.1"
    report = (lanterne_env / "output" / "report-me-2025-06-25.html").read_text()
    shown = "Oura" + stale.removeprefix("oura")  # the report starts its notes with a capital
    assert shown in report
    said = report.split(f'<div class="lr-note">{shown}', 1)[1].split("</div>", 1)[0]
    store = StateStore(f"sqlite:///{lanterne_env / 'home' / 'lanterne.db'}")
    view = replace(load_day_view(store, "me", None), alerts=(stale + html.unescape(said),))
    assert f"Note: {stale}" in compose(view).body and "pat-123456" not in report


def test_schedule_install_status_remove_through_the_command_line(
    lanterne_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    units = lanterne_env / "units"
    monkeypatch.setenv("LANTERNE_SCHEDULE_UNIT_DIR", str(units))
    monkeypatch.setenv("LANTERNE_TIMEZONE", "America/New_York")
    done = runner.invoke(app, ["schedule", "install", "--at", "05:45"])
    assert done.exit_code == 0, done.output
    assert "every morning at 05:45 America/New_York" in done.stdout
    files = sorted(str(p) for p in units.iterdir())
    verified = subprocess.run(["systemd-analyze", "verify", *files], capture_output=True, text=True)
    assert verified.returncode == 0 and verified.stderr == ""
    status = runner.invoke(app, ["schedule", "status"])
    assert status.stdout.strip().endswith("*-*-* 05:45:00 America/New_York")
    assert runner.invoke(app, ["schedule", "remove"]).stdout.startswith("Removed")
    bad = runner.invoke(app, ["schedule", "install", "--at", "quarter past six"])
    assert isinstance(bad.exception, ConfigError) and not list(units.iterdir())


def test_schedule_with_cron_writes_a_parsable_line_in_a_crontab_file(
    lanterne_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crontab import CronTab

    tab = lanterne_env / "crontab"
    monkeypatch.setenv("LANTERNE_SCHEDULE_CRONTAB", str(tab))
    monkeypatch.setenv("LANTERNE_TIMEZONE", "UTC")
    monkeypatch.setenv("TZ", "UTC")
    done = runner.invoke(app, ["schedule", "install", "--with", "cron", "--at", "06:30"])
    assert done.exit_code == 0, done.output
    (job,) = list(CronTab(tabfile=str(tab)))
    assert job.is_valid() and job.slices.render() == "30 6 * * *"
    assert job.command.endswith(f">> {lanterne_env / 'home' / 'coach.log'} 2>&1")
    assert runner.invoke(app, ["schedule", "status", "--with", "cron"]).stdout.startswith(
        "crontab: 30 6 * * * cd "
    )
    assert runner.invoke(app, ["schedule", "remove", "--with", "cron"]).exit_code == 0
    assert list(CronTab(tabfile=str(tab))) == []
