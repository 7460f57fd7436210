"""Build the v0.1.0 database fixture (tests/fixtures/v0_1_0.db) with the v0.1.0 code itself.

The code of release 0.1.0 (commit a23ec15) is taken out of git into a temporary folder and run
as a real process: it imports two months of the real intervals.icu exports in
``../shared/data/intervals_icu/`` for athlete ``me`` and runs the coach on three days (offline
narrator), so the file holds every table that release made, with rows in each. The upgrade
test opens it with today's code and checks that every row is still there.

    python tools/make_v010_db.py [--commit a23ec15] [--out tests/fixtures/v0_1_0.db]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "intervals_icu"
RELEASE = "a23ec15"
SINCE = "2025-05-01"
RUN_DAYS = ("2025-06-20", "2025-06-21", "2025-06-22")


def build(commit: str, out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", commit, "src", "config"],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(work)], input=archive, check=True)
        home = work / "home"
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("LANTERNE_")},
            "PYTHONPATH": str(work / "src"),
            "LANTERNE_HOME": str(home),
            "LANTERNE_OUTPUT_DIR": str(work / "output"),
            "LANTERNE_LLM_PROVIDER": "offline",
            "LANTERNE_TIMEZONE": "Europe/Paris",
            "LANTERNE_MISSION_FILE": str(work / "config/missions/tour_de_france_sim.toml"),
        }

        def cli(*args: str) -> None:
            subprocess.run(
                [sys.executable, "-m", "lanterne_rouge", *args], check=True, env=env, cwd=work
            )

        cli("import", "intervals-wellness", str(DATA / "wellness.csv"), "--since", SINCE)
        cli("import", "intervals-activities", str(DATA / "activities.csv"), "--since", SINCE)
        for day in RUN_DAYS:
            cli("run", "--date", day)
        db = home / "lanterne.db"
        import sqlite3

        with sqlite3.connect(db) as conn:  # one file: fold the write-ahead log back in
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("PRAGMA journal_mode=DELETE")
            conn.execute("VACUUM")
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(db, out)
    print(f"wrote {out} ({out.stat().st_size // 1024} KiB) from {commit}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commit", default=RELEASE)
    parser.add_argument("--out", type=Path, default=REPO / "tests/fixtures/v0_1_0.db")
    args = parser.parse_args()
    build(args.commit, args.out)


if __name__ == "__main__":
    main()
