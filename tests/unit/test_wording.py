"""Counts read as English wherever the athlete sees them: "1 day", never "1 days"."""

from lanterne_rouge.day_view import days_to_go
from lanterne_rouge.wording import plural


def test_one_is_singular_and_every_other_count_plural() -> None:
    assert [plural(n, "day") for n in (0, 1, 2)] == ["0 days", "1 day", "2 days"]


def test_the_report_says_one_day_to_go() -> None:
    assert days_to_go(1) == "1 day to go"
    assert days_to_go(40) == "40 days to go"
