"""``lanterne.sync``: the real task function in worker processes, real PostgreSQL and Redis, a
local Strava-shaped server; tokens from the database, requests through the shared budget."""

from __future__ import annotations

import subprocess
import sys
import time as clock
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import redis
from sqlalchemy import func, select

from lanterne_rouge.cluster.app import make_app
from lanterne_rouge.cluster.context import WorkerContext
from lanterne_rouge.cluster.fleet import due_days
from lanterne_rouge.cluster.settings import ClusterSettings
from lanterne_rouge.cluster.strava_budget import SharedStravaBudget, StravaLimits
from lanterne_rouge.cluster.sync import SYNC
from lanterne_rouge.cluster.tasks import RUN_DAY, enqueue_due
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.memory.tables import activities
from lanterne_rouge.sources.tokens import OAuthToken, StoredTokens
from lanterne_rouge.utils.config_loader import Settings
from support.club import DAY, FAR, Club, make_club, queued
from support.fake_apis import Scripted


@pytest.fixture
def club(postgres_url: str, redis_url: str, tmp_path: Path) -> Iterator[Club]:
    with make_club(postgres_url, redis_url, tmp_path) as found:
        yield found


def _activities(store: StateStore, athlete_id: str) -> int:
    query = select(func.count()).where(activities.c.athlete_id == athlete_id)
    with store.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def test_a_sync_stores_activities_refreshes_tokens_encrypted_and_queues_the_day(
    club: Club, redis_url: str
) -> None:
    club.add(
        "anna", OAuthToken(access_token="anna-acc-1", refresh_token="anna-ref-1", expires_at=0)
    )
    club.strava.grant("anna-acc-1", "anna-ref-1", next_pair=("anna-acc-2", "anna-ref-2"))
    assert club.sync("anna") == "synced"
    assert _activities(club.store, "anna") == 3
    stored = StoredTokens(club.secrets(), "anna", "strava").load()
    assert stored is not None and stored.refresh_token is not None
    assert (stored.access_token.get_secret_value(), stored.refresh_token.get_secret_value()) == (
        "anna-acc-2",
        "anna-ref-2",
    )
    assert [r.path for r in club.strava.requests] == ["/oauth/token", "/api/v3/athlete/activities"]
    used = SharedStravaBudget(redis.Redis.from_url(redis_url)).used()
    assert used == (2, 2)  # the token refresh went through the shared budget too
    assert queued(redis_url) == [(RUN_DAY, ["anna", DAY.isoformat()], {}, None)]


def test_two_processes_share_one_budget_and_the_second_is_requeued_not_sent(
    club: Club, redis_url: str
) -> None:
    club.env.update(
        LANTERNE_STRAVA_PER_DAY="1",
        LANTERNE_SYNC_WAIT_MAX_S="86400",
        LANTERNE_VISIBILITY_TIMEOUT_S="90000",  # a countdown must stay below it
    )
    for who in ("anna", "ben"):
        club.add(who, OAuthToken(access_token=f"{who}-acc", refresh_token=None, expires_at=FAR))
        club.strava.grant(f"{who}-acc", next_pair=("x", "y"))
    assert club.sync("anna") == "synced"
    assert club.sync("ben") == "postponed"  # another process: the budget anna used is spent
    assert len(club.strava.requests) == 1  # ben's request was never sent
    assert _activities(club.store, "ben") == 0
    waiting = queued(redis_url)
    assert [(t, a) for t, a, _, _ in waiting] == [
        (RUN_DAY, ["anna", DAY.isoformat()]),
        (SYNC, ["ben", DAY.isoformat()]),
    ]
    _, _, kwargs, eta = waiting[1]
    assert kwargs["sources"] == ["strava"]
    assert eta is not None
    reopens = datetime.combine(datetime.now(UTC).date() + timedelta(days=1), time(0), UTC)
    assert datetime.now(UTC) < datetime.fromisoformat(eta) <= reopens + timedelta(seconds=1)

    # the window reopens (a new UTC day); the re-queued message runs and queues ben's day
    redis.Redis.from_url(redis_url).delete(
        *redis.Redis.from_url(redis_url).keys("lanterne:strava:*")
    )
    assert club.sync("ben", **kwargs) == "synced"
    assert _activities(club.store, "ben") == 3
    assert (RUN_DAY, ["ben", DAY.isoformat()], {}, None) in queued(redis_url)


@pytest.mark.parametrize(
    "limits",
    [
        {"LANTERNE_SYNC_WAIT_MAX_S": "0"},
        {"LANTERNE_SYNC_WAIT_MAX_S": "86400", "LANTERNE_VISIBILITY_TIMEOUT_S": "1"},
    ],
    ids=["longer-than-the-setting", "longer-than-the-visibility-timeout"],
)
def test_a_sync_that_would_wait_too_long_runs_the_day_on_the_stored_data(
    club: Club, redis_url: str, limits: dict[str, str]
) -> None:
    club.env.update(LANTERNE_STRAVA_PER_DAY="1", **limits)
    club.add("anna", OAuthToken(access_token="anna-acc", expires_at=FAR))
    club.strava.grant("anna-acc", next_pair=("x", "y"))
    budget = SharedStravaBudget(redis.Redis.from_url(redis_url), StravaLimits(100, 1))
    assert budget.reserve().granted  # someone else spent today's budget
    assert club.sync("anna") == "synced"
    assert club.strava.requests == []
    assert queued(redis_url) == [(RUN_DAY, ["anna", DAY.isoformat()], {}, None)]
    assert "sync gave up waiting" in club.logs[-1]


