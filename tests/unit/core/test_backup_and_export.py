"""Backups are consistent and checked, restore swaps safely, the jsonl export round-trips."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lanterne_rouge.cli import app
from lanterne_rouge.errors import ConfigError, DataError
from lanterne_rouge.memory.backup import backup, backups, check, restore, sqlite_path
from lanterne_rouge.memory.history_export import history_lines, import_history, write_history
from lanterne_rouge.memory.state_store import StateStore

NOW = datetime(2026, 6, 30, 5, 30, tzinfo=UTC)
runner = CliRunner()


@pytest.fixture
def history(lanterne_env: Path) -> Path:
    """Three demo days run through the real command line; the database file."""
    for offset in range(3):
        day = date(2026, 6, 1) + timedelta(days=offset)
        done = runner.invoke(app, ["run", "--date", day.isoformat(), "--athlete", "demo"])
        assert done.exit_code == 0, done.output
    return lanterne_env / "home" / "lanterne.db"


def _history_json(database: Path) -> str:
    env = {"LANTERNE_DATABASE_URL": f"sqlite:///{database}"}
    done = runner.invoke(app, ["history", "--athlete", "demo", "--format", "json"], env=env)
    assert done.exit_code == 0, done.output
    return done.stdout


def test_a_backup_is_a_checked_copy_named_by_time_and_the_oldest_are_dropped(
    history: Path, tmp_path: Path
) -> None:
    to = tmp_path / "backups"
    made = [backup(history, to, keep=2, now=NOW + timedelta(minutes=i)) for i in range(3)]
    assert [p.name for p in backups(to)] == [
        "lanterne-20260630T053100Z.db",
        "lanterne-20260630T053200Z.db",
    ]
    assert made[2].removed == (to / "lanterne-20260630T053000Z.db",)
    assert check(made[2].path) is None
    assert _history_json(made[2].path) == _history_json(history)


def test_restore_checks_the_copy_keeps_the_current_file_aside_and_swaps(
    history: Path, tmp_path: Path
) -> None:
    copy = backup(history, tmp_path / "b", keep=5, now=NOW).path
    before = _history_json(history)
    runner.invoke(app, ["run", "--date", "2026-06-04", "--athlete", "demo"])
    assert _history_json(history) != before
    kept = restore(copy, history, now=NOW + timedelta(hours=1))
    assert kept == history.with_name("lanterne.db.before-restore-20260630T063000Z")
    assert _history_json(history) == before
    assert "2026-06-04" in _history_json(kept)


@pytest.mark.parametrize("damage", ["not-sqlite", "torn-page", "other-database"])
def test_restore_refuses_a_copy_that_fails_its_check_and_changes_nothing(
    history: Path, tmp_path: Path, damage: str
) -> None:
    bad = tmp_path / "bad.db"
    if damage == "not-sqlite":
        bad.write_bytes(b"this is not a database" * 100)
        expected = "not a SQLite database"
    elif damage == "torn-page":
        shutil.copyfile(backup(history, tmp_path / "b", keep=1, now=NOW).path, bad)
        data = bytearray(bad.read_bytes())
        page = 4096
        for start in range(page, len(data), page):  # every b-tree page header after the first
            for i in range(start, start + 12):
                data[i] ^= 0x5A
        bad.write_bytes(bytes(data))
        expected = "integrity_check|not a SQLite database"
    else:
        with sqlite3.connect(bad) as conn:
            conn.execute("CREATE TABLE notes (x)")
        expected = "not a Lanterne Rouge store: no table messages, runs"
    before = history.read_bytes()
    with pytest.raises(DataError, match=rf"bad\.db: cannot restore it: ({expected})"):
        restore(bad, history, now=NOW)
    assert history.read_bytes() == before


def test_a_postgresql_database_gets_pg_dump_advice() -> None:
    with pytest.raises(ConfigError, match="pg_dump -Fc"):
        sqlite_path("postgresql+psycopg://coach@localhost/lanterne")


def test_the_jsonl_export_is_sorted_and_rebuilds_the_same_history_byte_for_byte(
    history: Path, tmp_path: Path
) -> None:
    first = tmp_path / "history.jsonl"
    count = write_history(StateStore(f"sqlite:///{history}"), first)
    lines = first.read_text(encoding="utf-8").splitlines()
    assert count == len(lines) > 10
    assert lines[0].startswith('{"athlete_id":"demo","attempt":1,"day":"2026-06-01"')
    assert '"record":"run"' in lines[0] and '"record":"message"' in lines[1]
    empty = tmp_path / "empty.db"
    rebuilt = StateStore(f"sqlite:///{empty}")
    done = import_history(rebuilt, lines, name="history.jsonl")
    assert (done.runs, done.already_there) == (3, 0)
    again = tmp_path / "again.jsonl"
    write_history(rebuilt, again)
    assert again.read_bytes() == first.read_bytes()
    assert _history_json(empty) == _history_json(history)
    twice = import_history(rebuilt, lines, name="history.jsonl")
    assert (twice.runs, twice.messages, twice.already_there) == (0, 0, count)


def test_since_keeps_the_days_from_that_date(history: Path) -> None:
    store = StateStore(f"sqlite:///{history}")
    days = {line.split('"day":"')[1][:10] for line in history_lines(store, since=date(2026, 6, 2))}
    assert days == {"2026-06-02", "2026-06-03"}


def test_a_bad_export_line_is_one_message_naming_the_line_and_nothing_is_stored(
    tmp_path: Path,
) -> None:
    store = StateStore(f"sqlite:///{tmp_path / 'x.db'}")
    good = (
        '{"record":"run","run_id":"r1","athlete_id":"a","day":"2026-06-01","attempt":1,'
        '"status":"done","started_at":"2026-06-01T05:00:00+00:00","finished_at":null}'
    )
    with pytest.raises(DataError, match=r"^h\.jsonl line 2: field athlete_id: missing$"):
        import_history(store, [good, '{"record":"run","run_id":"r2"}'], name="h.jsonl")
    assert not store.day_runs.of("a")


def test_a_backup_taken_while_four_runs_write_is_whole_and_restores_the_same_history(
    lanterne_env: Path, tmp_path: Path
) -> None:
    import os
    import subprocess
    import sys

    runner.invoke(app, ["run", "--demo", "--date", "2026-05-31"])  # the store exists
    writers = [
        subprocess.Popen(
            [sys.executable, "-m", "lanterne_rouge", "run", "--demo", "--date", f"2026-06-{d:02}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=os.environ.copy(),
        )
        for d in range(1, 5)
    ]
    to = tmp_path / "copies"
    during = []
    while any(w.poll() is None for w in writers):
        done = runner.invoke(app, ["backup", "--to", str(to), "--keep", "100"])
        assert done.exit_code == 0, done.output
        during.append(sorted(to.iterdir())[-1])
    assert [w.wait() for w in writers] == [0, 0, 0, 0], [w.stderr.read() for w in writers]  # type: ignore[union-attr]
    assert during, "the runs ended before a backup could start"
    for copy in during:
        with sqlite3.connect(copy) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            days = {row[0] for row in conn.execute("SELECT day FROM runs")}
            plans = {row[0] for row in conn.execute("SELECT day FROM messages WHERE kind = 'plan'")}
        assert days == plans  # every day in a copy is whole: no run without its plan
    final = runner.invoke(app, ["backup", "--to", str(to), "--keep", "100"])
    assert final.exit_code == 0
    live = lanterne_env / "home" / "lanterne.db"
    expected = _history_json(live)
    runner.invoke(app, ["run", "--demo", "--date", "2026-06-05"])  # the store moves on
    restored = runner.invoke(app, ["restore", str(sorted(to.iterdir())[-1])])
    assert restored.exit_code == 0, restored.output
    assert "The database it replaced is kept at " in restored.stdout
    assert _history_json(live) == expected


def test_export_and_import_history_through_the_command_line_round_trip_byte_for_byte(
    history: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = tmp_path / "log" / "history.jsonl"
    done = runner.invoke(app, ["export", "history", "--format", "jsonl", "--out", str(first)])
    assert done.exit_code == 0, done.output
    assert done.stdout.startswith("Wrote ") and first.stat().st_size > 0
    since = tmp_path / "since.jsonl"
    runner.invoke(app, ["export", "history", "--since", "2026-06-03", "--out", str(since)])
    assert {line.split('"day":"')[1][:10] for line in since.read_text().splitlines()} == {
        "2026-06-03"
    }
    monkeypatch.setenv("LANTERNE_HOME", str(tmp_path / "other-home"))
    loaded = runner.invoke(app, ["import", "history", str(first)])
    assert loaded.exit_code == 0, loaded.output
    assert loaded.stdout.startswith("Imported history.jsonl: 3 runs and ")
    again = tmp_path / "again.jsonl"
    assert runner.invoke(app, ["export", "history", "--out", str(again)]).exit_code == 0
    assert again.read_bytes() == first.read_bytes()
    rebuilt = tmp_path / "other-home" / "lanterne.db"
    assert _history_json(rebuilt) == _history_json(history)
