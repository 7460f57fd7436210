"""``athlete add|list|remove|import``: the athletes a store (and a fleet) coaches.

An athlete with a time zone, a morning time and a mission is run by the fleet's workers every
day after their local morning time. ``remove`` drops the athlete's card, thresholds and
secrets; an athlete with stored days is removed only with ``--keep-history``, which keeps
those days (messages are append-only: history is never deleted).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from lanterne_rouge.cli.athlete_app import athlete_app
from lanterne_rouge.cli.context import CliContext
from lanterne_rouge.errors import ConfigError
from lanterne_rouge.wording import plural

if TYPE_CHECKING:
    from lanterne_rouge.memory.athlete_cards import AthleteCard
    from lanterne_rouge.memory.state_store import StateStore

IdArgument = Annotated[str, typer.Argument(help="The athlete's id (letters, digits, . _ -).")]


@athlete_app.command("add")
def add(
    ctx: typer.Context,
    athlete_id: IdArgument,
    timezone: Annotated[str, typer.Option("--timezone", help="IANA zone, e.g. Europe/Paris.")],
    mission: Annotated[Path, typer.Option("--mission", help="The athlete's mission file.")],
    morning: Annotated[
        str, typer.Option("--morning", help="Local time the day is run after (HH:MM).")
    ] = "06:30",
    name: Annotated[str, typer.Option("--name", help="How the athlete is called.")] = "",
    email: Annotated[str | None, typer.Option("--email", help="Morning message by email.")] = None,
    telegram_chat: Annotated[
        str | None, typer.Option("--telegram-chat", help="Morning message on Telegram (chat id).")
    ] = None,
    sources: Annotated[
        str, typer.Option("--sources", help="Comma-separated: strava, oura, intervals, files.")
    ] = "",
) -> None:
    """Add an athlete: the fleet runs their day after their local morning time."""
    from lanterne_rouge.memory.athlete_cards import AthleteCard

    card = checked(
        lambda: AthleteCard(
            athlete_id=athlete_id,
            name=name,
            timezone=timezone,
            morning=parse_morning(morning),
            mission=mission_path(mission),
            email=email,
            telegram_chat=telegram_chat,
            sources=sources,  # parsed by the model
        ),
        f"athlete add {athlete_id}",
    )
    CliContext.of(ctx).store.cards.add(card, now=datetime.now(UTC))
    typer.echo(f"Added athlete {athlete_id}: {card_line(card)}.")


@athlete_app.command("list")
def list_(ctx: typer.Context) -> None:
    """Every athlete: zone, morning, mission, channels, sources and connected accounts."""
    from lanterne_rouge.memory.secrets import names_by_athlete

    store = CliContext.of(ctx).store
    cards = store.cards.all()
    if not cards:
        typer.echo("No athletes yet: add one with `lanterne-rouge athlete add ID ...`.")
        return
    typer.echo(roster_table(cards, names_by_athlete(store)))


@athlete_app.command("remove")
def remove(
    ctx: typer.Context,
    athlete_id: IdArgument,
    keep_history: Annotated[
        bool,
        typer.Option("--keep-history", help="Remove an athlete who has stored days; keep them."),
    ] = False,
) -> None:
    """Remove an athlete's card, thresholds and secrets (never their stored days)."""
    store = CliContext.of(ctx).store
    if store.cards.get(athlete_id) is None:
        known = ", ".join(c.athlete_id for c in store.cards.all()) or "none"
        raise ConfigError(f"no athlete {athlete_id!r} to remove (athletes: {known})")
    days = store.cards.stored_days(athlete_id)
    if days and not keep_history:
        raise ConfigError(
            f"athlete {athlete_id!r} has {days} stored day{'s' * (days != 1)}: removing them "
            "keeps those days (history is append-only); say so with --keep-history"
        )
    store.cards.remove(athlete_id)
    kept = f"; their {days} stored days are kept" if days else ""
    typer.echo(f"Removed athlete {athlete_id} (card, thresholds, secrets){kept}.")


