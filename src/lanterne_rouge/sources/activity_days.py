"""From stored activities to daily loads: each session counted once, whatever its sources.

**Same session** (``memory/sessions.py``). Two activities from different sources are the
same session when they start within ``SAME_START_SECONDS`` (60 s) of each other and their
durations are similar: moving times, or elapsed times, differ by at most 10 % of the longer
one (and always within 60 s). Activities of one source are never merged: the source's own id
tells them apart, and importing or syncing the same activity again replaces it (unique on
source and external id).

**Which record counts.** Of one session's records, the one from the source earliest in
``SOURCE_PRECEDENCE`` (Strava API, then FIT/GPX/TCX files, then the Strava export, then the
intervals.icu activities export) gives the load; the others are kept but not counted.

**Day loads.** The counted activities are summed per local start day into one
``daily_loads`` row of source ``activities``: ``load`` (fitness) and ``fatigue_load``
(fatigue) are the sums of the activities' weighted loads, ``method`` is the method of all of
them or ``mixed``. Day-level sources (the intervals.icu wellness export's daily loads) rank
below ``activities``, so a day with activities is counted from them and only from them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from lanterne_rouge.memory.activity_store import StoredActivity
from lanterne_rouge.memory.records import DailyLoad
from lanterne_rouge.memory.sessions import counted
from lanterne_rouge.memory.state_store import StateStore

ACTIVITIES_SOURCE = "activities"
_ONE_DAY = timedelta(days=1)


def day_loads(activities: Iterable[StoredActivity]) -> dict[date, DailyLoad]:
    """The daily load rows of counted activities, by local day."""
    by_day: dict[date, list[StoredActivity]] = defaultdict(list)
    for a in activities:
        by_day[a.local_day].append(a)
    return {day: _day_row(day, items) for day, items in by_day.items()}


def _day_row(day: date, items: list[StoredActivity]) -> DailyLoad:
    methods = {a.method for a in items if a.method != "not_counted"} or {"not_counted"}
    return DailyLoad(
        day=day,
        source=ACTIVITIES_SOURCE,
        load=round(sum(a.load for a in items), 3),
        fatigue_load=round(sum(a.fatigue_load for a in items), 3),
        method=methods.pop() if len(methods) == 1 else "mixed",
    )


def rebuild_days(store: StateStore, athlete_id: str, days: Iterable[date]) -> int:
    """Recompute the ``activities`` load rows around ``days``; returns rows written.

    A day's neighbours are recomputed too, because one session's records may fall on
    different local days when sources disagree about the time zone. A day that had
    activities and has none left gets a zero row (so an import never leaves a stale load).
    """
    touched = set(days)
    if not touched:
        return 0
    first, last = min(touched) - _ONE_DAY, max(touched) + _ONE_DAY
    ledger = store.activities
    stored = ledger.activities(athlete_id, since=first - _ONE_DAY, until=last + _ONE_DAY)
    rows = {day: row for day, row in day_loads(counted(stored)).items() if first <= day <= last}
    for day in ledger.load_days(athlete_id, ACTIVITIES_SOURCE, first, last):
        if day not in rows:
            rows[day] = DailyLoad(
                day=day, source=ACTIVITIES_SOURCE, load=0.0, fatigue_load=0.0, method="none"
            )
    return store.upsert_loads(athlete_id, [rows[d] for d in sorted(rows)])
