"""The morning run, by itself: a systemd user timer where systemd runs, else a crontab entry.

``schedule install [--at 06:30]`` writes what runs ``lanterne-rouge run`` every morning:

- **systemd** (where ``/run/systemd/system`` exists): ``lanterne-rouge.service`` (one shot,
  in the folder the command was given from, so its ``.env`` is read) and
  ``lanterne-rouge.timer`` (``OnCalendar=*-*-* 06:30:00 Europe/Paris``: systemd keeps the
  athlete's time zone across DST; ``Persistent=true`` runs a morning missed while the machine
  was off at the next boot) in ``~/.config/systemd/user``, then enables the timer;
- **cron** elsewhere: one line in the user's crontab, marked with a comment so ``status``
  and ``remove`` find it and no other line is touched. Cron fires in the machine's time zone
  and knows no other: where the athlete's zone and the machine's differ across the year
  (daylight saving), the line fires at each machine time the athlete's morning falls on, and
  a guard lets only the one that is the athlete's morning that day go on.

Secrets never go into these files: the run reads them from ``.env`` as usual. Only the
``LANTERNE_*`` settings that say where things are (home, output, athlete, mission, time
zone) are copied, as absolute paths. The run's output is appended to ``coach.log`` in the home.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import msgspec

from lanterne_rouge.errors import ConfigError

UNIT = "lanterne-rouge"
MARK = "lanterne-rouge morning run"
COPIED = ("HOME", "OUTPUT_DIR", "ATHLETE_ID", "MISSION_FILE", "TIMEZONE")


class Schedule(msgspec.Struct, frozen=True):
    """What runs when: the command, its folder and settings, the time in the athlete's zone."""

    at: time
    zone: str
    workdir: Path
    log: Path
    command: tuple[str, ...] = (sys.executable, "-m", "lanterne_rouge", "run")
    env: dict[str, str] = msgspec.field(default_factory=dict)


def parse_at(text: str) -> time:
    """``06:30`` as a time; ``ConfigError`` naming the option otherwise."""
    try:
        parsed = time.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"--at {text!r}: expected a time such as 06:30") from None
    return parsed.replace(second=0, microsecond=0)


def settings_env(environ: dict[str, str], workdir: Path) -> dict[str, str]:
    """The location settings of ``environ`` to copy into the schedule, paths made absolute."""
    copied = {}
    for name in COPIED:
        value = environ.get(f"LANTERNE_{name}")
        if value:
            is_path = name in ("HOME", "OUTPUT_DIR", "MISSION_FILE")
            copied[f"LANTERNE_{name}"] = str(workdir / value) if is_path else value
    return copied


def systemd_units(schedule: Schedule) -> dict[str, str]:
    """The service and timer files, by name."""
    env = "".join(f"Environment={_quoted(f'{k}={v}')}\n" for k, v in sorted(schedule.env.items()))
    service = (
        "[Unit]\n"
        "Description=Lanterne Rouge: the morning run\n\n"
        "[Service]\n"
        "Type=oneshot\n"
        f"WorkingDirectory={schedule.workdir}\n"
        f"{env}"
        f"ExecStart={' '.join(_quoted(part) for part in schedule.command)}\n"
        f"StandardOutput=append:{schedule.log}\n"
        f"StandardError=append:{schedule.log}\n"
    )
    timer = (
        "[Unit]\n"
        f"Description=Lanterne Rouge: every morning at {schedule.at:%H:%M} {schedule.zone}\n\n"
        "[Timer]\n"
        f"OnCalendar=*-*-* {schedule.at:%H:%M}:00 {schedule.zone}\n"
        "Persistent=true\n"
        f"Unit={UNIT}.service\n\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
    )
    return {f"{UNIT}.service": service, f"{UNIT}.timer": timer}


def _quoted(word: str) -> str:
    """A word for a systemd command line or setting: quoted when it holds a space."""
    if not word or any(c in word for c in " \t\"'\\"):
        return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return word


def machine_time(schedule: Schedule, now: datetime) -> time:
    """The athlete's ``at`` on ``now``'s date, on the machine's clock (cron has no zones)."""
    local = datetime.combine(now.astimezone(ZoneInfo(schedule.zone)).date(), schedule.at)
    return local.replace(tzinfo=ZoneInfo(schedule.zone)).astimezone().time()


def machine_times(schedule: Schedule, start: datetime, days: int = 366) -> list[time]:
    """Every machine time the athlete's morning falls on over the ``days`` from ``start``."""
    one_day = timedelta(days=1)
    return sorted({machine_time(schedule, start + n * one_day) for n in range(days)})


