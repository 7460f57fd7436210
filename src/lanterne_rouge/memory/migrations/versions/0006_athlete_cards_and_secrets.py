"""Athletes as data, whole: name, morning run time, mission, channels, sources; their secrets.

Every new column of ``athletes`` is nullable, so the rows already there (athletes seeded by a
run, an import or ``athlete set``) are kept as they are: an athlete without a morning time or
a mission is simply not one the fleet runs. ``athlete_secrets`` holds each athlete's OAuth
tokens, Fernet-encrypted (``LANTERNE_SECRET_KEY``); nothing is copied in.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

COLUMNS = (
    ("name", sa.String(128)),
    ("morning", sa.String(5)),
    ("mission", sa.Text),
    ("email", sa.String(254)),
    ("telegram_chat", sa.String(64)),
    ("sources", sa.String(128)),
)


def upgrade() -> None:
    with op.batch_alter_table("athletes") as batch:
        for name, kind in COLUMNS:
            batch.add_column(sa.Column(name, kind))
    op.create_table(
        "athlete_secrets",
        sa.Column(
            "athlete_id",
            sa.String(64),
            sa.ForeignKey("athletes.athlete_id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("ciphertext", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("athlete_secrets")
    with op.batch_alter_table("athletes") as batch:
        for name, _ in reversed(COLUMNS):
            batch.drop_column(name)
