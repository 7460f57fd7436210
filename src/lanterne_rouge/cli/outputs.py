"""What the athlete sees on demand: ``notify`` (send or resend a day's morning message),
``dashboard``, ``mcp`` helpers and ``export``. The daily run's own report and message are
effects of the day (``effects.py``), done through the outbox; ``context.mission_for`` gives
them the goal a day was run against.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from lanterne_rouge.cli.context import CliContext, mission_for
from lanterne_rouge.cli.keep import HistoryFormat, export_history
from lanterne_rouge.cli.options import AthleteOption, DateOption, DemoOption, SinceOption

if TYPE_CHECKING:
    from lanterne_rouge.day_view import DayView
    from lanterne_rouge.memory.state_store import StateStore
    from lanterne_rouge.notify.deliver import Outcome
    from lanterne_rouge.utils.config_loader import Settings

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def register(app: typer.Typer) -> None:
    app.command("notify")(notify_command)
    app.command("dashboard")(dashboard_command)
    app.command("export")(export_command)


def _send(settings: Settings, store: StateStore, view: DayView) -> list[Outcome]:
    s = settings
    if not (s.smtp_host or s.smtp_to or s.telegram_bot_token or s.telegram_chat_id):
        return []  # nothing configured: skip importing the senders (the run stays fast)
    from lanterne_rouge.notify.deliver import channels_from_settings

    channels = channels_from_settings(settings)
    if not channels:
        return []
    from lanterne_rouge.notify.deliver import deliver, policy_from_settings

    return deliver(store.deliveries, channels, view, policy_from_settings(settings))


def notify_command(
    ctx: typer.Context,
    day: Annotated[
        datetime | None,
        typer.Option("--date", formats=["%Y-%m-%d"], help="The day (default: the newest run)."),
    ] = None,
    athlete: AthleteOption = None,
    demo: DemoOption = False,
) -> None:
    """Send a day's morning message by email and/or Telegram (each day once per channel)."""
    from lanterne_rouge.errors import ConfigError
    from lanterne_rouge.notify.deliver import channels_from_settings

    c = CliContext.of(ctx)
    settings = c.settings
    channels = channels_from_settings(settings)
    if not channels:
        raise ConfigError(
            "no channel configured: set LANTERNE_SMTP_HOST, LANTERNE_SMTP_TO and "
            "LANTERNE_SMTP_FROM for email, or LANTERNE_TELEGRAM_BOT_TOKEN and "
            "LANTERNE_TELEGRAM_CHAT_ID for Telegram"
        )
    from lanterne_rouge.day_view import load_day_view

    store = c.store
    view = load_day_view(
        store,
        c.athlete(athlete, demo=demo).id,
        day.date() if day else None,
        tsb_convention=settings.tsb_convention,
    )
    outcomes = _send(settings, store, view)
    for outcome in outcomes:
        typer.echo(outcome.describe())
    if any(o.status == "failed" for o in outcomes):
        raise typer.Exit(3)


def dashboard_command(
    ctx: typer.Context,
    athlete: AthleteOption = None,
    demo: DemoOption = False,
    host: Annotated[
        str | None, typer.Option("--host", help="Address (default: LANTERNE_DASHBOARD_HOST).")
    ] = None,
    port: Annotated[
        int | None, typer.Option("--port", help="Port (default: LANTERNE_DASHBOARD_PORT).")
    ] = None,
) -> None:
    """Serve the dashboard (needs the [dashboard] extra); local only unless a password is set.

    Every athlete the store has runs of can be picked; the one asked for is shown first.
    """
    from lanterne_rouge.dashboard.app import _gradio

    _gradio()  # a missing extra is one line, before anything else
    from lanterne_rouge.errors import ConfigError

    c = CliContext.of(ctx)
    settings = c.settings
    bind = host or settings.dashboard_host
    if bind not in LOCAL_HOSTS and settings.dashboard_password is None:
        raise ConfigError(
            f"refusing to serve the dashboard on {bind} without a password: "
            "set LANTERNE_DASHBOARD_PASSWORD, or keep the default 127.0.0.1"
        )
    from lanterne_rouge.dashboard.app import serve

    first = c.athlete(athlete, demo=demo).id
    others = [a for a in c.store.athletes() if a != first and c.store.day_runs.of(a)]
    serve(
        c.store,
        (first, *others),
        host=bind,
        port=port or settings.dashboard_port,
        auth=_auth(settings),
        mission_for=lambda who, day: mission_for(c, who, day),
        tsb_convention=settings.tsb_convention,
        on_ready=lambda url: typer.echo(f"Dashboard on {url} (Ctrl+C to stop)"),
    )


def _auth(settings: Settings) -> tuple[str, str] | None:
    if settings.dashboard_password is None:
        return None
    return settings.dashboard_user, settings.dashboard_password.get_secret_value()


class ExportFormat(StrEnum):
    zwo = "zwo"
    ics = "ics"
    history = "history"


def export_command(
    ctx: typer.Context,
    fmt: Annotated[
        ExportFormat,
        typer.Argument(help="zwo: today's workout; ics: the plan; history: every run and message."),
    ],
    day: DateOption = None,
    athlete: AthleteOption = None,
    demo: DemoOption = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="File to write (default: in the output folder).")
    ] = None,
    history_format: Annotated[
        HistoryFormat, typer.Option("--format", help="history: JSON lines, sorted.")
    ] = HistoryFormat.jsonl,
    since: SinceOption = None,
) -> None:
    """Export the day's planned workout (.zwo, for Zwift), the days ahead (.ics calendar), or
    the coach's whole log (history: sorted JSON lines to keep under version control)."""
    from lanterne_rouge.errors import DataError
    from lanterne_rouge.exports import plan_to_ics, workout_to_zwo
    from lanterne_rouge.memory.memory_bus import MemoryBus
    from lanterne_rouge.messages import Plan, utc_now

    c = CliContext.of(ctx)
    if fmt is ExportFormat.history:
        export_history(c, out, since.date() if since else None)
        return
    who = c.athlete(athlete, demo=demo)
    the_day = day.date() if day else c.today(who)
    plan = MemoryBus(c.store).latest(Plan, who.id, since=the_day, until=the_day)
    if plan is None:
        raise DataError(f"no plan for athlete '{who.id}' on {the_day}: run the coach first")
    if fmt is ExportFormat.zwo:
        text = workout_to_zwo(plan.workout)
    else:
        text = plan_to_ics(plan, athlete_id=who.id, created=utc_now())
    target = out or c.settings.output_dir / f"plan-{who.id}-{the_day}.{fmt.value}"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise DataError(f"{target}: cannot write the export: {exc.strerror or exc}") from exc
    typer.echo(f"Wrote {target}")
