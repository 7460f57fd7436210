"""``athlete connect|new-key|rotate-key``: each athlete's tokens, encrypted in the database.

``athlete connect strava --athlete anna --file tokens.json`` (or the JSON on standard input)
stores Anna's Strava tokens (``access_token``, ``refresh_token``, ``expires_at``) encrypted
with ``LANTERNE_SECRET_KEY``; the fleet's workers sync her with them and write refreshed
tokens back the same way. ``athlete new-key`` prints a new key; ``athlete rotate-key``
re-encrypts every secret with the first of the keys in ``LANTERNE_SECRET_KEY``.

The single athlete of one machine needs none of this: their tokens stay in the tokens folder
(``lanterne-rouge auth``) and no key is asked for.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from lanterne_rouge.cli.athlete_app import athlete_app
from lanterne_rouge.cli.context import CliContext
from lanterne_rouge.cli.options import AthleteOption
from lanterne_rouge.errors import ConfigError


class Provider(StrEnum):
    strava = "strava"
    oura = "oura"


@athlete_app.command("connect")
def connect(
    ctx: typer.Context,
    provider: Annotated[Provider, typer.Argument(help="Whose tokens: strava or oura.")],
    file: Annotated[
        Path | None,
        typer.Option("--file", help="The tokens as JSON (default: read standard input)."),
    ] = None,
    athlete: AthleteOption = None,
) -> None:
    """Store an athlete's tokens, encrypted with LANTERNE_SECRET_KEY, for the workers' sync."""
    from lanterne_rouge.memory.secrets import AthleteSecrets, SecretBox
    from lanterne_rouge.sources.tokens import parse_token, token_json

    c = CliContext.of(ctx)
    athlete_id = c.athlete_id(athlete)
    box = SecretBox.of(c.settings.secret_key)  # no key: one line, before reading any token
    where = str(file) if file else "standard input"
    try:
        text = file.read_text(encoding="utf-8") if file else sys.stdin.read()
    except OSError as exc:
        raise ConfigError(f"cannot read {where}: {exc.strerror}") from exc
    token = parse_token(text, where)
    AthleteSecrets(c.store, box).put(
        athlete_id, provider.value, token_json(token), now=datetime.now(UTC)
    )
    expiry = ""
    if token.expires_at:
        until = datetime.fromtimestamp(token.expires_at, UTC)
        expiry = f", access token valid until {until:%Y-%m-%d %H:%M} UTC"
    typer.echo(f"Athlete {athlete_id}: {provider.value} connected (stored encrypted{expiry}).")


@athlete_app.command("new-key")
def new_key_command() -> None:
    """Print a new key for LANTERNE_SECRET_KEY (keep it out of the repository)."""
    from lanterne_rouge.memory.secrets import new_key

    typer.echo(new_key())


@athlete_app.command("rotate-key")
def rotate_key(ctx: typer.Context) -> None:
    """Re-encrypt every athlete's secrets with the first key of LANTERNE_SECRET_KEY."""
    from lanterne_rouge.memory.secrets import AthleteSecrets, SecretBox

    c = CliContext.of(ctx)
    count = AthleteSecrets(c.store, SecretBox.of(c.settings.secret_key)).rotate(
        now=datetime.now(UTC)
    )
    typer.echo(
        f"Re-encrypted {count} secrets with the first key; the others can now be removed "
        "from LANTERNE_SECRET_KEY."
    )
