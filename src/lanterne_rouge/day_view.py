"""Everything the athlete sees about one day, read from the state store (and nothing else).

The report, the dashboard, the morning message and the assistants' tools all start from a
:class:`DayView` (this module sits beside ``report`` and ``notify`` so that they share it
without importing each other): the messages of the day's latest attempt, the fitness
history before it (the last ``HISTORY_DAYS`` days, or all) with the model's state at its
end, the recovery data (with the weeks its baselines need), the stage results of the
mission, recent reflections, this month's LLM usage and the deliveries of recent morning
messages. The mission (when given) supplies the goal's dates, thresholds and stage bonuses.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import msgspec

from lanterne_rouge.errors import LanterneError
from lanterne_rouge.memory.deliveries import DeliveryRecord
from lanterne_rouge.memory.fitness_history import FitnessHistory, fitness_history
from lanterne_rouge.memory.memory_bus import MemoryBus
from lanterne_rouge.memory.records import LLMCallRecord, RecoveryRecord, RunRecord
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.messages import (
    CoachReport,
    Decision,
    MissionStatus,
    Observation,
    Plan,
    Reflection,
    StageResult,
)
from lanterne_rouge.mission_config import Mission
from lanterne_rouge.training.fitness import FitnessPoint, TsbConvention
from lanterne_rouge.training.fitness_state import FitnessState
from lanterne_rouge.wording import plural

HISTORY_DAYS = 90  # shown by the report; the dashboard can show the whole history
BASELINE_DAYS = 60  # the longest recovery baseline (HRV) needs this many days before
REFLECTIONS_SHOWN = 4
DELIVERY_LOOK_BACK = 7


class NothingToShow(LanterneError):
    """No daily run is stored for the athlete (on or before the day asked for)."""


class UsageSummary(msgspec.Struct, frozen=True):
    """The athlete's LLM calls of one UTC calendar month (budgets are per athlete)."""

    month: str
    calls: int = 0
    fallbacks: int = 0
    skipped: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0  # known costs only
    unknown_cost: int = 0  # calls sent whose cost is unknown (never counted as free)


class DayView(msgspec.Struct, frozen=True):
    athlete_id: str
    day: date
    attempt: int
    observation: Observation
    status: MissionStatus
    decision: Decision
    plan: Plan
    report: CoachReport
    history: tuple[FitnessPoint, ...]
    recovery: tuple[RecoveryRecord, ...]
    reflections: tuple[Reflection, ...]
    usage: UsageSummary
    deliveries: tuple[DeliveryRecord, ...] = ()
    stage_results: tuple[StageResult, ...] = ()  # the latest of each stage, by stage number
    mission: Mission | None = None
    fitness_state: FitnessState | None = None  # the model at the end of yesterday
    alerts: tuple[str, ...] = ()
    """What the run itself has to say: the run before failed, a source is stale."""
    run: RunRecord | None = None  # the attempt whose report this is
    report_id: uuid.UUID | None = None  # the stored report's message id

    @property
    def demo(self) -> bool:
        return self.observation.data_label == "demo"

    @property
    def notes(self) -> list[str]:
        """The run's alerts, then morning messages of the last days that could not be sent."""
        sent = failure_notes(list(self.deliveries), self.day, look_back=DELIVERY_LOOK_BACK)
        return [*self.alerts, *sent]


def load_day_view(
    store: StateStore,
    athlete_id: str,
    day: date | None = None,
    *,
    tsb_convention: TsbConvention = "previous_day",
    mission: Mission | None = None,
    history_days: int | None = HISTORY_DAYS,
) -> DayView:
    """The view of ``day`` (default: the newest day reported); ``NothingToShow`` if none is
    stored. The messages are the run's that has the day's report, read through typed queries,
    all on one connection."""
    with store.reading():
        return _load(store, athlete_id, day, tsb_convention, mission, history_days)


