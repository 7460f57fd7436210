"""Everything the sources store, as plain rows, to check that nothing changed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from lanterne_rouge.memory.activity_store import activities, fitness_seeds, raw_payloads
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.memory.tables import daily_loads, recovery


def snapshot(store: StateStore) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the input tables, without generated ids, sorted."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    with store.engine.connect() as conn:
        for table in (recovery, daily_loads, activities, fitness_seeds, raw_payloads):
            columns = [c for c in table.c if c.name not in ("id", "fetched_at")]
            rows = conn.execute(select(*columns)).all()
            found[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return found
