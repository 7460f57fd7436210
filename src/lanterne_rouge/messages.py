"""The typed messages agents exchange over the memory bus.

Each payload has a ``kind`` and a ``schema_version`` and travels in an :class:`Envelope` that
says who produced it, for which athlete-day, in which run, and in answer to which message.
Payloads are frozen: a message, once published, is history.
"""

# Annotations are evaluated as the classes are made (no ``from __future__ import
# annotations``): pydantic would otherwise evaluate each one from its string, a third of
# the time these models take to build at start-up.

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

Action = Literal["push", "maintain", "ease", "recover", "rest"]
ACTIONS: tuple[Action, ...] = ("push", "maintain", "ease", "recover", "rest")
Phase = Literal["base", "build", "peak", "taper", "event", "recovery", "complete"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SignalGap(_Frozen):
    """A signal the coach could not use today, and why (never a silent default)."""

    # defer_build: built the first time it is used, not as the module is imported; the
    # morning run never uses it on its own (a millisecond or two of start-up each).
    model_config = ConfigDict(defer_build=True)

    signal: str
    reason: str
    last_seen: date | None = None


class Observation(_Frozen):
    """What the coach knows this morning: recovery signals and the fitness model."""

    kind: Literal["observation"] = "observation"
    schema_version: Literal[1] = 1
    data_label: str = Field(description="where the data came from, e.g. 'demo' or 'stored'")
    readiness_score: int | None = Field(default=None, ge=0, le=100)
    hrv_rmssd: float | None = Field(default=None, gt=0, description="ms, last night")
    hrv_baseline: float | None = Field(default=None, description="ms, 60-day mean")
    hrv_7day: float | None = Field(
        default=None, description="ms, the last 7 nights (exp of their mean ln rMSSD)"
    )
    hrv_band_low: float | None = Field(
        default=None, description="ms, lower edge of the 60-day normal band (mean - 0.5 SD ln)"
    )
    hrv_band_high: float | None = Field(default=None, description="ms, upper edge of the band")
    hrv_status: str | None = Field(
        default=None,
        description="low, normal or high against the band; or missing, stale, "
        "insufficient_baseline when it cannot be judged",
    )
    resting_hr: float | None = Field(default=None, gt=0, description="bpm, last night")
    resting_hr_baseline: float | None = Field(default=None, description="bpm, 30-day mean")
    sleep_hours: float | None = Field(default=None, ge=0)
    sleep_score: int | None = Field(default=None, ge=0, le=100)
    ctl: float = Field(description="fitness at the end of yesterday")
    atl: float = Field(description="fatigue at the end of yesterday")
    tsb: float = Field(description="form going into today")
    ramp_rate: float | None = Field(default=None, description="CTL change over the last 7 days")
    yesterday_load: float = 0.0
    week_load: float = Field(default=0.0, description="sum of the last 7 days' loads")
    days_without_recovery: int | None = Field(
        default=0,
        ge=0,
        description="days since the last recovery reading (0 = today's, None = never)",
    )
    gaps: tuple[SignalGap, ...] = ()
    warnings: tuple[str, ...] = ()
    not_counted: tuple[str, ...] = Field(
        default=(), description="yesterday's sessions that load nothing, each with why"
    )


class StageInfo(_Frozen):
    model_config = ConfigDict(defer_build=True)

    number: int
    type: str
    name: str = ""


class MissionStatus(_Frozen):
    kind: Literal["mission_status"] = "mission_status"
    schema_version: Literal[1] = 1
    mission_id: str
    mission_name: str
    mission_kind: Literal["stage_race", "single_event"] = "stage_race"
    phase: Phase
    days_to_go: int = Field(description="days until the event starts (negative once started)")
    current_ctl: float
    target_ctl: float
    ramp_needed: float | None = Field(description="CTL per week needed to reach the target")
    ramp_safe: bool
    max_weekly_ramp: float
    stage: StageInfo | None = None
    rest_day: bool = False
    points: int | None = Field(
        default=None, description="stage race points so far, bonuses included (None: no scoring)"
    )
    stages_scored: int = Field(default=0, ge=0, description="stages with a result so far")
    stage_points: dict[str, int] = Field(
        default_factory=dict,
        description="today's stage: the points of each ride mode, hardest first (scored races)",
    )
    stage_load: float | None = Field(
        default=None, description="today's stage: the load its type is expected to take, TSS"
    )
    finisher_bonus: int | None = Field(
        default=None, description="the finisher bonus still to be won (None: none, or lost)"
    )


class StageResult(_Frozen):
    """A stage day's ride, classified and scored; a later result for the same stage replaces
    it (an activity that arrived late), so the latest one per stage counts."""

    model_config = ConfigDict(defer_build=True)

    kind: Literal["stage_result"] = "stage_result"
    schema_version: Literal[1] = 1
    mission_id: str
    stage: StageInfo
    stage_day: date
    mode: str = Field(description="the ride mode, or 'rest' when no ride qualified")
    points: int = Field(ge=0)
    activity_source: str | None = None
    activity_id: str | None = None
    intensity_factor: float | None = None
    tss: float | None = None
    reason: str


class Evidence(_Frozen):
    """One input the rule looked at, with its value and the threshold it was held against."""

    name: str
    value: int | float | str | None
    threshold: float | None = None
    unit: str = ""


class Decision(_Frozen):
    kind: Literal["decision"] = "decision"
    schema_version: Literal[1] = 1
    action: Action
    rule: str = Field(description="id of the rule that fired")
    reason: str
    evidence: tuple[Evidence, ...]
    flags: tuple[str, ...] = Field(default=(), description="soft warnings, not rules")
    ride_mode: str | None = Field(
        default=None, description="on a stage day: how to ride it (one of the mission's modes)"
    )


class WorkoutStep(_Frozen):
    """A steady block: whole minutes at a share of FTP."""

    minutes: int = Field(ge=1, le=600)
    pct_ftp: float = Field(gt=0, le=200)


class Workout(_Frozen):
    name: str
    type: str
    minutes: int = Field(ge=0, le=600)
    tss_target: float = Field(ge=0)
    zones: tuple[str, ...] = ()
    description: str = ""
    steps: tuple[WorkoutStep, ...] = Field(default=(), description="minutes add up to minutes")


class PlannedDay(_Frozen):
    day: date
    workout: Workout
    projected_ctl: float
    projected_atl: float
    projected_tsb: float


class Plan(_Frozen):
    kind: Literal["plan"] = "plan"
    schema_version: Literal[1] = 1
    action: Action
    workout: Workout
    days: tuple[PlannedDay, ...] = Field(description="today and the days ahead, with projections")
    ramp_limit: float | None = Field(
        default=None, description="the weekly CTL rise the plan was held to"
    )
    adjustments: tuple[str, ...] = Field(default=(), description="why targets were lowered")


class CoachReport(_Frozen):
    kind: Literal["coach_report"] = "coach_report"
    schema_version: Literal[2] = 2  # 2: week_summary
    action: Action
    headline: str
    explanation: str
    provider: str
    model: str
    prompt_id: str
    prompt_version: int
    fallback_reason: str | None = None
    week_summary: str | None = Field(
        default=None, description="last week in two sentences, on the first run of a week"
    )


class DayAfter(_Frozen):
    """How recovery looked the morning after a kind of day: means over ``days`` mornings."""

    model_config = ConfigDict(defer_build=True)

    days: int = Field(ge=1)
    readiness: float | None = None
    hrv_rmssd: float | None = None


class Reflection(_Frozen):
    model_config = ConfigDict(defer_build=True)

    kind: Literal["reflection"] = "reflection"
    schema_version: Literal[1] = 1
    week_start: date
    week_end: date
    planned_load: float
    actual_load: float = Field(description="all training of the week, planned or not, TSS")
    done_on_planned_days: float | None = Field(
        default=None, description="the load of the days the coach planned, TSS"
    )
    compliance: float | None = Field(
        description="done on planned days / planned load; None when too little was planned "
        "or inside a stage race"
    )
    actions: dict[str, int]
    rules: dict[str, int]
    after_push: DayAfter | None = Field(default=None, description="mornings after push days")
    after_recovery: DayAfter | None = Field(
        default=None, description="mornings after recover and rest days"
    )
    form_day: date | None = Field(default=None, description="the day form is compared on")
    form_planned: float | None = Field(
        default=None, description="form the week's first plan projected for form_day"
    )
    form_actual: float | None = Field(default=None, description="form observed on form_day")
    notes: tuple[str, ...] = ()


Payload = Annotated[
    Observation | MissionStatus | StageResult | Decision | Plan | CoachReport | Reflection,
    Field(discriminator="kind"),
]
KINDS = (
    "observation",
    "mission_status",
    "stage_result",
    "decision",
    "plan",
    "coach_report",
    "reflection",
)


# The schema version each kind is written with today. A payload change bumps its kind's version
# here and in its model, and adds an upgrade from the version before to ``UPGRADES``: stored
# messages are never rewritten (they are history), older ones are upgraded as they are read.
CURRENT_VERSIONS = {
    "observation": 1,
    "mission_status": 1,
    "stage_result": 1,
    "decision": 1,
    "plan": 1,
    "coach_report": 2,
    "reflection": 1,
}


def _coach_report_1_to_2(payload: dict[str, object]) -> dict[str, object]:
    """Version 2 added ``week_summary`` (no summary before it)."""
    return {**payload, "schema_version": 2, "week_summary": None}


UPGRADES: dict[tuple[str, int], Callable[[dict[str, object]], dict[str, object]]] = {
    ("coach_report", 1): _coach_report_1_to_2,
}


def upgrade_payload(kind: str, version: int, payload: dict[str, object]) -> dict[str, object]:
    """A stored payload of an older version, brought to today's, one version at a time."""
    while version < CURRENT_VERSIONS[kind]:
        payload = UPGRADES[(kind, version)](payload)
        version += 1
    return payload


def utc_now() -> datetime:
    return datetime.now(UTC)


class Envelope(_Frozen):
    """A payload with its provenance; what the memory bus publishes and the store keeps."""

    message_id: uuid.UUID = Field(default_factory=uuid.uuid4)
    run_id: uuid.UUID
    causation_id: uuid.UUID | None = None
    athlete_id: str = Field(min_length=1, max_length=64)
    day: date
    producer: str
    created_at: AwareDatetime = Field(default_factory=utc_now)
    payload: Payload

    @field_validator("created_at")
    @classmethod
    def _to_utc(cls, value: datetime) -> datetime:
        return value.astimezone(UTC)

    @property
    def kind(self) -> str:
        return self.payload.kind
