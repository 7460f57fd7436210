"""The memory bus persists a message before any subscriber sees it."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from lanterne_rouge.memory.memory_bus import MemoryBus
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.messages import Envelope, Observation


def _observation(day: date, run_id: uuid.UUID) -> Envelope:
    return Envelope(
        run_id=run_id,
        athlete_id="a1",
        day=day,
        producer="observation_agent",
        payload=Observation(data_label="test", ctl=50, atl=60, tsb=-10),
    )


def test_subscribers_see_messages_already_in_the_store(store: StateStore) -> None:
    bus = MemoryBus(store)
    seen: list[int] = []
    bus.subscribe("observation", lambda env: seen.append(len(store.messages(env.athlete_id))))
    bus.publish(_observation(date(2026, 1, 1), uuid.uuid4()))
    assert seen == [1]


def test_a_failing_subscriber_rolls_the_transaction_back(store: StateStore) -> None:
    bus = MemoryBus(store)

    def explode(_env: Envelope) -> None:
        raise RuntimeError("subscriber failed")

    bus.subscribe("*", explode)
    with pytest.raises(RuntimeError), store.transaction():
        bus.publish(_observation(date(2026, 1, 1), uuid.uuid4()))
    assert store.messages("a1") == []


def test_history_by_kind_and_day_range_and_latest(store: StateStore) -> None:
    bus = MemoryBus(store)
    for day in (1, 2, 3):
        bus.publish(_observation(date(2026, 1, day), uuid.uuid4()))
    assert [e.day.day for e in bus.history("a1", kind="observation", since=date(2026, 1, 2))] == [
        2,
        3,
    ]
    assert bus.history("a1", kind="decision") == []
    latest = bus.latest("a1", "observation", until=date(2026, 1, 2))
    assert latest is not None and latest.day == date(2026, 1, 2)


def test_unknown_kind_cannot_be_subscribed(store: StateStore) -> None:
    with pytest.raises(ValueError, match="unknown message kind"):
        MemoryBus(store).subscribe("gossip", lambda env: None)