@athlete_app.command("import")
def import_(
    ctx: typer.Context,
    roster: Annotated[Path, typer.Argument(help="A roster file: [[athletes]] tables (TOML).")],
) -> None:
    """Add or update many athletes from a roster file; thresholds and secrets are kept."""
    from lanterne_rouge.cluster.roster import import_roster

    added, replaced = import_roster(CliContext.of(ctx).store, roster, now=datetime.now(UTC))
    typer.echo(f"Imported {roster}: {added} athletes added, {replaced} updated.")


def parse_morning(value: str) -> time:
    try:
        return datetime.strptime(value.strip(), "%H:%M").time()
    except ValueError:
        raise ValueError(f"bad morning time {value!r}: use HH:MM, e.g. 06:30") from None


def mission_path(value: Path) -> Path:
    from lanterne_rouge.mission_file import load_mission

    path = value.expanduser().resolve()
    if not path.is_file():
        raise ConfigError(f"mission file {value} does not exist")
    load_mission(path)  # a broken mission is refused now, not at six in the morning
    return path


def checked(make: Callable[[], AthleteCard], what: str) -> AthleteCard:
    """Build a card; a bad value is one line naming the field."""
    from pydantic import ValidationError

    try:
        return make()
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        message = str(first["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"{what}: {field}: {message}") from None
    except ValueError as exc:
        raise ConfigError(f"{what}: {exc}") from None


def card_line(card: AthleteCard) -> str:
    parts = [
        f"time zone {card.timezone or 'not set'}",
        f"morning {card.morning.strftime('%H:%M') if card.morning else 'not set'}",
        f"mission {card.mission or 'not set'}",
    ]
    if card.email:
        parts.append(f"email {card.email}")
    if card.telegram_chat:
        parts.append(f"Telegram {card.telegram_chat}")
    parts.append(f"sources {', '.join(card.sources) or 'none'}")
    return ", ".join(parts)


def roster_table(cards: list[AthleteCard], secrets: dict[str, list[str]]) -> str:
    header = ("ID", "NAME", "TIME ZONE", "MORNING", "MISSION", "CHANNELS", "SOURCES", "CONNECTED")
    rows = [header]
    for c in cards:
        channels = [x for x in ("email" if c.email else "", "telegram" if c.telegram_chat else "")]
        rows.append(
            (
                c.athlete_id,
                c.name or "-",
                c.timezone or "-",
                c.morning.strftime("%H:%M") if c.morning else "-",
                c.mission.name if c.mission else "-",
                ",".join(x for x in channels if x) or "-",
                ",".join(c.sources) or "-",
                ",".join(secrets.get(c.athlete_id, [])) or "-",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    in_fleet = sum(1 for c in cards if c.in_fleet)
    lines.append(
        f"{plural(len(cards), 'athlete')}, {in_fleet} run by the fleet "
        "(time zone, morning, mission)."
    )
    return "\n".join(lines)


def set_card_field(
    store: StateStore, athlete_id: str, field: str, value: str, *, now: datetime
) -> str:
    """``athlete set FIELD VALUE`` for a card field; an empty value clears it."""
    from lanterne_rouge.memory.athlete_cards import AthleteCard

    current = store.cards.get(athlete_id) or AthleteCard(athlete_id=athlete_id)
    raw = value.strip()

    def changed() -> AthleteCard:
        new: object
        if field == "morning":
            new = parse_morning(raw) if raw else None
        elif field == "mission":
            new = mission_path(Path(raw)) if raw else None
        elif field == "name":
            new = raw
        else:
            new = raw or (() if field == "sources" else None)
        return AthleteCard.model_validate({**current.model_dump(), field: new})

    card = checked(changed, f"athlete set {field} {value}")
    store.cards.put(card, now=now)
    return f"Athlete {athlete_id}: {card_line(card)}."
