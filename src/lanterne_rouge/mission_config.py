"""The mission file, as strict pydantic models: a typo in a key is an error, never ignored.

A mission is the goal the coach works toward (a stage race such as a 21-stage Tour de France
simulation, or a single event), the athlete's thresholds, the fitness targets and the decision
thresholds the rules use. Thresholds live here, not in code.
"""

# Annotations are evaluated as the classes are made (no ``from __future__ import
# annotations``): pydantic would otherwise evaluate each one from its string, a third of
# the time these models take to build at start-up.

from datetime import date, timedelta
from typing import Annotated, Literal, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

StageType = Literal["flat", "hilly", "mountain", "time_trial", "mountain_time_trial"]
REST_MODE = "rest"
DEFAULT_STAGE_LOADS: dict[StageType, float] = {
    "flat": 150,
    "hilly": 180,
    "mountain": 210,
    "time_trial": 70,
    "mountain_time_trial": 90,
}
MAX_PHASE_DAYS = 365
MAX_TAPER_DAYS = 60
MAX_RECOVERY_DAYS = 60


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool(cls, value: object, info: ValidationInfo) -> object:
        """Only a yes/no setting takes yes or no: ``ftp = true`` is an error, never an FTP of
        1 W."""
        field = cls.model_fields.get(info.field_name or "")
        if isinstance(value, bool) and (field is None or field.annotation is not bool):
            raise ValueError("expected a number, not a yes/no value")
        return value


class MissionInfo(_Strict):
    # defer_build: built the first time it is used, not as the module is imported; the
    # morning run never uses it on its own (a millisecond or two of start-up each).
    model_config = ConfigDict(defer_build=True)

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
    model_config = ConfigDict(defer_build=True)

    name: str = "Athlete"
    ftp: float = Field(gt=0, le=700, description="functional threshold power, W")
    threshold_hr: int = Field(ge=100, le=220, description="lactate threshold heart rate, bpm")
    max_hr: int = Field(ge=120, le=230)
    resting_hr: int = Field(ge=25, le=110)
    sex: Literal["male", "female"] = "male"
    timezone: str | None = Field(default=None, description="IANA name, e.g. Europe/Paris")
    example: bool = Field(
        default=False, description="the numbers are an example, nobody's: loads say so"
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, name: str | None) -> str | None:
        if name is None:
            return None
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("unknown time zone (use an IANA name such as Europe/Paris)") from None
        return name


class Targets(_Strict):
    model_config = ConfigDict(defer_build=True)

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

    build_days: int = Field(default=84, ge=0, le=MAX_PHASE_DAYS)
    peak_days: int = Field(default=28, ge=0, le=MAX_PHASE_DAYS)
    taper_days: int = Field(default=10, ge=0, le=MAX_TAPER_DAYS)
    recovery_days: int = Field(default=7, ge=0, le=MAX_RECOVERY_DAYS)

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
    rhr_rise_bpm: float = Field(default=5, gt=0, le=30)
    missing_days_ease: int = Field(default=2, ge=1, le=14)
    race_form_allowance: float = Field(
        default=20,
        ge=0,
        le=60,
        description="inside a stage race the form thresholds are this much lower: the "
        "fatigue a stage race is expected to build",
    )
    compliance_low: float = Field(
        default=0.7,
        gt=0,
        le=1,
        description="last week's done/planned load under this holds pushes and lowers the ramp",
    )

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


class RideMode(_Strict):
    """How a completed stage ride is classified: the first mode whose minimums it meets."""

    model_config = ConfigDict(defer_build=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=32)
    min_if: float = Field(ge=0, le=2, description="lowest intensity factor (NP / FTP)")
    min_tss: float = Field(ge=0, le=1000, description="lowest training stress score")

    @model_validator(mode="after")
    def _not_rest(self) -> Self:
        if self.name == REST_MODE:
            raise ValueError(f"{REST_MODE!r} is the built-in mode of a ride that meets none")
        return self


class Bonus(_Strict):
    """Extra points: ``finisher`` for riding every stage (no stage classified rest);
    ``streak`` once for each run of at least ``length`` stages in a row ridden in ``mode``."""

    model_config = ConfigDict(defer_build=True)

    name: str = Field(min_length=1, max_length=64)
    kind: Literal["finisher", "streak"]
    points: int = Field(gt=0, le=1000)
    mode: str | None = None
    length: int | None = Field(default=None, ge=2, le=30)

    @model_validator(mode="after")
    def _streak_has_mode(self) -> Self:
        if self.kind == "streak" and (self.mode is None or self.length is None):
            raise ValueError("a streak bonus needs a mode and a length")
        if self.kind == "finisher" and (self.mode is not None or self.length is not None):
            raise ValueError("a finisher bonus takes no mode or length")
        return self


