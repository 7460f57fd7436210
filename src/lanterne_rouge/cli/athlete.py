"""``athlete show|set``: the athlete as data, and the thresholds every load is computed with.

``athlete set ftp 128 --from 2025-01-01`` records a threshold in force from a day on (without
``--from``: from the start of the history); ``timezone`` is the athlete's IANA zone. The
mission file's ``[athlete]`` table seeds the thresholds the athlete has not set; an example
mission's (``example = true``) numbers are nobody's, and until the athlete's own FTP and heart
rates are set every sync, import and run says so in one line.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from lanterne_rouge.cli.athlete_app import athlete_app
from lanterne_rouge.cli.context import CliContext, not_own_note
from lanterne_rouge.cli.options import AthleteOption

if TYPE_CHECKING:
    from lanterne_rouge.memory.athletes import AthleteProfile


def register(app: typer.Typer) -> None:
    from importlib import import_module

    for name in ("athlete_roster", "athlete_secrets"):  # their commands join athlete_app
        import_module(f"lanterne_rouge.cli.{name}")
    app.add_typer(athlete_app, name="athlete")


class Setting(StrEnum):
    ftp = "ftp"
    threshold_hr = "threshold_hr"
    max_hr = "max_hr"
    resting_hr = "resting_hr"
    sex = "sex"
    timezone = "timezone"
    name = "name"
    morning = "morning"
    mission = "mission"
    email = "email"
    telegram_chat = "telegram_chat"
    sources = "sources"


CARD_FIELDS = {"name", "morning", "mission", "email", "telegram_chat", "sources"}


@athlete_app.command("show")
def show(ctx: typer.Context, athlete: AthleteOption = None) -> None:
    """Print the athlete's card and every threshold with the day it took effect."""
    from lanterne_rouge.cli.athlete_roster import card_line

    c = CliContext.of(ctx)
    athlete_id = c.athlete_id(athlete)
    profile = c.store.profiles.profile(athlete_id)
    card = c.store.cards.get(athlete_id)
    carded = card is not None and bool(card.name or card.in_fleet or card.sources or card.email)
    if card is not None and carded:
        typer.echo(
            f"Athlete {athlete_id}{f' ({card.name})' if card.name else ''}: {card_line(card)}"
        )
    if profile is None:
        typer.echo(
            f"No profile for athlete '{athlete_id}' yet: set one with "
            "`lanterne-rouge athlete set ftp 250 --from 2025-01-01` (or import, sync or run "
            "with a mission whose [athlete] table seeds it)."
        )
        return
    text = profile_text(profile, date.today())
    # the card's line has said who the athlete is and their time zone already
    typer.echo(text.split("\n", 1)[1] if carded and "\n" in text else text)


def profile_text(profile: AthleteProfile, today: date) -> str:
    lines = [f"Athlete {profile.athlete_id}: time zone {profile.timezone or 'not set'}"]
    for e in profile.thresholds.entries:
        since = f"from {e.valid_from}" if e.valid_from else "from the start"
        origin = {"athlete": "", "mission": " (from the mission file)", "template": " (EXAMPLE)"}
        value = e.value if isinstance(e.value, str) else f"{e.value:g}"
        lines.append(f"  {e.name:<13} {value:>7}  {since}{origin[e.origin]}")
    missing = profile.thresholds.not_own(today)
    if missing:
        lines.append("Note: " + not_own_note(missing))
    return "\n".join(lines)


@athlete_app.command("set")
def set_(
    ctx: typer.Context,
    name: Annotated[Setting, typer.Argument(help="What to set.")],
    value: Annotated[
        str,
        typer.Argument(
            help="W, bpm, male|female, an IANA zone, HH:MM, a mission file, an address, a chat "
            "id, or sources (strava,oura,intervals,files); an empty value clears a card field."
        ),
    ],
    valid_from: Annotated[
        datetime | None,
        typer.Option(
            "--from", formats=["%Y-%m-%d"], help="First day it holds (default: the start)."
        ),
    ] = None,
    athlete: AthleteOption = None,
) -> None:
    """Set a threshold in force from a day on (loads from that day use it), or a card field."""
    from lanterne_rouge.errors import ConfigError
    from lanterne_rouge.training.thresholds import DatedThreshold

    c = CliContext.of(ctx)
    athlete_id = c.athlete_id(athlete)
    now = datetime.now(UTC)
    if name.value in CARD_FIELDS:
        from lanterne_rouge.cli.athlete_roster import set_card_field

        typer.echo(set_card_field(c.store, athlete_id, name.value, value, now=now))
        return
    if name is Setting.timezone:
        from lanterne_rouge.sources.activity import zone

        zone(value)  # an unknown zone is a one-line error
        c.store.profiles.set_timezone(athlete_id, value, now=now)
        typer.echo(f"Athlete {athlete_id}: time zone {value}.")
        return
    try:
        entry = DatedThreshold(
            name=name.value,
            value=value if name is Setting.sex else _number(name.value, value),
            valid_from=valid_from.date() if valid_from else None,
        )
    except ValueError as exc:  # pydantic's ValidationError is one
        raise ConfigError(f"athlete set {name.value} {value}: {_first_error(exc)}") from exc
    c.store.profiles.set_threshold(athlete_id, entry, now=now)
    since = f"from {entry.valid_from}" if entry.valid_from else "from the start"
    typer.echo(
        f"Athlete {athlete_id}: {name.value} {value} {since}. Loads are computed when "
        "activities are imported or synced: import or sync again to rescore older ones."
    )


def _number(name: str, value: str) -> float:
    try:
        return float(value)
    except ValueError as exc:
        raise ValueError(f"{name} must be a number") from exc


def _first_error(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        found = errors()
        if found:
            return str(found[0]["msg"]).removeprefix("Value error, ")
    return str(exc)
