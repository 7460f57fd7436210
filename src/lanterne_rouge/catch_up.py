"""The days a morning run owes: the ones missed since the last completed day, then today.

A laptop closed for a long weekend misses mornings. The next run catches them up, oldest
first, each as its own day (the observation reads only what is dated up to that day, so no
later data decides an earlier day), at most ``MAX_CATCH_UP`` of them: older gaps are left,
and said so, because a decision nobody read two weeks later changes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta

import msgspec

MAX_CATCH_UP = 14


class Owed(msgspec.Struct, frozen=True):
    """The days to run now, oldest first (today last), and how many older ones are left."""

    days: tuple[date, ...]
    left_out: int = 0

    @property
    def missed(self) -> tuple[date, ...]:
        return self.days[:-1]

    def summary(self) -> str | None:
        """One line when there is something to catch up, else None."""
        if not self.missed:
            return None
        first, last = self.missed[0], self.missed[-1]
        span = f"{first}" if first == last else f"{first} .. {last}"
        count = len(self.missed)
        line = f"Catching up {count} missed day{'s' if count > 1 else ''} ({span}), oldest first"
        if self.left_out:
            line += f"; {self.left_out} older day{'s' if self.left_out > 1 else ''} not run"
        return line + "."


def owed_days(last_done: date | None, today: date, *, limit: int = MAX_CATCH_UP) -> Owed:
    """Days after ``last_done`` up to ``today``: at most ``limit`` missed ones, then today."""
    if last_done is None or last_done >= today - timedelta(days=1):
        return Owed((today,))
    missed = (today - last_done).days - 1
    kept = min(missed, limit)
    first = today - timedelta(days=kept)
    return Owed(tuple(first + timedelta(days=i) for i in range(kept + 1)), missed - kept)
