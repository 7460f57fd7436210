"""The data commands as a user meets them: auth, sync, import errors, and the daily run's sync."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lanterne_rouge.cli import app
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.sources.tokens import OAuthToken, TokenFile, token_path
from support.api_payloads import oura_day, strava_activity
from support.fake_apis import FakeOura, FakeStrava

from .conftest import INTERVALS, MISSION, closed_port_url, file_mode

runner = CliRunner()


def _invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_auth_prints_the_authorize_url_then_saves_the_exchanged_tokens_0600(
    strava_server: FakeStrava, monkeypatch: pytest.MonkeyPatch, lanterne_env: Path
) -> None:
    monkeypatch.setenv("STRAVA_API_BASE_URL", strava_server.base_url)
    monkeypatch.setenv("STRAVA_CLIENT_ID", "4242")
    monkeypatch.setenv("STRAVA_CLIENT_SECRET", "secret-abcdef")
    code, out, _ = _invoke("auth", "strava")
    assert code == 0
    assert f"{strava_server.origin}/oauth/authorize?client_id=4242" in out
    assert "scope=read%2Cactivity%3Aread_all" in out and "--code CODE" in out
    code, out, _ = _invoke("auth", "strava", "--code", "good-code")
    assert code == 0 and "readable by you only" in out
    path = token_path(lanterne_env / "home", "strava")
    assert json.loads(path.read_text())["access_token"] == "access-from-code-0"
    assert file_mode(path) == 0o600
    exchange = strava_server.calls("/oauth/token")[0].form
    assert (exchange["grant_type"], exchange["code"]) == ("authorization_code", "good-code")


def test_auth_without_a_client_id_says_what_to_set(lanterne_env: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "lanterne_rouge", "auth", "oura"],
        capture_output=True,
        text=True,
        cwd=lanterne_env,
        env=os.environ.copy(),
        timeout=60,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "set OURA_CLIENT_ID and OURA_CLIENT_SECRET" in done.stderr


def test_sync_pulls_every_configured_source_and_prints_a_summary(
    oura_server: FakeOura,
    strava_server: FakeStrava,
    monkeypatch: pytest.MonkeyPatch,
    lanterne_env: Path,
) -> None:
    _configure(monkeypatch, oura_server, strava_server, lanterne_env / "home")
    yesterday = datetime.now(UTC) - timedelta(days=1)
    for collection, docs in oura_day(yesterday.date()).items():
        oura_server.documents[collection] += docs
    strava_server.activities = [strava_activity(1, yesterday, device_watts=False)]
    code, out, err = _invoke("sync", "--mission", str(MISSION))
    assert code == 0, err
    assert "Synced oura: stored" in out and "Synced strava: stored 1 activities" in out
    assert "sync oura:" in err  # progress goes to stderr


def test_sync_without_any_source_says_how_to_set_one_up(lanterne_env: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "lanterne_rouge", "sync"],
        capture_output=True,
        text=True,
        cwd=lanterne_env,
        env=os.environ.copy(),
        timeout=60,
    )
    assert done.returncode == 2
    assert "no data source is set up" in done.stderr and "Traceback" not in done.stderr


def test_an_import_error_is_one_line_naming_the_file(lanterne_env: Path) -> None:
    wrong = lanterne_env / "not-wellness.csv"
    wrong.write_text("when,what\n2025-01-01,ride\n")
    done = subprocess.run(
        [sys.executable, "-m", "lanterne_rouge", "import", "intervals-wellness", str(wrong)],
        capture_output=True,
        text=True,
        cwd=lanterne_env,
        env=os.environ.copy(),
        timeout=60,
    )
    assert done.returncode == 4 and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and "not-wellness.csv: not an intervals.icu" in done.stderr


def _configure(
    monkeypatch: pytest.MonkeyPatch, oura: FakeOura, strava: FakeStrava, home: Path
) -> None:
    monkeypatch.setenv("OURA_API_BASE_URL", oura.base_url)
    monkeypatch.setenv("OURA_PERSONAL_ACCESS_TOKEN", "pat-123456")
    oura.grant("pat-123456", next_pair=("", ""))
    monkeypatch.setenv("STRAVA_API_BASE_URL", strava.base_url)
    monkeypatch.setenv("STRAVA_CLIENT_ID", "4242")
    monkeypatch.setenv("STRAVA_CLIENT_SECRET", "secret-abcdef")
    TokenFile(token_path(home, "strava")).save(
        OAuthToken(access_token="access-1", refresh_token="r-1", expires_at=4_102_444_800)
    )
    strava.grant("access-1", next_pair=("", ""))


def test_the_daily_run_syncs_first_when_sources_are_set_up(
    oura_server: FakeOura,
    strava_server: FakeStrava,
    monkeypatch: pytest.MonkeyPatch,
    lanterne_env: Path,
) -> None:
    _configure(monkeypatch, oura_server, strava_server, lanterne_env / "home")
    today = datetime.now(UTC).date()
    for collection, docs in oura_day(today).items():
        oura_server.documents[collection] += docs
    code, out, _ = _invoke("run", "--mission", str(MISSION), "--date", str(today))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("Sync: Synced oura: stored 1 days of recovery")
    assert lines[1].startswith("Sync: Synced strava: stored 0 activities")
    assert "DEMO" not in out and "Decision: " in out


def test_the_daily_run_carries_on_with_stored_data_when_an_api_is_down(
    monkeypatch: pytest.MonkeyPatch, lanterne_env: Path
) -> None:
    code, _, _ = _invoke("import", "intervals-wellness", str(INTERVALS / "wellness.csv"))
    assert code == 0
    monkeypatch.setenv("OURA_API_BASE_URL", closed_port_url())
    monkeypatch.setenv("OURA_PERSONAL_ACCESS_TOKEN", "pat-123456")
    code, out, _ = _invoke("run", "--date", "2025-06-25", "--mission", str(MISSION))
    assert code == 0
    tries, first = out.splitlines()[:2], out.splitlines()[2]
    assert [t[: len("Sync: oura try 1 failed (oura: cannot reach")] for t in tries] == [
        "Sync: oura try 1 failed (oura: cannot reach",
        "Sync: oura try 2 failed (oura: cannot reach",
    ]
    assert first.startswith("Sync: oura unavailable (oura: cannot reach 127.0.0.1")
    assert first.endswith("carrying on with the stored data (never synced).")
    assert "Decision: " in out and "DEMO" not in out
    assert "pat-123456" not in out


def test_the_daily_run_without_sources_does_not_load_the_heavy_modules(
    lanterne_env: Path,
) -> None:
    probe = (
        "import sys, lanterne_rouge.cli as c, lanterne_rouge.cli.data;"
        "print(sorted(m for m in ('httpx', 'fitdecode', 'gpxpy') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"


def test_a_seed_option_replaces_its_half_of_the_stored_seed(store: StateStore) -> None:
    from lanterne_rouge.cli.data import seed_override
    from lanterne_rouge.memory.activity_store import ActivityStore, FitnessSeed

    ActivityStore(store).save_seed(
        "me", FitnessSeed(source="intervals_wellness", day=date(2025, 1, 1), ctl=20.0, atl=30.0)
    )
    assert seed_override(store, "me", date(2025, 1, 2), None, None) is None
    given = seed_override(store, "me", date(2025, 1, 2), 5.0, None)
    assert given is not None and (given.day, given.ctl, given.atl) == (date(2025, 1, 1), 5.0, 30.0)
    older = seed_override(store, "me", date(2024, 12, 1), None, 7.0)
    assert older is not None and (older.day, older.ctl, older.atl) == (date(2024, 11, 30), 0, 7.0)


def test_a_stored_seed_is_not_used_when_older_loads_exist(store: StateStore) -> None:
    from lanterne_rouge.memory.activity_store import ActivityStore, FitnessSeed
    from lanterne_rouge.memory.fitness_history import fitness_history
    from lanterne_rouge.memory.records import DailyLoad

    ActivityStore(store).save_seed(
        "me", FitnessSeed(source="intervals_wellness", day=date(2025, 1, 1), ctl=20.0, atl=30.0)
    )
    store.upsert_loads("me", [DailyLoad(day=date(2025, 1, 2), load=10.0)])
    first = fitness_history(store, "me", date(2025, 1, 2)).points[0]
    assert first.day == date(2025, 1, 2)
    assert first.ctl == pytest.approx(20 + (10 - 20) * (1 - math.exp(-1 / 42)))
    store.upsert_loads("me", [DailyLoad(day=date(2024, 12, 1), load=10.0)])
    first = fitness_history(store, "me", date(2025, 1, 2)).points[0]
    assert first.day == date(2024, 12, 1) and first.ctl < 1.0
