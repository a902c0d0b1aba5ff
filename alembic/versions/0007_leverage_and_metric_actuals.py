"""leverage targets and periods, metric baselines and actual values

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("leverage_tool", schema=None) as batch_op:
        batch_op.add_column(sa.Column("party_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("start", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("end", sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f("ix_leverage_tool_party_id"), ["party_id"], unique=False)
        batch_op.create_foreign_key("fk_leverage_tool_party_id_party", "party", ["party_id"], ["id"])
    with op.batch_alter_table("metric", schema=None) as batch_op:
        batch_op.add_column(sa.Column("baseline_value", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("baseline_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("target_value", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("target_date", sa.Date(), nullable=True))
        # Existing metrics: a higher value is better, as the document's default says.
        batch_op.add_column(
            sa.Column(
                "direction",
                sqlmodel.sql.sqltypes.AutoString(length=10),
                nullable=False,
                server_default="up",
            )
        )
    with op.batch_alter_table("metric", schema=None) as batch_op:
        batch_op.alter_column("direction", server_default=None)
    op.create_table(
        "metric_actual",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("metric_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["metric_id"], ["metric.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("metric_id", "date"),
    )
    with op.batch_alter_table("metric_actual", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_metric_actual_metric_id"), ["metric_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("metric_actual", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_metric_actual_metric_id"))
    op.drop_table("metric_actual")
    with op.batch_alter_table("metric", schema=None) as batch_op:
        for name in ("direction", "target_date", "target_value", "baseline_date", "baseline_value"):
            batch_op.drop_column(name)
    with op.batch_alter_table("leverage_tool", schema=None) as batch_op:
        batch_op.drop_constraint("fk_leverage_tool_party_id_party", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_leverage_tool_party_id"))
        for name in ("end", "start", "party_id"):
            batch_op.drop_column(name)