class Scoring(_Strict):
    """Points for a stage race: by stage type and ride mode, plus bonuses; rest earns 0."""

    model_config = ConfigDict(defer_build=True)

    modes: list[RideMode] = Field(min_length=1)
    points: dict[StageType, dict[str, int]] = Field(min_length=1)
    bonuses: list[Bonus] = []

    @model_validator(mode="after")
    def _tables_complete(self) -> Self:
        names = [m.name for m in self.modes]
        if len(set(names)) != len(names):
            raise ValueError(f"ride modes must have different names, got {names}")
        for stage_type, table in self.points.items():
            unknown = sorted(set(table) - set(names))
            if unknown:
                raise ValueError(f"points.{stage_type}: unknown ride mode {unknown[0]!r}")
            missing = [n for n in names if n not in table]
            if missing:
                raise ValueError(f"points.{stage_type}: no points for ride mode {missing[0]!r}")
            negative = [m for m, v in table.items() if v < 0]
            if negative:
                raise ValueError(f"points.{stage_type}.{negative[0]}: points must be >= 0")
        for bonus in self.bonuses:
            if bonus.mode is not None and bonus.mode not in names:
                raise ValueError(f"bonus {bonus.name!r}: unknown ride mode {bonus.mode!r}")
        return self

    def classify(self, intensity_factor: float | None, tss: float | None) -> str:
        """The ride mode of a completed ride; ``rest`` when it meets no mode (or no ride)."""
        if intensity_factor is None or tss is None:
            return REST_MODE
        for mode in self.modes:
            if intensity_factor >= mode.min_if and tss >= mode.min_tss:
                return mode.name
        return REST_MODE

    def points_for(self, stage_type: StageType, mode: str) -> int:
        return 0 if mode == REST_MODE else self.points[stage_type][mode]


class Stage(_Strict):
    model_config = ConfigDict(defer_build=True)

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
    stage_loads: dict[StageType, Annotated[float, Field(gt=0, le=600)]] = Field(
        default_factory=lambda: dict(DEFAULT_STAGE_LOADS),
        description="the load each stage type is expected to take, TSS (the plan's projection)",
    )
    scoring: Scoring | None = None

    # Field validators (not model ones), so an error names its field: each sees the fields
    # declared before it in ``info.data`` (absent when that field was itself invalid).

    @field_validator("rest_days")
    @classmethod
    def _rest_days_inside_event(cls, days: list[date], info: ValidationInfo) -> list[date]:
        info_ = info.data.get("mission")
        if info_ is None:
            return days
        if days and info_.kind == "single_event":
            raise ValueError("a single_event mission has no rest days")
        for rest in days:
            if not info_.start <= rest <= info_.end:
                raise ValueError(f"rest day {rest} is outside the event {info_.start}..{info_.end}")
        return days

    @field_validator("stages")
    @classmethod
    def _stages_inside_event(cls, stages: list[Stage], info: ValidationInfo) -> list[Stage]:
        numbers = [s.number for s in stages]
        if len(set(numbers)) != len(numbers):
            raise ValueError(f"stage numbers must be different, got {numbers}")
        info_ = info.data.get("mission")
        if info_ is None:
            return stages
        if stages and info_.kind == "single_event":
            raise ValueError("a single_event mission has no stages")
        taken = set(info.data.get("rest_days") or [])
        for stage in stages:
            if not info_.start <= stage.day <= info_.end:
                raise ValueError(
                    f"stage {stage.number} day {stage.day} is outside the event "
                    f"{info_.start}..{info_.end}"
                )
            if stage.day in taken:
                raise ValueError(f"stage {stage.number} day {stage.day} is already taken")
            taken.add(stage.day)
        return stages

    @field_validator("scoring")
    @classmethod
    def _scoring_covers_stages(
        cls, scoring: Scoring | None, info: ValidationInfo
    ) -> Scoring | None:
        info_ = info.data.get("mission")
        if scoring is None:
            return None
        if info_ is not None and info_.kind == "single_event":
            raise ValueError("a single_event mission has no scoring")
        for stage in info.data.get("stages") or []:
            if stage.type not in scoring.points:
                raise ValueError(
                    f"stage {stage.number} is {stage.type!r} but there is no points table for it"
                )
        return scoring

    def stage_load(self, stage_type: StageType) -> float:
        """The load a stage of this type is expected to take, TSS."""
        return self.stage_loads.get(stage_type, DEFAULT_STAGE_LOADS[stage_type])

    def stage_on(self, day: date) -> Stage | None:
        return next((s for s in self.stages if s.day == day), None)

    def shifted(self, days: int) -> "Mission":
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
