"""What a worker process keeps between tasks: settings, missions, Redis, stores.

A ``StateStore`` holds the connection of its open transaction, so each worker thread gets
its own; the roster is the athletes table, read when asked (one athlete's card by its key);
each mission file is read once.
"""

from __future__ import annotations

import logging
import threading
import time
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from lanterne_rouge.cluster.roster import FleetAthlete, Roster
from lanterne_rouge.cluster.settings import ClusterSettings, load_cluster_settings

if TYPE_CHECKING:
    from redis import Redis

    from lanterne_rouge.memory.state_store import StateStore
    from lanterne_rouge.mission_config import Mission
    from lanterne_rouge.notify.channels import Channel
    from lanterne_rouge.orchestrator import Orchestrator
    from lanterne_rouge.utils.config_loader import Settings


CARD_KEPT_S = 5.0


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
        """One athlete the fleet runs (``ConfigError`` when the table says they are not); read
        again after ``CARD_KEPT_S``, so the steps of one day read the card once, and a change
        made with ``lanterne-rouge athlete set`` is seen within seconds."""
        kept: dict[str, tuple[float, FleetAthlete]] | None = getattr(self._local, "cards", None)
        if kept is None:
            kept = self._local.cards = {}
        now = time.monotonic()
        found = kept.get(athlete_id)
        if found is not None and now - found[0] < CARD_KEPT_S:
            return found[1]
        athlete = self._read_athlete(athlete_id)
        kept[athlete_id] = (now, athlete)
        return athlete

    def _read_athlete(self, athlete_id: str) -> FleetAthlete:
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
            from lanterne_rouge.cluster.settings import bounded_database_url
            from lanterne_rouge.memory.state_store import StateStore

            url = bounded_database_url(self.settings.resolved_database_url(), self.cluster)
            found = StateStore(url)
            self._local.store = found
        return found

    def coach(self, mission_file: Path) -> Orchestrator:
        """This thread's orchestrator for a mission (its narrator keeps its model client). Its
        bus owes each day's effects in phase 3: the row and report in the athlete's own folder
        and the morning message on the athlete's channels, done by the ``deliver`` task."""
        coaches: dict[Path, Orchestrator] | None = getattr(self._local, "coaches", None)
        if coaches is None:
            coaches = self._local.coaches = {}
        if mission_file not in coaches:
            from lanterne_rouge.ai.ai_clients import build_narrator
            from lanterne_rouge.effects import Outputs, subscribe_effects
            from lanterne_rouge.memory.memory_bus import MemoryBus
            from lanterne_rouge.orchestrator import build_orchestrator

            store = self.store()
            outputs = Outputs(
                output_dir=self.settings.output_dir,
                tsb_convention=self.settings.tsb_convention,
                settings=self.settings,
                mission_for=self._mission_of,
                per_athlete=True,
                channels_for=self._channels_of,
            )
            coaches[mission_file] = build_orchestrator(
                store,
                self.mission(mission_file),
                narrator=build_narrator(self.settings),
                bus=subscribe_effects(MemoryBus(store), outputs),
                tsb_convention=self.settings.tsb_convention,
            )
        return coaches[mission_file]

    def coach_of(self, athlete_id: str) -> Orchestrator:
        return self.coach(self.athlete(athlete_id).mission)

    def _mission_of(self, athlete_id: str, _day: object) -> Mission:
        return self.mission(self.athlete(athlete_id).mission)

    def _channels_of(self, athlete_id: str) -> list[Channel]:
        from lanterne_rouge.cluster.channels import athlete_channels

        return athlete_channels(self.settings, self.athlete(athlete_id))

    @cached_property
    def redis(self) -> Redis:
        from redis import Redis

        timeout = self.cluster.redis_timeout_s
        return Redis.from_url(
            self.cluster.broker_url, socket_timeout=timeout, socket_connect_timeout=timeout
        )


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
