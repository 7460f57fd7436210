"""The scenarios about events, stage races and what real data does to them (written by
``make_scenarios.py``): the full Tour, illness, late and duplicate activities, the days after
an event, time zones, poor compliance and a single-event taper.

Stage rides are ``activities.csv`` rows whose TSS follows from their minutes and intensity
(``scenario_model.ride``); their days' loads come from them, not from ``history.csv``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from scenario_model import MISSION, WEEK, Day, ride, simulate, single_event, write, write_activities

CONFIG = Path(__file__).resolve().parents[1] / "config" / "missions"
TOUR_TEXT = (CONFIG / "tour_de_france_sim.toml").read_text(encoding="utf-8")
FONDO_TEXT = (CONFIG / "gran_fondo.toml").read_text(encoding="utf-8")
SCORING = TOUR_TEXT[TOUR_TEXT.index("# Points:") :]

Rows = list[tuple[date, Day]]


def build_load(first: date, event: date, taper_days: int = 10) -> Callable[[int, date], float]:
    """A build that climbs slowly, then a taper into ``event``, then easy days."""

    def load(i: int, day: date) -> float:
        to_go = (event - day).days
        if to_go < 0:
            return 30.0 * (WEEK[day.weekday()] or 0.5)
        base = 55 + (day - first).days * 0.15
        if to_go <= taper_days:
            base *= 0.6
        return base * (WEEK[day.weekday()] or 0.6)

    return load


def with_rides(
    base: Callable[[int, date], float], rides: list[dict[str, object]]
) -> Callable[[int, date], float]:
    """``base``, but a day with rides loads their TSS (so recovery follows the real rides)."""
    by_day: dict[date, float] = {}
    for r in rides:
        day = date.fromisoformat(str(r["start"])[:10])
        by_day[day] = by_day.get(day, 0.0) + float(r["tss"])  # type: ignore[arg-type]
    return lambda i, day: by_day.get(day, base(i, day))


def without_ride_loads(rows: Rows, rides: list[dict[str, object]]) -> Rows:
    """Blank the history's load on ride days: the activities give those days' loads."""
    ride_days = {date.fromisoformat(str(r["start"])[:10]) for r in rides}
    for day, d in rows:
        if day in ride_days:
            d.load = None
    return rows


def stage_race(
    name: str,
    title: str,
    stages: list[tuple[date, str]],
    rest_days: list[date],
    rides: list[dict[str, object]],
    seed: int,
    sessions: list[dict[str, object]] | None = None,
) -> None:
    """``sessions``: the rides that are distinct sessions (default: all), for the model."""
    first, start, end = stages[0][0] - timedelta(days=120), stages[0][0], stages[-1][0]
    load = with_rides(build_load(first, start), rides if sessions is None else sessions)
    # simulate() scales each day's load by 0.9..1.1; ride days keep their TSS exactly in the
    # activities, so the history's recovery is only a close model of them.
    rows = simulate(first, (end - first).days + 10, load, seed=seed)
    stage_text = "".join(
        f'[[stages]]\nnumber = {n}\nday = {day}\ntype = "{kind}"\n\n'
        for n, (day, kind) in enumerate(stages, start=1)
    )
    rest = f"rest_days = [{', '.join(str(d) for d in rest_days)}]\n" if rest_days else ""
    mission = rest + MISSION.format(
        id=name.replace("_", "-"),
        name=title,
        kind="stage_race",
        start=start,
        end=end,
        target=70,
        extra="\n" + stage_text + SCORING,
    )
    write(name, without_ride_loads(rows, rides), mission)
    write_activities(name, rides)


def tour_de_france() -> None:
    """The shipped 21-stage Tour mission, ridden with a hand-picked effort on each stage."""
    efforts = [  # (minutes, intensity factor) per stage; README has the points by hand
        (40, 0.96), (150, 0.80), (120, 0.90), (130, 0.89), (110, 0.88), (160, 0.78),
        (90, 0.65), (120, 0.76), (170, 0.74), (150, 0.80), (60, 0.55), (165, 0.90),
        (140, 0.89), (180, 0.88), (150, 0.88), (100, 0.70), (160, 0.82), (45, 0.92),
        (170, 0.86), (120, 0.62), (90, 0.68),
    ]  # fmt: skip
    start = date(2026, 7, 4)
    rest_days = [date(2026, 7, 13), date(2026, 7, 20)]
    days = [d for d in (start + timedelta(days=i) for i in range(23)) if d not in rest_days]
    rides = [
        ride(f"tdf-{n:02d}", f"{day}T18:00:00+02:00", minutes, factor)
        for n, (day, (minutes, factor)) in enumerate(zip(days, efforts, strict=True), start=1)
    ]
    first = start - timedelta(days=124)
    load = with_rides(build_load(first, start), rides)
    rows = simulate(first, (days[-1] - first).days + 10, lambda i, d: _tour_rest(d, load(i, d)), 7)
    write("tour_de_france", without_ride_loads(rows, rides), TOUR_TEXT)
    write_activities("tour_de_france", rides)


def _tour_rest(day: date, load: float) -> float:
    return 35.0 if day in (date(2026, 7, 13), date(2026, 7, 20)) else load


def illness() -> None:
    """Five days of an HRV drop and a resting-HR rise while the readiness score stays good."""
    first = date(2026, 4, 6)
    event = date(2026, 8, 30)
    rows = simulate(first, 80, build_load(first, event), seed=8)
    for i in range(70, 75):
        d = rows[i][1]
        assert d.hrv is not None and d.rhr is not None and d.readiness is not None
        d.hrv = round(d.hrv * 0.74, 1)
        d.rhr = round(d.rhr + 7.5, 1)
        d.readiness = max(d.readiness, 82)
    write("illness", rows, single_event("late-summer-fondo", "Late summer gran fondo", event))


def late_activities() -> None:
    """A five-day race whose stage 2 ride syncs three days late and stage 5's after the end."""
    days = [date(2026, 8, 5) + timedelta(days=i) for i in range(5)]
    kinds = ["flat", "mountain", "hilly", "time_trial", "mountain"]
    efforts = [(60, 0.85), (150, 0.90), (120, 0.80), (35, 0.97), (140, 0.84)]
    arrives = {2: date(2026, 8, 9), 5: date(2026, 8, 12)}
    rides = [
        ride(f"late-{n}", f"{day}T17:30:00+02:00", m, f, arrives=arrives.get(n))
        for n, (day, (m, f)) in enumerate(zip(days, efforts, strict=True), start=1)
    ]
    stages = list(zip(days, kinds, strict=True))
    stage_race("late_activities", "Five-day tour", stages, [], rides, 9)


