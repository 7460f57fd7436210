"""The morning message says what the athlete did not see: the run before failed."""

from __future__ import annotations

import email
from email.policy import default
from pathlib import Path

from local_servers import Mailbox, cli, email_env


def test_the_message_after_a_failed_morning_says_it_failed(
    mailbox: Mailbox, lanterne_env: Path
) -> None:
    env = email_env(mailbox.port)
    failed = cli("run", "--mission", str(lanterne_env / "nowhere.toml"), env=env)
    assert failed.returncode == 2 and not mailbox.messages
    done = cli("run", "--date", "2026-03-10", env=env)
    assert done.returncode == 0, done.stderr
    received = email.message_from_bytes(mailbox.messages[-1].content, policy=default)
    body = str(received.get_content())  # type: ignore[attr-defined]
    assert "Note: The last morning run failed at " in body
    assert f"(exit 2): {lanterne_env / 'nowhere.toml'}: mission file not found" in body
