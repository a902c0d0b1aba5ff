"""workspace settings kept by the admin screens: a government's settings and the admin log

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "government_setting",
        sa.Column("government", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("share_level", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("government"),
    )
    op.create_table(
        "admin_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("government", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column("detail", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("admin_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_admin_entry_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_admin_entry_government"), ["government"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("admin_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_admin_entry_government"))
        batch_op.drop_index(batch_op.f("ix_admin_entry_at"))
    op.drop_table("admin_entry")
    op.drop_table("government_setting")
