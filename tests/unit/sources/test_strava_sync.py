"""Strava v3 sync against a local server: pages, local days, streams, OAuth and rate limits."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from lanterne_rouge.errors import SourceError
from lanterne_rouge.memory.activity_store import ActivityStore
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.sources.connect import open_strava
from lanterne_rouge.sources.sync import SyncReport, sync_strava
from lanterne_rouge.sources.tokens import OAuthToken, TokenFile, token_path
from lanterne_rouge.training.load_models import AthleteThresholds
from lanterne_rouge.utils.config_loader import Settings
from support.api_payloads import strava_activity, strava_streams
from support.fake_apis import FakeStrava, Scripted

from .conftest import file_mode

TODAY = date(2025, 6, 25)
FTP = 250.0
THRESHOLDS = AthleteThresholds(ftp=FTP, threshold_hr=168, max_hr=188, resting_hr=50, sex="male")
PARIS = ZoneInfo("Europe/Paris")


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 6, day, hour, minute, tzinfo=UTC)


def _settings(monkeypatch: pytest.MonkeyPatch, server: FakeStrava, home: Path) -> Settings:
    monkeypatch.setenv("STRAVA_API_BASE_URL", server.base_url)
    monkeypatch.setenv("STRAVA_CLIENT_ID", "4242")
    monkeypatch.setenv("STRAVA_CLIENT_SECRET", "secret-abcdef")
    TokenFile(token_path(home, "strava")).save(
        OAuthToken(access_token="access-1", refresh_token="refresh-1", expires_at=4_102_444_800)
    )
    server.grant("access-1", "refresh-1", next_pair=("access-2", "refresh-2"))
    return Settings()


def _sync(
    settings: Settings, store: StateStore, *, today: date = TODAY, **options: Any
) -> tuple[SyncReport, list[float]]:
    waits: list[float] = []
    per_page = options.pop("per_page", 2)
    since = options.pop("since", None)
    client = open_strava(settings, sleep=waits.append, **options)
    try:
        report = sync_strava(
            store,
            "me",
            client,
            today=today,
            thresholds=THRESHOLDS,
            where=PARIS,
            since=since,
            per_page=per_page,
        )
    finally:
        client.close()
    return report, waits


@pytest.fixture
def home(lanterne_env: Path) -> Path:
    return lanterne_env / "home"


def test_a_first_sync_pages_through_and_buckets_by_local_start_date(
    strava_server: FakeStrava, store: StateStore, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    strava_server.activities = [
        strava_activity(1, _at(20, 7), device_watts=False, weighted_average_watts=None),
        strava_activity(2, _at(21, 7), sport_type="Run", device_watts=False),
        strava_activity(3, _at(22, 23, 30), sport_type="VirtualRide", device_watts=False),
        strava_activity(4, _at(23, 7), sport_type="WeightTraining", device_watts=False),
        strava_activity(5, _at(24, 7), device_watts=False),
    ]
    report, _ = _sync(_settings(monkeypatch, strava_server, home), store)
    pages = [c.query["page"] for c in strava_server.calls("/athlete/activities")]
    assert pages == ["1", "2", "3"]
    stored = {a.external_id: a for a in ActivityStore(store).activities("me")}
    assert report.activities == 5 and set(stored) == {"1", "2", "3", "4", "5"}
    assert stored["3"].local_day == date(2025, 6, 23)  # 23:30 UTC is 01:30 local, next day
    assert (stored["2"].sport, stored["3"].sport, stored["4"].sport) == (
        "run",
        "virtualride",
        "strength",
    )
    assert stored["4"].load == 0.0 and stored["4"].fatigue_load > 0  # strength: fatigue only
    assert {d.day for d in store.loads("me")} == {date(2025, 6, d) for d in (20, 21, 23, 24)}


def test_power_meter_rides_take_np_from_the_stream(
    strava_server: FakeStrava, store: StateStore, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    strava_server.activities = [
        strava_activity(10, _at(24, 7), moving_time=3600, weighted_average_watts=150),
        strava_activity(11, _at(24, 12), moving_time=3600, device_watts=False),
    ]
    strava_server.streams["10"] = strava_streams([250] * 3600, [150] * 3600)
    _sync(_settings(monkeypatch, strava_server, home), store)
    assert [c.path for c in strava_server.calls("/streams")] == ["/api/v3/activities/10/streams"]
    ride = ActivityStore(store).activity("me", "strava", "10")
    assert ride is not None
    assert (ride.method, ride.method_source) == ("power", "power_stream")
    assert ride.detail["normalized_power"] == pytest.approx(250.0)
    assert ride.tss == pytest.approx(100.0)  # one hour at FTP, not the summary's 150 W
    estimated = ActivityStore(store).activity("me", "strava", "11")
    assert estimated is not None and estimated.method == "heart_rate"  # no power meter
    raw = ActivityStore(store).raw("me", "strava", kinds=["streams"])
    assert [r.external_id for r in raw] == ["10"]


def test_an_incremental_sync_starts_before_the_cursor_and_stores_each_activity_once(
    strava_server: FakeStrava, store: StateStore, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    settings = _settings(monkeypatch, strava_server, home)
    strava_server.activities = [strava_activity(1, _at(23, 7)), strava_activity(2, _at(24, 7))]
    strava_server.streams = {"1": strava_streams([200] * 600), "2": strava_streams([200] * 600)}
    first, _ = _sync(settings, store)
    assert first.activities == 2
    strava_server.activities.append(strava_activity(3, _at(25, 7)))
    strava_server.streams["3"] = strava_streams([200] * 600)
    calls_before = len(strava_server.requests)
    _sync(settings, store, today=date(2025, 6, 26))
    after = int(strava_server.requests[calls_before].query["after"])
    assert after == int((_at(24, 7) - timedelta(days=2)).timestamp())
    assert len(ActivityStore(store).activities("me")) == 3
    streams_fetched = [c.path for c in strava_server.calls("/streams")]
    assert streams_fetched.count("/api/v3/activities/2/streams") == 1  # kept raw, not refetched
    loads = {d.day: d for d in store.loads("me")}
    assert len(loads) == 3 and loads[date(2025, 6, 24)].source == "activities"


def test_since_backfills_from_a_local_midnight(
    strava_server: FakeStrava, store: StateStore, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    _sync(_settings(monkeypatch, strava_server, home), store, since=date(2024, 1, 1))
    after = int(strava_server.calls("/athlete/activities")[0].query["after"])
    assert datetime.fromtimestamp(after, PARIS) == datetime(2024, 1, 1, tzinfo=PARIS)


def test_an_access_token_near_expiry_is_refreshed_first_and_the_new_pair_saved_0600(
    strava_server: FakeStrava, store: StateStore, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    settings = _settings(monkeypatch, strava_server, home)
    TokenFile(token_path(home, "strava")).save(
        OAuthToken(access_token="access-1", refresh_token="refresh-1", expires_at=1_000)
    )
    strava_server.activities = [strava_activity(1, _at(24, 7), device_watts=False)]
    _sync(settings, store)
    token_calls = strava_server.calls("/oauth/token")
    assert len(token_calls) == 1 and strava_server.requests[0].path == "/oauth/token"
    assert strava_server.calls("/athlete/activities")[0].headers["authorization"] == (
        "Bearer access-2"
    )
    path = token_path(home, "strava")
    saved = json.loads(path.read_text())
    assert (saved["access_token"], saved["refresh_token"]) == ("access-2", "refresh-2")
    assert saved["expires_at"] == 4_102_444_800
    assert file_mode(path) == 0o600 and file_mode(path.parent) == 0o700


def test_a_401_leads_to_one_refresh_and_a_retry(
    strava_server: FakeStrava, store: StateStore, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    settings = _settings(monkeypatch, strava_server, home)
    strava_server.access_tokens.discard("access-1")  # revoked on the server side
    strava_server.activities = [strava_activity(1, _at(24, 7), device_watts=False)]
    report, _ = _sync(settings, store)
    assert report.activities == 1
    assert len(strava_server.calls("/oauth/token")) == 1
    assert json.loads(token_path(home, "strava").read_text())["refresh_token"] == "refresh-2"


def test_a_refused_refresh_token_says_how_to_authorize_again(
    strava_server: FakeStrava, store: StateStore, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    settings = _settings(monkeypatch, strava_server, home)
    strava_server.access_tokens.clear()
    strava_server.refresh_tokens.clear()
    with pytest.raises(SourceError, match="lanterne-rouge auth strava"):
        _sync(settings, store)


def test_the_first_refresh_token_can_come_from_the_environment(
    strava_server: FakeStrava, store: StateStore, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    monkeypatch.setenv("STRAVA_API_BASE_URL", strava_server.base_url)
    monkeypatch.setenv("STRAVA_CLIENT_ID", "4242")
    monkeypatch.setenv("STRAVA_CLIENT_SECRET", "secret-abcdef")
    monkeypatch.setenv("STRAVA_REFRESH_TOKEN", "refresh-env")
    strava_server.grant("unused", "refresh-env", next_pair=("access-9", "refresh-9"))
    _sync(Settings(), store)
    assert json.loads(token_path(home, "strava").read_text())["refresh_token"] == "refresh-9"


def test_a_used_up_read_limit_is_waited_out_when_the_window_resets_soon(
    strava_server: FakeStrava, store: StateStore, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    settings = _settings(monkeypatch, strava_server, home)
    strava_server.activities = [
        strava_activity(i, _at(20 + i, 7), device_watts=False) for i in range(1, 5)
    ]
    strava_server.limits["read"] = (2, 1000)

    def reset_window(seconds: float) -> None:
        waits.append(seconds)
        strava_server.usage["read"][0] = 0

    waits: list[float] = []
    client = open_strava(settings, sleep=reset_window, max_wait=900.0, clock=lambda: 1_000_000.0)
    report = sync_strava(
        store, "me", client, today=TODAY, thresholds=THRESHOLDS, where=PARIS, per_page=1
    )
    assert report.activities == 4 and report.stopped is None
    assert waits and all(w == 1_000_000.0 // 900 * 900 + 900 - 1_000_000.0 for w in waits)


def test_a_used_up_limit_that_resets_too_late_stops_and_keeps_what_was_fetched(
    strava_server: FakeStrava, store: StateStore, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    settings = _settings(monkeypatch, strava_server, home)
    strava_server.activities = [
        strava_activity(i, _at(20 + i, 7), device_watts=False) for i in range(1, 5)
    ]
    strava_server.limits["read"] = (2, 1000)
    report, waits = _sync(settings, store, per_page=1, max_wait=5.0)
    assert waits == []
    assert report.stopped is not None and "read 15-minute limit used up (2 of 2" in report.stopped
    assert "run the sync again" in report.stopped
    assert [a.external_id for a in ActivityStore(store).activities("me")] == ["1", "2"]
    cursor = ActivityStore(store).cursor("me", "strava", "activities")
    assert cursor is not None and cursor.startswith("2025-06-22T07:00")


def test_a_429_is_reported_with_when_to_try_again(
    strava_server: FakeStrava, store: StateStore, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    settings = _settings(monkeypatch, strava_server, home)
    strava_server.script("/athlete/activities", Scripted(429, {"Retry-After": "1200"}))
    report, _ = _sync(settings, store, max_wait=60.0)
    assert report.stopped is not None and "try again in 1200 s" in report.stopped


def test_a_summary_with_a_missing_or_malformed_field_is_skipped_by_name(
    strava_server: FakeStrava, store: StateStore, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    missing = strava_activity(7, _at(23, 7), device_watts=False)
    del missing["moving_time"]
    malformed = strava_activity(8, _at(23, 9), device_watts=False)
    malformed["start_date_local"] = "not a date"
    strava_server.activities = [
        strava_activity(6, _at(22, 7), device_watts=False),
        missing,
        malformed,
        strava_activity(9, _at(24, 7), device_watts=False),
    ]
    report, _ = _sync(_settings(monkeypatch, strava_server, home), store, per_page=10)
    text = "\n".join(report.skipped)
    assert "strava activity 7: field moving_time: Field required" in text
    assert "strava activity 8: field start_date_local" in text
    assert [a.external_id for a in ActivityStore(store).activities("me")] == ["6", "9"]


def test_an_activity_whose_streams_are_gone_keeps_its_summary_load(
    strava_server: FakeStrava, store: StateStore, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    strava_server.activities = [
        strava_activity(20, _at(23, 7), weighted_average_watts=250),  # streams: 404
        strava_activity(21, _at(24, 7)),
    ]
    strava_server.streams["21"] = strava_streams([200] * 600)
    report, _ = _sync(_settings(monkeypatch, strava_server, home), store)
    assert report.activities == 2 and report.stopped is None
    assert report.skipped == [
        "strava activity 20: streams unavailable (HTTP 404); its load comes from the summary"
    ]
    gone = ActivityStore(store).activity("me", "strava", "20")
    assert gone is not None and gone.method_source == "provider_np"  # a real power meter's NP


def test_an_activity_dated_after_tomorrow_is_skipped_by_name_and_the_rest_stored(
    strava_server: FakeStrava, store: StateStore, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    strava_server.activities = [
        strava_activity(1, _at(24, 7)),
        strava_activity(2, datetime(2100, 1, 1, 7, tzinfo=UTC)),
    ]
    report, _ = _sync(_settings(monkeypatch, strava_server, home), store)
    assert [a.external_id for a in ActivityStore(store).activities("me")] == ["1"]
    assert report.skipped[-1] == (
        "strava activity 2: field start_date_local: 2100-01-01 is outside 1990-01-01..2025-06-26"
    )
