"""Alembic's environment: migrations run on the connection the state store hands over.

Run through ``lanterne_rouge.memory.schema`` (on opening an older database, and by
``lanterne-rouge db upgrade``), never by the ``alembic`` command with a URL of its own.
"""

from __future__ import annotations

from alembic import context

from lanterne_rouge.memory.tables import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite alters a table by copying it
)
with context.begin_transaction():
    context.run_migrations()
