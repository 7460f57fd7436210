"""``schedule install|status|remove``: the morning run, by itself (``lanterne_rouge.schedule``).

``LANTERNE_SCHEDULE_UNIT_DIR`` and ``LANTERNE_SCHEDULE_CRONTAB`` point the commands at another
unit folder or crontab file (tests use them, so the real user's are never touched); with a
unit folder given, ``systemctl`` is not called.
"""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from lanterne_rouge.cli.context import CliContext

if TYPE_CHECKING:
    from lanterne_rouge.schedule import CronEntry, SystemdTimer

schedule = typer.Typer(
    name="schedule", help="Run the coach every morning by itself.", no_args_is_help=True
)


class Backend(StrEnum):
    systemd = "systemd"
    cron = "cron"


BackendOption = Annotated[
    Backend | None,
    typer.Option("--with", help="systemd or cron (default: systemd where it runs, else cron)."),
]


def register(app: typer.Typer) -> None:
    app.add_typer(schedule)


def _backend(kind: Backend | None) -> SystemdTimer | CronEntry:
    from lanterne_rouge.schedule import CronEntry, SystemdTimer, backend

    units = os.environ.get("LANTERNE_SCHEDULE_UNIT_DIR")
    tab = os.environ.get("LANTERNE_SCHEDULE_CRONTAB")
    if kind is None:
        kind = Backend.systemd if units else Backend.cron if tab else None
    if kind is Backend.systemd and units:
        return SystemdTimer(Path(units), systemctl=None)
    if kind is Backend.cron and tab:
        return CronEntry(Path(tab))
    return backend(kind.value if kind else None)


@schedule.command()
def install(
    ctx: typer.Context,
    at: Annotated[str, typer.Option("--at", help="Local time in the athlete's zone.")] = "06:30",
    kind: BackendOption = None,
) -> None:
    """Install the morning run at --at in the athlete's time zone (replacing an older one)."""
    from lanterne_rouge.schedule import Schedule, parse_at, settings_env

    c = CliContext.of(ctx)
    when = parse_at(at)
    mission = c.mission()
    zone = (mission.athlete.timezone if mission else None) or c.settings.timezone
    zone = zone or _machine_zone()
    workdir = Path.cwd()
    env = settings_env(dict(os.environ), workdir)
    env.setdefault("LANTERNE_HOME", str(c.settings.home.resolve()))
    log = c.settings.home.resolve() / "coach.log"
    typer.echo(
        _backend(kind).install(Schedule(at=when, zone=zone, workdir=workdir, log=log, env=env))
    )
    typer.echo(f"Output goes to {log}; a failed morning is reported at the top of the next one.")


@schedule.command()
def status(kind: BackendOption = None) -> None:
    """Say whether and when the morning run is installed."""
    typer.echo(_backend(kind).status())


@schedule.command()
def remove(kind: BackendOption = None) -> None:
    """Remove the morning run (nothing else in the crontab or unit folder is touched)."""
    typer.echo(_backend(kind).remove())


def _machine_zone() -> str:
    """The machine's IANA zone name (systemd needs a name, not an abbreviation)."""
    link = Path("/etc/localtime")
    if link.is_symlink():
        target = str(link.resolve())
        if "zoneinfo/" in target:
            return target.split("zoneinfo/", 1)[1]
    return os.environ.get("TZ") or "UTC"
