"""The model the recorded scenarios are written from: recovery follows form (TSB) with noise.

Used by ``make_scenarios.py`` and ``race_scenarios.py``; not a tool of its own.
"""

from __future__ import annotations

import csv
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "tests" / "agent_scenarios"
WEEK = (0.0, 1.2, 0.8, 1.3, 0.5, 1.6, 1.0)


@dataclass
class Day:
    readiness: int | None
    hrv: float | None
    rhr: float | None
    sleep_h: float | None
    load: float | None


MISSION = """[mission]
id = "{id}"
name = "{name}"
kind = "{kind}"
start = {start}
end = {end}

[athlete]
name = "Scenario Rider"
ftp = 240
threshold_hr = 165
max_hr = 186
resting_hr = 48

[targets]
ctl = {target}
form_min = 0
form_max = 15
max_weekly_ramp = 6

[phases]
build_days = 84
peak_days = 28
taper_days = 10
recovery_days = 7

[thresholds]
readiness_rest = 45
readiness_recover = 60
readiness_ease = 70
readiness_push = 80
tsb_rest = -35
tsb_recover = -25
tsb_ease = -15
tsb_push_min = -10
rhr_rise_bpm = 5
missing_days_ease = 2
{extra}"""


def simulate(
    start: date,
    days: int,
    load_of: Callable[[int, date], float],
    seed: int,
    strain_extra: Callable[[int], float] = lambda i: 0.0,
    missing: Callable[[int], bool] = lambda i: False,
) -> list[tuple[date, Day]]:
    """Recovery that follows form (TSB) with noise, as in the demo history."""
    rng = random.Random(seed)
    k_ctl, k_atl = 1 - math.exp(-1 / 42), 1 - math.exp(-1 / 7)
    ctl = atl = 45.0
    out = []
    for i in range(days):
        day = start + timedelta(days=i)
        tsb = ctl - atl
        strain = max(0.0, -tsb - 10) + strain_extra(i)
        load = load_of(i, day) * rng.uniform(0.9, 1.1)
        if missing(i):
            rec = Day(None, None, None, None, round(load, 1))
        else:
            rec = Day(
                readiness=round(min(98, max(30, 84 + 0.6 * tsb - 0.6 * strain + rng.gauss(0, 2)))),
                hrv=round(60 * math.exp(-0.012 * strain) * rng.lognormvariate(0, 0.04), 1),
                rhr=round(48 + 0.2 * strain + rng.gauss(0, 0.6), 1),
                sleep_h=round(max(5.0, rng.gauss(7.5, 0.4)), 2),
                load=round(load, 1),
            )
        out.append((day, rec))
        ctl += (load - ctl) * k_ctl
        atl += (load - atl) * k_atl
    return out


def write(name: str, rows: list[tuple[date, Day]], mission: str) -> None:
    folder = ROOT / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mission.toml").write_text(mission, encoding="utf-8")
    with (folder / "history.csv").open("w", newline="", encoding="utf-8") as handle:
        w = csv.writer(handle)
        w.writerow(["day", "readiness_score", "hrv_rmssd", "resting_hr", "sleep_secs", "load"])
        for day, d in rows:
            sleep = "" if d.sleep_h is None else round(d.sleep_h * 3600)
            w.writerow([day, _c(d.readiness), _c(d.hrv), _c(d.rhr), sleep, _c(d.load)])


def _c(value: object) -> object:
    return "" if value is None else value


def write_activities(name: str, rows: list[dict[str, object]]) -> None:
    """``activities.csv`` (see ``sources/scenarios.py`` for the columns)."""
    columns = ["id", "source", "sport", "start", "minutes", "tss", "intensity_factor", "arrives"]
    with (ROOT / name / "activities.csv").open("w", newline="", encoding="utf-8") as handle:
        w = csv.DictWriter(handle, fieldnames=columns)
        w.writeheader()
        for row in rows:
            w.writerow({c: _c(row.get(c)) for c in columns})


def ride(
    ident: str, start: str, minutes: float, intensity: float, **extra: object
) -> dict[str, object]:
    """A ride row whose TSS follows from its duration and intensity: h * IF^2 * 100."""
    tss = round(minutes / 60 * intensity**2 * 100, 1)
    return {
        "id": ident,
        "source": "strava",
        "sport": "virtualride",
        "start": start,
        "minutes": minutes,
        "tss": tss,
        "intensity_factor": intensity,
        **extra,
    }


def date_range(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def single_event(ident: str, name: str, event: date, target: int = 70) -> str:
    """The mission text of a one-day event."""
    return MISSION.format(
        id=ident, name=name, kind="single_event", start=event, end=event, target=target, extra=""
    )
