"""Oura v2 sync against a local server: days, pages, end dates, tokens, 429s, bad documents."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from lanterne_rouge.errors import SourceError
from lanterne_rouge.memory.activity_store import ActivityStore
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.sources.api_client import RateLimited
from lanterne_rouge.sources.connect import open_oura
from lanterne_rouge.sources.sync import SyncReport, sync_oura
from lanterne_rouge.sources.tokens import OAuthToken, TokenFile, token_path
from lanterne_rouge.utils.config_loader import Settings
from support.api_payloads import oura_daily_sleep, oura_day, oura_readiness, oura_sleep
from support.fake_apis import FakeOura, Scripted

from .conftest import file_mode

TODAY = date(2025, 6, 25)


def _serve_days(server: FakeOura, first: date, last: date) -> None:
    day = first
    while day <= last:
        for collection, docs in oura_day(day, hrv=40 + day.day % 10).items():
            server.documents[collection].extend(docs)
        day += timedelta(days=1)


def _pat_settings(monkeypatch: pytest.MonkeyPatch, server: FakeOura) -> Settings:
    monkeypatch.setenv("OURA_API_BASE_URL", server.base_url)
    monkeypatch.setenv("OURA_PERSONAL_ACCESS_TOKEN", "pat-123456")
    server.grant("pat-123456", next_pair=("", ""))
    return Settings()


def _sync(
    settings: Settings, store: StateStore, today: date = TODAY, **options: Any
) -> tuple[SyncReport, list[float]]:
    waits: list[float] = []
    client = open_oura(settings, sleep=waits.append, **options)
    try:
        return sync_oura(store, "me", client, today=today), waits
    finally:
        client.close()


def test_first_sync_stores_each_day_from_every_collection(
    oura_server: FakeOura, store: StateStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    _serve_days(oura_server, TODAY - timedelta(days=4), TODAY)
    report, _ = _sync(_pat_settings(monkeypatch, oura_server), store)
    records = store.recovery("me")
    assert [r.day for r in records] == [TODAY - timedelta(days=n) for n in range(4, -1, -1)]
    last = records[-1]
    assert (last.readiness_score, last.sleep_score) == (78, 81)
    assert (last.hrv_rmssd, last.resting_hr, last.sleep_secs) == (45.0, 47.0, 26_100)
    assert last.source == "oura" and report.days == 5 and not report.skipped


def test_pages_are_followed_through_next_token(
    oura_server: FakeOura, store: StateStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    _serve_days(oura_server, TODAY - timedelta(days=4), TODAY)  # 5 per collection, pages of 2
    _sync(_pat_settings(monkeypatch, oura_server), store)
    calls = oura_server.calls("/daily_readiness")
    assert [c.query.get("next_token") for c in calls] == [None, "2", "4"]
    assert len(store.recovery("me")) == 5


def test_end_date_is_inclusive_for_daily_collections_and_exclusive_for_sleep(
    oura_server: FakeOura, store: StateStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    _serve_days(oura_server, TODAY, TODAY)
    _sync(_pat_settings(monkeypatch, oura_server), store)
    assert oura_server.calls("/daily_sleep")[0].query["end_date"] == "2025-06-25"
    assert oura_server.calls("/usercollection/sleep")[0].query["end_date"] == "2025-06-26"
    assert store.recovery("me")[0].hrv_rmssd is not None  # today's night was fetched


def test_incremental_sync_starts_near_the_cursor_and_adds_the_new_day(
    oura_server: FakeOura, store: StateStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _pat_settings(monkeypatch, oura_server)
    _serve_days(oura_server, TODAY - timedelta(days=9), TODAY)
    first, _ = _sync(settings, store)
    assert first.start == TODAY - timedelta(days=90)
    _serve_days(oura_server, TODAY + timedelta(days=1), TODAY + timedelta(days=1))
    before = len(oura_server.requests)
    second, _ = _sync(settings, store, today=TODAY + timedelta(days=1))
    asked = oura_server.requests[before].query
    assert asked["start_date"] == "2025-06-23"  # the cursor (06-25) less two days
    assert second.days == 4
    assert [r.day for r in store.recovery("me")][-1] == TODAY + timedelta(days=1)
    assert len(store.recovery("me")) == 11
    raw = ActivityStore(store).raw("me", "oura", kinds=["daily_readiness"])
    assert len(raw) == 11 and raw[0].payload["contributors"]["hrv_balance"] == 70


def test_since_backfills_from_the_given_day(
    oura_server: FakeOura, store: StateStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _pat_settings(monkeypatch, oura_server)
    client = open_oura(settings)
    report = sync_oura(store, "me", client, today=TODAY, since=date(2024, 1, 1))
    assert report.start == date(2024, 1, 1)
    assert oura_server.calls("/daily_readiness")[0].query["start_date"] == "2024-01-01"


def test_naps_are_ignored_and_the_longest_long_sleep_counts(
    oura_server: FakeOura, store: StateStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    oura_server.documents["sleep"] += [
        oura_sleep(TODAY, kind="sleep", hrv=90, total=1_800, ident="nap"),
        oura_sleep(TODAY, hrv=30, total=10_000, ident="short-night"),
        oura_sleep(TODAY, hrv=55, total=27_000, ident="night"),
    ]
    _sync(_pat_settings(monkeypatch, oura_server), store)
    (record,) = store.recovery("me")
    assert (record.hrv_rmssd, record.sleep_secs) == (55.0, 27_000)


def test_a_malformed_document_is_skipped_by_name_and_the_rest_kept(
    oura_server: FakeOura, store: StateStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    _serve_days(oura_server, TODAY - timedelta(days=1), TODAY)
    no_day = oura_readiness(TODAY)
    del no_day["day"]
    no_day["id"] = "readiness-without-day"
    bad_score = oura_daily_sleep(TODAY - timedelta(days=2), score="high")  # type: ignore[arg-type]
    bad_score["id"] = "sleep-score-high"
    absurd = oura_sleep(TODAY - timedelta(days=3), lowest=300, ident="absurd-rhr")
    oura_server.documents["daily_readiness"].append(no_day)
    oura_server.documents["daily_sleep"].append(bad_score)
    oura_server.documents["sleep"].append(absurd)
    report, _ = _sync(_pat_settings(monkeypatch, oura_server), store)
    text = "\n".join(report.skipped)
    assert "daily_readiness document readiness-without-day: field day: Field required" in text
    assert "daily_sleep document sleep-score-high: field score" in text
    assert "sleep document absurd-rhr: field lowest_heart_rate" in text and "300" in text
    days = {r.day: r for r in store.recovery("me")}
    assert days[TODAY].readiness_score == 78  # the valid readiness of that day is kept
    assert days[TODAY - timedelta(days=3)].hrv_rmssd == 48.0  # only the absurd field dropped
    assert days[TODAY - timedelta(days=3)].resting_hr is None


def test_a_personal_token_rejected_is_an_error_without_refresh(
    oura_server: FakeOura, store: StateStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OURA_API_BASE_URL", oura_server.base_url)
    monkeypatch.setenv("OURA_PERSONAL_ACCESS_TOKEN", "revoked-token")
    with pytest.raises(SourceError, match="rejected the access token"):
        _sync(Settings(), store)
    assert not oura_server.calls("/oauth/token")


def _oauth_settings(monkeypatch: pytest.MonkeyPatch, server: FakeOura, home: Path) -> Settings:
    monkeypatch.setenv("OURA_API_BASE_URL", server.base_url)
    monkeypatch.setenv("OURA_CLIENT_ID", "client-1")
    monkeypatch.setenv("OURA_CLIENT_SECRET", "secret-123456")
    TokenFile(token_path(home, "oura")).save(
        OAuthToken(access_token="old-access", refresh_token="refresh-1", expires_at=4_102_444_800)
    )
    return Settings()


def test_a_401_refreshes_once_and_persists_the_rotated_pair_0600(
    oura_server: FakeOura, store: StateStore, monkeypatch: pytest.MonkeyPatch, lanterne_env: Path
) -> None:
    settings = _oauth_settings(monkeypatch, oura_server, settings_home := lanterne_env / "home")
    oura_server.grant("never-valid", "refresh-1", next_pair=("access-2", "refresh-2"))
    _serve_days(oura_server, TODAY, TODAY)
    report, _ = _sync(settings, store)
    assert report.days == 1
    assert len(oura_server.calls("/oauth/token")) == 1
    path = token_path(settings_home, "oura")
    saved = json.loads(path.read_text())
    assert (saved["access_token"], saved["refresh_token"]) == ("access-2", "refresh-2")
    assert file_mode(path) == 0o600
    refresh = oura_server.calls("/oauth/token")[0].form
    assert refresh["grant_type"] == "refresh_token" and refresh["refresh_token"] == "refresh-1"


def test_a_second_401_after_the_refresh_is_reported(
    oura_server: FakeOura, store: StateStore, monkeypatch: pytest.MonkeyPatch, lanterne_env: Path
) -> None:
    settings = _oauth_settings(monkeypatch, oura_server, lanterne_env / "home")
    oura_server.grant("x", "refresh-1", next_pair=("access-2", "refresh-2"))
    oura_server.script("/daily_readiness", Scripted(401), Scripted(401))
    with pytest.raises(SourceError, match="authorize again"):
        _sync(settings, store)
    assert len(oura_server.calls("/oauth/token")) == 1  # refreshed once, not in a loop


def test_a_429_is_waited_out_with_retry_after(
    oura_server: FakeOura, store: StateStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    _serve_days(oura_server, TODAY, TODAY)
    oura_server.script("/daily_sleep", Scripted(429, {"Retry-After": "7"}))
    report, waits = _sync(_pat_settings(monkeypatch, oura_server), store)
    assert waits == [7.0]
    assert report.days == 1 and store.recovery("me")[0].sleep_score == 81


def test_a_429_longer_than_allowed_is_reported_and_nothing_is_stored(
    oura_server: FakeOura, store: StateStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    _serve_days(oura_server, TODAY, TODAY)
    oura_server.script("/daily_sleep", Scripted(429, {"Retry-After": "3600"}))
    with pytest.raises(RateLimited, match="rate limit"):
        _sync(_pat_settings(monkeypatch, oura_server), store, max_wait=60.0)
    assert store.recovery("me") == []
