"""The memory bus: a message is stored before any effect sees it, its effects are owed in the
same transaction, done after it, and done again only when they failed; reads are typed."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from lanterne_rouge.errors import DataError
from lanterne_rouge.memory.memory_bus import MemoryBus
from lanterne_rouge.memory.outbox import OwedEffect
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.messages import Decision, Envelope, Observation


def _observation(day: date, run_id: uuid.UUID) -> Envelope:
    return Envelope(
        run_id=run_id,
        athlete_id="a1",
        day=day,
        producer="observation_agent",
        payload=Observation(data_label="test", ctl=50, atl=60, tsb=-10),
    )


def test_an_effect_is_owed_with_its_message_and_done_after_the_commit(store: StateStore) -> None:
    bus = MemoryBus(store)
    seen: list[int] = []

    def count(env: Envelope, _owed: OwedEffect) -> str:
        seen.append(len(store.messages(env.athlete_id)))
        return "counted"

    bus.subscribe("observation", "count", count)
    with store.transaction():
        bus.publish(_observation(date(2026, 1, 1), uuid.uuid4()))
        assert seen == [] and [o.effect for o in store.outbox.pending()] == ["count"]
    outcomes = bus.deliver_owed()
    assert seen == [1] and [o.line for o in outcomes] == ["counted"]
    assert store.outbox.pending() == [] and bus.deliver_owed() == []


def test_a_rolled_back_message_owes_nothing(store: StateStore) -> None:
    bus = MemoryBus(store)
    bus.subscribe("observation", "count", lambda env, owed: None)
    with pytest.raises(RuntimeError), store.transaction():
        bus.publish(_observation(date(2026, 1, 1), uuid.uuid4()))
        raise RuntimeError("the day fell over")
    assert store.messages("a1") == [] and store.outbox.pending() == []


def test_a_failed_effect_stays_owed_with_its_error_and_is_done_next_time(
    store: StateStore,
) -> None:
    bus = MemoryBus(store)
    attempts: list[int] = []

    def flaky(_env: Envelope, owed: OwedEffect) -> None:
        attempts.append(owed.attempts)
        if len(attempts) == 1:
            raise OSError(28, "No space left on device", "out/reasoning_log.csv")

    bus.subscribe("observation", "flaky", flaky)
    bus.publish(_observation(date(2026, 1, 1), uuid.uuid4()))
    (failed,) = bus.deliver_owed()
    assert failed.error == "No space left on device in out"
    (owed,) = store.outbox.pending()
    assert owed.status == "owed" and owed.error == failed.error
    (done,) = bus.deliver_owed()
    assert done.error is None and attempts == [1, 2]  # told it was tried before
    assert store.outbox.pending() == []


def test_typed_history_and_latest_by_day_range(store: StateStore) -> None:
    bus = MemoryBus(store)
    for day in (1, 2, 3):
        bus.publish(_observation(date(2026, 1, day), uuid.uuid4()))
    found = bus.history(Observation, "a1", since=date(2026, 1, 2))
    assert [o.data_label for o in found] == ["test", "test"]
    assert bus.history(Decision, "a1") == []
    latest = bus.latest_stored(Observation, "a1", until=date(2026, 1, 2))
    assert latest is not None and latest.day == date(2026, 1, 2)
    assert isinstance(bus.latest(Observation, "a1"), Observation)
    assert bus.latest(Decision, "a1") is None


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
    bus.subscribe("observation", "seen", lambda env, owed: seen.append(env))
    with pytest.raises(DataError, match=rf"(?s)observation_agent is invalid.*{field}"):
        bus.publish(_unchecked(field, value))
    assert store.messages("a1") == [] and store.outbox.pending() == []
    assert bus.deliver_owed() == [] and seen == []


def test_unknown_kind_cannot_be_subscribed(store: StateStore) -> None:
    with pytest.raises(ValueError, match="unknown message kind"):
        MemoryBus(store).subscribe("gossip", "noop", lambda env, owed: None)


def test_stream_reads_every_message_in_order_a_page_at_a_time(store: StateStore) -> None:
    bus = MemoryBus(store)
    sent = [bus.publish(_observation(date(2026, 1, 1 + i % 28), uuid.uuid4())) for i in range(7)]
    pages = list(store.message_pages("a1", page_size=3))
    assert [len(p) for p in pages] == [3, 3, 1]
    assert [e.message_id for e in bus.stream("a1")] == [e.message_id for e in sent]
