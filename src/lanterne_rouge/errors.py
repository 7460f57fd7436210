"""The one error tree of Lanterne Rouge.

Expected failures are raised as a ``LanterneError`` subclass; the CLI catches only this tree
and prints one actionable line. Anything else reaching the CLI is a bug and keeps its traceback.

    LanterneError
    ├── ConfigError        settings, mission files, prompt files: the user can fix them
    ├── SourceError        an API or file source failed (network, auth, rate limit)
    ├── DataError          a record or file is malformed or absurd
    ├── StoreError         the state store refused an operation
    │   ├── DayAlreadyDone the day was already run (not a failure: use --force)
    │   └── DayInProgress  another process is running the day (not a failure either)
    └── AIError            an LLM call failed (callers fall back to the offline explainer)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import ValidationError


class LanterneError(Exception):
    """Base of every expected Lanterne Rouge error."""

    exit_code = 1


class ConfigError(LanterneError):
    """A setting, mission or prompt file is wrong; the message names the file and field."""

    exit_code = 2


class SourceError(LanterneError):
    """A data source (API or file) could not be read."""

    exit_code = 3


class DataError(LanterneError):
    """A record is malformed or its values are absurd."""

    exit_code = 4


class StoreError(LanterneError):
    """The state store refused an operation."""

    exit_code = 5


class DayAlreadyDone(StoreError):
    """The athlete-day was already run; nothing was changed."""

    exit_code = 0


class DayInProgress(StoreError):
    """Another live process holds the athlete-day; it finishes it."""

    exit_code = 0


class AIError(LanterneError):
    """An LLM call failed; the caller falls back to the offline explainer."""

    exit_code = 6


# -- one line for a pydantic validation error -------------------------------------------


def _field_path(loc: tuple[int | str, ...]) -> str:
    """``stages[3].type``: list entries counted from 1, as a reader counts ``[[stages]]``."""
    path = ""
    for part in loc:
        path += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(top level)"


def _scalar(value: object) -> bool:
    """Whether a bad input is short enough to echo (not a whole table or list)."""
    return not isinstance(value, dict | list | tuple)


def describe(source: str, exc: ValidationError, prefix: str = "") -> str:
    """One line naming the source and each bad field."""
    parts = []
    for err in exc.errors():
        field = _field_path(err["loc"])
        if prefix:
            field = prefix + field.upper()  # never echo the value: it may be a secret
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            message = "unknown key"
        elif not prefix and err["type"] != "missing" and _scalar(err.get("input")):
            message = f"{message} (got {err['input']!r})"
        parts.append(f"{field}: {message}")
    return f"{source}: " + "; ".join(parts)
