"""Each channel against a real local server: SMTP (plain, STARTTLS, SSL) and the Bot API."""

from __future__ import annotations

import email
from email.message import EmailMessage
from email.policy import default

import pytest
import trustme
from local_servers import (
    BOT_TOKEN,
    SMTP_PASSWORD,
    SMTP_USER,
    BotApi,
    Mailbox,
    client_context,
    free_port,
)
from pydantic import SecretStr

from lanterne_rouge.notify.channels import DeliveryFailed, EmailChannel, TelegramChannel
from lanterne_rouge.notify.message import MorningMessage

MESSAGE = MorningMessage("Lanterne Rouge 2026-03-10: EASE, Recovery spin", "EASE today\n\nWhy.\n")
TOKEN = BOT_TOKEN


def _email(port: int, **kwargs: object) -> EmailChannel:
    options: dict[str, object] = {
        "host": "127.0.0.1",
        "port": port,
        "sender": "coach@example.org",
        "recipients": ("rider@example.org", "team@example.org"),
        "security": "none",
        "timeout_s": 5.0,
    }
    return EmailChannel(**(options | kwargs))  # type: ignore[arg-type]


def _received(box: Mailbox) -> EmailMessage:
    (envelope,) = box.messages
    return email.message_from_bytes(envelope.content, policy=default)  # type: ignore[return-value]


def test_email_reaches_a_plain_smtp_server_with_subject_and_body(mailbox: Mailbox) -> None:
    _email(mailbox.port).send(MESSAGE)
    received = _received(mailbox)
    assert received["Subject"] == MESSAGE.subject
    assert received.get_content().replace("\r\n", "\n") == MESSAGE.body  # CRLF on the wire
    assert mailbox.messages[0].rcpt_tos == ["rider@example.org", "team@example.org"]


def test_email_logs_in_over_starttls(starttls_mailbox: Mailbox, tls_ca: trustme.CA) -> None:
    channel = _email(
        starttls_mailbox.port,
        security="starttls",
        user=SMTP_USER,
        password=SecretStr(SMTP_PASSWORD),
        ssl_context=client_context(tls_ca),
    )
    channel.send(MESSAGE)
    assert starttls_mailbox.logins == [SMTP_USER]
    assert _received(starttls_mailbox)["Subject"] == MESSAGE.subject


def test_email_over_implicit_tls(ssl_mailbox: Mailbox, tls_ca: trustme.CA) -> None:
    channel = _email(ssl_mailbox.port, security="ssl", ssl_context=client_context(tls_ca))
    channel.send(MESSAGE)
    assert _received(ssl_mailbox)["Subject"] == MESSAGE.subject


def test_an_untrusted_certificate_is_a_permanent_failure(starttls_mailbox: Mailbox) -> None:
    with pytest.raises(DeliveryFailed, match="TLS") as failed:
        _email(starttls_mailbox.port, security="starttls").send(MESSAGE)
    assert not failed.value.transient and not starttls_mailbox.messages


def test_a_wrong_password_is_permanent_and_names_the_setting_not_the_password(
    mailbox: Mailbox,
) -> None:
    channel = _email(mailbox.port, user=SMTP_USER, password=SecretStr("wrong-password-123"))
    with pytest.raises(DeliveryFailed, match="LANTERNE_SMTP_PASSWORD") as failed:
        channel.send(MESSAGE)
    assert not failed.value.transient and "wrong-password-123" not in str(failed.value)


def test_a_refused_connection_is_transient() -> None:
    with pytest.raises(DeliveryFailed, match="cannot reach SMTP server") as failed:
        _email(free_port()).send(MESSAGE)
    assert failed.value.transient


def test_telegram_posts_send_message_to_the_bot_api(bot_api: BotApi) -> None:
    TelegramChannel(SecretStr(TOKEN), "4242", base_url=bot_api.url).send(MESSAGE)
    ((path, body),) = bot_api.requests
    assert path == f"/bot{TOKEN}/sendMessage"
    assert body["chat_id"] == "4242"
    assert body["text"] == f"{MESSAGE.subject}\n\n{MESSAGE.body}"


@pytest.mark.parametrize(
    ("status", "transient"),
    [(429, True), (502, True), (400, False), (401, False)],
    ids=["rate-limited", "bad-gateway", "chat-not-found", "bad-token"],
)
def test_telegram_errors_say_whether_a_retry_could_help(
    bot_api: BotApi, status: int, transient: bool
) -> None:
    bot_api.script.append((status, {"ok": False, "description": "nope"}))
    with pytest.raises(DeliveryFailed, match=f"answered {status}") as failed:
        TelegramChannel(SecretStr(TOKEN), "4242", base_url=bot_api.url).send(MESSAGE)
    assert failed.value.transient is transient
    assert TOKEN not in str(failed.value)


def test_telegram_unreachable_is_transient_and_never_quotes_the_token() -> None:
    channel = TelegramChannel(SecretStr(TOKEN), "1", base_url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(DeliveryFailed, match="cannot reach the Telegram Bot API") as failed:
        channel.send(MESSAGE)
    assert failed.value.transient and TOKEN not in str(failed.value)


def test_a_long_telegram_message_is_cut_to_the_api_limit(bot_api: BotApi) -> None:
    long = MorningMessage("s", "x" * 5000)
    TelegramChannel(SecretStr(TOKEN), "1", base_url=bot_api.url).send(long)
    assert len(bot_api.requests[0][1]["text"]) == 4096
