"""The days a record may carry: from 1990-01-01 to tomorrow in the athlete's time zone.

A record dated outside that window (1900, 2100, a clock reset to 1970) is not true data about
this athlete: every importer skips it with a message naming the file, record and field.
Tomorrow, not today, because a source in another time zone may already be a day ahead.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo

EARLIEST = date(1990, 1, 1)


def latest_day(where: tzinfo) -> date:
    """Tomorrow in ``where``: the last day a record may carry (the clock read now)."""
    return datetime.now(where).date() + timedelta(days=1)


def outside(day: date, latest: date) -> str | None:
    """Why ``day`` cannot be a record's day, or None when it can."""
    if EARLIEST <= day <= latest:
        return None
    return f"{day} is outside {EARLIEST}..{latest}"
