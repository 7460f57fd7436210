"""Write the inputs of the recorded replay scenarios under tests/agent_scenarios/.

Each scenario gets ``history.csv`` (recovery and daily loads) and ``mission.toml``. The
expected decisions (``expected.csv``) are reviewed by hand and kept under version control;
``--expected`` rewrites them from a replay, for a deliberate change of the rules only.

    python tools/make_scenarios.py [--expected]
"""

from __future__ import annotations

import argparse
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
hrv_drop_pct = 15
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


def steady_build() -> None:
    start = date(2026, 1, 5)
    rows = simulate(start, 100, lambda i, d: (50 + i * 0.15) * WEEK[d.weekday()], seed=1)
    write(
        "steady_build",
        rows,
        MISSION.format(
            id="spring-fondo",
            name="Spring gran fondo",
            kind="single_event",
            start="2026-06-20",
            end="2026-06-20",
            target=70,
            extra="",
        ),
    )


def overreaching() -> None:
    start = date(2026, 2, 2)

    def load(i: int, d: date) -> float:
        return (95.0 if i >= 70 else 55.0) * (WEEK[d.weekday()] or 0.8)

    rows = simulate(start, 100, load, seed=2, strain_extra=lambda i: max(0, i - 80) * 1.8)
    write(
        "overreaching",
        rows,
        MISSION.format(
            id="summer-tour",
            name="Summer stage race",
            kind="single_event",
            start="2026-07-04",
            end="2026-07-04",
            target=80,
            extra="",
        ),
    )


def missing_recovery() -> None:
    start = date(2026, 3, 2)
    rows = simulate(
        start, 80, lambda i, d: 55 * WEEK[d.weekday()], seed=3, missing=lambda i: 70 <= i <= 75
    )
    write(
        "missing_recovery",
        rows,
        MISSION.format(
            id="autumn-fondo",
            name="Autumn gran fondo",
            kind="single_event",
            start="2026-09-12",
            end="2026-09-12",
            target=65,
            extra="",
        ),
    )


def taper() -> None:
    start = date(2026, 4, 1)
    event = date(2026, 7, 4)

    def load(i: int, d: date) -> float:
        days_to_go = (event - d).days
        base = 60 + i * 0.2
        if days_to_go <= 10:
            base *= 0.55
        return base * (WEEK[d.weekday()] or 0.6)

    rows = simulate(start, (event - start).days + 3, load, seed=4)
    stages = "".join(
        f'[[stages]]\nnumber = {n}\nday = {event + timedelta(days=n - 1)}\ntype = "{t}"\n\n'
        for n, t in enumerate(("time_trial", "flat", "mountain"), start=1)
    )
    write(
        "taper",
        rows,
        MISSION.format(
            id="mini-tour",
            name="Three-day mini tour",
            kind="stage_race",
            start=event,
            end=event + timedelta(days=2),
            target=70,
            extra="\n" + stages,
        ),
    )


REPLAY_DAYS = {
    "steady_build": (date(2026, 3, 23), date(2026, 4, 14)),
    "overreaching": (date(2026, 4, 6), date(2026, 5, 11)),
    "missing_recovery": (date(2026, 5, 8), date(2026, 5, 20)),
    "taper": (date(2026, 6, 20), date(2026, 7, 6)),
}


def write_expected() -> None:
    from lanterne_rouge.memory.state_store import StateStore
    from lanterne_rouge.orchestrator import build_orchestrator
    from lanterne_rouge.sources.history_csv import read_history
    from lanterne_rouge.sources.scenarios import SCENARIO_ATHLETE, SCENARIO_SOURCE
    from lanterne_rouge.utils.config_loader import load_mission

    for name, (first, last) in REPLAY_DAYS.items():
        folder = ROOT / name
        history = read_history(folder / "history.csv", source=SCENARIO_SOURCE)
        store = StateStore("sqlite:///:memory:")
        store.upsert_recovery(SCENARIO_ATHLETE, history.recovery)
        store.upsert_loads(SCENARIO_ATHLETE, history.loads)
        coach = build_orchestrator(store, load_mission(folder / "mission.toml"))
        with (folder / "expected.csv").open("w", newline="", encoding="utf-8") as handle:
            w = csv.writer(handle)
            w.writerow(["day", "action", "rule"])
            day = first
            while day <= last:
                d = coach.run_day(SCENARIO_ATHLETE, day, data_label="scenario").decision
                w.writerow([day, d.action, d.rule])
                day += timedelta(days=1)
        print(f"wrote {folder / 'expected.csv'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--expected", action="store_true", help="rewrite expected.csv files")
    args = parser.parse_args()
    for make in (steady_build, overreaching, missing_recovery, taper):
        make()
    if args.expected:
        write_expected()


if __name__ == "__main__":
    main()
