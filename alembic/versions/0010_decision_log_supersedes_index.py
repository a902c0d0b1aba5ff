"""an index on the entry a correction supersedes, so a decision's corrections are found without reading its track's log

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_decision_log_supersedes_id", "decision_log", ["supersedes_id"])


def downgrade() -> None:
    op.drop_index("ix_decision_log_supersedes_id", table_name="decision_log")
