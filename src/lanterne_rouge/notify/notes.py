"""What the athlete is told about morning messages of the last days that never went out."""

from __future__ import annotations

from datetime import date

from lanterne_rouge.memory.deliveries import DeliveryRecord


def failure_notes(records: list[DeliveryRecord], day: date, *, look_back: int = 7) -> list[str]:
    """What to tell the athlete about messages of the last days that never went out."""
    notes = []
    for record in records:
        age = (day - record.day).days
        if record.status != "failed" or not 0 <= age <= look_back:
            continue
        when = {0: "today's", 1: "yesterday's"}.get(age, f"the {record.day.isoformat()}")
        notes.append(
            f"{when} {_CHANNEL_NAMES.get(record.channel, record.channel)} could not be sent: "
            f"{record.error or 'unknown error'}"
        )
    return notes


_CHANNEL_NAMES = {"email": "email", "telegram": "Telegram message"}
