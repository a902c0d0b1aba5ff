"""initiative_vector: each track's meaning vector for the overlap check

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 12:00:00

Existing tracks get no row here: the overlap index computes a missing vector from the
track's text, and the track's next change stores it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "initiative_vector",
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("model", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("digest", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["initiative_id"], ["initiative.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("initiative_id"),
    )


def downgrade() -> None:
    op.drop_table("initiative_vector")
