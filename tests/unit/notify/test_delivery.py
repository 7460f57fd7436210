"""Delivery: retried when transient, recorded always, each day at most once per channel."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import UTC, date, datetime

import pytest
from local_servers import BOT_TOKEN, BotApi, Mailbox, free_port
from pydantic import SecretStr

from lanterne_rouge.day_view import load_day_view
from lanterne_rouge.memory.deliveries import NotificationLedger
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.notify.channels import Channel, EmailChannel, TelegramChannel
from lanterne_rouge.notify.deliver import Outcome, RetryPolicy, deliver
from lanterne_rouge.notify.message import MorningMessage, compose
from lanterne_rouge.sources.demo import DEMO_ATHLETE

NOW = datetime(2026, 3, 10, 6, 30, tzinfo=UTC)
POLICY = RetryPolicy(attempts=3, backoff_s=0.5)


def _email(port: int) -> EmailChannel:
    return EmailChannel(
        host="127.0.0.1",
        port=port,
        security="none",
        sender="coach@example.org",
        recipients=("rider@example.org",),
        timeout_s=5.0,
    )


def _telegram(api: BotApi) -> TelegramChannel:
    return TelegramChannel(SecretStr(BOT_TOKEN), "4242", base_url=api.url)


def _send(
    store: StateStore,
    channels: Sequence[Channel],
    day: date | None = None,
    sleeps: list[float] | None = None,
) -> list[Outcome]:
    """Deliver the day's message with a frozen clock; waits are recorded, not slept."""
    view = load_day_view(store, DEMO_ATHLETE, day)
    waits = [] if sleeps is None else sleeps
    return deliver(
        NotificationLedger(store), channels, view, POLICY, clock=lambda: NOW, sleep=waits.append
    )


def test_each_channel_gets_the_message_once_and_a_second_delivery_sends_nothing(
    seeded: StateStore, mailbox: Mailbox, bot_api: BotApi
) -> None:
    first = _send(seeded, [_email(mailbox.port), _telegram(bot_api)])
    assert [(o.channel, o.status, o.attempts) for o in first] == [
        ("email", "sent", 1),
        ("telegram", "sent", 1),
    ]
    again = _send(seeded, [_email(mailbox.port), _telegram(bot_api)])
    assert [o.status for o in again] == ["already_sent", "already_sent"]
    assert len(mailbox.messages) == 1 and len(bot_api.requests) == 1
    sent = NotificationLedger(seeded).deliveries(DEMO_ATHLETE)
    assert [(d.channel, d.status, d.sent_at) for d in sent] == [
        ("email", "sent", NOW),
        ("telegram", "sent", NOW),
    ]


def test_a_refused_connection_is_retried_with_backoff_then_recorded(seeded: StateStore) -> None:
    sleeps: list[float] = []
    (outcome,) = _send(seeded, [_email(free_port())], sleeps=sleeps)
    assert (outcome.status, outcome.attempts) == ("failed", 3)
    assert sleeps == [0.5, 1.0]
    (record,) = NotificationLedger(seeded).deliveries(DEMO_ATHLETE)
    assert (record.status, record.attempts) == ("failed", 3)
    assert record.error and "cannot reach SMTP server" in record.error


def test_a_transient_api_error_is_retried_until_it_goes_through(
    seeded: StateStore, bot_api: BotApi
) -> None:
    bot_api.script += [(502, {"ok": False}), (429, {"ok": False, "description": "slow down"})]
    (outcome,) = _send(seeded, [_telegram(bot_api)])
    assert (outcome.status, outcome.attempts) == ("sent", 3)
    assert "after 3 attempts" in outcome.describe()


def test_a_permanent_error_is_not_retried(seeded: StateStore, bot_api: BotApi) -> None:
    bot_api.script.append((400, {"ok": False, "description": "Bad Request: chat not found"}))
    (outcome,) = _send(seeded, [_telegram(bot_api)])
    assert (outcome.status, outcome.attempts) == ("failed", 1)
    assert "chat not found" in (outcome.error or "")


def test_a_failed_day_can_be_sent_later_but_only_once(seeded: StateStore, mailbox: Mailbox) -> None:
    _send(seeded, [_email(free_port())])
    (later,) = _send(seeded, [_email(mailbox.port)])
    assert (later.status, later.attempts) == ("sent", 1)
    (record,) = NotificationLedger(seeded).deliveries(DEMO_ATHLETE)
    assert (record.status, record.attempts, record.error) == ("sent", 4, None)
    assert _send(seeded, [_email(mailbox.port)])[0].status == "already_sent"


def test_the_next_day_says_yesterdays_message_could_not_be_sent(seeded: StateStore) -> None:
    _send(seeded, [_email(free_port())], day=date(2026, 3, 9))
    view = load_day_view(seeded, DEMO_ATHLETE, date(2026, 3, 10))
    (note,) = view.notes
    assert note.startswith("yesterday's email could not be sent: cannot reach SMTP server")
    assert f"Note: {note}" in compose(view).body


def test_a_day_being_sent_elsewhere_is_not_sent_again(seeded: StateStore, mailbox: Mailbox) -> None:
    ledger = NotificationLedger(seeded)
    assert ledger.claim(DEMO_ATHLETE, date(2026, 3, 10), "email", now=NOW)
    assert not ledger.claim(DEMO_ATHLETE, date(2026, 3, 10), "email", now=NOW)
    (outcome,) = _send(seeded, [_email(mailbox.port)])
    assert outcome.status == "in_progress" and not mailbox.messages


@dataclasses.dataclass(frozen=True)
class Broken:
    name: str = "broken"

    def send(self, message: MorningMessage) -> None:
        raise RuntimeError("a bug in a channel")


def test_an_unexpected_error_is_recorded_not_raised(seeded: StateStore) -> None:
    (outcome,) = _send(seeded, [Broken()])
    assert outcome.status == "failed" and "RuntimeError: a bug in a channel" in (
        outcome.error or ""
    )


def test_the_message_holds_the_decision_the_explanation_and_the_workout(
    seeded: StateStore,
) -> None:
    view = load_day_view(seeded, DEMO_ATHLETE)
    message = compose(view)
    assert message.subject.startswith("[DEMO] Lanterne Rouge 2026-03-10: ")
    assert view.decision.action.upper() in message.subject
    assert f"(rule: {view.decision.rule})" in message.body
    assert view.report.explanation in message.body
    assert f"Workout: {view.plan.workout.name}: {view.plan.workout.minutes} min" in message.body


@pytest.mark.parametrize("hours", [0, 23], ids=["midnight", "late"])
def test_the_ledger_keeps_timestamps_aware(seeded: StateStore, hours: int) -> None:
    ledger = NotificationLedger(seeded)
    when = NOW.replace(hour=hours)
    ledger.claim("a", date(2026, 3, 10), "email", now=when)
    ledger.sent("a", date(2026, 3, 10), "email", attempts=1, now=when)
    (record,) = ledger.deliveries("a")
    assert record.sent_at == when and record.sent_at.tzinfo is not None
