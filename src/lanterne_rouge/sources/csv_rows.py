"""Reading export CSVs: header checks and typed cells with messages naming file, line, field.

A record is used only when it is complete. A row with fewer cells than the header, and a last
row that ends without its line end while its last cell holds a value (the file was cut short
in that value: ``45.5`` read as ``4``), are skipped with a message naming the file, line and
the first field that may be cut. A last row whose last cell is empty is kept: real exports
(intervals.icu's wellness CSV) end that way, and nothing in it was cut.
"""

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
    path: Path,
    required: set[str],
    *,
    what: str,
    skipped: list[str],
    text: str | None = None,
    name: str | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) pairs of complete rows; ``DataError`` naming the file when it
    cannot be used.

    The header is checked before any row is read, so a wrong file is rejected whole.
    Incomplete rows (module docstring) are not yielded: their messages go to ``skipped``.
    ``text`` gives the content when it does not come from ``path`` (a zip member), and
    ``name`` how messages call the file (default its name).
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
    cut_short = not content.endswith(("\n", "\r"))
    columns = [h.strip() for h in header]
    return _rows(path, reader, columns, cut_short, skipped, name or path.name)


def _rows(
    path: Path,
    reader: Iterator[list[str]],
    header: list[str],
    cut_short: bool,
    skipped: list[str],
    name: str,
) -> Iterator[tuple[int, dict[str, str]]]:
    line = 1
    try:
        cells = next(reader, None)
        while cells is not None:
            line += 1
            following = next(reader, None)
            last = following is None
            problem = _incomplete(cells, header, cut_short and last)
            if problem is not None:
                skipped.append(f"{name} line {line}: {problem}; the row is skipped")
            elif any(cell.strip() for cell in cells):
                row: dict[str, str] = {}
                for column, cell in zip(header, cells, strict=False):
                    row.setdefault(column, cell.strip())  # a repeated column: the first one
                yield line, row
            cells = following
    except csv.Error as exc:
        raise DataError(f"{path} line {line + 1}: not valid CSV: {exc}") from exc


def _incomplete(cells: list[str], header: list[str], cut_at_end: bool) -> str | None:
    """Why a row cannot be trusted whole, or None (a blank line is not incomplete)."""
    if not any(cell.strip() for cell in cells):
        return None
    if len(cells) < len(header):
        return (
            f"field {header[len(cells)]}: missing, the row has {len(cells)} of "
            f"{len(header)} cells (cut short?)"
        )
    if cut_at_end and cells[-1].strip():
        column = header[len(cells) - 1] if len(cells) <= len(header) else "(extra)"
        return f"field {column}: the file ends inside this row (cut short: no line end)"
    return None


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
