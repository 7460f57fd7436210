"""Mission files: TOML validated into a :class:`~lanterne_rouge.mission_config.Mission`.

Errors name the file and the field (``stages[3].type: ...``), never a traceback.
"""

from __future__ import annotations

from pathlib import Path

import tomli
from pydantic import ValidationError

from lanterne_rouge.errors import ConfigError, describe
from lanterne_rouge.mission_config import Mission


def load_mission(path: Path) -> Mission:
    """Load and validate a mission TOML file; errors name the file and the field."""
    try:
        raw = tomli.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(
            f"{path}: mission file not found (set LANTERNE_MISSION_FILE or pass --mission)"
        ) from exc
    except tomli.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read mission file: {exc}") from exc
    try:
        return Mission.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(describe(str(path), exc)) from exc
