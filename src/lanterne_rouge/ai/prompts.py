"""Versioned prompt files: load, validate, select a version, render with quoted data.

Prompts live in ``ai/prompts/*.json`` as ``{"prompts": [...]}``. Each prompt has an ``id``, an
integer ``version``, model ``params`` and ``messages`` whose text may use ``$placeholders``.
A released version is never edited: a change is a new version (tests pin each version's
sha256). Unknown keys and unknown placeholders are errors naming the file and the field.

Untrusted text (activity names, notes) only ever enters a prompt JSON-encoded inside a
delimited data block, with ``<`` and ``>`` escaped so it cannot fake the block's end.
"""

from __future__ import annotations

import hashlib
import json
import string
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import msgspec
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from lanterne_rouge.errors import ConfigError

PROMPT_FILES = ("communication_prompts.json", "reasoning_prompts.json")
MAX_NOTES = 3
MAX_NOTE_CHARS = 60


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ModelParams(_Strict):
    max_tokens: int = Field(gt=0, le=1000, description="completion tokens asked for")
    temperature: float | None = Field(default=None, ge=0, le=2)


class PromptMessage(_Strict):
    role: Literal["system", "user"]
    content: str = Field(min_length=1)


class Prompt(_Strict):
    """One released version of one prompt."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]{1,63}$")
    version: int = Field(ge=1)
    description: str
    placeholders: tuple[str, ...] = Field(description="the $names its messages may use")
    params: ModelParams
    messages: tuple[PromptMessage, ...] = Field(min_length=1)
    log_block: str | None = Field(
        default=None, description="text added as $log when there are notes; uses $notes"
    )

    @model_validator(mode="after")
    def _known_placeholders(self) -> Prompt:
        allowed = set(self.placeholders)
        for i, message in enumerate(self.messages):
            _check_names(message.content, allowed, f"messages.{i}.content")
        if self.log_block is not None:
            _check_names(self.log_block, {"notes"}, "log_block")
        return self

    @property
    def sha256(self) -> str:
        """Hash of the canonical JSON of this version: what the ledger and the tests pin."""
        canonical = json.dumps(
            self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=True
        )
        return hashlib.sha256(canonical.encode()).hexdigest()


class PromptFile(_Strict):
    prompts: tuple[Prompt, ...]


def _check_names(text: str, allowed: set[str], where: str) -> None:
    template = string.Template(text)
    if not template.is_valid():
        raise ValueError(f"{where}: a '$' that is not a placeholder (write $$ for a dollar)")
    unknown = set(template.get_identifiers()) - allowed
    if unknown:
        raise ValueError(f"{where}: unknown placeholder ${sorted(unknown)[0]}")


class RenderedPrompt(msgspec.Struct, frozen=True):
    prompt: Prompt
    messages: tuple[dict[str, str], ...]

    @property
    def chars(self) -> int:
        return sum(len(m["content"]) for m in self.messages)


def parse_prompt_file(text: str, source: str) -> PromptFile:
    """Validate one prompt file's text; errors name ``source`` and the field."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{source}: not valid JSON: {exc}") from exc
    try:
        parsed = PromptFile.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "(top level)"
        message = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
        raise ConfigError(f"{source}: {field}: {message.removeprefix('Value error, ')}") from exc
    _no_duplicates(parsed, source)
    return parsed


def _no_duplicates(parsed: PromptFile, source: str) -> None:
    seen: set[tuple[str, int]] = set()
    for prompt in parsed.prompts:
        key = (prompt.id, prompt.version)
        if key in seen:
            raise ConfigError(f"{source}: prompt {prompt.id} version {prompt.version} twice")
        seen.add(key)


def load_prompt_file(path: Path) -> PromptFile:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read prompt file: {exc}") from exc
    return parse_prompt_file(text, str(path))


@cache
def bundled_prompts() -> tuple[Prompt, ...]:
    """Every prompt version shipped in ``ai/prompts/``."""
    folder = resources.files("lanterne_rouge.ai") / "prompts"
    found: list[Prompt] = []
    for name in PROMPT_FILES:
        text = (folder / name).read_text(encoding="utf-8")
        found.extend(parse_prompt_file(text, f"ai/prompts/{name}").prompts)
    return tuple(found)


def select_prompt(
    prompt_id: str, version: int | None = None, prompts: tuple[Prompt, ...] | None = None
) -> Prompt:
    """The requested version of a prompt, or its latest when ``version`` is None."""
    candidates = [p for p in (prompts or bundled_prompts()) if p.id == prompt_id]
    if not candidates:
        raise ConfigError(f"no prompt named {prompt_id!r} in ai/prompts/")
    if version is None:
        return max(candidates, key=lambda p: p.version)
    for prompt in candidates:
        if prompt.version == version:
            return prompt
    known = ", ".join(str(p.version) for p in sorted(candidates, key=lambda p: p.version))
    raise ConfigError(
        f"LANTERNE_PROMPT_VERSION: {prompt_id} has no version {version} (known: {known})"
    )


def quote_data(value: Any) -> str:
    """JSON for a data block: compact, ASCII, with ``<`` and ``>`` escaped."""
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e")


def clean_notes(notes: tuple[str, ...] | list[str]) -> list[str]:
    """At most ``MAX_NOTES`` notes, each one line of at most ``MAX_NOTE_CHARS`` characters."""
    cleaned = []
    for note in list(notes)[:MAX_NOTES]:
        line = " ".join("".join(c if c.isprintable() else " " for c in note).split())
        if line:
            cleaned.append(line[:MAX_NOTE_CHARS])
    return cleaned


def render(prompt: Prompt, values: dict[str, str], notes: list[str]) -> RenderedPrompt:
    """Fill the placeholders; ``$log`` is the quoted notes block, or nothing without notes."""
    log = ""
    if notes and prompt.log_block is not None:
        log = string.Template(prompt.log_block).substitute(notes=quote_data(notes))
    filled = {**values, "log": log}
    messages = tuple(
        {"role": m.role, "content": string.Template(m.content).substitute(filled)}
        for m in prompt.messages
    )
    return RenderedPrompt(prompt=prompt, messages=messages)
