"""``lanterne-rouge run`` read without Typer, for the plain options cron passes.

The daily run is the command that starts every morning, and Typer with Click is about a third
of its start-up, so :func:`run_fast` reads ``run [--date D] [--athlete A] [--demo] [--force]
[--mission PATH]`` itself and runs the same :func:`~lanterne_rouge.cli.daily.run_day` in the
same context as the app's ``run`` command. Anything else (``--help``, an unknown option, a
date that is not ``YYYY-MM-DD``, an option given twice) is left to the app, which answers it
the usual way: the two entry points cannot differ on what they accept.

The cyclic garbage collector is off while the day runs. Start-up builds a large heap that
lives as long as the process (modules, classes, pydantic schemas, SQLAlchemy's tables) and
the collector walked it again and again, a full pass included: about a tenth of the whole
run. What the run leaves in cycles is small (about 0.6 MiB a day, some 8 MiB for the longest
catch-up of 14 days) and goes with the process; the collector is on again after the run,
unless the process ends right after (``ending``, from :func:`lanterne_rouge.cli.console`):
turned on again, it would first walk the whole heap once more for nothing.
"""

from __future__ import annotations

import errno
import gc
import sys
from datetime import date, datetime
from pathlib import Path

import msgspec

from lanterne_rouge.errors import LanterneError

FLAGS = ("--demo", "--force")
VALUED = ("--date", "--athlete", "--mission")


class RunOptions(msgspec.Struct, frozen=True):
    day: date | None = None
    athlete: str | None = None
    demo: bool = False
    force: bool = False
    mission: Path | None = None


def parse_run(args: list[str]) -> RunOptions | None:
    """The options of ``run ...``, or None when the app should read them."""
    if not args or args[0] != "run":
        return None
    given: dict[str, str] = {}
    rest = iter(args[1:])
    for token in rest:
        name, eq, value = token.partition("=")
        if name in FLAGS and not eq:
            value = "yes"
        elif name in VALUED:
            value = value if eq else next(rest, "")
            if not value or value.startswith("-"):
                return None
        else:
            return None
        if name in given:
            return None
        given[name] = value
    try:
        day = datetime.strptime(given["--date"], "%Y-%m-%d").date() if "--date" in given else None
    except ValueError:
        return None
    mission = given.get("--mission")
    return RunOptions(
        day=day,
        athlete=given.get("--athlete"),
        demo="--demo" in given,
        force="--force" in given,
        mission=Path(mission) if mission is not None else None,
    )


def run_fast(args: list[str], *, ending: bool = False) -> bool:
    """Run the day when ``args`` are the plain ``run`` options; False to leave them to the app.

    Exits as the app does: one line and a non-zero status for an expected error, 130 on an
    interrupt, 1 when the output pipe is closed; a bug's traceback is raised as is.
    ``ending``: the process ends when this returns, so the collector stays off.
    """
    options = parse_run(args)
    if options is None:
        return False
    collecting = gc.isenabled()
    gc.disable()  # see the module's docstring
    try:
        _run(options)
    finally:
        if collecting and not ending:
            gc.enable()
    return True


def _run(options: RunOptions) -> None:
    from lanterne_rouge.cli.context import CliContext, fail
    from lanterne_rouge.cli.daily import run_day

    c = CliContext()
    try:
        try:
            run_day(
                c,
                options.day,
                options.athlete,
                demo=options.demo,
                force=options.force,
                mission_file=options.mission,
            )
        finally:
            c.close()
    except LanterneError as exc:
        fail(exc)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError as exc:
        if exc.errno != errno.EPIPE:  # pragma: no cover - always EPIPE
            raise
        sys.exit(1)
