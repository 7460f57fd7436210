"""One session, one record: which stored activities count, whatever their sources.

The rules are in ``sources/activity_days.py``'s docstring. They live here, beside the
activities they read, so every reader (the sources' day loads, the stage agent's rides)
counts a session the same way without reaching into the sources.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from lanterne_rouge.memory.activity_store import StoredActivity
from lanterne_rouge.memory.state_store import SOURCE_PRECEDENCE

RIDE_SPORTS = frozenset({"ride", "virtualride"})
SAME_START_SECONDS = 60.0
DURATION_TOLERANCE = 0.10
MIN_DURATION_SLACK_SECONDS = 60.0


def same_session(a: StoredActivity, b: StoredActivity) -> bool:
    """Whether two records of different sources are one session (see the module docstring)."""
    if a.source == b.source:
        return False
    if abs((a.start_utc - b.start_utc).total_seconds()) > SAME_START_SECONDS:
        return False
    if _similar(a.moving_s, b.moving_s):
        return True
    return (
        a.elapsed_s is not None and b.elapsed_s is not None and _similar(a.elapsed_s, b.elapsed_s)
    )


def _similar(x: float, y: float) -> bool:
    slack = max(MIN_DURATION_SLACK_SECONDS, DURATION_TOLERANCE * max(x, y))
    return abs(x - y) <= slack


def _rank(source: str) -> int:
    try:
        return SOURCE_PRECEDENCE.index(source)
    except ValueError:
        return len(SOURCE_PRECEDENCE)


def counted(activities: Sequence[StoredActivity]) -> list[StoredActivity]:
    """One record per session: the highest-precedence source's; oldest start first."""
    ordered = sorted(activities, key=lambda a: a.start_utc)
    parent = list(range(len(ordered)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(ordered):
        j = i + 1
        while j < len(ordered) and (
            (ordered[j].start_utc - a.start_utc).total_seconds() <= SAME_START_SECONDS
        ):
            if same_session(a, ordered[j]):
                parent[root(j)] = root(i)
            j += 1
    sessions: dict[int, list[StoredActivity]] = defaultdict(list)
    for i, a in enumerate(ordered):
        sessions[root(i)].append(a)
    best = [min(group, key=lambda a: (_rank(a.source), a.start_utc)) for group in sessions.values()]
    return sorted(best, key=lambda a: a.start_utc)
