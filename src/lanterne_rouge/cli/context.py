"""The one context every command works in: settings, the store, the athlete, today.

The app's callback makes one :class:`CliContext` per invocation; each part is built the first
time a command asks for it (a command that needs no store opens none) and then kept.

Which athlete: the one asked for (``--athlete``, else ``LANTERNE_ATHLETE_ID``, else ``me``)
when the store holds data of theirs. The bundled demo athlete runs only when asked for
(``--demo`` or ``--athlete demo``) or on a store that holds no athlete at all; an athlete id
with no data on a store that holds others is an error naming them, never a silent demo.

Nothing here imports Typer: the daily run uses this context without it (``run_fast.py``).
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, tzinfo
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from lanterne_rouge.errors import ConfigError, LanterneError

if TYPE_CHECKING:
    import typer

    from lanterne_rouge.memory.state_store import StateStore
    from lanterne_rouge.mission_config import Mission
    from lanterne_rouge.training.thresholds import ThresholdHistory
    from lanterne_rouge.utils.config_loader import Settings

DEMO_ATHLETE = "demo"  # the same id as sources.demo.DEMO_ATHLETE, without importing the sources


class Athlete(msgspec.Struct, frozen=True):
    """Who a command is about; ``demo`` is the bundled example athlete."""

    id: str
    demo: bool
    fallback: bool = False  # the demo stands in for an athlete with no data on an empty store


class CliContext:
    def __init__(self) -> None:
        self._store: StateStore | None = None

    @staticmethod
    def of(ctx: typer.Context) -> CliContext:
        """The context the app's callback made (a bare one for a command called on its own)."""
        root = ctx.find_root()
        if not isinstance(root.obj, CliContext):
            root.obj = CliContext()
        return root.obj

    @cached_property
    def settings(self) -> Settings:
        from lanterne_rouge.utils.config_loader import load_settings
        from lanterne_rouge.utils.logger import configure_logging

        settings = load_settings()
        configure_logging(settings.log_level)
        return settings

    @property
    def store(self) -> StateStore:
        if self._store is None:
            from lanterne_rouge.memory.state_store import StateStore

            self._store = StateStore(self.settings.resolved_database_url())
            copy = self._store.copied_before_upgrade
            if copy is not None:
                echo(f"Upgraded the database's schema; the old one is kept at {copy}")
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def athlete_id(self, given: str | None) -> str:
        """The id asked for, unresolved: where imported or synced data goes."""
        return given or self.settings.athlete_id

    def athlete(self, given: str | None, *, demo: bool = False) -> Athlete:
        """The athlete a command is about (see the module's docstring)."""
        wanted = self.athlete_id(given)
        if demo or wanted == DEMO_ATHLETE:
            return Athlete(DEMO_ATHLETE, demo=True)
        if self.store.knows(wanted):
            return Athlete(wanted, demo=False)
        others = [a for a in self.store.athletes() if a != DEMO_ATHLETE]
        if not others:
            return Athlete(DEMO_ATHLETE, demo=True, fallback=True)
        raise ConfigError(
            f"no data for athlete '{wanted}'; the store holds {', '.join(others)} "
            "(pass --athlete ID, or --demo for the bundled demo athlete)"
        )

    def mission(self) -> Mission | None:
        """The configured mission, when its file exists (it holds the athlete's time zone)."""
        from lanterne_rouge.mission_file import load_mission

        path = self.settings.mission_file
        return load_mission(path) if path.is_file() else None

    def today(self, athlete: Athlete, mission: Mission | None = None) -> date:
        """The athlete's local calendar date: resolved here, once, for every command, in the
        athlete's own time zone (``athlete set timezone``), else the mission's, else the
        setting's."""
        if athlete.demo:
            return today_in(self.settings.timezone)
        profile = self.store.profiles.profile(athlete.id)
        found = mission if mission is not None else self.mission()
        zone = profile.timezone if profile is not None else None
        zone = zone or (found.athlete.timezone if found is not None else None)
        return today_in(zone or self.settings.timezone)


def today_in(timezone: str | None) -> date:
    """Today's date in an IANA time zone (the machine's when None)."""
    if not timezone:
        return datetime.now().astimezone().date()
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return datetime.now(ZoneInfo(timezone)).date()
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"unknown time zone {timezone!r} (use an IANA name)") from exc


def echo(message: str = "", *, err: bool = False, nl: bool = True) -> None:
    """Print a line for the athlete (standard output, or error with ``err``), flushed."""
    print(message, end="\n" if nl else "", file=sys.stderr if err else sys.stdout, flush=True)


def fail(exc: LanterneError) -> None:
    """Print an expected error in one line (secrets masked) and exit non-zero."""
    from lanterne_rouge.utils.logger import redact_text

    echo(f"lanterne-rouge: error: {redact_text(str(exc))}", err=True)
    sys.exit(exc.exit_code or 1)


def mission_for(c: CliContext, athlete: str, day: date) -> Mission | None:
    """The mission a day was run against (the goal's dates, thresholds and bonuses), if known:
    the demo's as it was moved for that day, else the configured one."""
    from lanterne_rouge.sources.demo import DEMO_ATHLETE, demo_mission

    if athlete == DEMO_ATHLETE:
        return demo_mission(day)
    try:
        return c.mission()
    except LanterneError:  # shown without the goal's outlook rather than not at all
        return None


def athlete_context(
    c: CliContext, athlete_id: str, mission: Path | None
) -> tuple[ThresholdHistory, tzinfo, str | None]:
    """The athlete's thresholds (their own, seeded from the mission file's ``[athlete]``
    table), their time zone, and a one-line note when loads will use thresholds not theirs."""
    from lanterne_rouge.sources.activity import zone

    seeds, mission_zone = _mission_seeds(c, mission)
    profile = c.store.profiles.seed(athlete_id, seeds, now=datetime.now(UTC))
    where = zone(profile.timezone or mission_zone or c.settings.timezone)
    missing = profile.thresholds.not_own(datetime.now(where).date())
    return profile.thresholds, where, not_own_note(missing) if missing else None


def _mission_seeds(c: CliContext, mission: Path | None) -> tuple[ThresholdHistory, str | None]:
    from lanterne_rouge.memory.athletes import mission_seeds
    from lanterne_rouge.mission_file import load_mission
    from lanterne_rouge.training.thresholds import ThresholdHistory

    path = mission or c.settings.mission_file
    if mission is None and not path.is_file():
        return ThresholdHistory(), None
    athlete = load_mission(path).athlete
    return mission_seeds(athlete), athlete.timezone


def not_own_note(missing: tuple[str, ...]) -> str:
    return (
        f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not your own (missing or "
        "the example mission's): loads use them anyway; set yours with `lanterne-rouge athlete "
        f"set {missing[0]} VALUE --from YYYY-MM-DD`"
    )
