"""internal decisions and sign-offs, home-only events, dismissals per government

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN: a batch copy would drop the decision log's append-only triggers.
    op.add_column(
        "decision_log", sa.Column("internal", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.add_column("event", sa.Column("home_only", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "alert_dismissal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("government", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("evidence_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("dismissed_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["alert_id"], ["alert.id"]),
        sa.ForeignKeyConstraint(["dismissed_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("alert_id", "government"),
    )
    with op.batch_alter_table("alert_dismissal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_dismissal_alert_id"), ["alert_id"], unique=False)
    # Dismissals made before this revision were for every government at once; each
    # government concerned keeps them.
    op.execute(
        """
        INSERT INTO alert_dismissal (alert_id, government, reason, evidence_hash, dismissed_by_id, created_at)
        SELECT DISTINCT a.id, COALESCE(o.government, o.key), COALESCE(a.dismiss_reason, ''),
               a.evidence_hash, a.dismissed_by_id, a.updated_at
        FROM alert a
        JOIN alert_initiative ai ON ai.alert_id = a.id
        JOIN initiative i ON i.id = ai.initiative_id
        JOIN organisation o ON o.id = i.owner_id
        WHERE a.status = 'dismissed'
        """
    )


def downgrade() -> None:
    with op.batch_alter_table("alert_dismissal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_dismissal_alert_id"))
    op.drop_table("alert_dismissal")
    op.drop_column("event", "home_only")
    op.drop_column("decision_log", "internal")
