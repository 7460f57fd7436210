"""structlog set-up: one configuration, secrets redacted from every line.

Every log line goes through :func:`redact_secrets`, which masks values of keys that name a
secret and anything in a string that looks like an API key, bearer token or password.
Bind ``run_id`` and ``day`` with :func:`bind_run` so every line of a run carries them.

structlog (and the rich it pulls in) is imported only when a line is at or above the level:
the daily run logs below ``WARNING`` when all goes well, and so never pays for it.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from collections import OrderedDict
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TextIO

REDACTED = "[redacted]"

_SECRET_KEY_NAMES = re.compile(
    r"(api[_-]?key|token|secret|password|passwd|authorization|auth|cookie|credential)", re.I
)
_SECRET_PATTERNS = (
    re.compile(r"\bsk-[A-Za-z0-9_\-]{8,}"),  # OpenAI-style keys
    re.compile(r"\bhf_[A-Za-z0-9]{8,}"),  # HuggingFace tokens
    re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._\-~+/]{8,}=*"),
    re.compile(r"(?i)\b(access_token|refresh_token|client_secret|api_key|password)=[^&\s]+"),
    re.compile(r"\b[0-9]{6,12}:[A-Za-z0-9_\-]{30,}\b"),  # Telegram bot tokens
)
# What each pattern cannot match without (in the lower-cased text): a page of text that holds
# none of it is not scanned by that pattern at all (a report is ~50 kB, scanned ten times).
# A Telegram token's tail is looked for first: a page of SVG holds many a ":", and a search
# that starts with a plain character skips to it at once.
_TELEGRAM_TAIL = re.compile(r":[A-Za-z0-9_\-]{30}")
_NEEDLES: tuple[tuple[str, ...] | re.Pattern[str], ...] = (
    ("sk-",),
    ("hf_",),
    ("bearer",),
    ("access_token=", "refresh_token=", "client_secret=", "api_key=", "password="),
    _TELEGRAM_TAIL,
)

_extra_secrets: set[str] = set()
# Athletes' tokens read lately, newest last: a fleet worker reads thousands of them in a day,
# and every line and page is searched for each known secret. A token is in text only while
# it is in use, and it was read (remembered again) just before, so the newest ones suffice.
RECENT_TOKENS = 256
_recent_tokens: OrderedDict[str, None] = OrderedDict()
_recent_lock = threading.Lock()


def register_secret(value: str | None, *, token: bool = False) -> None:
    """Remember a secret value so it is masked wherever it appears: a configured one for good,
    an athlete's ``token`` among the ``RECENT_TOKENS`` read last."""
    if not value or len(value) < 6:
        return
    if not token:
        _extra_secrets.add(value)
        return
    with _recent_lock:
        _recent_tokens[value] = None
        _recent_tokens.move_to_end(value)
        while len(_recent_tokens) > RECENT_TOKENS:
            _recent_tokens.popitem(last=False)


def redact_text(text: str) -> str:
    """Mask known secret values and anything shaped like a key or token in ``text``."""
    with _recent_lock:
        known = [*_extra_secrets, *_recent_tokens]
    for secret in known:
        if secret in text:
            text = text.replace(secret, REDACTED)
    lowered = text.lower()
    for pattern, needles in zip(_SECRET_PATTERNS, _NEEDLES, strict=True):
        if isinstance(needles, re.Pattern):
            found = needles.search(text) is not None
        else:
            found = any(needle in lowered for needle in needles)
        if found:
            text = pattern.sub(REDACTED, text)
            lowered = text.lower()
    return text


def _redact_value(key: str, value: Any) -> Any:
    if _SECRET_KEY_NAMES.search(key) and value not in (None, "", 0):
        return REDACTED
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {k: _redact_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_value(key, v) for v in value]
    return value


def redact_secrets(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: mask secrets in every key and value of the event."""
    for key in list(event_dict):
        event_dict[key] = _redact_value(key, event_dict[key])
    return event_dict


_config: dict[str, Any] = {"level": logging.WARNING, "stream": None, "ready": False}
_bound: ContextVar[dict[str, Any]] = ContextVar("lanterne_log_context", default={})  # noqa: B039


def configure_logging(level: str = "WARNING", stream: TextIO | None = None) -> None:
    """Configure logging once for the process: key=value lines on stderr, secrets redacted."""
    numeric = logging.getLevelName(level.upper())
    _config.update(
        level=numeric if isinstance(numeric, int) else logging.WARNING, stream=stream, ready=False
    )
    if "structlog" in sys.modules:  # already in use: apply now
        _configure_structlog()


def _configure_structlog() -> None:
    import structlog

    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            redact_secrets,
            structlog.processors.KeyValueRenderer(
                key_order=["timestamp", "level", "event", "run_id", "day"], drop_missing=True
            ),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(_config["level"]),
        logger_factory=structlog.PrintLoggerFactory(file=_config["stream"] or sys.stderr),
        cache_logger_on_first_use=False,
    )
    _config["ready"] = True


@contextmanager
def bind_run(**values: Any) -> Iterator[None]:
    """Bind ``run_id``, ``day`` and friends to every log line inside the block."""
    token = _bound.set({**_bound.get(), **values})
    try:
        yield
    finally:
        _bound.reset(token)


class Logger:
    """A module's logger: a line below the configured level costs one comparison."""

    def __init__(self, name: str) -> None:
        self.name = name

    def _emit(self, method: str, level: int, event: str, values: dict[str, Any]) -> None:
        if level < _config["level"]:
            return
        if not _config["ready"]:
            _configure_structlog()
        import structlog

        getattr(structlog.get_logger(self.name), method)(event, **{**_bound.get(), **values})

    def debug(self, event: str, **values: Any) -> None:
        self._emit("debug", logging.DEBUG, event, values)

    def info(self, event: str, **values: Any) -> None:
        self._emit("info", logging.INFO, event, values)

    def warning(self, event: str, **values: Any) -> None:
        self._emit("warning", logging.WARNING, event, values)

    def error(self, event: str, **values: Any) -> None:
        self._emit("error", logging.ERROR, event, values)

    def exception(self, event: str, **values: Any) -> None:
        self._emit("exception", logging.ERROR, event, values)


def get_logger(name: str) -> Logger:
    """The logger of a module."""
    return Logger(name)
