"""Athletes as data: a row per athlete (time zone) and their dated thresholds.

``athlete_thresholds`` holds one row per threshold (ftp, threshold_hr, max_hr, resting_hr,
sex) and the day it took effect; a load uses the one in force on its own day. Nothing is
copied in: the first run or import seeds an athlete from the mission's ``[athlete]`` table.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "athletes",
        sa.Column("athlete_id", sa.String(64), primary_key=True),
        sa.Column("timezone", sa.String(64)),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "athlete_thresholds",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "athlete_id",
            sa.String(64),
            sa.ForeignKey("athletes.athlete_id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("value", sa.String(32), nullable=False),
        sa.Column("valid_from", sa.Date),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("set_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_athlete_thresholds_athlete", "athlete_thresholds", ["athlete_id", "name"])


def downgrade() -> None:
    op.drop_index("ix_athlete_thresholds_athlete", table_name="athlete_thresholds")
    op.drop_table("athlete_thresholds")
    op.drop_table("athletes")
