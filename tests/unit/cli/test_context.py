"""One command-line context: which athlete, which day, and a typo that is an error."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lanterne_rouge.cli import app
from lanterne_rouge.errors import ConfigError
from lanterne_rouge.memory.records import DailyLoad
from lanterne_rouge.memory.state_store import StateStore

MISSION = Path(__file__).resolve().parents[3] / "config" / "missions" / "tour_de_france_sim.toml"


@pytest.fixture
def home_store(lanterne_env: Path, monkeypatch: pytest.MonkeyPatch) -> StateStore:
    """The store the CLI opens, holding a little of athlete ``me``'s training."""
    monkeypatch.setenv("LANTERNE_MISSION_FILE", str(MISSION))
    store = StateStore(f"sqlite:///{lanterne_env / 'home' / 'lanterne.db'}")
    store.upsert_loads(
        "me", [DailyLoad(day=date(2026, 3, d), load=50.0, source="manual") for d in range(1, 10)]
    )
    return store


def _invoke(*args: str) -> tuple[int, str]:
    done = CliRunner().invoke(app, list(args))
    return done.exit_code, done.output


def test_an_athlete_typo_is_an_error_naming_the_known_athletes(
    home_store: StateStore, lanterne_env: Path
) -> None:
    done = CliRunner().invoke(app, ["run", "--date", "2026-03-10", "--athlete", "mee"])
    assert isinstance(done.exception, ConfigError)
    assert "no data for athlete 'mee'; the store holds me" in str(done.exception)
    assert not (lanterne_env / "output").exists()  # nothing written, nobody's report replaced
    assert home_store.day_runs.of("mee") == [] and home_store.day_runs.of("demo") == []


def test_the_typo_error_is_one_line_from_the_real_command(
    home_store: StateStore, cli: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    done = cli("history", "--athlete", "mee")
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [
        "lanterne-rouge: error: no data for athlete 'mee'; the store holds me "
        "(pass --athlete ID, or --demo for the bundled demo athlete)"
    ]


def test_the_demo_runs_when_asked_for_beside_a_real_athlete(
    home_store: StateStore, lanterne_env: Path
) -> None:
    code, out = _invoke("run", "--date", "2026-03-10", "--demo")
    assert code == 0, out
    assert "DEMO DATA" in out
    assert (lanterne_env / "output" / "report-demo-2026-03-10.html").exists()


def test_the_real_athlete_runs_and_its_report_carries_its_id(
    home_store: StateStore, lanterne_env: Path
) -> None:
    code, out = _invoke("run", "--date", "2026-03-10")
    assert code == 0, out
    assert "DEMO" not in out
    assert (lanterne_env / "output" / "report-me-2026-03-10.html").exists()


def test_an_empty_store_runs_the_demo_and_says_so(lanterne_env: Path) -> None:
    code, out = _invoke("run", "--date", "2026-03-10")
    assert code == 0, out
    assert "running the bundled DEMO athlete instead" in out


def test_today_is_the_athletes_own_date(lanterne_env: Path, tmp_path: Path) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from lanterne_rouge.cli.context import Athlete, CliContext

    mission = tmp_path / "m.toml"
    text = MISSION.read_text(encoding="utf-8")
    mission.write_text(text.replace("[athlete]", '[athlete]\ntimezone = "Pacific/Kiritimati"', 1))
    from lanterne_rouge.mission_file import load_mission

    found = CliContext().today(Athlete("me", demo=False), load_mission(mission))
    assert found == datetime.now(ZoneInfo("Pacific/Kiritimati")).date()


def test_the_daily_run_imports_only_what_the_day_uses(lanterne_env: Path) -> None:
    """No source configured, no channel, the offline narrator, nothing to log: no HTTP client,
    no structlog (nor the rich it pulls in), no Alembic (the schema is current), no Typer or
    Click, no pydantic-settings, no tenacity."""
    probe = (
        "import sys\n"
        "from lanterne_rouge.cli import main\n"
        "sys.argv = ['lanterne-rouge', 'run', '--date', '2026-03-10']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('httpx', 'structlog', 'rich', 'alembic', 'openai', 'huggingface_hub',\n"
        "         'typer', 'click', 'pydantic_settings', 'tenacity')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    for _ in range(2):  # the first run creates the database; the second is a usual morning
        done = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
