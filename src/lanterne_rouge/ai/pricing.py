"""The price table (``data/prices.toml``), call costs, and conservative token estimates.

Units: prices are USD per million tokens; costs are USD. An unknown model's cost is ``None``
(unknown), never 0.
"""

# Annotations are evaluated as the classes are made (no ``from __future__ import
# annotations``): pydantic would otherwise evaluate each one from its string, a third of
# the time these models take to build at start-up.

import math
import re
from collections.abc import Iterable, Mapping
from datetime import date
from importlib import resources
from pathlib import Path

import tomli
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from lanterne_rouge.errors import ConfigError

# Without a tokenizer, count a token per 3 characters: English prose runs ~4 characters a
# token and compact JSON ~3, so this over-counts, which is the safe side for budgets.
CHARS_PER_TOKEN = 3.0
TOKENS_PER_MESSAGE = 4  # role and separators in the chat format
TOKENS_PER_REQUEST = 3  # the assistant's reply primer

_DATED_SUFFIX = re.compile(r"-\d{4}-\d{2}-\d{2}$")


class ModelPrice(BaseModel):
    # defer_build: built the first time it is used, not as the module is imported; the
    # morning run never uses it on its own (a millisecond or two of start-up each).
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    input: float = Field(ge=0, description="USD per million prompt tokens")
    cached_input: float | None = Field(
        default=None, ge=0, description="USD per million cached prompt tokens; None = input"
    )
    output: float = Field(ge=0, description="USD per million completion tokens")


class PriceTable(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    as_of: date
    models: dict[str, ModelPrice]

    def price(self, *names: str | None) -> ModelPrice | None:
        """The first of ``names`` found, also by undated name (``gpt-4o-mini-2024-07-18``)."""
        for name in names:
            if not name:
                continue
            found = self.models.get(name) or self.models.get(_DATED_SUFFIX.sub("", name))
            if found is not None:
                return found
        return None


def load_prices(path: Path | None = None) -> PriceTable:
    """The bundled price table, or ``path``; errors name the file and the field."""
    source = str(path) if path else "data/prices.toml"
    try:
        if path is None:
            text = (resources.files("lanterne_rouge.data") / "prices.toml").read_text("utf-8")
        else:
            text = path.read_text(encoding="utf-8")
        raw = tomli.loads(text)
    except OSError as exc:
        raise ConfigError(f"{source}: cannot read price table: {exc}") from exc
    except tomli.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML: {exc}") from exc
    try:
        return PriceTable.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        message = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
        raise ConfigError(f"{source}: {field}: {message}") from exc


def cost_usd(
    price: ModelPrice | None,
    input_tokens: int | None,
    cached_tokens: int | None,
    output_tokens: int | None,
) -> float | None:
    """What a call cost; None when the price or the token counts are unknown."""
    if price is None or input_tokens is None or output_tokens is None:
        return None
    cached = min(cached_tokens or 0, input_tokens)
    cached_rate = price.input if price.cached_input is None else price.cached_input
    total = (input_tokens - cached) * price.input + cached * cached_rate
    return (total + output_tokens * price.output) / 1_000_000


def worst_case_usd(price: ModelPrice, prompt_tokens: int, max_completion_tokens: int) -> float:
    """The most one call can cost: every prompt token uncached, every completion token used."""
    return (prompt_tokens * price.input + max_completion_tokens * price.output) / 1_000_000


def estimate_tokens(messages: Iterable[Mapping[str, str]]) -> int:
    """A conservative prompt token count for chat messages (no tokenizer needed)."""
    total = TOKENS_PER_REQUEST
    for message in messages:
        total += TOKENS_PER_MESSAGE + math.ceil(len(message["content"]) / CHARS_PER_TOKEN)
    return total
