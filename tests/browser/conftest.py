"""The browser test runs the real dashboard process; a developer's own channels are unset."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True)
def no_outside_channels(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith(("LANTERNE_SMTP_", "LANTERNE_TELEGRAM_", "TELEGRAM_", "LANTERNE_DASH")):
            monkeypatch.delenv(key)


@pytest.fixture(autouse=True)
def fresh_logging() -> None:
    """Log to this test's stderr: an earlier in-process CLI call may have left a closed one."""
    from lanterne_rouge.utils.logger import configure_logging

    configure_logging("WARNING")
