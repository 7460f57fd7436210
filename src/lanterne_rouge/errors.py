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
