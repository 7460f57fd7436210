"""What a worker process keeps between tasks: settings, missions, Redis, stores.

A ``StateStore`` holds the connection of its open transaction, so each worker thread gets
its own; the roster is the athletes table, read when asked (one athlete's card by its key);
each mission file is read once.
"""

from __future__ import annotations

import logging
import threading
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from lanterne_rouge.cluster.roster import FleetAthlete, Roster
from lanterne_rouge.cluster.settings import ClusterSettings, load_cluster_settings

if TYPE_CHECKING:
    from redis import Redis

    from lanterne_rouge.memory.state_store import StateStore
    from lanterne_rouge.mission_config import Mission
    from lanterne_rouge.orchestrator import Orchestrator
    from lanterne_rouge.utils.config_loader import Settings


class WorkerContext:
    def __init__(self, settings: Settings, cluster: ClusterSettings) -> None:
        self.settings = settings
        self.cluster = cluster
        self._local = threading.local()
        self._lock = threading.Lock()
        self._missions: dict[Path, Mission] = {}

    def roster(self) -> Roster:
        """Every athlete the fleet runs, from the athletes table."""
        cards = self.store().cards.fleet()
        return Roster(athletes=tuple(FleetAthlete.of(c) for c in cards))

    def athlete(self, athlete_id: str) -> FleetAthlete:
        """One athlete the fleet runs (``ConfigError`` when the table says they are not)."""
        from lanterne_rouge.errors import ConfigError

        card = self.store().cards.get(athlete_id)
        if card is None or not card.in_fleet:
            raise ConfigError(
                f"athlete {athlete_id!r} is not in the fleet: the fleet runs athletes with a "
                "time zone, a morning time and a mission (`lanterne-rouge athlete set`)"
            )
        return FleetAthlete.of(card)

    def mission(self, path: Path) -> Mission:
        from lanterne_rouge.mission_file import load_mission

        with self._lock:
            if path not in self._missions:
                self._missions[path] = load_mission(path)
            return self._missions[path]

    def store(self) -> StateStore:
        found: StateStore | None = getattr(self._local, "store", None)
        if found is None:
            from lanterne_rouge.memory.state_store import StateStore

            found = StateStore(self.settings.resolved_database_url())
            self._local.store = found
        return found

    def coach(self, mission_file: Path) -> Orchestrator:
        """This thread's orchestrator for a mission (its narrator keeps its model client)."""
        coaches: dict[Path, Orchestrator] | None = getattr(self._local, "coaches", None)
        if coaches is None:
            coaches = self._local.coaches = {}
        if mission_file not in coaches:
            from lanterne_rouge.ai.ai_clients import build_narrator
            from lanterne_rouge.orchestrator import build_orchestrator

            store = self.store()
            # no effects subscribed: the fleet's deliver task writes each athlete's row and
            # report in the athlete's own folder (cluster/day.py)
            coaches[mission_file] = build_orchestrator(
                store,
                self.mission(mission_file),
                narrator=build_narrator(self.settings),
                tsb_convention=self.settings.tsb_convention,
            )
        return coaches[mission_file]

    @cached_property
    def redis(self) -> Redis:
        from redis import Redis

        return Redis.from_url(self.cluster.broker_url)


_context: WorkerContext | None = None
_context_lock = threading.Lock()


def worker_context() -> WorkerContext:
    """The process's context, made from the environment on first use."""
    global _context
    with _context_lock:
        if _context is None:
            from lanterne_rouge.utils.config_loader import load_settings
            from lanterne_rouge.utils.logger import configure_logging

            settings = load_settings()
            configure_logging(settings.log_level)
            logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per model call
            _context = WorkerContext(settings, load_cluster_settings())
        return _context
