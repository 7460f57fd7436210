"""``worker``, ``beat`` and ``fleet status``: many athletes over Celery, Redis and a database.

Celery and Redis are imported only by these commands (the ``[cluster]`` extra).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from lanterne_rouge.cli.context import CliContext
from lanterne_rouge.errors import ConfigError

if TYPE_CHECKING:
    from lanterne_rouge.cluster.fleet import FleetStatus
    from lanterne_rouge.cluster.settings import ClusterSettings

fleet_app = typer.Typer(help="The fleet of athletes.", no_args_is_help=True)


class Pool(StrEnum):
    threads = "threads"
    prefork = "prefork"


def register(app: typer.Typer) -> None:
    app.command("worker")(worker)
    app.command("beat")(beat)
    app.add_typer(fleet_app, name="fleet")
    fleet_app.command("status")(status)


def _cluster() -> ClusterSettings:
    try:
        import celery  # noqa: F401
        import redis
    except ImportError as exc:
        raise ConfigError(
            "the fleet needs the cluster extra: pip install 'lanterne-rouge[cluster]'"
        ) from exc
    from lanterne_rouge.cluster.settings import load_cluster_settings

    cluster = load_cluster_settings()
    try:
        redis.Redis.from_url(cluster.broker_url, socket_connect_timeout=3).ping()
    except (redis.RedisError, ValueError) as exc:
        raise ConfigError(
            f"cannot reach Redis at {_safe(cluster.broker_url)} (LANTERNE_BROKER_URL): {exc}"
        ) from exc
    return cluster


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # a URL too broken to parse is shown by scheme only
        return url.split(":", 1)[0] + "://…"


def worker(
    concurrency: Annotated[
        int, typer.Option("--concurrency", "-c", min=1, max=256, help="Days run at once.")
    ] = 16,
    pool: Annotated[
        Pool,
        typer.Option(
            help="threads: many model calls in flight in one process; prefork: "
            "one process per day, time limits enforced by killing it."
        ),
    ] = Pool.threads,
    name: Annotated[str | None, typer.Option(help="Worker name (default: host and pid).")] = None,
) -> None:
    """Run a Celery worker: takes athlete-days from Redis and runs them."""
    _cluster()
    from lanterne_rouge.cluster.names import QUEUE
    from lanterne_rouge.cluster.worker_app import app

    hostname = name or f"lanterne-{os.getpid()}@%h"
    app.worker_main(
        [
            "worker",
            f"--pool={pool.value}",
            f"--concurrency={concurrency}",
            f"--queues={QUEUE}",
            f"--hostname={hostname}",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
        ]
    )


def beat(ctx: typer.Context) -> None:
    """Run Celery beat: triggers the dispatch every LANTERNE_DISPATCH_EVERY_S seconds."""
    _cluster()
    from lanterne_rouge.cluster.worker_app import app

    home = CliContext.of(ctx).settings.home
    home.mkdir(parents=True, exist_ok=True)
    app.start(["beat", "--loglevel=INFO", f"--schedule={home / 'celerybeat-schedule'}"])


def status(
    ctx: typer.Context,
    day: Annotated[
        datetime | None,
        typer.Option("--date", formats=["%Y-%m-%d"], help="The day (default: today, UTC)."),
    ] = None,
) -> None:
    """Athletes done, pending and failed (with the reason) on a day, and the model's spend."""
    from lanterne_rouge.cluster.context import WorkerContext
    from lanterne_rouge.cluster.fleet import fleet_status

    cluster = _cluster()
    fleet = WorkerContext(CliContext.of(ctx).settings, cluster)
    the_day = day.date() if day else datetime.now(UTC).date()
    typer.echo(format_status(fleet_status(fleet, the_day)))


def format_status(found: FleetStatus, shown: int = 20) -> str:
    lines = [
        f"Fleet on {found.day}: {len(found.done)} done, {len(found.pending)} pending, "
        f"{len(found.failed)} failed",
        f"Model:   {found.model_calls} calls, ${found.model_usd:.4f}",
    ]
    if found.over_budget:
        lines.append(
            f"Budget:  {len(found.over_budget)} over budget, explained offline: "
            + _listed(found.over_budget, shown)
        )
    for athlete, reason in sorted(found.failed.items()):
        lines.append(f"Failed:  {athlete}: {reason}")
    if found.pending:
        lines.append("Pending: " + _listed(found.pending, shown))
    return "\n".join(lines)


def _listed(athletes: tuple[str, ...], shown: int) -> str:
    more = len(athletes) - shown
    return ", ".join(athletes[:shown]) + (f" and {more} more" if more > 0 else "")
