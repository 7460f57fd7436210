"""A synthetic fleet for tests and the fleet benchmark: a roster, histories, a model server.

Athletes are spread over three time zones with mornings chosen so that every one of them is
due at ``NOW``; each gets the bundled demo history, moved to end on their own local day.
"""

from __future__ import annotations

import shutil
import time as clock
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

from lanterne_rouge.cluster.roster import FleetAthlete, import_roster
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.sources.demo import _demo_file
from lanterne_rouge.sources.history_csv import read_history
from support.openai_server import OpenAICompatibleServer, Recorded, Reply, answer

REPO = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)
# (zone, morning): Tokyo is at 08:30 on the 11th, Paris 00:30 on the 11th, New York 19:30.
ZONES = (
    ("Asia/Tokyo", time(6, 0)),
    ("Europe/Paris", time(0, 15)),
    ("America/New_York", time(6, 30)),
)
ANSWER = (
    "You are where the plan expects you to be. Follow the session below and listen to your body."
)


@dataclass(frozen=True)
class Fleet:
    athletes: tuple[FleetAthlete, ...]
    roster: Path

    def days(self, now: datetime = NOW) -> dict[str, date]:
        return {a.id: a.today(now) for a in self.athletes}


def make_fleet(folder: Path, size: int, *, morning: time | None = None) -> Fleet:
    """``size`` athletes over ``ZONES``, a roster file and the mission it names; each zone's
    morning, or the same ``morning`` for everyone."""
    folder.mkdir(parents=True, exist_ok=True)
    mission = folder / "gran_fondo.toml"
    shutil.copy(REPO / "config" / "missions" / "gran_fondo.toml", mission)
    athletes = tuple(
        FleetAthlete(
            id=f"rider{i:05d}",
            name=f"Rider {i}",
            timezone=ZONES[i % len(ZONES)][0],
            morning=morning or ZONES[i % len(ZONES)][1],
            mission=mission,
            email=f"rider{i:05d}@example.org",
            telegram_chat=None if i % 2 else str(100_000 + i),
        )
        for i in range(size)
    )
    lines = []
    for a in athletes:
        lines += [
            "[[athletes]]",
            f'id = "{a.id}"',
            f'name = "{a.name}"',
            f'timezone = "{a.timezone}"',
            f'morning = "{a.morning.strftime("%H:%M")}"',
            'mission = "gran_fondo.toml"',
            f'email = "{a.email}"',
            *([f'telegram_chat = "{a.telegram_chat}"'] if a.telegram_chat else []),
            "",
        ]
    roster = folder / "fleet.toml"
    roster.write_text("\n".join(lines), encoding="utf-8")
    return Fleet(athletes, roster)


def enrol(store: StateStore, fleet: Fleet) -> None:
    """The fleet's athletes in the athletes table, as `athlete import ROSTER` puts them."""
    import_roster(store, fleet.roster, now=datetime.now(UTC))


def seed_histories(store: StateStore, fleet: Fleet, days: int = 120, now: datetime = NOW) -> None:
    """The demo history (its last ``days``) for each athlete, ending on their local day."""
    history = read_history(_demo_file("history.csv"), source="demo")
    last = history.last_day
    assert last is not None
    by_end: dict[date, tuple[list[object], list[object]]] = {}
    for athlete in fleet.athletes:
        end = athlete.today(now)
        if end not in by_end:
            moved = history.shifted((end - last).days)
            by_end[end] = (list(moved.recovery)[-days:], list(moved.loads)[-days:])
        recovery, loads = by_end[end]
        with store.transaction():
            store.upsert_recovery(athlete.id, recovery)  # type: ignore[arg-type]
            store.upsert_loads(athlete.id, loads)  # type: ignore[arg-type]


class SteadyModelServer(OpenAICompatibleServer):
    """Answers every explanation request with the same valid text after ``delay_s``."""

    def __init__(self, delay_s: float) -> None:
        super().__init__()
        self.default = Reply(delay_s=delay_s, body=answer(ANSWER, model="fleet-model").body)
        self.arrivals: list[float] = []  # monotonic clock of each request

    def _next(self, recorded: Recorded) -> Reply:
        with self._lock:
            self.arrivals.append(clock.monotonic())
            self.requests.append(recorded)
            return self.replies.popleft() if self.replies else self.default
