"""The mission file, as strict pydantic models: a typo in a key is an error, never ignored.

A mission is the goal the coach works toward (a stage race such as a 21-stage Tour de France
simulation, or a single event), the athlete's thresholds, the fitness targets and the decision
thresholds the rules use. Thresholds live here, not in code.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

StageType = Literal["flat", "hilly", "mountain", "time_trial", "mountain_time_trial"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MissionInfo(_Strict):
    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")
    name: str = Field(min_length=1)
    kind: Literal["stage_race", "single_event"]
    start: date
    end: date

    @model_validator(mode="after")
    def _end_not_before_start(self) -> Self:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class AthleteProfile(_Strict):
    name: str = "Athlete"
    ftp: float = Field(gt=0, le=700, description="functional threshold power, W")
    threshold_hr: int = Field(ge=100, le=220, description="lactate threshold heart rate, bpm")
    max_hr: int = Field(ge=120, le=230)
    resting_hr: int = Field(ge=25, le=110)
    sex: Literal["male", "female"] = "male"
    timezone: str | None = None


class Targets(_Strict):
    ctl: float = Field(gt=0, le=200, description="target fitness (CTL) on the start day")
    form_min: float = Field(ge=-60, le=60, description="lowest acceptable form on the start day")
    form_max: float = Field(ge=-60, le=60)
    max_weekly_ramp: float = Field(gt=0, le=15, description="largest safe CTL rise per week")

    @model_validator(mode="after")
    def _band_ordered(self) -> Self:
        if self.form_min > self.form_max:
            raise ValueError("form_min is above form_max")
        return self


class Phases(_Strict):
    """How many days before the start each phase begins, and how long recovery lasts after."""

    build_days: int = Field(default=84, ge=0)
    peak_days: int = Field(default=28, ge=0)
    taper_days: int = Field(default=10, ge=0)
    recovery_days: int = Field(default=7, ge=0)

    @model_validator(mode="after")
    def _nested(self) -> Self:
        if not self.build_days >= self.peak_days >= self.taper_days:
            raise ValueError("expected build_days >= peak_days >= taper_days")
        return self


class Thresholds(_Strict):
    """Decision thresholds; every rule reads its numbers from here."""

    readiness_rest: int = Field(default=45, ge=0, le=100)
    readiness_recover: int = Field(default=60, ge=0, le=100)
    readiness_ease: int = Field(default=70, ge=0, le=100)
    readiness_push: int = Field(default=80, ge=0, le=100)
    tsb_rest: float = Field(default=-35, le=0)
    tsb_recover: float = Field(default=-25, le=0)
    tsb_ease: float = Field(default=-15, le=0)
    tsb_push_min: float = Field(default=-10)
    hrv_drop_pct: float = Field(default=15, gt=0, lt=100, description="% below baseline")
    rhr_rise_bpm: float = Field(default=5, gt=0, le=30)
    missing_days_ease: int = Field(default=2, ge=1, le=14)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        ladder = (
            self.readiness_rest,
            self.readiness_recover,
            self.readiness_ease,
            self.readiness_push,
        )
        if list(ladder) != sorted(ladder):
            raise ValueError("readiness thresholds must rise: rest <= recover <= ease <= push")
        if not self.tsb_rest <= self.tsb_recover <= self.tsb_ease <= self.tsb_push_min:
            raise ValueError("form thresholds must rise: rest <= recover <= ease <= push_min")
        return self


class Stage(_Strict):
    number: int = Field(ge=1, le=30)
    day: date
    type: StageType
    name: str = ""


class Mission(_Strict):
    """A whole mission file."""

    mission: MissionInfo
    athlete: AthleteProfile
    targets: Targets
    phases: Phases = Phases()
    thresholds: Thresholds = Thresholds()
    rest_days: list[date] = []
    stages: list[Stage] = []

    @model_validator(mode="after")
    def _stages_inside_event(self) -> Self:
        start, end = self.mission.start, self.mission.end
        seen: set[date] = set()
        for stage in self.stages:
            if not start <= stage.day <= end:
                raise ValueError(
                    f"stage {stage.number} date {stage.day} is outside the event {start}..{end}"
                )
            if stage.day in seen or stage.day in self.rest_days:
                raise ValueError(f"stage {stage.number} date {stage.day} is already taken")
            seen.add(stage.day)
        for rest in self.rest_days:
            if not start <= rest <= end:
                raise ValueError(f"rest day {rest} is outside the event {start}..{end}")
        return self

    def stage_on(self, day: date) -> Stage | None:
        return next((s for s in self.stages if s.day == day), None)

    def shifted(self, days: int) -> Mission:
        """The same mission moved ``days`` later (the demo keeps its event ahead of today)."""
        delta = timedelta(days=days)
        return self.model_copy(
            update={
                "mission": self.mission.model_copy(
                    update={"start": self.mission.start + delta, "end": self.mission.end + delta}
                ),
                "rest_days": [d + delta for d in self.rest_days],
                "stages": [s.model_copy(update={"day": s.day + delta}) for s in self.stages],
            }
        )
