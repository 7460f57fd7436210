"""Shared fixtures: every test gets its own home, output folder and database."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.mission_config import Mission

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
SCENARIOS = REPO / "tests" / "agent_scenarios"

# Real PostgreSQL and Redis servers for the tests that need them.
pytest_plugins = ["support.server_fixtures"]


# A developer's own keys never reach a test: with them, a daily run would sync or send.
SECRET_AND_SOURCE_VARIABLES = (
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "HF_TOKEN",
    "OURA_PERSONAL_ACCESS_TOKEN",
    "OURA_CLIENT_ID",
    "OURA_CLIENT_SECRET",
    "OURA_API_BASE_URL",
    "STRAVA_CLIENT_ID",
    "STRAVA_CLIENT_SECRET",
    "STRAVA_REFRESH_TOKEN",
    "STRAVA_API_BASE_URL",
    "SMTP_HOST",
    "SMTP_PORT",
    "SMTP_SECURITY",
    "SMTP_USER",
    "SMTP_PASSWORD",
    "SMTP_FROM",
    "SMTP_TO",
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_CHAT_ID",
    "TELEGRAM_API_BASE_URL",
    "DASHBOARD_PASSWORD",
)


@pytest.fixture(autouse=True)
def lanterne_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private home for each test: nothing touches the real output/ or database."""
    home = tmp_path / "home"
    monkeypatch.setenv("LANTERNE_HOME", str(home))
    monkeypatch.setenv("LANTERNE_OUTPUT_DIR", str(tmp_path / "output"))
    monkeypatch.delenv("LANTERNE_DATABASE_URL", raising=False)
    monkeypatch.delenv("LANTERNE_ATHLETE_ID", raising=False)
    monkeypatch.delenv("LANTERNE_LLM_PROVIDER", raising=False)
    monkeypatch.setenv("LANTERNE_SYNC_BACKOFF_S", "0")  # a retried sync never sleeps in tests
    for key in SECRET_AND_SOURCE_VARIABLES:
        monkeypatch.delenv(key, raising=False)
        monkeypatch.delenv(f"LANTERNE_{key}", raising=False)
    for key in list(os.environ):
        if key.startswith(("LANTERNE_SMTP_", "LANTERNE_TELEGRAM_", "TELEGRAM_", "LANTERNE_DASH")):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)  # a stray .env or output/ in the checkout is never read
    return tmp_path


@pytest.fixture(autouse=True)
def fresh_logging() -> None:
    """Log to this test's stderr: an earlier in-process CLI call may have left a closed one."""
    from lanterne_rouge.utils.logger import configure_logging

    configure_logging("WARNING")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[StateStore]:
    s = StateStore(f"sqlite:///{tmp_path / 'test.db'}")
    yield s
    s.close()


CliRunner = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def cli(lanterne_env: Path) -> CliRunner:
    """Run ``lanterne-rouge ARGS`` as a real process in the test's private home."""

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "lanterne_rouge", *args],
            capture_output=True,
            text=True,
            cwd=lanterne_env,
            env=os.environ.copy(),
            timeout=60,
        )

    return run


TOUR = SCENARIOS / "tour_de_france"
TOUR_DAYS = 12  # 2026-07-01 .. 07-12: stages 1-8 scored, a breakaway hat-trick earned


@pytest.fixture(scope="module")
def tour(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[StateStore, Mission]]:
    """The first twelve days of the Tour scenario run into a store kept for the module."""
    from lanterne_rouge.replay import replay_into
    from lanterne_rouge.sources.scenarios import load_scenario

    scenario = load_scenario(TOUR)
    scenario = load_scenario(TOUR, expected=scenario.expected[:TOUR_DAYS])
    store = StateStore(f"sqlite:///{tmp_path_factory.mktemp('tour') / 'tour.db'}")
    replay_into(store, scenario)
    yield store, scenario.mission
    store.close()