@pytest.mark.parametrize("without", ["token", "key"])
def test_a_failed_sync_says_why_in_one_line_and_still_queues_the_day(
    club: Club, redis_url: str, without: str
) -> None:
    club.add("anna", None if without == "token" else OAuthToken(access_token="a", expires_at=FAR))
    if without == "key":
        del club.env["LANTERNE_SECRET_KEY"]
    assert club.sync("anna") == "synced"
    assert queued(redis_url) == [(RUN_DAY, ["anna", DAY.isoformat()], {}, None)]
    warned = [line for line in club.logs[-1].splitlines() if "sync failed" in line]
    reason = {
        "token": "Strava is not connected for this athlete",
        "key": "LANTERNE_SECRET_KEY is not set",
    }
    assert len(warned) == 1 and reason[without] in warned[0]
    assert "Traceback" not in club.logs[-1]


def test_dispatch_sends_sync_for_athletes_with_an_api_source_and_run_day_for_others(
    club: Club, redis_url: str, tmp_path: Path
) -> None:
    club.add("anna", None, sources="strava")
    club.add("ben", None, sources="oura,files")
    club.add("chloe", None, sources="intervals")
    club.add("dan", None, sources="")
    settings = Settings(database_url=club.url, output_dir=tmp_path)
    ctx = WorkerContext(settings, ClusterSettings(broker_url=redis_url))
    now = datetime.combine(DAY, time(12), UTC)
    assert enqueue_due(ctx, make_app(ctx.cluster), now_days=due_days(ctx, now)) == 4
    sent = {a[0]: t for t, a, _, _ in queued(redis_url)}
    assert sent == {"anna": SYNC, "ben": SYNC, "chloe": RUN_DAY, "dan": RUN_DAY}


def test_dispatch_reads_the_athletes_table_not_a_roster_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from lanterne_rouge.cluster.settings import load_cluster_settings
    from lanterne_rouge.errors import ConfigError

    monkeypatch.setenv("LANTERNE_FLEET_FILE", str(tmp_path / "fleet.toml"))
    with pytest.raises(ConfigError, match="LANTERNE_FLEET_FILE is no longer read") as caught:
        load_cluster_settings()
    assert f"`lanterne-rouge athlete import {tmp_path / 'fleet.toml'}`" in str(caught.value)


@pytest.mark.timeout(240)
def test_a_worker_process_syncs_an_athlete_then_runs_and_delivers_their_day(
    club: Club, redis_url: str, tmp_path: Path
) -> None:
    club.add("anna", OAuthToken(access_token="anna-acc", expires_at=FAR))
    club.strava.grant("anna-acc", next_pair=("x", "y"))
    output = tmp_path / "output"
    settings = Settings(database_url=club.url, output_dir=output)
    ctx = WorkerContext(settings, ClusterSettings(broker_url=redis_url))
    now = datetime.now(UTC)
    day = now.astimezone(ZoneInfo("Europe/Paris")).date()
    assert enqueue_due(ctx, make_app(ctx.cluster), now_days=due_days(ctx, now)) == 1
    assert [t for t, _, _, _ in queued(redis_url)] == [SYNC]

    env = {**club.env, "LANTERNE_OUTPUT_DIR": str(output)}
    log = tmp_path / "worker.log"
    worker = subprocess.Popen(
        [sys.executable, "-m", "lanterne_rouge", "worker", "--concurrency", "2"],
        env=env,
        cwd=tmp_path,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    report = output / "athletes" / "anna" / f"report-anna-{day.isoformat()}.html"
    try:
        deadline = clock.monotonic() + 180
        while clock.monotonic() < deadline and not report.exists():
            clock.sleep(0.2)
    finally:
        worker.terminate()
        worker.wait(60)
    logged = log.read_text()
    assert report.exists(), logged[-3000:]
    assert _activities(club.store, "anna") == 3  # synced by the worker before the day ran
    assert [r.path for r in club.strava.requests] == ["/api/v3/athlete/activities"]
    assert [(r.day, r.status) for r in club.store.day_runs.of("anna")] == [(day, "done")]
    assert "lanterne.sync" in logged and "Traceback" not in logged


def test_a_429_from_strava_all_the_same_requeues_the_sync_and_fills_the_window(
    club: Club, redis_url: str
) -> None:
    club.add("anna", OAuthToken(access_token="anna-acc", expires_at=FAR))
    club.strava.grant("anna-acc", next_pair=("x", "y"))
    club.strava.script(
        "/athlete/activities",
        Scripted(429, {"X-ReadRateLimit-Limit": "100,1000", "X-ReadRateLimit-Usage": "100,400"}),
    )
    assert club.sync("anna") == "postponed"  # no sleeping in the worker until the window ends
    assert len(club.strava.requests) == 1
    (task, args, kwargs, eta), *rest = queued(redis_url)
    assert (task, args, kwargs["sources"], rest) == (
        SYNC,
        ["anna", DAY.isoformat()],
        ["strava"],
        [],
    )
    assert eta is not None
    wait = (datetime.fromisoformat(eta) - datetime.now(UTC)).total_seconds()
    assert 0 < wait <= 900
    used = SharedStravaBudget(redis.Redis.from_url(redis_url)).used()
    assert used == (100, 400)  # the 429 filled the 15-minute window for every worker


def test_a_refused_refresh_tells_how_to_connect_this_athlete_again_not_the_token_file(
    club: Club, redis_url: str
) -> None:
    club.add("anna", OAuthToken(access_token="old", refresh_token="revoked", expires_at=0))
    assert club.sync("anna") == "synced"  # the day still goes ahead, on the stored data
    assert queued(redis_url) == [(RUN_DAY, ["anna", DAY.isoformat()], {}, None)]
    (warned,) = [line for line in club.logs[-1].splitlines() if "sync failed" in line]
    assert "refused the token request" in warned
    assert "`lanterne-rouge athlete connect strava --athlete anna`" in warned
    assert "auth strava" not in warned
