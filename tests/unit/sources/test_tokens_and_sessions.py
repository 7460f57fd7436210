"""Token files (atomic, 0600) and the same-session rule behind counting each activity once."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from lanterne_rouge.errors import ConfigError, SourceError
from lanterne_rouge.memory.activity_store import StoredActivity
from lanterne_rouge.memory.sessions import counted, same_session
from lanterne_rouge.sources.activity_days import day_loads
from lanterne_rouge.sources.tokens import OAuthToken, TokenFile

from .conftest import file_mode


def test_a_token_file_is_written_0600_even_under_a_permissive_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        TokenFile(tmp_path / "tokens" / "strava.json").save(
            OAuthToken(access_token="a-123456", refresh_token="r-123456", expires_at=10)
        )
    finally:
        os.umask(old)
    assert file_mode(tmp_path / "tokens" / "strava.json") == 0o600
    assert file_mode(tmp_path / "tokens") == 0o700
    assert [p.name for p in (tmp_path / "tokens").iterdir()] == ["strava.json"]  # no temp left


def test_a_token_file_is_replaced_whole_and_read_back(tmp_path: Path) -> None:
    tokens = TokenFile(tmp_path / "oura.json")
    tokens.save(OAuthToken(access_token="first-1", refresh_token="r-first"))
    tokens.save(OAuthToken(access_token="second-2", refresh_token="r-second", expires_at=99))
    loaded = tokens.load()
    assert loaded is not None and loaded.access_token.get_secret_value() == "second-2"
    assert loaded.refresh_token is not None and loaded.expires_at == 99
    assert "second-2" not in repr(loaded)  # secrets stay masked in reprs and logs


def test_a_failed_write_leaves_the_old_token_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tokens = TokenFile(tmp_path / "strava.json")
    tokens.save(OAuthToken(access_token="kept-1", refresh_token="r-kept"))

    def refuse(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(SourceError, match="cannot save the new token: disk full"):
        tokens.save(OAuthToken(access_token="lost-2", refresh_token="r-lost"))
    loaded = tokens.load()
    assert loaded is not None and loaded.access_token.get_secret_value() == "kept-1"
    assert [p.name for p in tmp_path.iterdir()] == ["strava.json"]


def test_a_corrupt_token_file_says_to_authorize_again(tmp_path: Path) -> None:
    (tmp_path / "oura.json").write_text("{not json")
    with pytest.raises(ConfigError, match="delete it and authorize again"):
        TokenFile(tmp_path / "oura.json").load()


START = datetime(2025, 6, 24, 7, 0, tzinfo=UTC)


def _activity(
    source: str, ident: str, start: datetime = START, moving: float = 3600, load: float = 50
) -> StoredActivity:
    return StoredActivity(
        source=source,
        external_id=ident,
        sport="ride",
        source_type="Ride",
        start_utc=start,
        local_day=start.date(),
        moving_s=moving,
        elapsed_s=moving + 60,
        tss=load,
        load=load,
        fatigue_load=load,
        method="power",
        method_source="power_stream",
    )


@pytest.mark.parametrize(
    ("offset", "moving", "same"),
    [
        (0, 3600, True),
        (59, 3300, True),  # within a minute, 8 % shorter
        (61, 3600, False),  # started more than a minute apart
        (10, 2400, False),  # a much shorter session
    ],
    ids=["identical", "close-enough", "start-too-far", "duration-too-different"],
)
def test_same_session_needs_a_close_start_and_a_similar_duration(
    offset: int, moving: float, same: bool
) -> None:
    api = _activity("strava", "1")
    file = _activity("fit", "f", START + timedelta(seconds=offset), moving, load=55)
    assert same_session(api, file) is same


def test_records_of_one_source_are_never_merged() -> None:
    assert not same_session(_activity("strava", "1"), _activity("strava", "2"))


def test_the_highest_precedence_record_of_a_session_counts_and_others_add() -> None:
    records = [
        _activity("intervals_activities", "i", load=48),
        _activity("fit", "f", START + timedelta(seconds=5), load=52),
        _activity("strava", "s", START + timedelta(seconds=30), load=50),
        _activity("fit", "evening", START + timedelta(hours=10), load=20),
    ]
    kept = counted(records)
    assert [a.external_id for a in kept] == ["s", "evening"]
    assert day_loads(kept)[date(2025, 6, 24)].load == 70
