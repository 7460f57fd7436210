"""Mission settings are strict: no yes/no where a number belongs, bounded phases, known zones."""

from __future__ import annotations

from pathlib import Path

import pytest

from lanterne_rouge.errors import ConfigError
from lanterne_rouge.mission_file import load_mission

REPO = Path(__file__).resolve().parents[3]
MISSION = (REPO / "config" / "missions" / "tour_de_france_sim.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "ftp = 250",
            "ftp = true",
            "athlete.ftp: expected a number, not a yes/no value (got True)",
        ),
        (
            "ftp = 250",
            "ftp = false",
            "athlete.ftp: expected a number, not a yes/no value (got False)",
        ),
        (
            "recovery_days = 7",
            "recovery_days = 1000000000",
            "phases.recovery_days: Input should be less than or equal to 60 (got 1000000000)",
        ),
        (
            '# timezone = "Europe/Paris"',
            'timezone = "Mars/Olympus_Mons"',
            "athlete.timezone: unknown time zone (use an IANA name such as Europe/Paris) "
            "(got 'Mars/Olympus_Mons')",
        ),
    ],
    ids=["ftp-true", "ftp-false", "recovery-days-a-billion", "unknown-time-zone"],
)
def test_a_bad_mission_setting_is_one_line_naming_the_file_and_the_field(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    assert old in MISSION
    path = tmp_path / "mission.toml"
    path.write_text(MISSION.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_mission(path)
    text = str(caught.value)
    assert "\n" not in text and text.startswith(f"{path}: ")
    assert message in text


def test_the_shipped_missions_are_still_valid() -> None:
    for path in sorted((REPO / "config" / "missions").glob("*.toml")):
        assert load_mission(path).mission.id


def test_an_unknown_time_zone_setting_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    from lanterne_rouge.utils.config_loader import load_settings

    monkeypatch.setenv("LANTERNE_TIMEZONE", "Europe/Pariss")
    with pytest.raises(ConfigError, match=r"^environment: LANTERNE_TIMEZONE: unknown time zone"):
        load_settings()
