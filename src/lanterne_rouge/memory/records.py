"""Rows of the state store as pydantic models (the store's verbs never return ORM rows)."""

# Annotations are evaluated as the classes are made (no ``from __future__ import
# annotations``): pydantic would otherwise evaluate each one from its string, a third of
# the time these models take to build at start-up.

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RecoveryRecord(_Record):
    """One night's recovery data for one day (the day the athlete wakes up)."""

    day: date
    source: str = "manual"
    readiness_score: int | None = Field(default=None, ge=0, le=100)
    hrv_rmssd: float | None = Field(default=None, gt=0, le=300, description="ms")
    resting_hr: float | None = Field(default=None, ge=25, le=120, description="bpm")
    sleep_secs: int | None = Field(default=None, ge=0, le=24 * 3600)
    sleep_score: int | None = Field(default=None, ge=0, le=100)


class DailyLoad(_Record):
    """The training load of one day, and how it was obtained."""

    day: date
    source: str = "manual"
    load: float = Field(ge=0, le=1500, description="load counted for fitness (CTL)")
    fatigue_load: float | None = Field(
        default=None, ge=0, le=1500, description="load counted for fatigue (ATL); None = load"
    )
    method: str = "recorded"

    @property
    def atl_load(self) -> float:
        return self.load if self.fatigue_load is None else self.fatigue_load


class RunRecord(_Record):
    run_id: uuid.UUID
    athlete_id: str
    day: date
    attempt: int
    status: Literal["running", "decided", "done"]  # running: only ever seen by its own run
    started_at: datetime
    finished_at: datetime | None = None
    lease_owner: str | None = None
    lease_until: datetime | None = None


Outcome = Literal["ok", "fallback", "skipped"]


class LLMCallRecord(_Record):
    """One explanation request to a model: a whole chain of attempts, as the caller saw it."""

    # defer_build: built the first time it is used, not as the module is imported; the
    # morning run never uses it on its own (a millisecond or two of start-up each).
    model_config = ConfigDict(defer_build=True)

    run_id: uuid.UUID | None
    athlete_id: str
    day: date
    agent: str
    provider: str
    model_requested: str
    model_reported: str | None = None
    prompt_id: str
    prompt_version: int
    prompt_sha256: str
    input_tokens: int | None = Field(default=None, ge=0, description="prompt tokens")
    cached_tokens: int | None = Field(default=None, ge=0, description="prompt tokens from cache")
    output_tokens: int | None = Field(default=None, ge=0, description="completion tokens")
    cost_usd: float | None = Field(default=None, ge=0, description="None = unknown, never 0")
    latency_ms: float = Field(ge=0)
    attempts: int = Field(ge=0)
    outcome: Outcome
    reason: str | None = None
    created_at: datetime


FLEET = "*"  # the running sums' key for every athlete together (never an athlete's id)


class Spent(_Record):
    """What the model already cost, from the running sums of ``llm_spend`` (one row per
    athlete and UTC day, and one for the whole fleet): known costs in USD, and the calls sent
    whose cost is unknown (a budget counts each at the worst case of the call it checks)."""

    day_usd: float = 0.0
    day_unknown: int = 0
    month_usd: float = 0.0
    month_unknown: int = 0
    fleet_day_usd: float = 0.0
    fleet_day_unknown: int = 0

    def plus(self, rows: tuple[LLMCallRecord, ...]) -> "Spent":
        """With calls made since it was read (the week's summary follows the day's)."""
        usd = sum(r.cost_usd or 0.0 for r in rows)
        unknown = sum(1 for r in rows if r.cost_usd is None and r.attempts > 0)
        return Spent(
            day_usd=self.day_usd + usd,
            day_unknown=self.day_unknown + unknown,
            month_usd=self.month_usd + usd,
            month_unknown=self.month_unknown + unknown,
            fleet_day_usd=self.fleet_day_usd + usd,
            fleet_day_unknown=self.fleet_day_unknown + unknown,
        )
