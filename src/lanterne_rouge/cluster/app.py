"""The Celery application: Redis as broker, tasks acknowledged late, no result backend.

Every task is acknowledged only when it has finished, and a task whose worker died
(``SIGKILL``, a lost machine) goes back to the queue, to be picked up by another worker once
the broker's visibility timeout has passed. That is safe because every task is idempotent:
the day's claim in the ``runs`` table and the effects' own checks make a second delivery
harmless. Task messages carry an athlete id and a date, never a secret.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lanterne_rouge.cluster.names import PRIORITY_STEPS, QUEUE
from lanterne_rouge.cluster.settings import ClusterSettings

if TYPE_CHECKING:
    from celery import Celery


def make_app(cluster: ClusterSettings) -> Celery:
    from celery import Celery

    from lanterne_rouge.cluster import tasks

    app = Celery("lanterne_rouge", broker=cluster.broker_url)
    app.conf.update(
        task_default_queue=QUEUE,
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,
        task_time_limit=cluster.task_time_limit_s,
        task_soft_time_limit=cluster.task_time_limit_s * 0.9,
        worker_prefetch_multiplier=1,
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=True,
        broker_transport_options={
            "visibility_timeout": cluster.visibility_timeout_s,
            # look for a lost worker's tasks every so often, not every 100 s
            "unacked_restore_interval": max(1, min(60, int(cluster.visibility_timeout_s / 4))),
            "unacked_restore_throttle": 1,
            "priority_steps": list(PRIORITY_STEPS),
            "queue_order_strategy": "priority",
            "socket_timeout": cluster.redis_timeout_s,
            "socket_connect_timeout": cluster.redis_timeout_s,
        },
        beat_schedule={
            "dispatch": {"task": "lanterne.dispatch", "schedule": cluster.dispatch_every_s}
        },
        timezone="UTC",
    )
    tasks.register(
        app, max_retries=cluster.task_max_retries, backoff_max_s=cluster.retry_backoff_max_s
    )
    from celery.signals import worker_init, worker_process_init

    worker_init.connect(preload, weak=False)  # the thread pool: before its threads start
    worker_process_init.connect(preload, weak=False)  # the prefork pool: in each child
    return app


# What the tasks import lazily, imported before the pool's threads run them: a module that
# two threads import at once can be seen half made by one of them ("partially initialized
# module 'httpx' has no attribute 'Timeout'").
PRELOADED = (
    "lanterne_rouge.cluster.day",
    "lanterne_rouge.cluster.sync",
    "lanterne_rouge.orchestrator",
    "lanterne_rouge.effects",
    "lanterne_rouge.day_view",
    "lanterne_rouge.report.html",
    "lanterne_rouge.notify.deliver",
    "lanterne_rouge.ai.ai_clients",
    "lanterne_rouge.ai.model_narrator",
    "lanterne_rouge.mission_file",
    "lanterne_rouge.memory.state_store",
    "lanterne_rouge.memory.spend",
    "httpx",
    "openai",
    "psycopg",
    "sqlalchemy.dialects.postgresql.psycopg",
)


def preload(**_: object) -> None:
    import importlib

    for name in PRELOADED:
        try:
            importlib.import_module(name)
        except ImportError:  # an optional part not installed: its own error when used
            continue
