"""Write the bundled demo athlete's history (src/lanterne_rouge/demo/history.csv).

A seeded, physiologically plausible 180-day record: a base period, a build, an overreaching
block where HRV falls and resting HR rises, a rest week, and a second build. Recovery follows
form (TSB) with noise, and a few nights have no ring data. Re-running it writes the same file.

    python tools/make_demo_history.py
"""

from __future__ import annotations

import csv
import math
import random
from datetime import date, timedelta
from pathlib import Path

DAYS = 180
END = date(2026, 5, 31)  # the demo's "today"; the coach shifts everything to the real today
OUT = Path(__file__).resolve().parents[1] / "src/lanterne_rouge/demo/history.csv"
WEEK = (0.0, 1.2, 0.8, 1.3, 0.5, 1.6, 1.0)  # Monday first: rest Monday, long Saturday


def block_load(i: int) -> float:
    """Average daily load for day ``i`` of the record."""
    if i < 56:
        return 45 + i * 0.2  # base
    if i < 105:
        return 58 + (i - 56) * 0.45  # build
    if i < 122:
        return 105.0  # overreaching block
    if i < 129:
        return 22.0  # rest week
    return 70 + (i - 129) * 0.25  # second build


def main() -> None:
    rng = random.Random(20260531)
    start = END - timedelta(days=DAYS - 1)
    k_ctl, k_atl = 1 - math.exp(-1 / 42), 1 - math.exp(-1 / 7)
    ctl, atl = 38.0, 40.0
    rows = []
    for i in range(DAYS):
        day = start + timedelta(days=i)
        tsb = ctl - atl
        strain = max(0.0, -tsb - 10) + (12 if 112 <= i < 123 else 0)
        hrv = 58 * math.exp(-0.012 * strain) * rng.lognormvariate(0, 0.07)
        rhr = 48 + 0.18 * strain + rng.gauss(0, 1.2)
        readiness = round(min(99, max(30, 84 + 0.6 * tsb - 0.5 * strain + rng.gauss(0, 4))))
        sleep = round(max(4.5, rng.gauss(7.4, 0.6) - 0.02 * strain) * 3600)
        sleep_score = round(min(98, max(40, 60 + (sleep / 3600 - 6) * 12 + rng.gauss(0, 4))))
        missing = i in (37, 38, 91, 150)
        load = (
            0.0 if i == DAYS - 1 else block_load(i) * WEEK[day.weekday()] * rng.uniform(0.85, 1.15)
        )
        rows.append(
            {
                "day": day.isoformat(),
                "readiness_score": "" if missing else readiness,
                "hrv_rmssd": "" if missing else round(hrv, 1),
                "resting_hr": "" if missing else round(rhr, 1),
                "sleep_secs": "" if missing else sleep,
                "sleep_score": "" if missing else sleep_score,
                "load": "" if i == DAYS - 1 else round(load, 1),
            }
        )
        ctl += (load - ctl) * k_ctl
        atl += (load - atl) * k_atl
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} days to {OUT}")


if __name__ == "__main__":
    main()
