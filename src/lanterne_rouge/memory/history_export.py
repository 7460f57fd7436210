"""The coach's log as JSON lines: every run and message, sorted, one object a line.

``export history --format jsonl`` writes, for each athlete and day (oldest first), the day's
runs (by attempt) and then its messages (by attempt, in the order they were stored). Keys are
sorted, separators fixed and the payload written as JSON, so the file is stable: exporting
the same history twice gives the same bytes, a new day only adds lines at its place, and the
file diffs well under version control. Rows are exported as stored, without reading them
through the message models, so a message this version cannot read is still kept.

``import_history`` loads such a file into a store, in one transaction, skipping runs and
messages already there (by id): into an empty store it rebuilds the same history, and the
store then exports the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import msgspec
from sqlalchemy import insert, select

from lanterne_rouge.errors import DataError
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.memory.tables import messages, runs

RUN = "run"
MESSAGE = "message"
_RUN_FIELDS = ("run_id", "athlete_id", "day", "attempt", "status", "started_at", "finished_at")
_MESSAGE_FIELDS = (
    "message_id",
    "run_id",
    "causation_id",
    "athlete_id",
    "day",
    "kind",
    "schema_version",
    "producer",
    "created_at",
)


def _line(record: dict[str, Any]) -> str:
    return json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def history_lines(
    store: StateStore, *, since: date | None = None, athlete_id: str | None = None
) -> Iterator[str]:
    """The export's lines (without line ends), in their stable order."""
    run_query = select(runs)
    message_query = select(messages)
    if since is not None:
        run_query = run_query.where(runs.c.day >= since)
        message_query = message_query.where(messages.c.day >= since)
    if athlete_id is not None:
        run_query = run_query.where(runs.c.athlete_id == athlete_id)
        message_query = message_query.where(messages.c.athlete_id == athlete_id)
    with store.connection() as conn:
        run_rows = [dict(r) for r in conn.execute(run_query).mappings()]
        message_rows = [dict(r) for r in conn.execute(message_query).mappings()]
    attempts = {r["run_id"]: r["attempt"] for r in run_rows}
    keyed: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    for row in run_rows:
        record = {name: _plain(row[name]) for name in _RUN_FIELDS} | {"record": RUN}
        keyed.append(((row["athlete_id"], row["day"], 0, row["attempt"], 0), record))
    for row in message_rows:
        record = {name: _plain(row[name]) for name in _MESSAGE_FIELDS} | {"record": MESSAGE}
        record["payload"] = _payload(row["payload"])
        attempt = attempts.get(row["run_id"], 0)
        keyed.append(((row["athlete_id"], row["day"], 1, attempt, row["seq"]), record))
    keyed.sort(key=lambda pair: pair[0])
    for _, record in keyed:
        yield _line(record)


def _payload(text: str) -> Any:
    """The stored JSON as a value; text that is not JSON is kept as a string."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def write_history(store: StateStore, target: Path, *, since: date | None = None) -> int:
    """Write the export to ``target`` (replaced whole); returns the number of lines."""
    count = 0
    partial = target.with_name(target.name + ".partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with partial.open("w", encoding="utf-8", newline="\n") as out:
            for line in history_lines(store, since=since):
                out.write(line + "\n")
                count += 1
        partial.replace(target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise DataError(f"{target}: cannot write the export: {exc.strerror or exc}") from exc
    return count


class Imported(msgspec.Struct, frozen=True):
    runs: int
    messages: int
    already_there: int


def import_history(store: StateStore, lines: Iterable[str], *, name: str) -> Imported:
    """Load exported lines; ``DataError`` naming the line (nothing stored) on a bad one."""
    run_rows: list[dict[str, Any]] = []
    message_rows: list[dict[str, Any]] = []
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        record = _record(text, f"{name} line {number}")
        (run_rows if record.pop("record") == RUN else message_rows).append(record)
    with store.transaction(), store.connection() as conn:
        known_runs = set(conn.execute(select(runs.c.run_id)).scalars())
        known_messages = set(conn.execute(select(messages.c.message_id)).scalars())
        new_runs = [r for r in run_rows if r["run_id"] not in known_runs]
        new_messages = [m for m in message_rows if m["message_id"] not in known_messages]
        if new_runs:
            conn.execute(insert(runs), new_runs)
        for row in new_messages:  # one by one: the store's order is the file's order
            conn.execute(insert(messages), row)
    skipped = len(run_rows) - len(new_runs) + len(message_rows) - len(new_messages)
    return Imported(len(new_runs), len(new_messages), skipped)


def _record(text: str, where: str) -> dict[str, Any]:
    try:
        raw = json.loads(text)
        kind = raw["record"]
        fields = _RUN_FIELDS if kind == RUN else _MESSAGE_FIELDS if kind == MESSAGE else None
        if fields is None:
            raise DataError(f"{where}: field record: expected run or message, got {kind!r}")
        row = {name: raw[name] for name in fields} | {"record": kind}
        for name in ("day",):
            row[name] = date.fromisoformat(row[name])
        for name in ("started_at", "finished_at", "created_at"):
            if row.get(name) is not None:
                row[name] = datetime.fromisoformat(row[name])
        if kind == MESSAGE:
            payload = raw["payload"]
            row["payload"] = payload if isinstance(payload, str) else _compact(payload)
    except KeyError as exc:
        raise DataError(f"{where}: field {exc.args[0]}: missing") from exc
    except (ValueError, TypeError, AttributeError) as exc:
        raise DataError(f"{where}: not an exported run or message: {exc}") from exc
    return row


def _compact(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
