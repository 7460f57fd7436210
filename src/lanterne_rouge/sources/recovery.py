"""A day's recovery record from loosely typed values, keeping every field that is valid.

A value out of range (a resting HR of 300, a negative HRV) drops that field only, with a
message naming the record and the field; the other fields of the day are kept.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ValidationError

from lanterne_rouge.memory.records import RecoveryRecord


def checked_recovery(
    day: date,
    source: str,
    values: dict[str, Any],
    where: str,
    skipped: list[str],
    origins: dict[str, str] | None = None,
) -> RecoveryRecord | None:
    """The record with the valid fields of ``values``; None when none is left.

    ``origins`` names where a field came from (e.g. the document and its own field name),
    so a message points at the source's record rather than ours.
    """
    present = {k: v for k, v in values.items() if v is not None}
    while present:
        try:
            return RecoveryRecord(day=day, source=source, **present)
        except ValidationError as exc:
            bad = {str(err["loc"][0]) for err in exc.errors() if err["loc"]}
            for err in exc.errors():
                field = str(err["loc"][0]) if err["loc"] else "?"
                named = (origins or {}).get(field, f"field {field}")
                skipped.append(f"{where}: {named}: {err['msg']} (got {err['input']!r})")
            if not bad & set(present):
                return None
            present = {k: v for k, v in present.items() if k not in bad}
    return None
