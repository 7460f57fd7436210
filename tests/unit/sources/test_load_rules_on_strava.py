"""Each load rule on real-shaped Strava payloads synced from a local server: the sport table,
the power checks, streams for any activity with power, and what was not counted."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from lanterne_rouge.agents.observation_agent import ObservationAgent
from lanterne_rouge.memory.activity_store import ActivityStore, StoredActivity
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.sources.connect import open_strava
from lanterne_rouge.sources.sync import sync_strava
from lanterne_rouge.sources.tokens import OAuthToken, TokenFile, token_path
from lanterne_rouge.training.load_models import AthleteThresholds
from lanterne_rouge.utils.config_loader import Settings
from support.fake_apis import FakeStrava
from support.strava_athlete import strava_week

THRESHOLDS = AthleteThresholds(ftp=128, threshold_hr=165, max_hr=182, resting_hr=59, sex="female")
CASES = {case.ident: case for case in strava_week()}


@pytest.fixture
def synced(
    strava_server: FakeStrava,
    store: StateStore,
    monkeypatch: pytest.MonkeyPatch,
    lanterne_env: Path,
) -> dict[int, StoredActivity]:
    strava_server.activities = [case.payload for case in CASES.values()]
    strava_server.streams = {str(c.ident): c.streams for c in CASES.values() if c.streams}
    monkeypatch.setenv("STRAVA_API_BASE_URL", strava_server.base_url)
    monkeypatch.setenv("STRAVA_CLIENT_ID", "4242")
    monkeypatch.setenv("STRAVA_CLIENT_SECRET", "secret-abcdef")
    home = lanterne_env / "home"
    TokenFile(token_path(home, "strava")).save(
        OAuthToken(access_token="access-1", refresh_token="refresh-1", expires_at=4_102_444_800)
    )
    strava_server.grant("access-1", "refresh-1", next_pair=("access-2", "refresh-2"))
    client = open_strava(Settings())
    try:
        report = sync_strava(
            store,
            "me",
            client,
            today=date(2025, 6, 25),
            thresholds=THRESHOLDS,
            where=ZoneInfo("Europe/Paris"),
            since=date(2025, 6, 20),
        )
    finally:
        client.close()
    assert report.activities == len(CASES) and not report.skipped
    return {int(a.external_id): a for a in ActivityStore(store).activities("me")}


def _requested_streams(server: FakeStrava) -> set[str]:
    return {r.path.split("/")[4] for r in server.requests if r.path.endswith("/streams")}


@pytest.mark.parametrize(
    ("ident", "method", "source"),
    [
        (101, "power", "power_stream"),
        (102, "power", "power_stream"),
        (103, "heart_rate", "average_hr"),
        (104, "not_counted", "sport_table"),
        (105, "not_counted", "sport_table"),
        (106, "heart_rate", "average_hr"),
        (107, "session_rpe", "rpe"),
        (108, "not_counted", "sport_table"),
        (109, "not_counted", "sport_table"),
        (110, "heart_rate", "average_hr"),
        (111, "not_counted", "sport_table"),
        (112, "heart_rate", "average_hr"),
        (113, "duration_estimate", "sport_table"),
    ],
    ids=lambda v: CASES[v].rule if isinstance(v, int) else str(v),
)
def test_each_activity_is_scored_by_its_rule(
    synced: dict[int, StoredActivity], ident: int, method: str, source: str
) -> None:
    stored = synced[ident]
    assert (stored.method, stored.method_source) == (method, source), CASES[ident].rule
    if method == "not_counted":
        assert stored.load == stored.fatigue_load == 0.0
        assert stored.detail["not_counted"]


def test_strength_and_workouts_count_for_fatigue_only(synced: dict[int, StoredActivity]) -> None:
    for ident in (106, 107, 110):
        assert synced[ident].load == 0.0 and synced[ident].fatigue_load > 0.0
    assert synced[112].load == synced[112].fatigue_load > 0.0  # rowing builds fitness too
    assert synced[113].fatigue_load == pytest.approx(3246 / 3600 * 25)  # walk, 25 TSS/h


def test_the_push_and_ride_class_is_not_scored_from_its_power(
    synced: dict[int, StoredActivity],
) -> None:
    skipped = synced[104].detail["skipped"]
    assert skipped[0].startswith("power_stream: stream NP ") and "x average power" in skipped[0]
    assert "provider_np: provider NP 125 W rejected: 3.2x average power" in skipped
    assert synced[104].detail["not_counted"] == "no power, heart rate or session RPE"


def test_mobility_loads_nothing_even_with_heart_rate(synced: dict[int, StoredActivity]) -> None:
    assert (synced[108].sport, synced[109].sport) == ("mobility", "mobility")
    assert synced[109].detail["not_counted"] == "mobility loads nothing (sport table)"


def test_estimated_power_is_never_power_tss(synced: dict[int, StoredActivity]) -> None:
    assert "provider_np: estimated (device_watts is False)" in synced[103].detail["skipped"]


def test_streams_are_fetched_for_any_activity_with_power_and_only_those(
    synced: dict[int, StoredActivity], strava_server: FakeStrava
) -> None:
    assert _requested_streams(strava_server) == {"101", "102", "104"}


def test_the_days_observation_lists_what_was_not_counted(
    synced: dict[int, StoredActivity], store: StateStore
) -> None:
    obs = ObservationAgent(store).observe("me", date(2025, 6, 25), data_label="stored")
    assert len(obs.not_counted) == 5
    text = "\n".join(obs.not_counted)
    assert "45 min Upper Body Push + Ride with Robin Arzón (workout, 45 min): no power" in text
    assert "20 min Yin Yoga with Aditi Shah (mobility, 20 min): mobility loads nothing" in text
    day = {d.day: d for d in store.loads("me")}[date(2025, 6, 24)]
    counted: list[Any] = [synced[i] for i in (106, 107, 113)]
    assert day.atl_load == pytest.approx(sum(a.fatigue_load for a in counted), abs=0.01)


def test_the_athlete_can_replace_the_sport_table(tmp_path: Path) -> None:
    from lanterne_rouge.errors import ConfigError
    from lanterne_rouge.sources.sports import sport_table

    mine = tmp_path / "sports.toml"
    mine.write_text('[sports.mobility]\ntss_per_hour = 15\n[other]\nwithout_data = "duration"\n')
    table = sport_table(mine)
    assert table.settings.rule("mobility").tss_per_hour == 15  # yoga now counts, 15 an hour
    assert table.settings.rule("curling").without_data == "duration"
    typo = tmp_path / "typo.toml"
    typo.write_text("[sports.ride]\ntss_per_houre = 50\n")
    with pytest.raises(ConfigError, match=r"typo.toml: sports.ride.tss_per_houre: Extra"):
        sport_table(typo)
