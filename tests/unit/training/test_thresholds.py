"""Dated thresholds: the one in force on a day, replacing, seeding, and what is not one's own."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from lanterne_rouge.training.load_models import AthleteThresholds
from lanterne_rouge.training.thresholds import DatedThreshold, ThresholdHistory

FTP_RAISED = ThresholdHistory(
    entries=(
        DatedThreshold(name="ftp", value=110),
        DatedThreshold(name="ftp", value=128, valid_from=date(2025, 1, 1)),
        DatedThreshold(name="threshold_hr", value=165),
    )
)


@pytest.mark.parametrize(
    ("day", "ftp"),
    [(date(2024, 12, 31), 110), (date(2025, 1, 1), 128), (date(2025, 6, 1), 128)],
    ids=["day-before", "first-day", "later"],
)
def test_the_threshold_in_force_on_a_day_scores_it(day: date, ftp: float) -> None:
    assert FTP_RAISED.on(day) == AthleteThresholds(ftp=ftp, threshold_hr=165)


def test_an_entry_replaces_only_the_one_of_its_name_and_day() -> None:
    changed = FTP_RAISED.with_entry(
        DatedThreshold(name="ftp", value=131, valid_from=date(2025, 1, 1))
    )
    assert [e.value for e in changed.entries if e.name == "ftp"] == [110, 131]


def test_missing_and_example_thresholds_are_not_ones_own() -> None:
    example = ThresholdHistory.constant(
        AthleteThresholds(ftp=250, threshold_hr=168, max_hr=188, resting_hr=50), "template"
    )
    assert example.not_own(date(2025, 1, 1)) == ("ftp", "threshold_hr", "max_hr", "resting_hr")
    mine = example.with_entry(DatedThreshold(name="ftp", value=128, valid_from=date(2025, 1, 1)))
    assert mine.not_own(date(2024, 12, 1)) == ("ftp", "threshold_hr", "max_hr", "resting_hr")
    assert mine.not_own(date(2025, 1, 2)) == ("threshold_hr", "max_hr", "resting_hr")


@pytest.mark.parametrize(
    ("name", "value"),
    [("ftp", 900), ("ftp", "high"), ("max_hr", 300), ("sex", "other")],
    ids=["ftp-900", "ftp-text", "max-hr-300", "sex-other"],
)
def test_implausible_values_are_rejected(name: str, value: object) -> None:
    with pytest.raises(ValidationError):
        DatedThreshold.model_validate({"name": name, "value": value})
