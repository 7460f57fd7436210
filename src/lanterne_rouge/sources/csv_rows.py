"""Reading export CSVs: header checks and typed cells with messages naming file, line, field."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from lanterne_rouge.errors import DataError


class FieldError(ValueError):
    """One cell is malformed; the message names the column and the value."""

    def __init__(self, column: str, value: str, why: str) -> None:
        super().__init__(f"field {column}: {why} (got {value!r})")
        self.column = column


def read_rows(
    path: Path, required: set[str], *, what: str, text: str | None = None
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) pairs; ``DataError`` naming the file when it cannot be used.

    The header is checked before any row is read, so a wrong file is rejected whole.
    ``text`` gives the content when it does not come from ``path`` (a zip member).
    """
    try:
        content = text if text is not None else path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read the {what}: {exc}") from exc
    content = content.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(content, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise DataError(f"{path}: not a CSV file: {exc}") from exc
    if not header:
        raise DataError(f"{path}: empty file, expected an {what}")
    missing = required - {h.strip() for h in header}
    if missing:
        raise DataError(
            f"{path}: not an {what}: missing column(s) {', '.join(sorted(missing))} "
            f"(found {', '.join(header[:6])}{', ...' if len(header) > 6 else ''})"
        )
    return _rows(path, reader, [h.strip() for h in header])


def _rows(
    path: Path, reader: Iterator[list[str]], header: list[str]
) -> Iterator[tuple[int, dict[str, str]]]:
    line = 1
    try:
        for cells in reader:
            line += 1
            if not any(cell.strip() for cell in cells):
                continue
            row: dict[str, str] = {}
            for name, cell in zip(header, cells, strict=False):
                row.setdefault(name, cell.strip())  # a repeated column: the first one
            yield line, row
    except csv.Error as exc:
        raise DataError(f"{path} line {line + 1}: not valid CSV: {exc}") from exc


def number(row: dict[str, str], column: str) -> float | None:
    """A finite number, or None for an empty cell."""
    value = row.get(column, "")
    if value == "":
        return None
    try:
        parsed = float(value)
    except ValueError:
        raise FieldError(column, value, "not a number") from None
    if not math.isfinite(parsed):
        raise FieldError(column, value, "not a finite number")
    return parsed


def integer(row: dict[str, str], column: str) -> int | None:
    parsed = number(row, column)
    if parsed is None:
        return None
    if parsed != int(parsed):
        raise FieldError(column, row[column], "not a whole number")
    return int(parsed)


def boolean(row: dict[str, str], column: str) -> bool | None:
    value = row.get(column, "").casefold()
    if value == "":
        return None
    if value in ("true", "1", "yes"):
        return True
    if value in ("false", "0", "no"):
        return False
    raise FieldError(column, row[column], "not true or false")


def day(row: dict[str, str], column: str) -> date:
    value = row.get(column, "")
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise FieldError(column, value, "not a date (YYYY-MM-DD)") from None


def timestamp(row: dict[str, str], column: str) -> datetime | None:
    value = row.get(column, "")
    if value == "":
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise FieldError(column, value, "not an ISO date-time") from None
