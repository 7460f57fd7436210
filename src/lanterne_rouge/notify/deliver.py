"""Send the day's message on every configured channel, at most once per day and channel.

Each channel is claimed in the ledger first (so the day is never sent twice, even by two runs
at once), tried a few times when the failure is transient, then recorded as sent or failed.
Nothing here raises: the day's decision is already committed when messages go out, so a
failed delivery is recorded and reported, and the next run says so.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Literal

import msgspec

from lanterne_rouge.day_view import DayView
from lanterne_rouge.memory.deliveries import NotificationLedger
from lanterne_rouge.messages import utc_now
from lanterne_rouge.notify.channels import Channel, DeliveryFailed, EmailChannel, TelegramChannel
from lanterne_rouge.notify.message import MorningMessage, compose
from lanterne_rouge.utils.logger import get_logger, redact_text

if TYPE_CHECKING:
    from pydantic import SecretStr

    from lanterne_rouge.utils.config_loader import Settings

log = get_logger(__name__)

OutcomeStatus = Literal["sent", "failed", "already_sent", "in_progress"]


class RetryPolicy(msgspec.Struct, frozen=True):
    attempts: int = 3
    backoff_s: float = 2.0  # the first wait; doubled each time
    max_backoff_s: float = 30.0


class Outcome(msgspec.Struct, frozen=True):
    channel: str
    status: OutcomeStatus
    attempts: int = 0
    error: str | None = None

    def describe(self) -> str:
        if self.status == "sent":
            tries = "" if self.attempts == 1 else f" after {self.attempts} attempts"
            return f"Sent the morning message by {self.channel}{tries}."
        if self.status == "already_sent":
            return f"The {self.channel} message for this day was already sent; not sent again."
        if self.status == "in_progress":
            return f"The {self.channel} message for this day is being sent (or was interrupted)."
        return (
            f"The {self.channel} message could not be sent ({self.attempts} attempts): "
            f"{self.error}. The decision stands"
        )


def deliver(
    ledger: NotificationLedger,
    channels: Sequence[Channel],
    view: DayView,
    policy: RetryPolicy,
    *,
    clock: Callable[[], datetime] = utc_now,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Outcome]:
    """Send ``view``'s message on each channel not yet sent for the day."""
    message = compose(view)
    outcomes = []
    for channel in channels:
        if not ledger.claim(view.athlete_id, view.day, channel.name, now=clock()):
            outcomes.append(_not_claimed(ledger, view, channel.name))
            continue
        attempts, error = _send(channel, message, policy, sleep)
        if error is None:
            ledger.sent(view.athlete_id, view.day, channel.name, attempts=attempts, now=clock())
            log.info("message sent", channel=channel.name, attempts=attempts)
            outcomes.append(Outcome(channel.name, "sent", attempts))
        else:
            ledger.failed(
                view.athlete_id, view.day, channel.name, attempts=attempts, error=error, now=clock()
            )
            log.warning("message not sent", channel=channel.name, attempts=attempts, error=error)
            outcomes.append(Outcome(channel.name, "failed", attempts, error))
    return outcomes


def _send(
    channel: Channel, message: MorningMessage, policy: RetryPolicy, sleep: Callable[[float], None]
) -> tuple[int, str | None]:
    """Attempts made, and the last error (None when sent)."""
    from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential

    attempts = 0

    def attempt() -> None:
        nonlocal attempts
        attempts += 1
        channel.send(message)

    retrying = Retrying(
        retry=retry_if_exception(lambda exc: isinstance(exc, DeliveryFailed) and exc.transient),
        stop=stop_after_attempt(policy.attempts),
        wait=wait_exponential(multiplier=policy.backoff_s, max=policy.max_backoff_s),
        sleep=sleep,
        reraise=True,
    )
    try:
        retrying(attempt)
    except DeliveryFailed as exc:
        return attempts, str(exc)
    except Exception as exc:  # the day is committed: a bug here must not lose the record
        log.exception("unexpected error while sending", channel=channel.name)
        return attempts, redact_text(f"unexpected error: {type(exc).__name__}: {exc}")
    return attempts, None


def _not_claimed(ledger: NotificationLedger, view: DayView, channel: str) -> Outcome:
    found = [
        d
        for d in ledger.deliveries(view.athlete_id, since=view.day, until=view.day)
        if d.channel == channel
    ]
    status = found[0].status if found else "sent"
    return Outcome(channel, "already_sent" if status == "sent" else "in_progress")


def channels_from_settings(settings: Settings) -> list[Channel]:
    """The channels whose settings are complete; a half-configured one is a ``ConfigError``."""
    channels: list[Channel] = []
    email = _email(settings)
    if email is not None:
        channels.append(email)
    if settings.telegram_bot_token is not None or settings.telegram_chat_id:
        if settings.telegram_bot_token is None or not settings.telegram_chat_id:
            from lanterne_rouge.errors import ConfigError

            raise ConfigError(
                "Telegram needs both LANTERNE_TELEGRAM_BOT_TOKEN and LANTERNE_TELEGRAM_CHAT_ID"
            )
        channels.append(
            telegram_channel(settings, settings.telegram_bot_token, settings.telegram_chat_id)
        )
    return channels


def telegram_channel(settings: Settings, token: SecretStr, chat_id: str) -> TelegramChannel:
    """The bot of ``token``, to ``chat_id``, at the configured API address."""
    return TelegramChannel(
        token=token,
        chat_id=chat_id,
        base_url=settings.telegram_api_base_url,
        timeout_s=settings.notify_timeout_s,
    )


def email_channel(
    settings: Settings, host: str, sender: str, recipients: tuple[str, ...]
) -> EmailChannel:
    """The SMTP server at ``host`` (port, security, login from settings), ``sender`` to
    ``recipients``."""
    return EmailChannel(
        host=host,
        port=settings.smtp_port,
        security=settings.smtp_security,
        user=settings.smtp_user,
        password=settings.smtp_password,
        sender=sender,
        recipients=recipients,
        timeout_s=settings.notify_timeout_s,
    )


def _email(settings: Settings) -> EmailChannel | None:
    if not settings.smtp_host and not settings.smtp_to:
        return None
    recipients = tuple(a.strip() for a in (settings.smtp_to or "").split(",") if a.strip())
    sender = settings.smtp_from or settings.smtp_user
    if not settings.smtp_host or not recipients or not sender:
        from lanterne_rouge.errors import ConfigError

        raise ConfigError(
            "email needs LANTERNE_SMTP_HOST, LANTERNE_SMTP_TO and LANTERNE_SMTP_FROM "
            "(or LANTERNE_SMTP_USER)"
        )
    return email_channel(settings, settings.smtp_host, sender, recipients)


def policy_from_settings(settings: Settings) -> RetryPolicy:
    return RetryPolicy(attempts=settings.notify_attempts, backoff_s=settings.notify_backoff_s)
