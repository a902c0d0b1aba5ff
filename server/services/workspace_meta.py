"""Facts about the workspace itself: its name, and the date its checks judge against."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from server.models import (
    WorkspaceMeta,
)


def get_name(db: Session) -> str | None:
    """The workspace's own name, if one was set (the demo sets one)."""
    row = db.get(WorkspaceMeta, "name")
    return row.value if row else None


def read_name() -> str | None:
    """The workspace's own name from a short session of its own; None before migrations."""
    from server.db import get_engine

    try:
        with Session(get_engine()) as db:
            return get_name(db)
    except Exception:  # a missing table before migrations: the caller falls back to the setting
        return None


def judging_date(db: Session) -> dt.date | None:
    """The date the checks judge against, when the workspace fixes one (its document's `today`)."""
    row = db.get(WorkspaceMeta, "today")
    return dt.date.fromisoformat(row.value) if row and row.value else None


def today(db: Session) -> dt.date:
    """The workspace's judging date if it fixes one, else the real date."""
    return judging_date(db) or dt.date.today()


def set_judging_date(db: Session, day: dt.date | None) -> None:
    """Fix (or, with None, release) the date the checks judge against."""
    row = db.get(WorkspaceMeta, "today")
    if day is None:
        if row is not None:
            db.delete(row)
        return
    row = row or WorkspaceMeta(key="today", value="")
    row.value = day.isoformat()
    db.add(row)


def set_name(db: Session, name: str) -> None:
    row = db.get(WorkspaceMeta, "name") or WorkspaceMeta(key="name", value=name)
    row.value = name
    db.add(row)


def host(db: Session) -> str | None:
    """The government that hosts the workspace, whose admins set its name and judging date."""
    row = db.get(WorkspaceMeta, "host")
    return row.value if row and row.value else None


def set_host(db: Session, government: str | None) -> None:
    row = db.get(WorkspaceMeta, "host")
    if government is None:
        if row is not None:
            db.delete(row)
        return
    row = row or WorkspaceMeta(key="host", value=government)
    row.value = government
    db.add(row)
