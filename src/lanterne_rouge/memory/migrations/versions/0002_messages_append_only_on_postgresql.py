"""Messages are append-only on PostgreSQL too: a trigger refuses UPDATE, DELETE and TRUNCATE.

SQLite has had its triggers since the baseline; this revision changes nothing there.
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

FUNCTION = (
    "CREATE OR REPLACE FUNCTION messages_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'messages are append-only'; END $$"
)
TRIGGERS = (
    "CREATE TRIGGER messages_no_change BEFORE UPDATE OR DELETE ON messages "
    "FOR EACH ROW EXECUTE FUNCTION messages_append_only()",
    "CREATE TRIGGER messages_no_truncate BEFORE TRUNCATE ON messages "
    "FOR EACH STATEMENT EXECUTE FUNCTION messages_append_only()",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(FUNCTION)
    for ddl in TRIGGERS:
        op.execute(ddl)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS messages_no_truncate ON messages")
    op.execute("DROP TRIGGER IF EXISTS messages_no_change ON messages")
    op.execute("DROP FUNCTION IF EXISTS messages_append_only()")
