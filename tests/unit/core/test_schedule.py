"""The morning run's timer: systemd accepts the units, cron parses the line, nothing else moves."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time as clock
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from crontab import CronTab
from freezegun import freeze_time

from lanterne_rouge.errors import ConfigError
from lanterne_rouge.schedule import (
    MARK,
    CronEntry,
    Schedule,
    SystemdTimer,
    machine_time,
    parse_at,
    settings_env,
)


def _schedule(tmp_path: Path, zone: str = "Europe/Paris", at: str = "06:30") -> Schedule:
    env = settings_env(
        {"LANTERNE_HOME": "my home", "LANTERNE_TIMEZONE": zone, "OPENAI_API_KEY": "sk-secret"},
        tmp_path,
    )
    return Schedule(
        at=parse_at(at), zone=zone, workdir=tmp_path, log=tmp_path / "coach.log", env=env
    )


@pytest.fixture
def machine_in_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    clock.tzset()
    yield
    monkeypatch.undo()
    clock.tzset()


def test_systemd_analyze_verify_accepts_the_service_and_the_timer(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze is needed (Debian's systemd package; .ci/run installs it)"
    units = tmp_path / "units"
    said = SystemdTimer(units, systemctl=None).install(_schedule(tmp_path))
    assert "every morning at 06:30 Europe/Paris" in said
    files = sorted(units.iterdir())
    assert [f.name for f in files] == ["lanterne-rouge.service", "lanterne-rouge.timer"]
    done = subprocess.run([analyze, "verify", *map(str, files)], capture_output=True, text=True)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    timer = (units / "lanterne-rouge.timer").read_text()
    assert "OnCalendar=*-*-* 06:30:00 Europe/Paris\nPersistent=true\n" in timer
    service = (units / "lanterne-rouge.service").read_text()
    assert f"ExecStart={sys.executable} -m lanterne_rouge run" in service
    assert f'Environment="LANTERNE_HOME={tmp_path}/my home"' in service
    assert "sk-secret" not in service + timer  # secrets stay in .env


def test_systemd_analyze_rejects_a_broken_timer_so_the_check_can_fail(tmp_path: Path) -> None:
    units = tmp_path / "units"
    SystemdTimer(units, systemctl=None).install(_schedule(tmp_path))
    timer = units / "lanterne-rouge.timer"
    timer.write_text(timer.read_text().replace("06:30:00", "25:30:00"))
    done = subprocess.run(["systemd-analyze", "verify", str(timer)], capture_output=True, text=True)
    assert done.returncode != 0


def test_status_and_remove_of_the_systemd_timer(tmp_path: Path) -> None:
    timer = SystemdTimer(tmp_path / "units", systemctl=None)
    assert timer.status().startswith("No morning run installed")
    timer.install(_schedule(tmp_path, at="07:05"))
    assert timer.status().endswith("lanterne-rouge.timer: *-*-* 07:05:00 Europe/Paris")
    assert timer.remove().startswith("Removed")
    assert not list((tmp_path / "units").iterdir())
    assert timer.remove() == "No morning run installed; nothing removed."


@freeze_time("2026-01-15 12:00:00")
def test_the_crontab_line_parses_and_keeps_the_users_other_lines(
    tmp_path: Path, machine_in_utc: None
) -> None:
    tab = tmp_path / "crontab"
    tab.write_text("MAILTO=me@example.org\n0 3 * * 0 /usr/bin/weekly-job\n")
    entry = CronEntry(tabfile=tab)
    said = entry.install(_schedule(tmp_path, zone="America/New_York"))
    assert said.startswith("Installed a crontab line: every morning at 10:30 or 11:30 UTC")
    entry.install(_schedule(tmp_path, zone="America/New_York"))  # twice: still one line
    parsed = CronTab(tabfile=str(tab))
    (ours,) = list(parsed.find_comment(MARK))
    assert ours.is_valid() and ours.slices.render() == "30 10,11 * * *"
    assert f"cd {tmp_path} && " in ours.command and "-m lanterne_rouge run >> " in ours.command
    others = [job for job in parsed if job.comment != MARK]
    assert [(job.slices.render(), job.command) for job in others] == [
        ("0 3 * * 0", "/usr/bin/weekly-job")
    ]
    assert "MAILTO=me@example.org" in tab.read_text()
    assert entry.status().startswith("crontab: 30 10,11 * * * t=")
    assert entry.remove() == "Removed the morning run from the crontab."
    assert tab.read_text() == "MAILTO=me@example.org\n0 3 * * 0 /usr/bin/weekly-job\n"


@pytest.mark.parametrize(
    ("now", "zone", "expected"),
    [
        ("2026-01-15 12:00", "America/New_York", time(11, 30)),
        ("2026-07-15 12:00", "America/New_York", time(10, 30)),
        ("2026-03-29 00:30", "Europe/Paris", time(4, 30)),  # the night Paris moves to summer
        ("2026-03-28 12:00", "Europe/Paris", time(5, 30)),
    ],
    ids=["new-york-winter", "new-york-summer", "paris-dst-night", "paris-winter"],
)
def test_cron_fires_at_the_athletes_time_converted_to_the_machines_clock(
    tmp_path: Path, machine_in_utc: None, now: str, zone: str, expected: time
) -> None:
    schedule = _schedule(tmp_path, zone=zone)
    stamp = datetime.fromisoformat(now).replace(tzinfo=UTC)
    assert machine_time(schedule, stamp) == expected


@pytest.mark.parametrize("text", ["6h30", "25:00", ""], ids=["words", "hour-25", "empty"])
def test_a_bad_time_is_one_line_naming_the_option(text: str) -> None:
    with pytest.raises(ConfigError, match=r"^--at .*: expected a time such as 06:30$"):
        parse_at(text)


def _cron_lines(tab: Path) -> list[tuple[list[int], int, str]]:
    """Our crontab lines as cron reads them: hours, minute, and the command given to sh."""
    found = []
    for line in tab.read_text().splitlines():
        if line.endswith(f"# {MARK}"):
            minute, hours, _, _, _, command = line.removesuffix(f" # {MARK}").split(" ", 5)
            found.append(([int(h) for h in hours.split(",")], int(minute), command))
    return found


@pytest.mark.parametrize(
    ("machine", "zone"),
    [("UTC", "America/New_York"), ("America/New_York", "Europe/Paris"), ("UTC", "UTC")],
    ids=["utc-machine-new-york-athlete", "new-york-machine-paris-athlete", "no-dst"],
)
def test_cron_runs_once_each_morning_at_the_athletes_time_across_daylight_saving(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, machine: str, zone: str
) -> None:
    """Fire the installed lines on every day of a year, as cron would on the machine's clock,
    with ``date`` answering for that moment: exactly one run a day, at 06:30 the athlete's."""
    monkeypatch.setenv("TZ", machine)
    clock.tzset()
    try:
        tab = tmp_path / "crontab"
        schedule = _schedule(tmp_path, zone=zone)
        schedule = Schedule(
            at=schedule.at, zone=zone, workdir=tmp_path, log=tmp_path / "log", command=("true",)
        )
        with freeze_time("2026-01-01 12:00:00"):
            said = CronEntry(tabfile=tab).install(schedule)
    finally:
        monkeypatch.undo()
        clock.tzset()
    lines = _cron_lines(tab)
    fires = [(h, m, command.replace("\\%", "%")) for hours, m, command in lines for h in hours]
    assert len(fires) == (1 if zone == machine else 2), said
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "date"
    fake.write_text(f'#!/bin/sh\nexec {shutil.which("date")} -d "@$FAKE_EPOCH" "$@"\n')
    fake.chmod(0o755)
    here, athlete = ZoneInfo(machine), ZoneInfo(zone)
    day = date(2026, 1, 1)
    while day.year == 2026:
        ran = []
        for hour, minute, command in fires:
            moment = datetime.combine(day, time(hour, minute), tzinfo=here)
            env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "FAKE_EPOCH": str(int(moment.timestamp()))}
            if subprocess.run(["sh", "-c", command], env=env, check=False).returncode == 0:
                ran.append(moment.astimezone(athlete))
        assert [(m.hour, m.minute) for m in ran] == [(6, 30)], (day, ran)
        day += timedelta(days=1 if day.month in (3, 4, 10, 11) else 6)
