"""Shared by the fleet tests: a real SMTP server on 127.0.0.1 taking the morning messages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from unit.notify.local_servers import Mailbox, smtp_server


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with smtp_server(auth_require_tls=False) as box:
        yield box