def duplicate_activities() -> None:
    """Each stage ride recorded twice or three times: Strava, the intervals.icu export, a FIT
    file, and Strava again the next day (a re-sync of the same id)."""
    days = [date(2026, 9, 4) + timedelta(days=i) for i in range(3)]
    kinds = ["hilly", "mountain", "flat"]
    efforts = [(120, 0.82), (160, 0.89), (100, 0.78)]
    rides: list[dict[str, object]] = []
    for n, (day, (minutes, factor)) in enumerate(zip(days, efforts, strict=True), start=1):
        at = f"{day}T17:00:00+02:00"
        rides.append(ride(f"dup-{n}", at, minutes, factor))
        later = f"{day}T17:00:20+02:00"
        rides.append(ride(f"icu-{n}", later, minutes, factor, source="intervals_activities"))
        if n == 2:
            rides.append(ride(f"fit-{n}", f"{day}T16:59:45+02:00", minutes, factor, source="fit"))
        if n == 3:
            again = day + timedelta(days=2)
            rides.append(ride(f"dup-{n}", at, minutes, factor, arrives=again))
    stages = list(zip(days, kinds, strict=True))
    sessions = [r for r in rides if str(r["id"]).startswith("dup-") and not r.get("arrives")]
    title = "Three-day race, recorded twice"
    stage_race("duplicate_activities", title, stages, [], rides, 10, sessions=sessions)


def day_after_event() -> None:
    """The shipped gran fondo mission: the taper, the day itself, recovery, then complete."""
    event = date(2026, 9, 13)
    first = event - timedelta(days=105)
    base = build_load(first, event, taper_days=9)
    rows = simulate(first, 120, lambda i, d: 260.0 if d == event else base(i, d), seed=11)
    write("day_after_event", rows, FONDO_TEXT)


def time_zones() -> None:
    """Stages 1-2 ridden in Paris (UTC+2), stages 3-4 in New York (UTC-4): one ride starts
    after midnight in Paris and one late in the evening in New York, so UTC dates would put
    them on the wrong stages."""
    stages = [
        (date(2026, 10, 3), "flat"),
        (date(2026, 10, 4), "hilly"),
        (date(2026, 10, 6), "mountain"),
        (date(2026, 10, 7), "time_trial"),
    ]
    rides = [
        ride("tz-1", "2026-10-03T18:00:00+02:00", 90, 0.80),
        ride("tz-2", "2026-10-04T00:30:00+02:00", 120, 0.90),
        ride("tz-3", "2026-10-06T21:30:00-04:00", 150, 0.88),
        ride("tz-4", "2026-10-07T07:00:00-04:00", 40, 0.95),
    ]
    stage_race("time_zones", "Transatlantic four-day race", stages, [date(2026, 10, 5)], rides, 12)


def poor_compliance() -> None:
    """A busy week at 30% of the usual load, in the build: the next week holds its pushes and
    plans a smaller ramp."""
    first = date(2026, 1, 5)
    event = date(2026, 6, 20)
    base = build_load(first, event)
    rows = simulate(first, 105, lambda i, d: base(i, d) * (0.3 if 84 <= i <= 90 else 1.0), 13)
    write("poor_compliance", rows, single_event("june-fondo", "June gran fondo", event))


def gran_fondo_taper() -> None:
    """The shipped gran fondo mission's last two weeks: the taper into a fresher form band."""
    event = date(2026, 9, 13)
    first = event - timedelta(days=110)
    rows = simulate(first, 111, build_load(first, event, taper_days=9), seed=14)
    write("gran_fondo_taper", rows, FONDO_TEXT)


MAKERS = (
    tour_de_france,
    illness,
    late_activities,
    duplicate_activities,
    day_after_event,
    time_zones,
    poor_compliance,
    gran_fondo_taper,
)

REPLAY_DAYS = {
    "tour_de_france": (date(2026, 7, 1), date(2026, 7, 28)),
    "illness": (date(2026, 6, 10), date(2026, 6, 24)),
    "late_activities": (date(2026, 8, 3), date(2026, 8, 13)),
    "duplicate_activities": (date(2026, 9, 2), date(2026, 9, 8)),
    "day_after_event": (date(2026, 9, 9), date(2026, 9, 22)),
    "time_zones": (date(2026, 10, 1), date(2026, 10, 9)),
    "poor_compliance": (date(2026, 3, 23), date(2026, 4, 12)),
    "gran_fondo_taper": (date(2026, 8, 30), date(2026, 9, 13)),
}
