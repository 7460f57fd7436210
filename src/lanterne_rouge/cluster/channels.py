"""Where a fleet athlete's morning message goes: their own email address and Telegram chat,
through the fleet's SMTP server and Telegram bot (``LANTERNE_SMTP_*``,
``LANTERNE_TELEGRAM_BOT_TOKEN``). A channel the athlete has no address for, or whose server
the fleet has not configured, is left out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lanterne_rouge.cluster.roster import FleetAthlete
    from lanterne_rouge.notify.channels import Channel
    from lanterne_rouge.utils.config_loader import Settings


def athlete_channels(settings: Settings, athlete: FleetAthlete) -> list[Channel]:
    from lanterne_rouge.notify.deliver import email_channel, telegram_channel

    channels: list[Channel] = []
    sender = settings.smtp_from or settings.smtp_user
    if athlete.email and settings.smtp_host and sender:
        channels.append(email_channel(settings, settings.smtp_host, sender, (athlete.email,)))
    if athlete.telegram_chat and settings.telegram_bot_token is not None:
        channels.append(
            telegram_channel(settings, settings.telegram_bot_token, athlete.telegram_chat)
        )
    return channels