def _load(
    store: StateStore,
    athlete_id: str,
    day: date | None,
    tsb_convention: TsbConvention,
    mission: Mission | None,
    history_days: int | None,
) -> DayView:
    bus = MemoryBus(store)
    latest = bus.latest_stored(CoachReport, athlete_id, until=day)
    if latest is None or (day is not None and latest.day != day):
        when = f" for {day}" if day else ""
        raise NothingToShow(
            f"no daily run stored for athlete '{athlete_id}'{when}: run `lanterne-rouge run` first"
        )
    the_day, run_id = latest.day, latest.run_id
    run = bus.of_run(athlete_id, run_id)
    observation = run.latest(Observation)
    status = run.latest(MissionStatus)
    decision = run.latest(Decision)
    plan = run.latest(Plan)
    if observation is None or status is None or decision is None or plan is None:
        raise NothingToShow(f"the run of {athlete_id} {the_day} misses some of its messages")
    runs = [r for r in store.day_runs.of(athlete_id, the_day) if r.run_id == run_id]
    reflections = bus.history(
        Reflection, athlete_id, until=the_day, newest_first=True, limit=REFLECTIONS_SHOWN
    )
    fitness = _history(store, athlete_id, the_day, tsb_convention, history_days)
    since = None if history_days is None else the_day - timedelta(history_days + BASELINE_DAYS)
    return DayView(
        athlete_id=athlete_id,
        day=the_day,
        attempt=runs[0].attempt if runs else 1,
        run=runs[0] if runs else None,
        report_id=latest.message_id,
        observation=observation,
        status=status,
        decision=decision,
        plan=plan,
        report=latest.payload,
        history=fitness.points,
        fitness_state=fitness.state,
        recovery=tuple(store.recovery(athlete_id, since=since, until=the_day)),
        reflections=tuple(reflections),
        usage=month_usage(
            store.llm_calls(since=_month_start(the_day), athlete_id=athlete_id), the_day
        ),
        deliveries=tuple(
            store.deliveries.deliveries(
                athlete_id, since=the_day - timedelta(DELIVERY_LOOK_BACK), until=the_day
            )
        ),
        stage_results=_stage_results(store, athlete_id, the_day, status.mission_id),
        mission=mission
        if mission is not None and mission.mission.id == status.mission_id
        else None,
    )


def _stage_results(
    store: StateStore, athlete_id: str, day: date, mission_id: str
) -> tuple[StageResult, ...]:
    """The latest result of each stage of the day's mission, scored up to ``day``."""
    latest: dict[int, StageResult] = {}
    for result in MemoryBus(store).history(StageResult, athlete_id, until=day):
        if result.mission_id == mission_id:
            latest[result.stage.number] = result
    return tuple(latest[n] for n in sorted(latest))


def _history(
    store: StateStore, athlete_id: str, day: date, convention: TsbConvention, days: int | None
) -> FitnessHistory:
    """The fitness history of the days before ``day`` (its own load is not in yet): the same
    numbers the day's observation was built on; the last ``days`` days, or all of them."""
    return fitness_history(
        store,
        athlete_id,
        day - timedelta(days=1),
        since=None if days is None else day - timedelta(days=days),
        convention=convention,
    )


def _month_start(day: date) -> datetime:
    return datetime(day.year, day.month, 1, tzinfo=UTC)


def month_usage(calls: list[LLMCallRecord], day: date) -> UsageSummary:
    """Totals of the calls made in the UTC month of ``day``."""
    month = (day.year, day.month)
    mine = [c for c in calls if (c.created_at.year, c.created_at.month) == month]
    sent = [c for c in mine if c.outcome != "skipped"]
    return UsageSummary(
        month=f"{day:%Y-%m}",
        calls=len(sent),
        fallbacks=sum(c.outcome == "fallback" for c in sent),
        skipped=len(mine) - len(sent),
        input_tokens=sum(c.input_tokens or 0 for c in sent),
        output_tokens=sum(c.output_tokens or 0 for c in sent),
        cost_usd=sum(c.cost_usd or 0.0 for c in sent),
        unknown_cost=sum(c.cost_usd is None for c in sent),
    )


def days_to_go(days: int) -> str:
    if days > 0:
        return f"{plural(days, 'day')} to go"
    return "event under way" if days > -30 else "event over"


def failure_notes(records: list[DeliveryRecord], day: date, *, look_back: int = 7) -> list[str]:
    """What to tell the athlete about messages of the last days that never went out."""
    notes = []
    for record in records:
        age = (day - record.day).days
        if record.status != "failed" or not 0 <= age <= look_back:
            continue
        when = {0: "today's", 1: "yesterday's"}.get(age, f"the {record.day.isoformat()}")
        notes.append(
            f"{when} {_CHANNEL_NAMES.get(record.channel, record.channel)} could not be sent: "
            f"{record.error or 'unknown error'}"
        )
    return notes


_CHANNEL_NAMES = {"email": "email", "telegram": "Telegram message"}
