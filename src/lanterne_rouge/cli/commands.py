"""The Typer app: every command, with the one context its callback makes.

Each group of commands is a module here with a ``register(app)`` function, listed once in
``COMMAND_MODULES``: adding a command is adding a module. Heavy modules are imported inside
the commands, so ``--help`` starts fast; the daily run does not even import Typer
(``run_fast.py``).
"""

from __future__ import annotations

from importlib import import_module

import typer

from lanterne_rouge.cli.context import CliContext, fail
from lanterne_rouge.errors import LanterneError

COMMAND_MODULES = (
    "day",
    "looking",
    "data",
    "athlete",
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
    import_module(f"lanterne_rouge.cli.{_name}").register(app)


def run_app() -> None:
    """The app, with one line for expected errors and a traceback only for bugs."""
    try:
        app()
    except LanterneError as exc:
        fail(exc)
