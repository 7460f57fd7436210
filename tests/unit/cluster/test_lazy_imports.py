"""The single-athlete daily run never imports the fleet's heavy parts (Celery, Redis, psycopg)
nor the encryption of athletes' secrets (cryptography)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import json, sys
from typer.testing import CliRunner
from lanterne_rouge.cli import app
result = CliRunner().invoke(app, ["run", "--demo"])
print(json.dumps([result.exit_code, sorted(m for m in ("celery", "kombu", "redis", "psycopg",
                                                     "cryptography")
                                           if m in sys.modules)]))
"""


def test_a_daily_run_imports_no_celery_redis_psycopg_or_cryptography(lanterne_env: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        cwd=lanterne_env,
        env=os.environ.copy(),
        timeout=60,
        check=False,
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [0, []], done.stderr[-2000:]
