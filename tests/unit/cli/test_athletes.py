"""Athletes as data: `athlete add|list|show|set|remove|import`, their one-line errors, and
the fleet's roster read from the athletes table."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lanterne_rouge.cli import app
from lanterne_rouge.errors import ConfigError
from lanterne_rouge.memory.state_store import StateStore

REPO = Path(__file__).resolve().parents[3]
MISSION = REPO / "config" / "missions" / "gran_fondo.toml"

runner = CliRunner()


def _cli(*args: str, ok: bool = True, stdin: str | None = None) -> str:
    result = runner.invoke(app, list(args), input=stdin)
    if ok:
        assert result.exit_code == 0, (result.output, result.exception)
        return result.output
    assert result.exit_code != 0
    assert isinstance(result.exception, ConfigError), (result.output, result.exception)
    message = str(result.exception)
    assert "\n" not in message
    return message


def _add(athlete_id: str, *extra: str) -> str:
    return _cli(
        "athlete", "add", athlete_id, "--timezone", "Europe/Paris", "--mission", str(MISSION),
        *extra,
    )  # fmt: skip


def _store(lanterne_env: Path) -> StateStore:
    return StateStore(f"sqlite:///{lanterne_env / 'home' / 'lanterne.db'}")


def test_an_added_athlete_is_listed_shown_and_in_the_fleet(lanterne_env: Path) -> None:
    said = _add(
        "anna", "--name", "Anna", "--morning", "05:45", "--email", "anna@example.org",
        "--telegram-chat", "123456", "--sources", "strava, oura",
    )  # fmt: skip
    assert said.startswith("Added athlete anna: time zone Europe/Paris, morning 05:45")
    _add("ben")
    table = _cli("athlete", "list").splitlines()
    assert re.split(r"\s{2,}", table[0]) == [
        "ID", "NAME", "TIME ZONE", "MORNING", "MISSION", "CHANNELS", "SOURCES", "CONNECTED",
    ]  # fmt: skip
    assert re.split(r"\s{2,}", table[1]) == [
        "anna", "Anna", "Europe/Paris", "05:45", "gran_fondo.toml", "email,telegram",
        "strava,oura", "-",
    ]  # fmt: skip
    assert re.split(r"\s{2,}", table[2])[:4] == ["ben", "-", "Europe/Paris", "06:30"]
    assert table[3] == "2 athletes, 2 run by the fleet (time zone, morning, mission)."
    shown = _cli("athlete", "show", "--athlete", "anna")
    assert "Athlete anna (Anna): time zone Europe/Paris, morning 05:45" in shown
    assert "email anna@example.org, Telegram 123456, sources strava, oura" in shown
    assert shown.count("Europe/Paris") == 1  # the card's line, not a second one

    store = _store(lanterne_env)
    anna = store.cards.get("anna")
    assert anna is not None and anna.mission == MISSION.resolve()
    assert (anna.morning, anna.sources, anna.synced) == (
        time(5, 45),
        ("strava", "oura"),
        ("strava", "oura"),
    )
    assert [c.athlete_id for c in store.cards.fleet()] == ["anna", "ben"]
    _cli("athlete", "remove", "ben")
    assert _cli("athlete", "list").splitlines()[-1].startswith("1 athlete, 1 run by the fleet")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--timezone", "Mars/Olympus"], "timezone: unknown time zone 'Mars/Olympus'"),
        (["--morning", "25:00"], "bad morning time '25:00': use HH:MM"),
        (["--morning", "6h30"], "bad morning time '6h30': use HH:MM"),
        (["--mission", "nowhere.toml"], "mission file nowhere.toml does not exist"),
        (["--email", "anna"], "email: 'anna' is not an email address"),
        (["--telegram-chat", "chat"], "telegram_chat: 'chat' is not a Telegram chat id"),
        (["--sources", "strava,garmin"], "unknown source 'garmin'"),
    ],
    ids=["zone", "morning", "morning-shape", "mission", "email", "telegram", "source"],
)
def test_bad_input_is_one_line_naming_the_field(args: list[str], message: str) -> None:
    given = {"--timezone": "Europe/Paris", "--mission": str(MISSION)}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        given[flag] = value
    flat = [x for pair in given.items() for x in pair]
    error = _cli("athlete", "add", "anna", *flat, ok=False)
    assert message in error
    assert "Added" not in _cli("athlete", "list")


def test_an_id_taken_already_is_refused(lanterne_env: Path) -> None:
    _add("anna")
    error = _cli(
        "athlete", "add", "anna", "--timezone", "Asia/Tokyo", "--mission", str(MISSION), ok=False
    )
    assert error.startswith("athlete 'anna' exists already")
    card = _store(lanterne_env).cards.get("anna")
    assert card is not None and card.timezone == "Europe/Paris"  # the first one is kept


def test_set_changes_one_field_and_an_empty_value_clears_it(lanterne_env: Path) -> None:
    _add("anna", "--email", "anna@example.org")
    assert "morning 07:10" in _cli("athlete", "set", "morning", "07:10", "--athlete", "anna")
    _cli("athlete", "set", "telegram_chat", "@anna_rides", "--athlete", "anna")
    _cli("athlete", "set", "email", "", "--athlete", "anna")
    _cli("athlete", "set", "sources", "intervals,files", "--athlete", "anna")
    error = _cli("athlete", "set", "morning", "7", "--athlete", "anna", ok=False)
    assert "bad morning time '7'" in error
    card = _store(lanterne_env).cards.get("anna")
    assert card is not None
    assert (card.morning, card.email, card.telegram_chat, card.sources) == (
        time(7, 10),
        None,
        "@anna_rides",
        ("intervals", "files"),
    )
    _cli("athlete", "set", "mission", "", "--athlete", "anna")
    assert _store(lanterne_env).cards.fleet() == []  # no mission: not run by the fleet


def test_remove_refuses_an_athlete_with_history_unless_it_is_kept(lanterne_env: Path) -> None:
    _add("anna")
    _add("ben")
    _cli("athlete", "set", "ftp", "250", "--athlete", "anna")
    store = _store(lanterne_env)
    with store.transaction():
        run = store.day_runs.claim("anna", date(2026, 3, 10), now=datetime.now(UTC))
        store.day_runs.finish(run.run_id, now=datetime.now(UTC))
    error = _cli("athlete", "remove", "anna", ok=False)
    assert error.startswith("athlete 'anna' has 1 stored day:")
    assert "--keep-history" in error
    assert store.cards.get("anna") is not None
    said = _cli("athlete", "remove", "anna", "--keep-history")
    assert (
        said == "Removed athlete anna (card, thresholds, secrets); their 1 stored days are kept.\n"
    )
    assert store.cards.get("anna") is None and store.profiles.profile("anna") is None
    assert [r.day for r in store.day_runs.of("anna")] == [date(2026, 3, 10)]  # history kept
    assert _cli("athlete", "remove", "ben").startswith("Removed athlete ben")
    assert "no athlete 'zoe' to remove" in _cli("athlete", "remove", "zoe", ok=False)


def test_a_roster_file_imports_many_athletes_and_again_updates_them(
    lanterne_env: Path, tmp_path: Path
) -> None:
    (tmp_path / "gran_fondo.toml").write_text(MISSION.read_text(encoding="utf-8"))
    roster = tmp_path / "fleet.toml"
    roster.write_text(
        '[[athletes]]\nid = "anna"\ntimezone = "Europe/Paris"\nmorning = "06:00"\n'
        'mission = "gran_fondo.toml"\nemail = "anna@example.org"\nsources = ["strava"]\n\n'
        '[[athletes]]\nid = "ben"\ntimezone = "Asia/Tokyo"\nmission = "gran_fondo.toml"\n',
        encoding="utf-8",
    )
    assert _cli("athlete", "import", str(roster)).endswith("2 athletes added, 0 updated.\n")
    _cli("athlete", "set", "ftp", "250", "--athlete", "anna")
    roster.write_text(roster.read_text().replace('"06:00"', '"06:15"'), encoding="utf-8")
    assert _cli("athlete", "import", str(roster)).endswith("0 athletes added, 2 updated.\n")
    store = _store(lanterne_env)
    anna = store.cards.get("anna")
    assert anna is not None and (anna.morning, anna.sources) == (time(6, 15), ("strava",))
    profile = store.profiles.profile("anna")
    assert profile is not None and [e.name for e in profile.thresholds.entries] == ["ftp"]
    roster.write_text(roster.read_text().replace('"gran_fondo.toml"', '"gone.toml"', 1))
    error = _cli("athlete", "import", str(roster), ok=False)
    assert (
        error == f"{roster}: athlete 'anna': mission file {tmp_path / 'gone.toml'} does not exist"
    )


def test_the_single_athlete_needs_no_card_to_run(lanterne_env: Path) -> None:
    """`me`, with settings from the environment, runs as before: no add, no key."""
    _cli("run", "--date", "2026-03-10", "--demo")
    assert _store(lanterne_env).cards.fleet() == []
