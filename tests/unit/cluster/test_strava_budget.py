"""The Strava budget shared by every worker, against a real Redis server on 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import redis

from lanterne_rouge.cluster.strava_budget import (
    BudgetedTransport,
    SharedStravaBudget,
    StravaLimits,
)
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.sources.connect import open_strava
from lanterne_rouge.sources.sync import sync_strava
from lanterne_rouge.sources.tokens import OAuthToken, TokenFile, token_path
from lanterne_rouge.training.load_models import AthleteThresholds
from lanterne_rouge.utils.config_loader import Settings
from support.api_payloads import strava_activity
from support.fake_apis import FakeStrava

# 2025-06-25 10:14:00 UTC: one minute before a 15-minute window ends.
T0 = datetime(2025, 6, 25, 10, 14, tzinfo=UTC).timestamp()


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def client(redis_url: str) -> redis.Redis:
    return redis.Redis.from_url(redis_url)


def _budget(
    client: redis.Redis, clock: Clock, quarter: int = 5, day: int = 12
) -> SharedStravaBudget:
    return SharedStravaBudget(client, StravaLimits(quarter, day), clock=clock)


def test_the_quarter_limit_refuses_and_says_when_the_window_resets(client: redis.Redis) -> None:
    budget = _budget(client, Clock(T0))
    assert all(budget.reserve().granted for _ in range(5))
    refused = budget.reserve()
    assert (refused.granted, refused.window, refused.retry_after_s) == (False, "15-minute", 60.0)
    assert budget.used() == (5, 5)


def test_a_refused_reservation_takes_nothing(client: redis.Redis) -> None:
    budget = _budget(client, Clock(T0))
    assert budget.reserve(4).granted
    assert not budget.reserve(2).granted
    assert budget.reserve(1).granted
    assert budget.used() == (5, 5)


def test_the_next_window_grants_again_until_the_daily_limit(client: redis.Redis) -> None:
    clock = Clock(T0)
    budget = _budget(client, clock)
    assert budget.reserve(5).granted
    clock.now += 60  # 10:15, a new 15-minute window
    assert budget.reserve(5).granted
    clock.now += 900
    assert budget.reserve(2).granted
    refused = budget.reserve()
    midnight = datetime(2025, 6, 26, tzinfo=UTC).timestamp()
    assert (refused.window, refused.retry_after_s) == ("daily", midnight - clock.now)
    clock.now = midnight
    assert budget.reserve().granted


def test_workers_sharing_the_budget_never_spend_more_than_the_limit(redis_url: str) -> None:
    granted: list[bool] = []
    start = threading.Barrier(8)

    def worker() -> None:
        own = SharedStravaBudget(redis.Redis.from_url(redis_url), StravaLimits(50, 1000))
        start.wait()
        granted.extend(own.reserve().granted for _ in range(20))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert (granted.count(True), granted.count(False)) == (50, 110)


def test_stravas_reported_usage_raises_the_counters_and_never_lowers_them(
    client: redis.Redis,
) -> None:
    budget = _budget(client, Clock(T0), quarter=100, day=1000)
    budget.observe({"X-RateLimit-Usage": "40,700", "X-ReadRateLimit-Usage": "30,600"})
    assert budget.used() == (30, 600)
    budget.observe({"X-ReadRateLimit-Usage": "3,60"})
    assert budget.used() == (30, 600)
    budget.observe({}, status=429)
    assert budget.used() == (100, 600)
    assert not budget.reserve().granted


@pytest.fixture
def strava(monkeypatch: pytest.MonkeyPatch, lanterne_env: Path) -> Iterator[FakeStrava]:
    with FakeStrava() as server:
        _authorize(monkeypatch, lanterne_env, server)
        yield server


def _authorize(monkeypatch: pytest.MonkeyPatch, lanterne_env: Path, server: FakeStrava) -> None:
    monkeypatch.setenv("STRAVA_API_BASE_URL", server.base_url)
    monkeypatch.setenv("STRAVA_CLIENT_ID", "4242")
    monkeypatch.setenv("STRAVA_CLIENT_SECRET", "secret-abcdef")
    TokenFile(token_path(lanterne_env / "home", "strava")).save(
        OAuthToken(access_token="access-1", refresh_token="refresh-1", expires_at=4_102_444_800)
    )
    server.grant("access-1", "refresh-1", next_pair=("access-2", "refresh-2"))


def test_a_sync_stops_when_the_shared_budget_is_spent_and_says_when_to_resume(
    strava: FakeStrava, client: redis.Redis, store: StateStore
) -> None:
    strava.activities = [
        strava_activity(i, datetime(2025, 6, 10 + i, 7, tzinfo=UTC), device_watts=False)
        for i in range(1, 7)
    ]
    clock = Clock(T0)
    transport = BudgetedTransport(_budget(client, clock, quarter=2, day=100))
    strava_client = open_strava(Settings(), transport=transport)
    try:
        report = sync_strava(
            store,
            "me",
            strava_client,
            today=date(2025, 6, 25),
            thresholds=AthleteThresholds(ftp=250, threshold_hr=168, max_hr=188),
            where=ZoneInfo("Europe/Paris"),
            per_page=2,
        )
    finally:
        strava_client.close()
    assert len(strava.requests) == 2  # the third request was never sent
    assert report.activities == 4
    assert report.stopped is not None and "15-minute request budget" in report.stopped
    assert transport.retry_at == T0 + 60
