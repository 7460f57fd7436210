"""The memory bus: the one way messages are written and read.

``publish`` validates a message, stores it, and owes its subscribers' effects in the same
transaction (the outbox); ``deliver_owed`` does the owed effects after the commit, marks each
done, and leaves a failed one owed for the next run or ``repair``. So a message is in the
store before any effect sees it, and each effect happens once per message even when a process
dies in between (an effect that was started before is told so, and checks).

Reads are typed: ``bus.latest(Reflection, athlete, since=..., until=...)`` returns a
``Reflection`` or ``None``; ``bus.history(Decision, athlete, ...)`` a list of decisions.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Generic, TypeVar

import msgspec
from pydantic import ValidationError

from lanterne_rouge.errors import DataError
from lanterne_rouge.memory.outbox import OwedEffect
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.messages import (
    KINDS,
    CoachReport,
    Decision,
    Envelope,
    MissionStatus,
    Observation,
    Plan,
    Reflection,
    StageResult,
    utc_now,
)
from lanterne_rouge.utils.logger import get_logger, redact_text

log = get_logger(__name__)

P = TypeVar("P", Observation, MissionStatus, StageResult, Decision, Plan, CoachReport, Reflection)
# An effect: given the stored message and the effect as owed (``attempts`` > 1 means it was
# started before), do it and return a line for the athlete, or raise to leave it owed.
Effect = Callable[[Envelope, OwedEffect], str | None]


class EffectOutcome(msgspec.Struct, frozen=True):
    effect: str
    athlete_id: str
    day: date
    line: str | None = None
    error: str | None = None


class Stored(msgspec.Struct, Generic[P], frozen=True):
    """A typed payload with where it was stored."""

    payload: P
    message_id: uuid.UUID
    run_id: uuid.UUID
    day: date


class RunMessages(msgspec.Struct, frozen=True):
    """Every message of one run, read at once, oldest first; typed lookups as the bus's."""

    envelopes: tuple[Envelope, ...]

    def latest(self, payload_type: type[P]) -> P | None:
        found = self.latest_stored(payload_type)
        return None if found is None else found.payload

    def latest_stored(self, payload_type: type[P]) -> Stored[P] | None:
        kind = kind_of(payload_type)
        for e in reversed(self.envelopes):
            if e.payload.kind == kind:
                return Stored(_payload(payload_type, e), e.message_id, e.run_id, e.day)
        return None

    def history(self, payload_type: type[P]) -> list[P]:
        kind = kind_of(payload_type)
        return [_payload(payload_type, e) for e in self.envelopes if e.payload.kind == kind]


def kind_of(payload_type: type[P]) -> str:
    kind = payload_type.model_fields["kind"].default
    assert isinstance(kind, str)
    return kind


