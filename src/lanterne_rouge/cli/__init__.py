"""The ``lanterne-rouge`` command line.

One app; its callback makes the one context every command works in (``context.py``). Each
group of commands is a module here with a ``register(app)`` function, listed once in
``COMMAND_MODULES``: adding a command is adding a module. Heavy modules are imported inside
the commands, so ``--help`` and the daily run start fast.

Expected errors (the ``LanterneError`` tree) print one line and exit non-zero; a traceback
means a bug.
"""

from __future__ import annotations

import sys
from importlib import import_module

import typer

from lanterne_rouge.cli.context import CliContext
from lanterne_rouge.errors import LanterneError

COMMAND_MODULES = (
    "day",
    "looking",
    "data",
    "outputs",
    "review",
    "db",
    "keep",
    "schedule",
    "fleet",
    "assistants",
)

app = typer.Typer(
    name="lanterne-rouge",
    help="An endurance coach that runs once a day: observe, decide, plan, explain, remember.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def _context(ctx: typer.Context) -> None:
    """Make the context the command will share (built lazily, closed at the end)."""
    context = CliContext()
    ctx.obj = context
    ctx.call_on_close(context.close)


for _name in COMMAND_MODULES:
    import_module(f"{__name__}.{_name}").register(app)


def main() -> None:
    """Console entry point: one line for expected errors, a traceback only for bugs."""
    try:
        app()
    except LanterneError as exc:
        from lanterne_rouge.utils.logger import redact_text

        typer.echo(f"lanterne-rouge: error: {redact_text(str(exc))}", err=True)
        sys.exit(exc.exit_code or 1)


__all__ = ["COMMAND_MODULES", "app", "main"]
