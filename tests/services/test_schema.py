"""Alembic is the only way the schema changes: the migrated schema equals the models'."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import Session, SQLModel

import server.models  # noqa: F401


def test_migrated_schema_matches_models(db: Session, db_backend: str) -> None:
    with db.get_bind().connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == [], f"models and migrations differ: {diff}"
