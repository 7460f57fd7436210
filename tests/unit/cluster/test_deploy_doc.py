"""docs/deploy.md as written: its units verify, its commands exist, its athlete commands run,
its roster and settings load."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lanterne_rouge.cli import app
from lanterne_rouge.cluster.roster import load_roster
from lanterne_rouge.cluster.settings import load_cluster_settings
from lanterne_rouge.utils.config_loader import Settings

DOC = Path(__file__).resolve().parents[3] / "docs" / "deploy.md"
MISSION = Path(__file__).resolve().parents[3] / "config" / "missions" / "gran_fondo.toml"
INSTALLED = "/opt/lanterne-rouge/.venv/bin/lanterne-rouge"


def _blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def _units() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    found = re.findall(r"`/etc/systemd/system/([\w@.-]+)`[^\n]*\n\n```ini\n(.*?)```", text, re.S)
    return dict(found)


def _commands() -> list[list[str]]:
    """Every ``lanterne-rouge ...`` command of the page, as its arguments."""
    lines = [line for block in _blocks("sh") for line in block.splitlines()]
    lines += [line.removeprefix("ExecStart=") for b in _units().values() for line in b.split("\n")]
    found = []
    for line in lines:
        if INSTALLED in line:
            found.append(shlex.split(line.split(INSTALLED, 1)[1]))
    return found


def test_the_page_shows_both_units_and_the_fleet_commands() -> None:
    assert sorted(_units()) == ["lanterne-beat.service", "lanterne-worker.service"]
    assert {tuple(c[:2]) for c in _commands()} >= {
        ("worker", "--concurrency"),
        ("beat",),
        ("fleet", "status"),
        ("db", "upgrade"),
    }


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
def test_both_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    here = str(Path(sys.executable).parent / "lanterne-rouge")
    paths = []
    for name, unit in _units().items():
        path = tmp_path / name
        path.write_text(unit.replace(INSTALLED, here), encoding="utf-8")
        paths.append(str(path))
    done = subprocess.run(
        ["systemd-analyze", "verify", *paths], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stderr.strip()) == (0, "")


@pytest.mark.parametrize("command", _commands(), ids=lambda c: " ".join(c))
def test_each_command_on_the_page_exists_with_its_options(command: list[str]) -> None:
    shown = CliRunner().invoke(app, [*command, "--help"])
    assert shown.exit_code == 0, shown.output


def test_the_roster_and_the_settings_on_the_page_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    roster = tmp_path / "fleet.toml"
    roster.write_text(_blocks("toml")[0], encoding="utf-8")
    assert [a.id for a in load_roster(roster).athletes] == ["ben", "chloe"]
    env_block = next(b for b in _blocks("sh") if "LANTERNE_BROKER_URL=" in b)
    for line in env_block.splitlines():
        name, value = line.split("=", 1)
        monkeypatch.setenv(name, value)
    assert Settings().database_url == "postgresql+psycopg:///lanterne"
    assert Settings().secret_key is not None
    assert load_cluster_settings().fleet_file is None  # the old variable is not set


def test_the_athlete_commands_on_the_page_run_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    etc = tmp_path / "etc"
    for name in ("anna", "ben", "chloe"):
        (etc / "missions").mkdir(parents=True, exist_ok=True)
        shutil.copy(MISSION, etc / "missions" / f"{name}.toml")
    (etc / "fleet.toml").write_text(_blocks("toml")[0], encoding="utf-8")
    (etc / "tokens").mkdir()
    (etc / "tokens" / "anna-strava.json").write_text(
        '{"access_token": "a-123456", "refresh_token": "r-123456", "expires_at": 1767225600}'
    )
    commands = [c for c in _commands() if c[0] == "athlete"]
    assert [c[1] for c in commands] == ["add", "import", "list", "new-key", "connect"]
    outputs = {}
    for command in commands:
        args = [a.replace("/etc/lanterne-rouge", str(etc)) for a in command]
        done = CliRunner().invoke(app, args)
        assert done.exit_code == 0, (args, done.output, done.exception)
        outputs[command[1]] = done.output
        if command[1] == "new-key":
            monkeypatch.setenv("LANTERNE_SECRET_KEY", done.output.strip())
    listed = outputs["list"].splitlines()
    assert [line.split()[0] for line in listed[1:4]] == ["anna", "ben", "chloe"]
    assert listed[-1] == "3 athletes, 3 run by the fleet (time zone, morning, mission)."
    assert outputs["connect"].startswith("Athlete anna: strava connected (stored encrypted")
