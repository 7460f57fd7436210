"""The day's effects, as subscribers of the memory bus fed from the outbox.

Each stored ``CoachReport`` owes, in this order: the reasoning-log row, the morning message
and the HTML report (written last, so it shows how the message went). Each is done after the
day's phase 3 commits, marked done, and left owed when it fails (a full disk, a channel
down) for the next run or ``lanterne-rouge repair``. Each tolerates being done again after a
crash: the row is not appended twice, the report is replaced whole, and the delivery ledger
never sends a day twice on a channel.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from lanterne_rouge.memory.memory_bus import Effect, MemoryBus
from lanterne_rouge.memory.outbox import OwedEffect
from lanterne_rouge.messages import (
    CoachReport,
    Decision,
    Envelope,
    MissionStatus,
    Observation,
    Plan,
)
from lanterne_rouge.orchestrator import DayResult, log_row

if TYPE_CHECKING:
    from lanterne_rouge.day_view import DayView
    from lanterne_rouge.mission_config import Mission
    from lanterne_rouge.notify.channels import Channel
    from lanterne_rouge.training.fitness import TsbConvention
    from lanterne_rouge.utils.config_loader import Settings

REASONING_LOG = "reasoning_log_row"
MORNING_MESSAGE = "morning_message"
REPORT = "report"
NAMES = {
    REASONING_LOG: "the reasoning-log row",
    MORNING_MESSAGE: "the morning message",
    REPORT: "the report",
}


class EffectFailed(Exception):
    """An effect that did not happen; its message is the line shown to the athlete."""


class Outputs(msgspec.Struct, frozen=True):
    """Where the effects go, from the settings (so the bus needs no settings of its own)."""

    output_dir: Path
    tsb_convention: TsbConvention
    settings: Settings | None = None  # the morning message's channels; None: no message
    alerts: tuple[str, ...] = ()  # this run's notes (the run before failed, a stale source)
    mission_for: Callable[[str, date], Mission | None] | None = None  # the report's goal
    # a fleet: each athlete's outputs in a folder of their own, messages on their channels
    per_athlete: bool = False
    channels_for: Callable[[str], Sequence[Channel]] | None = None

    @property
    def reasoning_log(self) -> Path:
        return self.output_dir / "reasoning_log.csv"

    def folder(self, athlete_id: str) -> Path:
        return self.output_dir / "athletes" / athlete_id if self.per_athlete else self.output_dir


def subscribe_effects(bus: MemoryBus, outputs: Outputs) -> MemoryBus:
    """Owe the three effects for every ``CoachReport`` published on ``bus``."""
    views = _Views(bus, outputs)
    bus.subscribe("coach_report", REASONING_LOG, _reasoning_log_row(bus, outputs, views))
    bus.subscribe("coach_report", MORNING_MESSAGE, _morning_message(outputs, views))
    bus.subscribe("coach_report", REPORT, _report(outputs, views))
    return bus


class _Views:
    """The day's view, read once for the row, the message and the report of the same stored
    report (the report reads the deliveries again: it shows how the message went)."""

    def __init__(self, bus: MemoryBus, outputs: Outputs) -> None:
        self.bus, self.outputs = bus, outputs
        self._last: tuple[object, DayView] | None = None
        self._sent_since = False  # a message went out since the kept view was read

    def sent(self) -> None:
        """A morning message was delivered: a kept view's deliveries are out of date."""
        self._sent_since = True

    def of(self, envelope: Envelope, *, keep: bool = True, sent_now: bool = False) -> DayView:
        """The view of the stored report; ``keep`` it for the next effect, or let it go;
        ``sent_now``: with the deliveries as they are now (a kept view's are read again)."""
        from lanterne_rouge.day_view import DELIVERY_LOOK_BACK, load_day_view

        last, self._last = self._last, None
        if last is not None and last[0] == envelope.message_id:
            self._last = last if keep else None
            if not (sent_now and self._sent_since):
                return last[1]
            who, day = envelope.athlete_id, envelope.day
            sent = self.bus.store.deliveries.deliveries(
                who, since=day - timedelta(DELIVERY_LOOK_BACK), until=day
            )
            return msgspec.structs.replace(last[1], deliveries=tuple(sent))
        who, day, outputs = envelope.athlete_id, envelope.day, self.outputs
        mission = outputs.mission_for(who, day) if outputs.mission_for else None
        view = load_day_view(
            self.bus.store, who, day, tsb_convention=outputs.tsb_convention, mission=mission
        )
        view = msgspec.structs.replace(view, alerts=outputs.alerts)
        self._last = (envelope.message_id, view) if keep else None
        self._sent_since = False
        return view


