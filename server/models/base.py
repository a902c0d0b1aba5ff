"""Column helpers shared by every aggregate's models."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Integer


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def version_column() -> Column[Any]:
    """A fresh optimistic-locking column; SQLAlchemy bumps it on every UPDATE."""
    return Column("version", Integer, nullable=False, default=1)


def json_list() -> Any:
    return Column(JSON, nullable=False, default=list)


def json_dict() -> Any:
    return Column(JSON, nullable=False, default=dict)


def timestamp(index: bool = False) -> Any:
    return Column(DateTime, nullable=False, default=utcnow, index=index)
