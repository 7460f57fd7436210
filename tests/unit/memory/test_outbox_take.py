"""Taking a message's owed effects at once: on SQLite and PostgreSQL, each effect is held by
one process only; an effect held by a live lease is left alone, a run-out lease is taken over;
what is taken comes back in the order it was owed."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import update

from lanterne_rouge.memory.outbox import LEASE, Outbox
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.memory.tables import outbox

NOW = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)
EFFECTS = ["row", "message", "report"]


def _owe(store: StateStore) -> uuid.UUID:
    message_id = uuid.uuid4()
    with store.transaction():
        store.outbox.owe(
            message_id=message_id,
            run_id=uuid.uuid4(),
            athlete_id="a1",
            day=date(2026, 3, 10),
            effects=EFFECTS,
            now=NOW,
        )
    return message_id


def test_a_message_s_effects_are_taken_in_order_once(database_url: str) -> None:
    store, twin = StateStore(database_url), StateStore(database_url)
    _owe(store)
    seen = store.outbox.pending()
    taken = store.outbox.take_all(seen, now=NOW)
    assert [o.effect for o in taken] == EFFECTS
    assert {o.status for o in taken} == {"running"} and {o.attempts for o in taken} == {1}
    # another process read the same rows before: it takes nothing
    assert Outbox(twin).take_all(seen, now=NOW) == []
    rows = twin.outbox.pending()
    assert [(o.status, o.attempts) for o in rows] == [("running", 1)] * 3

    store.outbox.finish([(taken[0], None), (taken[1], "channel down"), (taken[2], None)], now=NOW)
    (left,) = twin.outbox.pending()
    assert (left.effect, left.status, left.error, left.lease_owner) == (
        "message",
        "owed",
        "channel down",
        None,
    )


def test_a_live_lease_is_left_alone_and_a_run_out_one_is_taken_over(database_url: str) -> None:
    store = StateStore(database_url)
    _owe(store)
    held_elsewhere = {"status": "running", "lease_owner": "elsewhere:1"}
    with store.transaction(), store.connection() as conn:
        conn.execute(
            update(outbox)
            .where(outbox.c.effect == "row")
            .values(**held_elsewhere, lease_until=NOW + LEASE)
        )
        conn.execute(
            update(outbox)
            .where(outbox.c.effect == "report")
            .values(**held_elsewhere, lease_until=NOW - timedelta(seconds=1))
        )
    taken = store.outbox.take_all(store.outbox.pending(), now=NOW)
    assert [o.effect for o in taken] == ["message", "report"]
    assert taken[1].attempts == 1 and taken[1].lease_owner != "elsewhere:1"
