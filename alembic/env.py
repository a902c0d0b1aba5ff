"""Alembic environment: the only way Accord's schema changes, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import Connection, inspect, text
from sqlmodel import SQLModel

import server.models  # noqa: F401  (registers every table)
from alembic import context
from server.db import make_engine
from server.settings import get_settings

config = context.config
target_metadata = SQLModel.metadata


def _url() -> str:
    return config.attributes.get("url") or get_settings().sqlalchemy_url


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    # The schema changes under it: its statements are not counted one by one; when a migration
    # ran, the generation moves once after it (`_retire_answers`).
    engine = make_engine(_url(), count_writes=False)
    with engine.connect() as conn:
        if _run(conn):
            _retire_answers(conn)
    engine.dispose()


def _retire_answers(conn: Connection) -> None:
    """A migration may change data: a new write generation retires the answers kept before it."""
    from server import generation

    if inspect(conn).has_table("workspace_meta"):
        conn.execute(text(generation.bump_statement()))
        conn.commit()


def _run(connection: object) -> bool:
    """Migrate; whether any migration ran."""
    # Batch mode lets SQLite alter tables by copying them, as PostgreSQL alters in place.
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    before = context.get_context().get_current_heads()
    with context.begin_transaction():
        context.run_migrations()
    return context.get_context().get_current_heads() != before


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
