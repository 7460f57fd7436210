"""A sync that fails for a passing reason is retried with back-off; other failures are not."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from lanterne_rouge.errors import SourceError
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.sources.api_client import SourceUnavailable
from lanterne_rouge.sources.connect import open_oura
from lanterne_rouge.sources.sync import SyncReport, sync_oura
from lanterne_rouge.sources.sync_retry import with_retries
from lanterne_rouge.utils.config_loader import Settings
from support.api_payloads import oura_day
from support.fake_apis import FakeOura, Scripted

from .conftest import closed_port_url

TODAY = date(2025, 6, 25)


def _settings(monkeypatch: pytest.MonkeyPatch, base_url: str) -> Settings:
    monkeypatch.setenv("OURA_API_BASE_URL", base_url)
    monkeypatch.setenv("OURA_PERSONAL_ACCESS_TOKEN", "pat-123456")
    return Settings()


def _sync_once(settings: Settings, store: StateStore) -> SyncReport:
    client = open_oura(settings, sleep=lambda _s: None)
    try:
        return sync_oura(store, "me", client, today=TODAY)
    finally:
        client.close()


def test_server_errors_past_the_clients_retries_are_retried_with_back_off_then_stored(
    oura_server: FakeOura, store: StateStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    oura_server.grant("pat-123456", next_pair=("", ""))
    for collection, docs in oura_day(TODAY, hrv=44).items():
        oura_server.documents[collection].extend(docs)
    oura_server.script("/daily_readiness", *[Scripted(503)] * 8)  # two whole tries fail
    settings = _settings(monkeypatch, oura_server.base_url)
    waits: list[float] = []
    notices: list[tuple[int, str, float]] = []
    report = with_retries(
        lambda: _sync_once(settings, store),
        attempts=3,
        backoff_s=20.0,
        sleep=waits.append,
        on_retry=lambda n, exc, wait: notices.append((n, type(exc).__name__, wait)),
    )
    assert report.days == 1 and [r.day for r in store.recovery("me")] == [TODAY]
    assert waits == [20.0, 40.0]
    assert notices == [(1, "SourceUnavailable", 20.0), (2, "SourceUnavailable", 40.0)]


def test_an_unreachable_source_gives_up_after_the_last_try_with_one_line(
    store: StateStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _settings(monkeypatch, closed_port_url())
    waits: list[float] = []
    with pytest.raises(SourceUnavailable, match=r"^oura: cannot reach 127\.0\.0\.1: "):
        with_retries(
            lambda: _sync_once(settings, store), attempts=3, backoff_s=5.0, sleep=waits.append
        )
    assert waits == [5.0, 10.0] and not store.recovery("me")


def test_a_refused_token_is_not_retried(
    oura_server: FakeOura, store: StateStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _settings(monkeypatch, oura_server.base_url)  # the token was never granted
    waits: list[float] = []
    with pytest.raises(SourceError) as caught:
        with_retries(
            lambda: _sync_once(settings, store), attempts=3, backoff_s=5.0, sleep=waits.append
        )
    assert not isinstance(caught.value, SourceUnavailable) and waits == []
    assert TODAY - timedelta(days=1) not in {r.day for r in store.recovery("me")}
