"""Where the morning message goes: email over SMTP, or a Telegram chat through the Bot API.

A channel sends one message or raises :class:`DeliveryFailed`, translated at this boundary
from ``smtplib``, ``ssl``, ``OSError`` and ``httpx`` errors, saying whether trying again could
help (``transient``: refused or dropped connections, timeouts, 4xx SMTP replies, HTTP 429 and
5xx) and never quoting a secret (the bot token is part of the Telegram URL, so no URL is
quoted either).
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import TYPE_CHECKING, Literal, Protocol

import msgspec
from pydantic import SecretStr

from lanterne_rouge.errors import LanterneError
from lanterne_rouge.notify.message import MorningMessage
from lanterne_rouge.utils.logger import redact_text

if TYPE_CHECKING:
    import httpx

SmtpSecurity = Literal["starttls", "ssl", "none"]
DEFAULT_SMTP_PORTS: dict[str, int] = {"starttls": 587, "ssl": 465, "none": 25}
TELEGRAM_MAX_CHARS = 4096


class DeliveryFailed(LanterneError):
    """A message could not be delivered; ``transient`` says whether a retry could help."""

    def __init__(self, message: str, *, transient: bool) -> None:
        super().__init__(redact_text(message))
        self.transient = transient


class Channel(Protocol):
    @property
    def name(self) -> str: ...

    def send(self, message: MorningMessage) -> None: ...


class EmailChannel(msgspec.Struct, frozen=True):
    host: str
    recipients: tuple[str, ...]
    sender: str
    security: SmtpSecurity = "starttls"
    port: int | None = None
    user: str | None = None
    password: SecretStr | None = None
    timeout_s: float = 15.0
    ssl_context: ssl.SSLContext | None = None  # default: the system's trusted CAs
    name: str = "email"

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port or DEFAULT_SMTP_PORTS[self.security]}"

    def send(self, message: MorningMessage) -> None:
        email = self.email(message)
        try:
            with self._connect() as smtp:
                if self.security == "starttls":
                    smtp.starttls(context=self._context())
                if self.user and self.password is not None:
                    smtp.login(self.user, self.password.get_secret_value())
                smtp.send_message(email)
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryFailed(
                f"SMTP server {self.address} refused the login of {self.user!r} "
                f"({_smtp_reply(exc)}): check LANTERNE_SMTP_USER and LANTERNE_SMTP_PASSWORD",
                transient=False,
            ) from exc
        except smtplib.SMTPResponseException as exc:
            raise DeliveryFailed(
                f"SMTP server {self.address} answered {_smtp_reply(exc)}",
                transient=400 <= exc.smtp_code < 500,
            ) from exc
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            raise DeliveryFailed(
                f"SMTP server {self.address} refused the recipients {', '.join(exc.recipients)}",
                transient=all(400 <= c < 500 for c in codes),
            ) from exc
        except smtplib.SMTPNotSupportedError as exc:
            raise DeliveryFailed(
                f"SMTP server {self.address} does not support {exc}: "
                "check LANTERNE_SMTP_SECURITY (starttls, ssl or none)",
                transient=False,
            ) from exc
        except ssl.SSLError as exc:
            raise DeliveryFailed(
                f"TLS with SMTP server {self.address} failed: {exc.reason or exc}",
                transient=False,
            ) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryFailed(
                f"cannot reach SMTP server {self.address}: {_describe(exc)}", transient=True
            ) from exc

    def email(self, message: MorningMessage) -> EmailMessage:
        email = EmailMessage()
        email["Subject"] = message.subject
        email["From"] = self.sender
        email["To"] = ", ".join(self.recipients)
        email["Date"] = formatdate(localtime=True)
        email["Message-ID"] = make_msgid(domain="lanterne-rouge.local")
        email.set_content(message.body)
        return email

    def _connect(self) -> smtplib.SMTP:
        port = self.port or DEFAULT_SMTP_PORTS[self.security]
        if self.security == "ssl":
            return smtplib.SMTP_SSL(
                self.host, port, timeout=self.timeout_s, context=self._context()
            )
        return smtplib.SMTP(self.host, port, timeout=self.timeout_s)

    def _context(self) -> ssl.SSLContext:
        return self.ssl_context or ssl.create_default_context()


def _smtp_reply(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else ""
    return f"{exc.smtp_code} {text}".strip()


def _describe(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


class TelegramChannel(msgspec.Struct, frozen=True):
    token: SecretStr
    chat_id: str
    base_url: str = "https://api.telegram.org"
    timeout_s: float = 15.0
    transport: httpx.BaseTransport | None = None
    name: str = "telegram"

    def send(self, message: MorningMessage) -> None:
        import httpx

        text = f"{message.subject}\n\n{message.body}"
        if len(text) > TELEGRAM_MAX_CHARS:
            text = text[: TELEGRAM_MAX_CHARS - 1] + "…"
        url = f"{self.base_url.rstrip('/')}/bot{self.token.get_secret_value()}/sendMessage"
        payload = {"chat_id": self.chat_id, "text": text, "disable_web_page_preview": True}
        try:
            with httpx.Client(timeout=self.timeout_s, transport=self.transport) as client:
                response = client.post(url, json=payload)
        except httpx.TransportError as exc:
            raise DeliveryFailed(
                f"cannot reach the Telegram Bot API: {_describe(exc)}", transient=True
            ) from exc
        if response.status_code == 200 and _json(response).get("ok") is True:
            return
        code = response.status_code
        detail = _json(response).get("description") or response.reason_phrase
        hint = ""
        if code in (401, 404):
            hint = ": check LANTERNE_TELEGRAM_BOT_TOKEN"
        elif code in (400, 403):
            hint = ": check LANTERNE_TELEGRAM_CHAT_ID and that the bot may write to the chat"
        raise DeliveryFailed(
            f"Telegram Bot API answered {code} ({detail}){hint}",
            transient=code == 429 or code >= 500,
        )


def _json(response: httpx.Response) -> dict[str, object]:
    try:
        found = response.json()
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}
