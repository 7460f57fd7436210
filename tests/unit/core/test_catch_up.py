"""Which days a morning run owes: missed days oldest first, at most fourteen, then today."""

from __future__ import annotations

from datetime import date

import pytest

from lanterne_rouge.catch_up import owed_days

TODAY = date(2026, 6, 30)


@pytest.mark.parametrize(
    ("last_done", "days", "left_out", "summary"),
    [
        (None, ["2026-06-30"], 0, None),
        (date(2026, 6, 29), ["2026-06-30"], 0, None),
        (date(2026, 6, 30), ["2026-06-30"], 0, None),  # today done: a forced re-run, no catch-up
        (
            date(2026, 6, 24),
            ["2026-06-25", "2026-06-26", "2026-06-27", "2026-06-28", "2026-06-29", "2026-06-30"],
            0,
            "Catching up 5 missed days (2026-06-25 .. 2026-06-29), oldest first.",
        ),
        (
            date(2026, 6, 28),
            ["2026-06-29", "2026-06-30"],
            0,
            "Catching up 1 missed day (2026-06-29), oldest first.",
        ),
    ],
    ids=["first-run", "yesterday-done", "today-done", "five-missed", "one-missed"],
)
def test_owed_days(
    last_done: date | None, days: list[str], left_out: int, summary: str | None
) -> None:
    owed = owed_days(last_done, TODAY)
    assert [d.isoformat() for d in owed.days] == days
    assert owed.left_out == left_out and owed.summary() == summary


def test_at_most_fourteen_missed_days_are_run_and_the_rest_are_said() -> None:
    owed = owed_days(date(2026, 5, 1), TODAY)
    assert len(owed.missed) == 14 and owed.days[0] == date(2026, 6, 16)
    assert owed.days[-1] == TODAY and owed.left_out == 59 - 14  # May 2 .. June 29 missed
    assert owed.summary() == (
        "Catching up 14 missed days (2026-06-16 .. 2026-06-29), oldest first; "
        "45 older days not run."
    )
