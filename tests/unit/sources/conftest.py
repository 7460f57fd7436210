"""Fixtures for the data sources: local Oura and Strava servers and a clean environment."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from lanterne_rouge.utils.config_loader import Settings
from support.fake_apis import FakeOura, FakeStrava

REPO = Path(__file__).resolve().parents[3]
SHARED_DATA = REPO.parent / "shared" / "data"
INTERVALS = SHARED_DATA / "intervals_icu"
MISSION = REPO / "config" / "missions" / "tour_de_france_sim.toml"

SOURCE_VARIABLES = (
    "OURA_PERSONAL_ACCESS_TOKEN",
    "OURA_CLIENT_ID",
    "OURA_CLIENT_SECRET",
    "OURA_API_BASE_URL",
    "STRAVA_CLIENT_ID",
    "STRAVA_CLIENT_SECRET",
    "STRAVA_REFRESH_TOKEN",
    "STRAVA_API_BASE_URL",
    "LANTERNE_TIMEZONE",
    "LANTERNE_MISSION_FILE",
)


@pytest.fixture(autouse=True)
def no_source_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """No real credentials or base URL reaches a test; only 127.0.0.1 is ever contacted."""
    for name in SOURCE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(f"LANTERNE_{name}", raising=False)
    monkeypatch.setenv("LANTERNE_TIMEZONE", "Europe/Paris")


@pytest.fixture
def oura_server() -> Iterator[FakeOura]:
    with FakeOura(page_size=2) as server:
        yield server


@pytest.fixture
def strava_server() -> Iterator[FakeStrava]:
    with FakeStrava() as server:
        yield server


@pytest.fixture
def settings(lanterne_env: Path) -> Settings:
    return Settings()


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (an API that is down)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def file_mode(path: Path) -> int:
    return os.stat(path).st_mode & 0o777
