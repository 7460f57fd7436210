"""Rows and back: how the state store turns records and messages into rows, and the
statements of the daily hot path, built once (building one is most of a small query's cost).
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import bindparam, func, insert, select, update

from lanterne_rouge.errors import DataError
from lanterne_rouge.memory.records import DailyLoad, RecoveryRecord, RunRecord
from lanterne_rouge.memory.tables import (
    activities,
    daily_loads,
    fitness_cache,
    messages,
    recovery,
    runs,
)
from lanterne_rouge.messages import CURRENT_VERSIONS, Envelope, Payload, upgrade_payload
from lanterne_rouge.utils.logger import get_logger

log = get_logger(__name__)

PAYLOAD: TypeAdapter[Payload] = TypeAdapter(Payload)
# Rows validated as one list: cheaper than one call per row.
RECOVERY_RECORDS = TypeAdapter(list[RecoveryRecord])
DAILY_LOADS = TypeAdapter(list[DailyLoad])

INSERT_MESSAGE = insert(messages)
INSERT_RUN = insert(runs)
LAST_ATTEMPT = select(func.max(runs.c.attempt)).where(
    runs.c.athlete_id == bindparam("athlete"), runs.c.day == bindparam("day")
)
LAST_RUN = (
    select(runs)
    .where(runs.c.athlete_id == bindparam("athlete"), runs.c.day == bindparam("day"))
    .order_by(runs.c.attempt.desc())
    .limit(1)
)
FINISH_RUN = (
    update(runs)
    .where(
        runs.c.run_id == bindparam("run"),
        runs.c.status == "decided",
        runs.c.lease_owner == bindparam("owner"),
    )
    .values(
        status="done",
        finished_at=bindparam("finished", type_=runs.c.finished_at.type),
        lease_owner=None,
        lease_until=None,
    )
)
ACTIVITIES_IN_DAYS = (
    select(activities)
    .where(
        activities.c.athlete_id == bindparam("athlete"),
        activities.c.local_day >= bindparam("since", type_=activities.c.local_day.type),
        activities.c.local_day <= bindparam("until", type_=activities.c.local_day.type),
    )
    .order_by(activities.c.start_utc)
)
IN_RANGE = (
    messages.c.athlete_id == bindparam("athlete"),
    messages.c.kind == bindparam("kind"),
    messages.c.day >= bindparam("since", type_=messages.c.day.type),
    messages.c.day <= bindparam("until", type_=messages.c.day.type),
)
LATEST_OF_KIND = (
    select(messages)
    .where(*IN_RANGE)
    .order_by(messages.c.day.desc(), messages.c.seq.desc())
    .limit(1)
)
ANY_OF_KIND = select(messages.c.seq).where(*IN_RANGE).limit(1)
INSERT_FITNESS = insert(fitness_cache)
LATEST_FITNESS = (
    select(fitness_cache.c.state)
    .where(fitness_cache.c.athlete_id == bindparam("athlete"))
    .where(fitness_cache.c.day <= bindparam("until"))
    .order_by(fitness_cache.c.day.desc())
    .limit(1)
)
SELECT_DAYS = {
    table.name: select(*(c for c in table.c if c.name != "athlete_id"))
    .where(table.c.athlete_id == bindparam("athlete"))
    .where(table.c.day >= bindparam("since"), table.c.day <= bindparam("until"))
    .order_by(table.c.day)
    for table in (recovery, daily_loads)
}


def run_row(record: RunRecord) -> dict[str, Any]:
    row = record.model_dump()
    row["run_id"] = str(record.run_id)
    return row


def message_row(envelope: Envelope) -> dict[str, Any]:
    return {
        "message_id": str(envelope.message_id),
        "run_id": str(envelope.run_id),
        "causation_id": str(envelope.causation_id) if envelope.causation_id else None,
        "athlete_id": envelope.athlete_id,
        "day": envelope.day,
        "kind": envelope.payload.kind,
        "schema_version": envelope.payload.schema_version,
        "producer": envelope.producer,
        "created_at": envelope.created_at,
        "payload": envelope.payload.model_dump_json(),
    }


def envelope_from_row(row: Any) -> Envelope:
    return Envelope.model_validate(
        {
            "message_id": row["message_id"],
            "run_id": row["run_id"],
            "causation_id": row["causation_id"],
            "athlete_id": row["athlete_id"],
            "day": row["day"],
            "producer": row["producer"],
            "created_at": row["created_at"],
            "payload": _payload(row),
        }
    )


def _payload(row: Any) -> Payload:
    """The stored JSON as today's payload: validated straight from the JSON when it was
    written with today's version, upgraded first when it is older."""
    kind, version = row["kind"], row["schema_version"]
    if version == CURRENT_VERSIONS.get(kind):
        return PAYLOAD.validate_json(row["payload"])
    if kind not in CURRENT_VERSIONS or version > CURRENT_VERSIONS[kind]:
        raise DataError(
            f"message {row['message_id']}: {kind} version {version} is newer than this "
            "release reads; upgrade lanterne-rouge"
        )
    return PAYLOAD.validate_python(upgrade_payload(kind, version, json.loads(row["payload"])))


def readable_envelope(row: Any) -> Envelope | None:
    """The stored message, or None with a warning naming it when this version cannot read it
    (one damaged or unknown message never blocks a command)."""
    try:
        return envelope_from_row(row)
    except (ValidationError, ValueError, DataError) as exc:
        log.warning(
            "skipped an unreadable stored message",
            message_id=row["message_id"],
            kind=row["kind"],
            day=str(row["day"]),
            why=str(exc).splitlines()[0],
        )
        return None
