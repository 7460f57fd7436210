"""The ``lanterne-rouge`` command line.

One Typer app (``commands.py``); its callback makes the one context every command works in
(``context.py``). The daily run (``lanterne-rouge run`` and ``run_tour_coach.py``) is read
without Typer when its arguments are the plain ones (``run_fast.py``): it is the command cron
starts every morning, and Typer and Click are a third of its start-up. Anything else (help,
a mistyped option) goes to the app, which says what is wrong the usual way.

Expected errors (the ``LanterneError`` tree) print one line and exit non-zero; a traceback
means a bug. The process entry points (the ``lanterne-rouge`` script, ``python -m
lanterne_rouge`` and ``run_tour_coach.py``) call :func:`console`, which ends the process
without the interpreter's teardown (``process_end.py``); :func:`main` is the same command for
a caller that goes on afterwards, such as a test.
"""

from __future__ import annotations

import sys
from typing import Any


def main(*, ending: bool = False) -> None:
    """Console entry point: one line for expected errors, a traceback only for bugs.
    ``ending``: the process ends when this returns (see :func:`console`)."""
    from lanterne_rouge.cli.run_fast import run_fast

    if run_fast(sys.argv[1:], ending=ending):
        return
    from lanterne_rouge.cli.commands import run_app

    run_app()


def console() -> None:
    """Process entry point: :func:`main`, then the process ends with its status at once.

    The coach uses no pydantic plugins, so pydantic is told not to look for any (it would
    read the entry points of every installed package as the first model is built): set
    ``PYDANTIC_DISABLE_PLUGINS`` to an empty value to have them loaded.
    """
    import os

    from lanterne_rouge.cli.process_end import run_then_leave

    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    run_then_leave(lambda: main(ending=True))


def __getattr__(name: str) -> Any:
    """``app`` and ``COMMAND_MODULES`` are imported only when asked for (they import Typer)."""
    if name in ("app", "COMMAND_MODULES"):
        from lanterne_rouge.cli import commands as module

        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["COMMAND_MODULES", "app", "console", "main"]
