"""What the athlete sees after the run: the report, the morning message and the dashboard.

``publish_day`` ends the daily run: it writes ``report-YYYY-MM-DD.html`` and sends the
morning message on the configured channels. The day is already committed by then, so
nothing here can fail or repeat it: a problem is printed as one line and the run succeeds.
``notify_command`` and ``dashboard_command`` are the ``notify`` and ``dashboard`` commands.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from lanterne_rouge.memory.state_store import StateStore
    from lanterne_rouge.mission_config import Mission
    from lanterne_rouge.notify.deliver import Outcome
    from lanterne_rouge.orchestrator import DayResult
    from lanterne_rouge.report.view import DayView
    from lanterne_rouge.utils.config_loader import Settings

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def publish_day(
    settings: Settings, store: StateStore, result: DayResult, mission: Mission | None = None
) -> None:
    """Write the day's report and send the morning message; never raises for either."""
    from lanterne_rouge.errors import LanterneError
    from lanterne_rouge.report.view import load_day_view

    athlete, day = result.run.athlete_id, result.run.day
    view = load_day_view(store, athlete, day, tsb_convention=settings.tsb_convention)
    for note in view.notes:
        typer.echo(f"Note:     {note[:1].upper()}{note[1:]}")
    try:
        for outcome in _send(settings, store, view):
            typer.echo(outcome.describe())
    except LanterneError as exc:  # a half-configured channel: say so, keep the day
        from lanterne_rouge.utils.logger import redact_text

        typer.echo(f"Morning message not sent: {redact_text(str(exc))}")
    _write_report(settings, store, athlete, day, mission)


def _send(settings: Settings, store: StateStore, view: DayView) -> list[Outcome]:
    s = settings
    if not (s.smtp_host or s.smtp_to or s.telegram_bot_token or s.telegram_chat_id):
        return []  # nothing configured: skip importing the senders (the run stays fast)
    from lanterne_rouge.notify.deliver import channels_from_settings

    channels = channels_from_settings(settings)
    if not channels:
        return []
    from lanterne_rouge.notify.deliver import deliver, policy_from_settings
    from lanterne_rouge.notify.ledger import NotificationLedger

    return deliver(NotificationLedger(store), channels, view, policy_from_settings(settings))


def _write_report(
    settings: Settings, store: StateStore, athlete: str, day: date, mission: Mission | None
) -> None:
    """The report is written last, so it shows how today's message went."""
    from lanterne_rouge.report.html import write_report
    from lanterne_rouge.report.view import load_day_view

    view = load_day_view(
        store,
        athlete,
        day,
        tsb_convention=settings.tsb_convention,
        mission=mission or mission_for(settings, athlete, day),
    )
    try:
        path = write_report(view, settings.output_dir)
    except OSError as exc:
        typer.echo(f"Report not written to {settings.output_dir}: {exc.strerror or exc}")
        return
    typer.echo(f"Report:   {path}")


def mission_for(settings: Settings, athlete: str, day: date) -> Mission | None:
    """The mission a day was run against (the goal's dates, thresholds and bonuses), if known."""
    from lanterne_rouge.errors import LanterneError
    from lanterne_rouge.sources.demo import DEMO_ATHLETE, demo_mission
    from lanterne_rouge.utils.config_loader import load_mission

    if athlete == DEMO_ATHLETE:
        return demo_mission(day)
    try:
        return load_mission(settings.mission_file)
    except LanterneError:  # shown without the goal's outlook rather than not at all
        return None


DateOption = Annotated[
    datetime | None,
    typer.Option("--date", formats=["%Y-%m-%d"], help="The day (default: the newest day run)."),
]
AthleteOption = Annotated[
    str | None, typer.Option("--athlete", help="Athlete id (default: LANTERNE_ATHLETE_ID or demo).")
]


def notify_command(day: DateOption = None, athlete: AthleteOption = None) -> None:
    """Send a day's morning message by email and/or Telegram (each day once per channel)."""
    from lanterne_rouge.errors import ConfigError
    from lanterne_rouge.notify.deliver import channels_from_settings

    settings, store = _open()
    channels = channels_from_settings(settings)
    if not channels:
        raise ConfigError(
            "no channel configured: set LANTERNE_SMTP_HOST, LANTERNE_SMTP_TO and "
            "LANTERNE_SMTP_FROM for email, or LANTERNE_TELEGRAM_BOT_TOKEN and "
            "LANTERNE_TELEGRAM_CHAT_ID for Telegram"
        )
    from lanterne_rouge.report.view import load_day_view

    view = load_day_view(
        store,
        _athlete(store, settings, athlete),
        day.date() if day else None,
        tsb_convention=settings.tsb_convention,
    )
    outcomes = _send(settings, store, view)
    for outcome in outcomes:
        typer.echo(outcome.describe())
    if any(o.status == "failed" for o in outcomes):
        raise typer.Exit(3)


def dashboard_command(
    athlete: Annotated[
        list[str] | None,
        typer.Option(
            "--athlete",
            help="An athlete to show; repeat for several (default: LANTERNE_ATHLETE_ID or demo).",
        ),
    ] = None,
    host: Annotated[
        str | None, typer.Option("--host", help="Address (default: LANTERNE_DASHBOARD_HOST).")
    ] = None,
    port: Annotated[
        int | None, typer.Option("--port", help="Port (default: LANTERNE_DASHBOARD_PORT).")
    ] = None,
) -> None:
    """Serve the dashboard (needs the [dashboard] extra); local only unless a password is set."""
    from lanterne_rouge.dashboard.app import _gradio

    _gradio()  # a missing extra is one line, before anything else
    from lanterne_rouge.errors import ConfigError

    settings, store = _open()
    bind = host or settings.dashboard_host
    if bind not in LOCAL_HOSTS and settings.dashboard_password is None:
        raise ConfigError(
            f"refusing to serve the dashboard on {bind} without a password: "
            "set LANTERNE_DASHBOARD_PASSWORD, or keep the default 127.0.0.1"
        )
    from lanterne_rouge.dashboard.app import serve

    serve(
        store,
        tuple(athlete) if athlete else (_athlete(store, settings, None),),
        host=bind,
        port=port or settings.dashboard_port,
        auth=_auth(settings),
        mission_for=lambda who, day: mission_for(settings, who, day),
        tsb_convention=settings.tsb_convention,
        on_ready=lambda url: typer.echo(f"Dashboard on {url} (Ctrl+C to stop)"),
    )


def _auth(settings: Settings) -> tuple[str, str] | None:
    if settings.dashboard_password is None:
        return None
    return settings.dashboard_user, settings.dashboard_password.get_secret_value()


def _open() -> tuple[Settings, StateStore]:
    from lanterne_rouge.memory.state_store import StateStore
    from lanterne_rouge.utils.config_loader import load_settings
    from lanterne_rouge.utils.logger import configure_logging

    settings = load_settings()
    configure_logging(settings.log_level)
    return settings, StateStore(settings.resolved_database_url())


def _athlete(store: StateStore, settings: Settings, given: str | None) -> str:
    """The athlete asked for, else the configured one if it was ever run, else the demo."""
    from lanterne_rouge.sources.demo import DEMO_ATHLETE

    if given:
        return given
    return settings.athlete_id if store.runs(settings.athlete_id) else DEMO_ATHLETE
