"""The daily run sends the morning message; a failed send never fails or repeats the day."""

from __future__ import annotations

import email
from email.policy import default
from pathlib import Path

from local_servers import (
    BotApi,
    Mailbox,
    bot_api_server,
    cli,
    email_env,
    free_port,
    smtp_server,
    telegram_env,
)


def _body(box: Mailbox, index: int = -1) -> str:
    received = email.message_from_bytes(box.messages[index].content, policy=default)
    return str(received.get_content()).replace("\r\n", "\n")  # type: ignore[attr-defined]


def test_run_sends_email_and_telegram_once_and_a_second_run_sends_nothing_new(
    mailbox: Mailbox, bot_api: BotApi
) -> None:
    env = email_env(mailbox.port) | telegram_env(bot_api)
    first = cli("run", "--date", "2026-03-10", env=env)
    assert first.returncode == 0, first.stderr
    assert "Sent the morning message by email." in first.stdout
    assert "Sent the morning message by telegram." in first.stdout
    assert len(mailbox.messages) == 1 and len(bot_api.requests) == 1
    subject = email.message_from_bytes(mailbox.messages[0].content, policy=default)["Subject"]
    assert subject.startswith("[DEMO] Lanterne Rouge 2026-03-10: ")
    assert "Why:" not in _body(mailbox) and "(rule: " in _body(mailbox)
    assert bot_api.texts[0].startswith(subject)

    again = cli("run", "--date", "2026-03-10", env=env)
    assert again.returncode == 0 and "already done" in again.stdout
    forced = cli("run", "--date", "2026-03-10", "--force", env=env)
    assert forced.returncode == 0 and "already sent; not sent again" in forced.stdout
    resent = cli("notify", "--date", "2026-03-10", env=env)
    assert resent.returncode == 0 and resent.stdout.count("already sent") == 2
    assert len(mailbox.messages) == 1 and len(bot_api.requests) == 1


def test_a_refused_mail_server_is_retried_recorded_and_the_message_kept_owed(
    lanterne_env: Path,
) -> None:
    down = cli("run", "--date", "2026-03-09", env=email_env(free_port()))
    assert down.returncode == 0, down.stderr
    assert "The email message could not be sent (3 attempts): cannot reach SMTP server" in (
        down.stdout
    )
    assert "kept owed: the next run or `lanterne-rouge repair` does it" in down.stdout
    assert "Decision: " in down.stdout
    report = (lanterne_env / "output" / "report-demo-2026-03-09.html").read_text()
    assert "Today&#x27;s email could not be sent" in report

    with smtp_server(auth_require_tls=False) as box:
        up = cli("run", "--date", "2026-03-10", env=email_env(box.port))
    assert up.returncode == 0, up.stderr
    assert up.stdout.count("Sent the morning message by email.") == 2
    subjects = [
        email.message_from_bytes(m.content, policy=default)["Subject"] for m in box.messages
    ]
    assert [s.split(": ")[0] for s in subjects] == [
        "[DEMO] Lanterne Rouge 2026-03-09",  # the owed one, first
        "[DEMO] Lanterne Rouge 2026-03-10",
    ]


def test_notify_retries_a_day_that_failed(lanterne_env: Path) -> None:
    cli("run", "--date", "2026-03-10", env=email_env(free_port()))
    with smtp_server(auth_require_tls=False) as box:
        sent = cli("notify", "--date", "2026-03-10", env=email_env(box.port))
    assert sent.returncode == 0 and "Sent the morning message by email." in sent.stdout
    assert len(box.messages) == 1


def test_notify_exits_non_zero_when_a_channel_fails(lanterne_env: Path) -> None:
    cli("run", "--date", "2026-03-10")
    with bot_api_server() as api:
        api.script.append((401, {"ok": False, "description": "Unauthorized"}))
        failed = cli("notify", "--date", "2026-03-10", env=telegram_env(api))
    assert failed.returncode == 3
    assert "check LANTERNE_TELEGRAM_BOT_TOKEN" in failed.stdout


def test_notify_without_a_channel_is_one_clear_line(lanterne_env: Path) -> None:
    cli("run", "--date", "2026-03-10")
    done = cli("notify")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        "lanterne-rouge: error: no channel configured: set LANTERNE_SMTP_HOST, LANTERNE_SMTP_TO "
        "and LANTERNE_SMTP_FROM for email, or LANTERNE_TELEGRAM_BOT_TOKEN and "
        "LANTERNE_TELEGRAM_CHAT_ID for Telegram"
    ]


def test_notify_for_a_day_never_run_says_so(lanterne_env: Path, bot_api: BotApi) -> None:
    done = cli("notify", "--date", "2026-03-10", env=telegram_env(bot_api))
    assert done.returncode == 1 and "run `lanterne-rouge run` first" in done.stderr
    assert not bot_api.requests


def test_a_half_configured_channel_does_not_fail_the_run(lanterne_env: Path) -> None:
    done = cli("run", "--date", "2026-03-10", env={"LANTERNE_SMTP_HOST": "127.0.0.1"})
    assert done.returncode == 0, done.stderr
    assert "the morning message (email needs LANTERNE_SMTP_HOST, LANTERNE_SMTP_TO" in (done.stdout)
    assert (lanterne_env / "output" / "report-demo-2026-03-10.html").exists()
