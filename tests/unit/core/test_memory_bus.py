"""The memory bus persists a message before any subscriber sees it."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from lanterne_rouge.errors import DataError
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


def _unchecked(field: str, value: object) -> Envelope:
    """A valid observation with one field changed afterwards, bypassing validation."""
    sent = _observation(date(2026, 1, 1), uuid.uuid4())
    if field == "athlete_id":
        return sent.model_copy(update={field: value})
    payload = Observation.model_construct(**{**dict(sent.payload), field: value})
    return sent.model_copy(update={"payload": payload})


@pytest.mark.parametrize(
    ("field", "value"),
    [("readiness_score", 150), ("ctl", float("nan")), ("athlete_id", "")],
    ids=["payload out of range", "payload that would not read back", "envelope without athlete"],
)
def test_an_invalid_message_is_refused_before_anything_is_stored(
    store: StateStore, field: str, value: object
) -> None:
    bus = MemoryBus(store)
    seen: list[Envelope] = []
    bus.subscribe("*", seen.append)
    with pytest.raises(DataError, match=rf"(?s)observation_agent is invalid.*{field}"):
        bus.publish(_unchecked(field, value))
    assert store.messages("a1") == [] and seen == []


def test_unknown_kind_cannot_be_subscribed(store: StateStore) -> None:
    with pytest.raises(ValueError, match="unknown message kind"):
        MemoryBus(store).subscribe("gossip", lambda env: None)
