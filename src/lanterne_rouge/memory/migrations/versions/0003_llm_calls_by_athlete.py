"""Model budgets are per athlete: the usage ledger is read by athlete and time.

An index on ``llm_calls (athlete_id, created_at)``, so checking one athlete's day and month
reads that athlete's few rows, however many athletes share the ledger.
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_llm_calls_athlete_created", "llm_calls", ["athlete_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_llm_calls_athlete_created", table_name="llm_calls")
