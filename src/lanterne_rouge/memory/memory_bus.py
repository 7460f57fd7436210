"""The memory bus: publish = validate, persist, then dispatch to subscribers.

A message is in the state store before any subscriber sees it, so every day can be replayed
from the store alone. Subscribers run inside the publisher's transaction: if one raises, the
day rolls back with it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date

from pydantic import ValidationError

from lanterne_rouge.errors import DataError
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.messages import KINDS, Envelope

Subscriber = Callable[[Envelope], None]


class MemoryBus:
    def __init__(self, store: StateStore) -> None:
        self.store = store
        self._subscribers: dict[str, list[Subscriber]] = defaultdict(list)

    def subscribe(self, kind: str, handler: Subscriber) -> None:
        """Call ``handler`` with every published message of ``kind`` ("*" for all)."""
        if kind != "*" and kind not in KINDS:
            raise ValueError(f"unknown message kind {kind!r}; expected one of {KINDS}")
        self._subscribers[kind].append(handler)

    def publish(self, envelope: Envelope) -> Envelope:
        """Validate and persist, then dispatch; returns the envelope as stored.

        The store validates the message from the JSON it stores, before storing it, so an
        invalid message raises ``DataError`` and leaves nothing behind.
        """
        try:
            stored = self.store.append_message(envelope)
        except ValidationError as exc:
            raise DataError(f"message from {envelope.producer} is invalid: {exc}") from exc
        for handler in (*self._subscribers[stored.kind], *self._subscribers["*"]):
            handler(stored)
        return stored

    def history(
        self,
        athlete_id: str,
        *,
        kind: str | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> list[Envelope]:
        """Messages of an athlete, oldest first, by kind and day range."""
        kinds = [kind] if kind else None
        return self.store.messages(athlete_id, kinds=kinds, since=since, until=until)

    def latest(self, athlete_id: str, kind: str, *, until: date | None = None) -> Envelope | None:
        """The newest message of ``kind`` on or before ``until``."""
        found = self.store.messages(
            athlete_id, kinds=[kind], until=until, newest_first=True, limit=1
        )
        return found[0] if found else None