class MemoryBus:
    def __init__(self, store: StateStore, *, clock: Callable[[], datetime] = utc_now) -> None:
        self.store = store
        self.clock = clock
        self._effects: dict[str, tuple[str, Effect]] = {}  # name -> (kind, effect)

    # -- writing -------------------------------------------------------------------------

    def subscribe(self, kind: str, name: str, effect: Effect) -> None:
        """Owe ``effect`` (by ``name``) for every published message of ``kind``."""
        if kind not in KINDS:
            raise ValueError(f"unknown message kind {kind!r}; expected one of {KINDS}")
        self._effects[name] = (kind, effect)

    def publish(self, envelope: Envelope) -> Envelope:
        """Validate, store and owe the subscribers' effects, in the caller's transaction.

        The store validates the message from the JSON it stores, before storing it, so an
        invalid message raises ``DataError`` and leaves nothing behind.
        """
        try:
            stored = self.store.append_message(envelope)
        except ValidationError as exc:
            raise DataError(f"message from {envelope.producer} is invalid: {exc}") from exc
        owed = [name for name, (kind, _) in self._effects.items() if kind == stored.kind]
        self.store.outbox.owe(
            message_id=stored.message_id,
            run_id=stored.run_id,
            athlete_id=stored.athlete_id,
            day=stored.day,
            effects=owed,
            now=self.clock(),
        )
        return stored

    def deliver_owed(self, athlete_id: str | None = None) -> list[EffectOutcome]:
        """Do every owed effect this bus knows (oldest first); never raises for one."""
        return list(self._deliver(athlete_id))

    def _deliver(self, athlete_id: str | None) -> Iterator[EffectOutcome]:
        """A message's effects at a time: taken, with the message read, in one short
        transaction; done one after another with no transaction open; marked in one more."""
        outbox = self.store.outbox
        known = [o for o in outbox.pending(athlete_id) if o.effect in self._effects]
        for message_id, owed in _by_message(known):
            with self.store.transaction():
                taken = outbox.take_all(owed, now=self.clock())
                envelope = self.store.message(message_id) if taken else None
            if envelope is None:
                continue
            results: list[tuple[OwedEffect, str | None]] = []
            outcomes: list[EffectOutcome] = []
            for effect in taken:
                try:
                    line = self._effects[effect.effect][1](envelope, effect)
                except Exception as exc:  # an effect's failure is recorded, never lost or raised
                    error = redact_text(_describe(exc))
                    log.warning("effect failed", effect=effect.effect, error=error)
                    results.append((effect, error))
                    outcomes.append(
                        EffectOutcome(effect.effect, effect.athlete_id, effect.day, error=error)
                    )
                    continue
                results.append((effect, None))
                outcomes.append(EffectOutcome(effect.effect, effect.athlete_id, effect.day, line))
            outbox.finish(results, now=self.clock())
            yield from outcomes

    # -- typed reads ---------------------------------------------------------------------

    def latest(
        self,
        payload_type: type[P],
        athlete_id: str,
        *,
        since: date | None = None,
        until: date | None = None,
        run_id: uuid.UUID | None = None,
    ) -> P | None:
        """The newest message of the type in the day range (and run), or None."""
        if run_id is None:  # the daily lookups: one statement, built once
            found_one = self.store.latest_message(
                athlete_id, kind_of(payload_type), since=since or date.min, until=until or date.max
            )
            return _payload(payload_type, found_one) if found_one else None
        found = self.history(
            payload_type,
            athlete_id,
            since=since,
            until=until,
            run_id=run_id,
            newest_first=True,
            limit=1,
        )
        return found[0] if found else None

    def history(
        self,
        payload_type: type[P],
        athlete_id: str,
        *,
        since: date | None = None,
        until: date | None = None,
        run_id: uuid.UUID | None = None,
        newest_first: bool = False,
        limit: int | None = None,
    ) -> list[P]:
        """Messages of the type, oldest first (or newest first), by day range and run."""
        found = self.store.messages(
            athlete_id,
            kinds=[kind_of(payload_type)],
            since=since,
            until=until,
            run_id=run_id,
            newest_first=newest_first,
            limit=limit,
        )
        return [_payload(payload_type, e) for e in found]

    def history_stored(
        self,
        payload_type: type[P],
        athlete_id: str,
        *,
        since: date | None = None,
        until: date | None = None,
    ) -> list[Stored[P]]:
        """Like ``history``, each message with its id, run and day."""
        found = self.store.messages(
            athlete_id, kinds=[kind_of(payload_type)], since=since, until=until
        )
        return [Stored(_payload(payload_type, e), e.message_id, e.run_id, e.day) for e in found]

    def latest_stored(
        self,
        payload_type: type[P],
        athlete_id: str,
        *,
        until: date | None = None,
        run_id: uuid.UUID | None = None,
    ) -> Stored[P] | None:
        """The newest message of the type on or before ``until`` (in the run), with its
        message id, run and day."""
        found = self.store.messages(
            athlete_id,
            kinds=[kind_of(payload_type)],
            until=until,
            run_id=run_id,
            newest_first=True,
            limit=1,
        )
        if not found:
            return None
        e = found[0]
        return Stored(_payload(payload_type, e), e.message_id, e.run_id, e.day)

    def of_run(self, athlete_id: str, run_id: uuid.UUID) -> RunMessages:
        """Every message of one run in one read (a day's view and its effects need most)."""
        return RunMessages(tuple(self.store.messages(athlete_id, run_id=run_id)))

    def stream(
        self, athlete_id: str, *, kinds: list[str] | None = None, since: date | None = None
    ) -> Iterator[Envelope]:
        """Every message of an athlete (any kind, for showing), oldest first, read a page at
        a time."""
        for page in self.store.message_pages(athlete_id, kinds=kinds, since=since):
            yield from page

    def exists(self, payload_type: type[P], athlete_id: str, *, since: date, until: date) -> bool:
        return self.store.has_message(athlete_id, kind_of(payload_type), since=since, until=until)


def _payload(payload_type: type[P], envelope: Envelope) -> P:
    """The store filtered by kind, and the kind fixes the type: this only narrows it."""
    if not isinstance(envelope.payload, payload_type):  # pragma: no cover - a store bug
        raise DataError(f"message {envelope.message_id} is not a {payload_type.__name__}")
    return envelope.payload


def _describe(exc: Exception) -> str:
    """One line; a file error names the folder (effects that share one fail alike)."""
    if isinstance(exc, OSError) and exc.strerror:
        where = f" in {Path(exc.filename).parent}" if exc.filename else ""
        return f"{exc.strerror}{where}"
    return str(exc) or type(exc).__name__


def _by_message(owed: list[OwedEffect]) -> Iterator[tuple[uuid.UUID, list[OwedEffect]]]:
    """The effects grouped by the message that owes them, in the order they were owed."""
    groups: dict[uuid.UUID, list[OwedEffect]] = {}
    for o in owed:
        groups.setdefault(o.message_id, []).append(o)
    yield from groups.items()
