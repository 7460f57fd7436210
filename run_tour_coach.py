#!/usr/bin/env python3
"""The daily run, for cron or systemd: the same as ``lanterne-rouge run``.

Usage: ``python run_tour_coach.py [--date YYYY-MM-DD] [--athlete ID] [--force]``
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from lanterne_rouge.cli import console

if __name__ == "__main__":
    sys.argv[1:1] = ["run"]
    console()
