"""The workout library: data in ``data/workouts.toml``, validated strictly, chosen by rules.

A workout's minutes and TSS are computed from its steps, so they always add up.
"""

# Annotations are evaluated as the classes are made (no ``from __future__ import
# annotations``): pydantic would otherwise evaluate each one from its string, a third of
# the time these models take to build at start-up.

import re
from collections.abc import Sequence
from functools import cache
from importlib import resources

import msgspec
import tomli
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, computed_field

from lanterne_rouge.errors import ConfigError
from lanterne_rouge.messages import Action, Phase, Workout, WorkoutStep


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Step(_Strict):
    # defer_build: built the first time it is used, not as the module is imported; the
    # morning run never uses it on its own (a millisecond or two of start-up each).
    model_config = ConfigDict(defer_build=True)

    minutes: float = Field(gt=0, le=600)
    pct_ftp: float = Field(gt=0, le=200)

    @property
    def tss(self) -> float:
        return self.minutes / 60 * (self.pct_ftp / 100) ** 2 * 100


class _Kept(msgspec.Struct):
    """A template's TSS, and each shape built from it by its steps' minutes: many stretches
    round to the same minutes, so a plan projected over months builds each shape once (kept
    on the template: looking one up never hashes the template's fields)."""

    steps: tuple[Step, ...]
    tss: float
    shapes: dict[tuple[int, ...], Workout] = msgspec.field(default_factory=dict)


class WorkoutTemplate(_Strict):
    model_config = ConfigDict(defer_build=True)

    id: str
    name: str
    type: str
    actions: tuple[Action, ...]
    phases: tuple[Phase, ...] = ()
    stage_types: tuple[str, ...] = ()
    zones: tuple[str, ...] = ()
    description: str = ""
    fixed: bool = Field(default=False, description="keep its length: never stretched to a load")
    steps: tuple[Step, ...] = ()

    @computed_field  # type: ignore[prop-decorator]
    @property
    def minutes(self) -> int:
        return round(sum(s.minutes for s in self.steps))

    @computed_field  # type: ignore[prop-decorator]
    @property
    def tss(self) -> float:
        # read for every day planned: summed once for these steps (a copy with other steps
        # sums its own)
        return self._worked_out().tss

    _kept: _Kept | None = PrivateAttr(default=None)

    def _worked_out(self) -> _Kept:
        """What is worked out from the steps, once for these steps (a copy with other steps
        works out its own)."""
        # read where pydantic keeps private attributes: ``self._kept`` goes through the model's
        # ``__getattr__``, 4 us a read, and this is read for every day of every plan
        kept: _Kept | None = self.__pydantic_private__["_kept"]  # type: ignore[index]
        if kept is None or kept.steps is not self.steps:
            kept = self._kept = _Kept(self.steps, round(sum(s.tss for s in self.steps), 1))
        return kept

    def as_workout(self, stretch: float = 1.0) -> Workout:
        """The workout with every step ``stretch`` times as long, in whole minutes.

        Minutes and TSS are summed from the rounded steps, so they always add up.
        """
        minutes = tuple(max(1, round(s.minutes * stretch)) for s in self.steps)
        shapes = self._worked_out().shapes
        found = shapes.get(minutes)
        if found is None:
            found = shapes[minutes] = _shaped(self, minutes)
        return found


def _shaped(template: WorkoutTemplate, minutes: tuple[int, ...]) -> Workout:
    """The template with its steps this many whole minutes long."""
    steps = tuple(
        WorkoutStep(minutes=m, pct_ftp=s.pct_ftp)
        for m, s in zip(minutes, template.steps, strict=True)
    )
    tss = sum(s.minutes / 60 * (s.pct_ftp / 100) ** 2 * 100 for s in steps)
    same = all(a.minutes == b.minutes for a, b in zip(steps, template.steps, strict=True))
    return Workout(
        name=template.name if same else renamed(template.name, steps),
        type=template.type,
        minutes=sum(s.minutes for s in steps),
        tss_target=round(tss, 1),
        zones=template.zones,
        description=template.description if same or not steps else described(steps),
        steps=steps,
    )


_REPS = re.compile(r"\d+ x \d+ min")


def _work(steps: Sequence[WorkoutStep]) -> list[WorkoutStep]:
    """The blocks at the workout's highest intensity."""
    top = max(s.pct_ftp for s in steps)
    return [s for s in steps if s.pct_ftp == top]


def _blocks(work: Sequence[WorkoutStep]) -> str:
    lengths = sorted({s.minutes for s in work})
    if len(lengths) == 1:
        return f"{len(work)} x {lengths[0]} min" if len(work) > 1 else f"{lengths[0]} min"
    return f"{len(work)} blocks of {lengths[0]}-{lengths[-1]} min"


def renamed(name: str, steps: Sequence[WorkoutStep]) -> str:
    """A stretched workout's name, its "3 x 15 min" made true of the steps it now holds."""
    return _REPS.sub(_blocks(_work(steps)), name) if _REPS.search(name) else name


def described(steps: Sequence[WorkoutStep]) -> str:
    """What the steps hold, in a sentence: '3 x 9 min at 90% FTP, 3 min at 55% between; ...'."""
    total = sum(s.minutes for s in steps)
    work = _work(steps)
    if len(work) == len(steps) or len({s.pct_ftp for s in steps}) == 1:
        return f"{total} min at {steps[0].pct_ftp:g}% FTP."
    # The work blocks are the steps at the top share of FTP: compared by that share, not by
    # the models' (slow) equality.
    top = work[0].pct_ftp
    at_top = [i for i, s in enumerate(steps) if s.pct_ftp == top]
    first, last = at_top[0], at_top[-1]
    between = [s for s in steps[first:last] if s.pct_ftp != top]
    text = f"{_blocks(work)} at {work[0].pct_ftp:g}% FTP"
    if between and len({(s.minutes, s.pct_ftp) for s in between}) == 1:
        text += f", {between[0].minutes} min at {between[0].pct_ftp:g}% between"
    return f"{text}; {total} min in all with warm-up and cool-down."


WeekShape = tuple[Action, Action, Action, Action, Action, Action, Action]


class Library(_Strict):
    workout: tuple[WorkoutTemplate, ...]
    week: dict[Phase, WeekShape]


@cache
def library() -> Library:
    """The bundled workout library (read once)."""
    text = resources.files("lanterne_rouge.data").joinpath("workouts.toml").read_text("utf-8")
    try:
        return Library.model_validate(tomli.loads(text))
    except (ValidationError, tomli.TOMLDecodeError) as exc:
        raise ConfigError(f"workouts.toml: {exc}") from exc


def choose(
    action: Action, phase: Phase, stage_type: str | None = None, lib: Library | None = None
) -> WorkoutTemplate:
    """The best workout for the action: a stage ride on a stage day, then phase, then any."""
    candidates = [w for w in (lib or library()).workout if action in w.actions]
    if not candidates:
        raise ConfigError(f"workouts.toml: no workout serves the action {action!r}")

    def score(w: WorkoutTemplate) -> tuple[int, int]:
        stage_fit = 2 if stage_type and stage_type in w.stage_types else 0
        if w.stage_types and stage_type not in w.stage_types:
            stage_fit = -2
        phase_fit = 1 if phase in w.phases else (-1 if w.phases else 0)
        return stage_fit, phase_fit

    return max(candidates, key=score)
