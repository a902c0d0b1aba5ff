"""delegated sign-off and governed dismissal

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_text = sqlmodel.sql.sqltypes.AutoString
_FKS = (
    ("fk_alert_dismissal_org_id", "organisation", "org_id"),
    ("fk_alert_dismissal_confirmed_by_id", "person", "confirmed_by_id"),
    ("fk_alert_dismissal_confirmed_org_id", "organisation", "confirmed_org_id"),
)


def upgrade() -> None:
    op.create_table(
        "delegation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", _text(length=120), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("delegate_person", _text(length=200), nullable=True),
        sa.Column("delegate_person_id", sa.Integer(), nullable=True),
        sa.Column("delegate_org_id", sa.Integer(), nullable=True),
        sa.Column("scope_initiative_id", sa.Integer(), nullable=True),
        sa.Column("scope_crisis_id", sa.Integer(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("granted_by", _text(length=200), nullable=False),
        sa.Column("granted_by_id", sa.Integer(), nullable=True),
        sa.Column("revoked_on", sa.Date(), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.Column("ended_logged", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["delegate_org_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["delegate_person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["department_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["granted_by_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["revoked_by_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["scope_crisis_id"], ["crisis.id"]),
        sa.ForeignKeyConstraint(["scope_initiative_id"], ["initiative.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("delegation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_delegation_delegate_org_id"), ["delegate_org_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_delegation_delegate_person_id"), ["delegate_person_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_delegation_department_id"), ["department_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_delegation_key"), ["key"], unique=True)

    # Dismissals made before this revision held without expiry or confirmation.
    with op.batch_alter_table("alert_dismissal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("state", _text(length=20), nullable=False, server_default="held"))
        batch_op.add_column(sa.Column("expires_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("org_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("confirmed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("confirmed_org_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("confirmed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("principle", _text(length=4), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("severity", _text(length=10), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("message", _text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("evidence", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("changes", sa.JSON(), nullable=False, server_default="{}"))
        batch_op.add_column(sa.Column("ended_at", sa.DateTime(), nullable=True))
        for name, table, column in _FKS:
            batch_op.create_foreign_key(name, table, [column], ["id"])
    op.execute(
        """
        UPDATE alert_dismissal SET
            principle = (SELECT a.principle FROM alert a WHERE a.id = alert_dismissal.alert_id),
            severity = (SELECT a.severity FROM alert a WHERE a.id = alert_dismissal.alert_id),
            org_id = (SELECT p.organisation_id FROM person p WHERE p.id = alert_dismissal.dismissed_by_id)
        """
    )


def downgrade() -> None:
    with op.batch_alter_table("alert_dismissal", schema=None) as batch_op:
        for name, _, _ in _FKS:
            batch_op.drop_constraint(name, type_="foreignkey")
        for column in (
            "ended_at",
            "changes",
            "evidence",
            "message",
            "severity",
            "principle",
            "confirmed_at",
            "confirmed_org_id",
            "confirmed_by_id",
            "org_id",
            "expires_on",
            "state",
        ):
            batch_op.drop_column(column)
    with op.batch_alter_table("delegation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delegation_key"))
        batch_op.drop_index(batch_op.f("ix_delegation_department_id"))
        batch_op.drop_index(batch_op.f("ix_delegation_delegate_person_id"))
        batch_op.drop_index(batch_op.f("ix_delegation_delegate_org_id"))
    op.drop_table("delegation")
