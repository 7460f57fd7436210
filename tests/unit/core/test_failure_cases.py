"""Every expected failure is one line naming what and where, with a non-zero exit; bad records
are skipped by name and the rest kept. Driven through the real entry point (``main``)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from lanterne_rouge.cli import main

REPO = Path(__file__).resolve().parents[3]
INTERVALS = REPO.parent / "shared" / "data" / "intervals_icu"
MISSION = (REPO / "config" / "missions" / "tour_de_france_sim.toml").read_text(encoding="utf-8")
ERROR = "lanterne-rouge: error: "


def _main(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["lanterne-rouge", *args])
    try:
        main()
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 1
    out = capsys.readouterr()
    return code, out.out, out.err


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(ERROR), err
    return lines[0].removeprefix(ERROR)


def _mission(tmp_path: Path, old: str, new: str) -> Path:
    assert old in MISSION
    path = tmp_path / "mission.toml"
    path.write_text(MISSION.replace(old, new, 1), encoding="utf-8")
    return path


def _demo_day(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, err = _main(capsys, monkeypatch, "run", "--demo", "--date", "2026-06-01")
    assert code == 0, err


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "ftp = 250",
            "ftp = true",
            "athlete.ftp: expected a number, not a yes/no value (got True)",
        ),
        (
            "recovery_days = 7",
            "recovery_days = 1000000000",
            "phases.recovery_days: Input should be less than or equal to 60 (got 1000000000)",
        ),
        (
            '# timezone = "Europe/Paris"',
            'timezone = "Europe/Pariss"',
            "athlete.timezone: unknown time zone (use an IANA name such as Europe/Paris) "
            "(got 'Europe/Pariss')",
        ),
    ],
    ids=["ftp-true", "recovery-days-a-billion", "bad-timezone-even-with-date"],
)
def test_a_bad_mission_is_one_line_naming_file_and_field_exit_2(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    old: str,
    new: str,
    expected: str,
) -> None:
    path = _mission(tmp_path, old, new)
    code, _, err = _main(capsys, monkeypatch, "run", "--date", "2025-06-25", "--mission", str(path))
    assert code == 2 and _one_line(err) == f"{path}: {expected}"


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_date_outside_what_the_coach_holds_is_one_line_exit_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, day: str
) -> None:
    code, _, err = _main(capsys, monkeypatch, "run", "--demo", "--date", day)
    assert code == 2
    assert _one_line(err) == (f"--date {day}: the coach runs days from 1990-01-01 to 2099-12-31")


def test_a_postgresql_url_without_its_driver_is_one_line_exit_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANTERNE_DATABASE_URL", "postgresql+psycopg2://coach:pw@127.0.0.1/x")
    code, _, err = _main(capsys, monkeypatch, "history", "--demo")
    assert code == 2
    assert _one_line(err) == (
        "LANTERNE_DATABASE_URL: the driver for postgresql+psycopg2 is not installed (no "
        "module psycopg2): pip install 'lanterne-rouge[postgres]' and write "
        "postgresql+psycopg://..."
    )
    assert "pw" not in err


def test_an_empty_dashboard_password_does_not_open_other_addresses(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANTERNE_DASHBOARD_PASSWORD", "")
    code, _, err = _main(capsys, monkeypatch, "dashboard", "--host", "0.0.0.0")
    assert code == 2
    assert _one_line(err).startswith("refusing to serve the dashboard on 0.0.0.0 without a")


def test_a_damaged_zip_member_is_one_line_exit_4(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("activities.csv", "Activity ID,Activity Date,Activity Type,Filename\n")
    data = bytearray(buffer.getvalue())
    data[30 + len("activities.csv")] = 0xFF  # the member's first deflate byte: zlib.error
    path = tmp_path / "export.zip"
    path.write_bytes(bytes(data))
    mission = REPO / "config" / "missions" / "tour_de_france_sim.toml"
    code, _, err = _main(
        capsys, monkeypatch, "import", "strava-export", str(path), "--mission", str(mission)
    )
    assert code == 4
    line = _one_line(err)
    assert line.startswith(f"{path}: damaged entry activities.csv (")
    assert line.endswith("; the archive is rejected")


def test_a_corrupted_database_is_refused_on_open_with_the_way_out_exit_5(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, lanterne_env: Path
) -> None:
    _demo_day(capsys, monkeypatch)
    assert _main(capsys, monkeypatch, "backup", "--to", str(lanterne_env / "copies"))[0] == 0
    database = lanterne_env / "home" / "lanterne.db"
    data = bytearray(database.read_bytes())
    for start in range(4096, len(data), 4096):  # every b-tree page header after the first
        for i in range(start, start + 12):
            data[i] ^= 0x5A
    database.write_bytes(bytes(data))
    damaged = database.read_bytes()
    wellness = INTERVALS / "wellness.csv"
    code, _, err = _main(capsys, monkeypatch, "import", "intervals-wellness", str(wellness))
    assert code == 5
    assert _one_line(err) == (
        f"the database {database} is corrupted (database disk image is malformed); restore "
        "from a backup: lanterne-rouge restore FILE (see lanterne-rouge backup)"
    )
    assert database.read_bytes() == damaged  # nothing written into the damaged file
    (copy,) = (lanterne_env / "copies").iterdir()
    assert _main(capsys, monkeypatch, "restore", str(copy))[0] == 0  # the way out works
    code, out, _ = _main(capsys, monkeypatch, "history", "--demo")
    assert code == 0 and "2026-06-01  #1  decision" in out


def test_export_to_a_folder_that_cannot_be_written_is_one_line_exit_4(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _demo_day(capsys, monkeypatch)
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    target = blocked / "plan.zwo"
    code, _, err = _main(
        capsys, monkeypatch, "export", "zwo", "--demo", "--date", "2026-06-01", "--out", str(target)
    )
    assert code == 4
    assert _one_line(err) == f"{target}: cannot write the export: File exists"


def test_a_truncated_export_and_absurd_records_are_skipped_by_name_and_the_rest_kept(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    lines = (INTERVALS / "wellness.csv").read_text(encoding="utf-8-sig").splitlines()
    future = "2100-01-01," + lines[2].split(",", 1)[1]
    cut = lines[3][: lines[3].index(",75.0,") + 3]  # the last row ends inside its ctlLoad
    path = tmp_path / "wellness.csv"
    path.write_text("\n".join([lines[0], lines[1], future, cut]), encoding="utf-8")
    code, out, _ = _main(capsys, monkeypatch, "import", "intervals-wellness", str(path))
    assert code == 0
    assert "stored 1 days of load and 1 days of recovery from 2025-06-25 to 2025-06-25" in out
    assert "skipped 2." in out
    assert "  skipped: wellness.csv line 3: field date: 2100-01-01 is outside 1990-01-01.." in out
    assert "  skipped: wellness.csv line 4: field atlLoad: missing, the row has 36 of 38" in out


def test_an_unreadable_stored_message_is_skipped_with_a_warning_naming_it(
    cli: object,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    lanterne_env: Path,
) -> None:
    for day in ("2026-06-01", "2026-06-02"):
        assert _main(capsys, monkeypatch, "run", "--demo", "--date", day)[0] == 0
    database = lanterne_env / "home" / "lanterne.db"
    broken = str(uuid.uuid4())
    with sqlite3.connect(database) as conn:
        run_id = conn.execute("SELECT run_id FROM runs ORDER BY day LIMIT 1").fetchone()[0]
        conn.execute(
            "INSERT INTO messages (message_id, run_id, athlete_id, day, kind, schema_version, "
            "producer, created_at, payload) VALUES (?, ?, 'demo', '2026-06-01', 'decision', 1, "
            "'reasoning_agent', '2026-06-01 05:00:00', '{\"kind\": \"decision\", \"act')",
            (broken, run_id),
        )
    for args in (("history", "--demo"), ("reflect", "--demo", "--week", "2026-06-01")):
        done = cli(*args)  # type: ignore[operator]
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        assert "skipped an unreadable stored message" in done.stderr and broken in done.stderr
    monday = cli("run", "--demo", "--date", "2026-06-08")  # type: ignore[operator]
    assert monday.returncode == 0 and "Traceback" not in monday.stderr


def _unshare(script: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    if shutil.which("unshare") is None or os.geteuid() != 0:
        pytest.skip("needs root and unshare(1) to mount a read-only or full folder")
    return subprocess.run(
        ["unshare", "-m", "sh", "-c", script],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_a_read_only_home_serves_the_reading_commands_and_says_what_to_fix(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, lanterne_env: Path
) -> None:
    _demo_day(capsys, monkeypatch)
    home = lanterne_env / "home"
    run = f"{sys.executable} -m lanterne_rouge"
    done = _unshare(
        f"mount --bind -o ro {home} {home} && "
        f"{run} history --demo && {run} fitness --demo && "
        f"{run} export zwo --demo --date 2026-06-01 --out {home}/plan.zwo; echo exit=$?; "
        f"{run} run --demo --date 2026-06-02; echo exit=$?",
        os.environ.copy(),
    )
    assert "2026-06-01  #1  decision" in done.stdout
    assert done.stdout.strip().splitlines()[-2:] == ["exit=4", "exit=5"]
    assert done.stderr.strip().splitlines() == [
        f"{ERROR}{home / 'plan.zwo'}: cannot write the export: Read-only file system",
        f"{ERROR}{home / 'lanterne.db'} is read-only (its folder cannot be written): reading "
        "commands work; make the home writable to run the coach or import data",
    ]


def test_a_full_disk_says_so_instead_of_disk_io_error(lanterne_env: Path) -> None:
    home = lanterne_env / "small"
    home.mkdir()
    env = os.environ.copy() | {"LANTERNE_HOME": str(home / "home")}
    run = f"{sys.executable} -m lanterne_rouge"
    done = _unshare(
        f"mount -t tmpfs -o size=700k tmpfs {home} && {run} run --demo --date 2026-06-01 "
        f"> /dev/null && dd if=/dev/zero of={home}/filler bs=1k count=4000 2>/dev/null; "
        f"{run} run --demo --date 2026-06-02; echo exit=$?",
        env,
    )
    assert done.stdout.strip().endswith("exit=5"), done.stderr
    assert done.stderr.strip() == (
        f"{ERROR}cannot write {home / 'home' / 'lanterne.db'}: the disk is full or failing "
        "(disk I/O error); free some space and run again (nothing was half written)"
    )


def test_concurrent_first_runs_on_a_fresh_home_all_succeed(lanterne_env: Path) -> None:
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "lanterne_rouge", "run", "--demo", "--date", f"2026-06-{d:02}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=lanterne_env,
        )
        for d in range(1, 13)
    ]
    results = [(p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in processes]  # type: ignore[union-attr]
    assert [code for code, _, _ in results] == [0] * 12, [err for _, _, err in results]
    assert not any("Traceback" in err for _, _, err in results)
