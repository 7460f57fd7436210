"""A store with a few demo days, and local stand-ins for a mail server and the Bot API."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
import trustme
from local_servers import BotApi, Mailbox, bot_api_server, server_context, smtp_server

from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.orchestrator import build_orchestrator
from lanterne_rouge.sources.demo import DEMO_ATHLETE, seed_demo

FIRST_DAY = date(2026, 3, 7)  # Saturday: the Monday run writes a weekly reflection
DAYS = 4


@pytest.fixture
def seeded(store: StateStore) -> StateStore:
    for offset in range(DAYS):
        day = FIRST_DAY + timedelta(days=offset)
        build_orchestrator(store, seed_demo(store, day)).run_day(
            DEMO_ATHLETE, day, data_label="demo"
        )
    return store


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    """A real SMTP server on 127.0.0.1 (plain, login allowed without TLS)."""
    with smtp_server(auth_require_tls=False) as box:
        yield box


@pytest.fixture(scope="session")
def tls_ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def starttls_mailbox(tls_ca: trustme.CA) -> Iterator[Mailbox]:
    """An SMTP server that requires STARTTLS before anything else."""
    with smtp_server(tls_context=server_context(tls_ca), require_starttls=True) as box:
        yield box


@pytest.fixture
def ssl_mailbox(tls_ca: trustme.CA) -> Iterator[Mailbox]:
    """An SMTP server speaking TLS from the first byte (port 465 style)."""
    with smtp_server(ssl_context=server_context(tls_ca)) as box:
        yield box


@pytest.fixture
def bot_api() -> Iterator[BotApi]:
    with bot_api_server() as api:
        yield api
