"""Engines and sessions: SQLite (WAL, foreign keys, busy timeout) or PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event
from sqlmodel import Session, create_engine

from server.settings import get_settings


def make_engine(url: str, immediate: bool = False) -> Engine:
    """An engine for `url`; on SQLite, `immediate` takes the write lock at BEGIN.

    A write transaction on SQLite must lock before it reads, or two writers that read
    the same row both try to upgrade and one fails at once; BEGIN IMMEDIATE makes the
    second wait for the busy timeout instead, as PostgreSQL's row locks would.
    """
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # SQLAlchemy's begin event below issues BEGIN
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


@lru_cache
def engines(url: str) -> tuple[Engine, Engine]:
    """(reader, writer) engines for `url`; the same engine on PostgreSQL."""
    reader = make_engine(url)
    writer = make_engine(url, immediate=True) if url.startswith("sqlite") else reader
    return reader, writer


def get_engine(write: bool = False) -> Engine:
    reader, writer = engines(get_settings().sqlalchemy_url)
    return writer if write else reader


@contextmanager
def session_scope(write: bool = True) -> Iterator[Session]:
    """A unit of work: commits once at the end, rolls back on any error."""
    with Session(get_engine(write), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