def _reasoning_log_row(bus: MemoryBus, outputs: Outputs, views: _Views) -> Effect:
    def write(envelope: Envelope, owed: OwedEffect) -> str | None:
        from lanterne_rouge.reasoning_log import append_row_once

        view = views.of(envelope)  # read once for the row, the message and the report
        if view.run is not None and view.report_id == envelope.message_id:
            day = DayResult(
                view.run, view.observation, view.status, view.decision, view.plan, view.report
            )
        else:  # a report stored since, for the same day: this one's own run
            day = stored_day(bus, envelope)
        path = outputs.folder(envelope.athlete_id) / "reasoning_log.csv"
        done = append_row_once(path, log_row(day), retry=owed.attempts > 1)
        if done.mended:
            return f"Mended a torn last line in {path} (a write cut short)."
        return None

    return write


def _morning_message(outputs: Outputs, views: _Views) -> Effect:
    def send(envelope: Envelope, _owed: OwedEffect) -> str | None:
        s = outputs.settings
        if s is None or not (
            outputs.channels_for
            or s.smtp_host
            or s.smtp_to
            or s.telegram_bot_token
            or s.telegram_chat_id
        ):
            return None  # nothing configured: skip importing the senders (the run stays fast)
        from lanterne_rouge.notify.deliver import (
            channels_from_settings,
            deliver,
            policy_from_settings,
        )

        channels = (
            outputs.channels_for(envelope.athlete_id)
            if outputs.channels_for
            else channels_from_settings(s)
        )
        if not channels:
            return None
        store = views.bus.store
        view = views.of(envelope)
        views.sent()  # from here on, the kept view's deliveries may be out of date
        outcomes = deliver(store.deliveries, channels, view, policy_from_settings(s))
        lines = "\n".join(o.describe() for o in outcomes)
        if any(o.status == "failed" for o in outcomes):
            raise EffectFailed(lines)
        return lines or None

    return send


def _report(outputs: Outputs, views: _Views) -> Effect:
    def write(envelope: Envelope, _owed: OwedEffect) -> str | None:
        from lanterne_rouge.report.html import write_report

        who = envelope.athlete_id
        view = views.of(envelope, keep=False, sent_now=True)
        lines = [f"Note:     {n[:1].upper()}{n[1:]}" for n in view.notes]
        path = write_report(view, outputs.folder(who))
        return "\n".join([*lines, f"Report:   {path}"])

    return write


def stored_day(bus: MemoryBus, envelope: Envelope) -> DayResult:
    """The day a stored ``CoachReport`` ends, read back through the bus."""
    who, run_id = envelope.athlete_id, envelope.run_id
    with bus.store.reading():
        runs = [r for r in bus.store.day_runs.of(who, envelope.day) if r.run_id == run_id]
        run = bus.of_run(who, run_id)
    obs, status = run.latest(Observation), run.latest(MissionStatus)
    decision, plan, report = run.latest(Decision), run.latest(Plan), run.latest(CoachReport)
    if not runs or obs is None or status is None or decision is None or plan is None:
        raise EffectFailed(f"run {run_id} of {who} {envelope.day} is not fully stored")
    if report is None:
        raise EffectFailed(f"run {run_id} of {who} {envelope.day} has no report stored")
    return DayResult(runs[0], obs, status, decision, plan, report)
