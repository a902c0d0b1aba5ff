"""scoped, expiring, revocable API tokens

Revision ID: 0005
Revises: 0004

Tokens made before scopes existed keep working, with every scope (what they could do
before), and end 90 days after this upgrade: their owners see them on the account page
with that end date, and replace them with scoped ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEGACY_DAYS = 90


def upgrade() -> None:
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ref", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
        batch_op.add_column(sa.Column("scopes", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(), nullable=True))
    # The id is the token's SHA-256: its first characters name an old token without
    # telling anything of the token itself.
    ends = datetime.now(UTC).replace(tzinfo=None) + timedelta(days=LEGACY_DAYS)
    op.get_bind().execute(
        sa.text(
            "UPDATE api_token SET ref = substr(id, 1, 12), scopes = 'read write sign-off', expires_at = :ends"
        ),
        {"ends": ends},
    )
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.alter_column("ref", existing_type=sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False)
        batch_op.alter_column(
            "scopes", existing_type=sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False
        )
        batch_op.create_index(batch_op.f("ix_api_token_ref"), ["ref"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_token_ref"))
        batch_op.drop_column("expires_at")
        batch_op.drop_column("scopes")
        batch_op.drop_column("ref")