def cron_guard(schedule: Schedule, fires: list[time]) -> str:
    """A shell test passing only when it is the athlete's morning in their own zone: from
    ``at`` until the next of ``fires`` could come round (empty when there is one fire time)."""
    if len(fires) < 2:
        return ""
    minutes = [f.hour * 60 + f.minute for f in fires]
    gap = min((b - a) % 1440 for a, b in zip(minutes, minutes[1:] + minutes[:1], strict=True))
    start = schedule.at.hour * 100 + schedule.at.minute
    end_minute = schedule.at.hour * 60 + schedule.at.minute + gap
    end = (end_minute // 60 % 24) * 100 + end_minute % 60
    now = f'"$(TZ={shlex.quote(schedule.zone)} date +%H%M)"'
    if end_minute < 1440:
        return f't={now}; [ "$t" -ge {start} ] && [ "$t" -lt {end} ] && '
    return f't={now}; {{ [ "$t" -ge {start} ] || [ "$t" -lt {end} ]; }} && '


def cron_command(schedule: Schedule, fires: list[time] | None = None) -> str:
    env = " ".join(shlex.quote(f"{k}={v}") for k, v in sorted(schedule.env.items()))
    run = " ".join(shlex.quote(part) for part in schedule.command)
    log = shlex.quote(str(schedule.log))
    guard = cron_guard(schedule, fires or [])
    return (
        f"{guard}cd {shlex.quote(str(schedule.workdir))} && "
        f"{env + ' ' if env else ''}{run} >> {log} 2>&1"
    )


def has_systemd() -> bool:
    return Path("/run/systemd/system").is_dir() and shutil.which("systemctl") is not None


def user_unit_dir() -> Path:
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "systemd" / "user"


class SystemdTimer:
    """The user timer: files in ``unit_dir``; ``systemctl`` run unless it is None (tests)."""

    kind = "systemd"

    def __init__(
        self, unit_dir: Path, systemctl: Sequence[str] | None = ("systemctl", "--user")
    ) -> None:
        self.unit_dir = unit_dir
        self.systemctl = systemctl

    def install(self, schedule: Schedule) -> str:
        self.unit_dir.mkdir(parents=True, exist_ok=True)
        for name, text in systemd_units(schedule).items():
            (self.unit_dir / name).write_text(text, encoding="utf-8")
        self._ctl("daemon-reload")
        self._ctl("enable", "--now", f"{UNIT}.timer")
        return (
            f"Installed the systemd user timer {self.unit_dir / (UNIT + '.timer')}: every "
            f"morning at {schedule.at:%H:%M} {schedule.zone} (a morning missed while off runs "
            "at the next start)."
        )

    def status(self) -> str:
        timer = self.unit_dir / f"{UNIT}.timer"
        if not timer.is_file():
            return "No morning run installed (lanterne-rouge schedule install)."
        when = next(
            (
                line.split("=", 1)[1]
                for line in timer.read_text().splitlines()
                if line.startswith("OnCalendar=")
            ),
            "?",
        )
        return f"systemd user timer {timer}: {when}{self._next()}"

    def remove(self) -> str:
        files = [self.unit_dir / name for name in (f"{UNIT}.timer", f"{UNIT}.service")]
        if not any(f.exists() for f in files):
            return "No morning run installed; nothing removed."
        self._ctl("disable", "--now", f"{UNIT}.timer")
        for path in files:
            path.unlink(missing_ok=True)
        self._ctl("daemon-reload")
        return f"Removed the systemd user timer from {self.unit_dir}."

    def _next(self) -> str:
        if self.systemctl is None:
            return ""
        shown = self._ctl("show", f"{UNIT}.timer", "-p", "NextElapseUSecRealtime", "--value")
        return f"; next run {shown.strip()}" if shown.strip() else ""

    def _ctl(self, *args: str) -> str:
        if self.systemctl is None:
            return ""
        try:
            done = subprocess.run(
                [*self.systemctl, *args], capture_output=True, text=True, timeout=30, check=True
            )
        except (OSError, subprocess.SubprocessError) as exc:
            detail = getattr(exc, "stderr", "") or exc
            raise ConfigError(f"systemctl --user {' '.join(args)} failed: {detail}") from exc
        return done.stdout


class CronEntry:
    """The user's crontab (or ``tabfile`` in tests), one marked line in it."""

    kind = "cron"

    def __init__(self, tabfile: Path | None = None) -> None:
        self.tabfile = tabfile

    def _tab(self) -> Any:
        from crontab import CronTab

        try:
            if self.tabfile is not None:
                self.tabfile.touch(exist_ok=True)
                return CronTab(tabfile=str(self.tabfile))
            return CronTab(user=True)
        except (OSError, ValueError) as exc:
            raise ConfigError(f"cannot read the crontab: {exc} (is cron installed?)") from exc

    def install(self, schedule: Schedule) -> str:
        tab = self._tab()
        tab.remove_all(comment=MARK)
        fires = machine_times(schedule, datetime.now(UTC))
        command = cron_command(schedule, fires)
        for minute in sorted({f.minute for f in fires}):  # one line per minute: no extra fires
            hours = ",".join(str(f.hour) for f in fires if f.minute == minute)
            tab.new(command=command, comment=MARK).setall(f"{minute} {hours} * * *")
        self._write(tab)
        machine = datetime.now().astimezone().tzname()
        at = " or ".join(f"{f:%H:%M}" for f in fires)
        which = "" if len(fires) < 2 else ", whichever is the athlete's morning that day"
        return (
            f"Installed a crontab line: every morning at {at} {machine} on this "
            f"machine ({schedule.at:%H:%M} {schedule.zone}{which})."
        )

    def status(self) -> str:
        jobs = list(self._tab().find_comment(MARK))
        if not jobs:
            return "No morning run installed (lanterne-rouge schedule install)."
        lines = "\n".join(f"crontab: {job.render()}" for job in jobs)
        return f"{lines} (cron runs in the machine's time zone)"

    def remove(self) -> str:
        tab = self._tab()
        if not list(tab.find_comment(MARK)):
            return "No morning run installed; nothing removed."
        tab.remove_all(comment=MARK)
        self._write(tab)
        return "Removed the morning run from the crontab."

    def _write(self, tab: Any) -> None:
        try:
            tab.write()
        except (OSError, subprocess.SubprocessError) as exc:
            raise ConfigError(f"cannot write the crontab: {exc}") from exc


def backend(kind: str | None) -> SystemdTimer | CronEntry:
    """``systemd`` or ``cron`` as asked, else systemd where it runs, else cron."""
    if kind == "systemd" or (kind is None and has_systemd()):
        return SystemdTimer(user_unit_dir())
    return CronEntry()
