"""The data commands: ``import``, ``sync`` and ``auth``, and the daily run's sync step.

Data goes to the athlete id asked for (no demo fallback: importing is how an athlete starts).
Heavy modules (httpx, fitdecode, gpxpy) are imported inside the functions, so the daily run
without configured sources pays nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from lanterne_rouge.cli.context import CliContext
from lanterne_rouge.cli.options import AthleteOption, MissionOption
from lanterne_rouge.errors import LanterneError

if TYPE_CHECKING:
    from lanterne_rouge.memory.activity_store import FitnessSeed
    from lanterne_rouge.memory.state_store import StateStore
    from lanterne_rouge.sources.sync import SyncReport


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)
    app.command("sync")(sync_command)
    app.command("auth")(auth_command)


class ImportKindArg(StrEnum):
    intervals_wellness = "intervals-wellness"
    intervals_activities = "intervals-activities"
    strava_export = "strava-export"
    fit = "fit"
    gpx = "gpx"
    tcx = "tcx"
    history = "history"


class SourceArg(StrEnum):
    oura = "oura"
    strava = "strava"


SinceOption = Annotated[
    datetime | None,
    typer.Option("--since", formats=["%Y-%m-%d"], help="First day to take (backfill from it)."),
]


def import_command(
    ctx: typer.Context,
    kind: Annotated[ImportKindArg, typer.Argument(help="What the file is.")],
    path: Annotated[Path, typer.Argument(help="The file (a .zip for strava-export).")],
    athlete: AthleteOption = None,
    mission: MissionOption = None,
    since: SinceOption = None,
) -> None:
    """Import a file export: intervals.icu wellness or activities CSV, a Strava export zip,
    or a FIT, GPX or TCX activity file; or the coach's own log (history, from `export
    history`). One transaction per file; prints what was stored and what was skipped, and
    why."""
    from lanterne_rouge.cli.context import athlete_context
    from lanterne_rouge.sources.importer import ImportKind, import_file
    from lanterne_rouge.sources.progress import Progress
    from lanterne_rouge.sources.sports import sport_table

    c = CliContext.of(ctx)
    if kind is ImportKindArg.history:
        from lanterne_rouge.cli.keep import import_history

        import_history(c, path)
        return
    athlete_id = c.athlete_id(athlete)
    thresholds, where, note = athlete_context(c, athlete_id, mission)
    report = import_file(
        c.store,
        athlete_id,
        ImportKind(kind.value),
        path,
        thresholds=thresholds,
        where=where,
        since=since.date() if since else None,
        progress=Progress(f"import {path.name}"),
        sports=sport_table(c.settings.sports_file),
    )
    typer.echo(report.summary())
    if note:
        typer.echo(f"Note: {note}", err=True)


def sync_command(
    ctx: typer.Context,
    source: Annotated[
        SourceArg | None, typer.Option("--source", help="Only this source (default: all set up).")
    ] = None,
    since: SinceOption = None,
    athlete: AthleteOption = None,
    mission: MissionOption = None,
) -> None:
    """Pull new data from Oura and Strava (incremental; --since backfills).

    A used-up rate limit that resets within 15 minutes is waited out; otherwise the sync
    stops, keeps what it fetched and says when to run it again.
    """
    from lanterne_rouge.errors import ConfigError
    from lanterne_rouge.sources.connect import configured_sources

    c = CliContext.of(ctx)
    names = [source.value] if source else configured_sources(c.settings)
    if not names:
        raise ConfigError(
            "no data source is set up: set OURA_PERSONAL_ACCESS_TOKEN, or run "
            "`lanterne-rouge auth oura` / `lanterne-rouge auth strava` (see README: data)"
        )
    athlete_id = c.athlete_id(athlete)
    failed: list[LanterneError] = []
    for name in names:
        try:
            report = run_sync(
                c,
                athlete_id,
                name,
                mission=mission,
                since=since.date() if since else None,
                max_wait=900.0,
            )
        except LanterneError as exc:
            typer.echo(f"Sync of {name} failed: {exc}", err=True)
            failed.append(exc)
            continue
        typer.echo(report.summary())
    if failed:
        raise typer.Exit(max(exc.exit_code for exc in failed) or 1)


def run_sync(
    c: CliContext,
    athlete_id: str,
    name: str,
    *,
    mission: Path | None,
    since: date | None,
    max_wait: float,
) -> SyncReport:
    """Sync one source with the configured client."""
    from lanterne_rouge.cli.context import athlete_context
    from lanterne_rouge.sources.connect import open_oura, open_strava
    from lanterne_rouge.sources.progress import Progress
    from lanterne_rouge.sources.sports import sport_table
    from lanterne_rouge.sources.sync import sync_oura, sync_strava

    progress = Progress(f"sync {name}")
    settings, store = c.settings, c.store
    thresholds, where, note = athlete_context(c, athlete_id, mission)
    today = datetime.now(where).date()  # the athlete's zone, as the loads are bucketed
    if name == "oura":
        client = open_oura(settings, max_wait=max_wait)
        try:
            return sync_oura(store, athlete_id, client, today=today, since=since, progress=progress)
        finally:
            client.close()
    if note:
        progress.note(note)
    strava_client = open_strava(settings, max_wait=max_wait)
    try:
        return sync_strava(
            store,
            athlete_id,
            strava_client,
            today=today,
            thresholds=thresholds,
            where=where,
            since=since,
            progress=progress,
            sports=sport_table(settings.sports_file),
        )
    finally:
        strava_client.close()


def sync_before_run(c: CliContext, athlete_id: str, mission: Path | None) -> list[str]:
    """The daily run's first step: sync the configured sources, never failing the run.

    A source not reached, or answering server errors, is tried again with back-off
    (``LANTERNE_SYNC_ATTEMPTS``, ``LANTERNE_SYNC_BACKOFF_S``). One that still fails, refuses
    the token or is rate limited is reported in one line and the run carries on with the
    data already stored; the returned alerts (which source is stale, since when) go into the
    report and the morning message.
    """
    from lanterne_rouge.sources.connect import configured_sources

    names = configured_sources(c.settings)
    if not names:
        return []  # nothing to sync: httpx and the clients are never imported
    from lanterne_rouge.sources.sync_retry import with_retries

    def said(name: str) -> Callable[[int, BaseException, float], None]:
        def notice(attempt: int, exc: BaseException, wait: float) -> None:
            typer.echo(f"Sync: {name} try {attempt} failed ({exc}); trying again in {wait:g} s.")

        return notice

    alerts: list[str] = []
    settings = c.settings
    for name in names:
        try:
            report = with_retries(
                partial(run_sync, c, athlete_id, name, mission=mission, since=None, max_wait=60.0),
                attempts=settings.sync_attempts,
                backoff_s=settings.sync_backoff_s,
                on_retry=said(name),
            )
        except LanterneError as exc:
            since = _stored_until(c.store, athlete_id, name)
            typer.echo(
                f"Sync: {name} unavailable ({exc}); carrying on with the stored data{since}."
            )
            alerts.append(f"{name} data is stale{since}: the sync failed ({exc})")
            continue
        line = report.summary().splitlines()[0]
        typer.echo(
            f"Sync: {line}" + (f" Stopped early: {report.stopped}" if report.stopped else "")
        )
    return alerts


def _stored_until(store: StateStore, athlete_id: str, name: str) -> str:
    collection = "recovery" if name == "oura" else "activities"
    cursor = store.activities.cursor(athlete_id, name, collection)
    return f" (last synced {cursor[:10]})" if cursor else " (never synced)"


def auth_command(
    ctx: typer.Context,
    provider: Annotated[SourceArg, typer.Argument(help="oura or strava")],
    code: Annotated[
        str | None,
        typer.Option("--code", help="The code from the address you were sent back to."),
    ] = None,
) -> None:
    """Authorize access: prints the URL to open; then --code CODE saves the tokens (0600)."""
    from lanterne_rouge.sources.connect import authorize_url, exchange_code, token_file

    settings = CliContext.of(ctx).settings
    name = provider.value
    if code is None:
        url = authorize_url(settings, name, secrets.token_urlsafe(12))
        typer.echo(
            f"Open this address, approve access, then copy the `code` from the address you are "
            f"sent back to ({settings.oauth_redirect_uri}?...code=...) and run:\n"
            f"  lanterne-rouge auth {name} --code CODE\n\n{url}"
        )
        return
    token = exchange_code(settings, name, code)
    expires = (
        datetime.fromtimestamp(token.expires_at).astimezone().isoformat(timespec="minutes")
        if token.expires_at
        else "no expiry given"
    )
    typer.echo(
        f"Saved the {name} tokens to {token_file(settings, name).path} (readable by you only); "
        f"access token expires {expires}, and is refreshed automatically."
    )


def seed_override(
    store: StateStore,
    athlete_id: str,
    first_load_day: date,
    seed_ctl: float | None,
    seed_atl: float | None,
) -> FitnessSeed | None:
    """The seed ``fitness --seed-ctl/--seed-atl`` asks for, or None to use the stored one.

    An option replaces its half of the seed an import stored (the export's own fitness
    before its first day, when no stored load is older); the other half is kept.
    """
    from lanterne_rouge.memory.activity_store import FitnessSeed, history_seed

    if seed_ctl is None and seed_atl is None:
        return None
    stored = history_seed(store.activities.seeds(athlete_id), first_load_day)
    return FitnessSeed(
        source="option",
        day=stored.day if stored else first_load_day - timedelta(days=1),
        ctl=seed_ctl if seed_ctl is not None else stored.ctl if stored else 0.0,
        atl=seed_atl if seed_atl is not None else stored.atl if stored else 0.0,
    )
