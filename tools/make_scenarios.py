"""Write the inputs of the recorded replay scenarios under tests/agent_scenarios/.

Each scenario gets ``history.csv`` (recovery and daily loads), ``mission.toml`` and, for the
stage races, ``activities.csv``. The expected decisions (``expected.csv``) are reviewed by
hand and kept under version control; ``--expected`` rewrites them from a replay, for a
deliberate change of the rules only.

    python tools/make_scenarios.py [--expected]
"""

from __future__ import annotations

import argparse
import csv
from datetime import date, timedelta

import race_scenarios
from scenario_model import MISSION, ROOT, WEEK, date_range, simulate, single_event, write


def steady_build() -> None:
    start = date(2026, 1, 5)
    rows = simulate(start, 100, lambda i, d: (50 + i * 0.15) * WEEK[d.weekday()], seed=1)
    write(
        "steady_build",
        rows,
        single_event("spring-fondo", "Spring gran fondo", date(2026, 6, 20), target=70),
    )


def overreaching() -> None:
    start = date(2026, 2, 2)

    def load(i: int, d: date) -> float:
        return (95.0 if i >= 70 else 55.0) * (WEEK[d.weekday()] or 0.8)

    rows = simulate(start, 100, load, seed=2, strain_extra=lambda i: max(0, i - 80) * 1.8)
    write(
        "overreaching",
        rows,
        single_event("summer-tour", "Summer stage race", date(2026, 7, 4), target=80),
    )


def missing_recovery() -> None:
    start = date(2026, 3, 2)
    rows = simulate(
        start, 80, lambda i, d: 55 * WEEK[d.weekday()], seed=3, missing=lambda i: 70 <= i <= 75
    )
    write(
        "missing_recovery",
        rows,
        single_event("autumn-fondo", "Autumn gran fondo", date(2026, 9, 12), target=65),
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
    **race_scenarios.REPLAY_DAYS,
}


def write_expected() -> None:
    from lanterne_rouge.replay import replay
    from lanterne_rouge.sources.scenarios import Expected, load_scenario

    for name, (first, last) in REPLAY_DAYS.items():
        folder = ROOT / name
        days = [Expected(day, "", "") for day in date_range(first, last)]
        scenario = load_scenario(folder, expected=days)
        with (folder / "expected.csv").open("w", newline="", encoding="utf-8") as handle:
            w = csv.writer(handle)
            w.writerow(["day", "action", "rule"])
            for replayed in replay(scenario):
                d = replayed.result.decision
                w.writerow([replayed.expected.day, d.action, d.rule])
        print(f"wrote {folder / 'expected.csv'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--expected", action="store_true", help="rewrite expected.csv files")
    args = parser.parse_args()
    for make in (steady_build, overreaching, missing_recovery, taper, *race_scenarios.MAKERS):
        make()
    if args.expected:
        write_expected()


if __name__ == "__main__":
    main()
