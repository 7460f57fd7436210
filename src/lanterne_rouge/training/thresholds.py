"""Dated thresholds: the athlete's FTP and heart rates as they changed, and the ones in force.

Each entry says one threshold's value from a day on (``valid_from``; None: from the start of
the history) and where it came from: ``athlete`` (set by the athlete), ``mission`` (a mission
file's ``[athlete]`` table seeded it) or ``template`` (the shipped example's numbers, which are
nobody's). A load uses the thresholds in force on its own day, so an FTP raised in March does
not rescore January.
"""

from __future__ import annotations

from datetime import date
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, model_validator

from lanterne_rouge.training.errors import TrainingInputError
from lanterne_rouge.training.load import check_thresholds
from lanterne_rouge.training.load_models import AthleteThresholds

ThresholdName = Literal["ftp", "threshold_hr", "max_hr", "resting_hr", "sex"]
ThresholdOrigin = Literal["athlete", "mission", "template"]
THRESHOLD_NAMES: tuple[ThresholdName, ...] = ("ftp", "threshold_hr", "max_hr", "resting_hr", "sex")
OWN_NEEDED: tuple[ThresholdName, ...] = ("ftp", "threshold_hr", "max_hr", "resting_hr")
"""The thresholds loads need from the athlete, not from a template."""


class DatedThreshold(BaseModel):
    """One threshold's value from ``valid_from`` on (None: from the start)."""

    # defer_build: built the first time it is used, not as the module is imported; the
    # morning run never uses it on its own (a millisecond or two of start-up each).
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    name: ThresholdName
    value: float | str
    valid_from: date | None = None
    origin: ThresholdOrigin = "athlete"

    @model_validator(mode="after")
    def _plausible(self) -> Self:
        if self.name == "sex":
            if self.value not in ("male", "female"):
                raise ValueError(f"sex must be male or female, got {self.value!r}")
            return self
        if isinstance(self.value, str):
            raise ValueError(f"{self.name} must be a number, got {self.value!r}")
        try:
            check_thresholds(AthleteThresholds.model_validate({self.name: self.value}))
        except TrainingInputError as exc:
            raise ValueError(str(exc)) from exc
        return self


class ThresholdHistory(BaseModel):
    """Every dated threshold of one athlete."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    entries: tuple[DatedThreshold, ...] = ()

    @classmethod
    def constant(cls, thresholds: AthleteThresholds, origin: ThresholdOrigin) -> ThresholdHistory:
        """The given thresholds, in force from the start."""
        values = thresholds.model_dump(exclude_none=True)
        return cls(
            entries=tuple(
                DatedThreshold(name=name, value=values[name], origin=origin)
                for name in THRESHOLD_NAMES
                if name in values
            )
        )

    def in_force(self, name: ThresholdName, day: date) -> DatedThreshold | None:
        """The entry of ``name`` in force on ``day``: the latest that started on or before it."""
        found = [
            e
            for e in self.entries
            if e.name == name and (e.valid_from is None or e.valid_from <= day)
        ]
        return max(found, key=lambda e: e.valid_from or date.min) if found else None

    def on(self, day: date) -> AthleteThresholds:
        """The thresholds in force on ``day``; raises ``TrainingInputError`` if inconsistent."""
        values = {
            name: entry.value
            for name in THRESHOLD_NAMES
            if (entry := self.in_force(name, day)) is not None
        }
        thresholds = AthleteThresholds.model_validate(values)
        check_thresholds(thresholds)
        return thresholds

    def not_own(self, day: date) -> tuple[ThresholdName, ...]:
        """Thresholds loads need that are missing on ``day`` or only the template's."""
        return tuple(
            name
            for name in OWN_NEEDED
            if (entry := self.in_force(name, day)) is None or entry.origin == "template"
        )

    def with_entry(self, entry: DatedThreshold) -> ThresholdHistory:
        """This history with ``entry`` replacing any of the same name and day."""
        kept = tuple(
            e for e in self.entries if (e.name, e.valid_from) != (entry.name, entry.valid_from)
        )
        ordered = sorted((*kept, entry), key=lambda e: (e.name, e.valid_from or date.min))
        return ThresholdHistory(entries=tuple(ordered))

    def seeded(self, other: ThresholdHistory) -> ThresholdHistory:
        """This history, with ``other``'s entries for the thresholds it has none of."""
        mine = {e.name for e in self.entries}
        extra = tuple(e for e in other.entries if e.name not in mine)
        return ThresholdHistory(entries=(*self.entries, *extra))


__all__ = [
    "OWN_NEEDED",
    "THRESHOLD_NAMES",
    "DatedThreshold",
    "ThresholdHistory",
    "ThresholdName",
    "ThresholdOrigin",
]
