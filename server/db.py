"""Engines and sessions: SQLite (WAL, foreign keys, busy timeout) or PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event
from sqlmodel import Session, create_engine

from server import generation
from server.settings import get_settings

SQLITE_BUSY_TIMEOUT_MS = 30_000


def stream_readers(pool_size: int) -> int:
    """How many live-stream reads may run at once in a web process (each holds a connection briefly)."""
    return max(2, pool_size // 4)


def pool_options() -> dict[str, Any]:
    """Pool sizes from the one setting that also sizes the web process's thread pool.

    `db_pool_size` connections serve the requests a web process admits (each holds at
    most one); the overflow serves what runs beside them: live-stream reads, the relay
    thread and a spare. A request that still finds no connection within
    `db_pool_timeout_seconds` fails with a pool timeout, which answers 503.
    """
    s = get_settings()
    return {
        "pool_size": s.db_pool_size,
        "max_overflow": stream_readers(s.db_pool_size) + 2,
        "pool_timeout": s.db_pool_timeout_seconds,
    }


def make_engine(url: str, immediate: bool = False, count_writes: bool = True) -> Engine:
    """An engine for `url`; on SQLite, `immediate` takes the write lock at BEGIN.

    With `count_writes` (all but the migrations' engine, which changes the schema the
    count lives in), every committed change moves the write generation (`server.generation`).

    A write transaction on SQLite must lock before it reads, or two writers that read
    the same row both try to upgrade and one fails at once; BEGIN IMMEDIATE makes the
    second wait for the busy timeout instead, as PostgreSQL's row locks would.
    """
    # Errors name the statement but never its parameters: those may hold a token's
    # digest or a person's details, and error messages reach the logs.
    if not url.startswith("sqlite"):
        engine = create_engine(url, pool_pre_ping=True, hide_parameters=True, **pool_options())
        if count_writes:
            generation.install(engine)
        return engine
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    file_db = ":memory:" not in url and url not in ("sqlite://", "sqlite:///")
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        hide_parameters=True,
        **(pool_options() if file_db else {}),
    )

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # SQLAlchemy's begin event below issues BEGIN
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    if count_writes:
        generation.install(engine)
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


@lru_cache
def probe_engine(url: str) -> Engine:
    """An engine that keeps no connection, for readiness and metrics probes.

    Probes must answer while the request pool is exhausted, and must not wait long for
    a database that is gone: each probe opens its own short-lived connection.
    """
    from sqlalchemy.pool import NullPool

    if url.startswith("sqlite"):
        return create_engine(url, poolclass=NullPool, connect_args={"timeout": 2})
    return create_engine(
        url, poolclass=NullPool, connect_args={"connect_timeout": 3, "options": "-c statement_timeout=3000"}
    )


def add_first(db: Session, row: Any) -> bool:
    """Add a new row keyed by its primary key; False when a concurrent writer made that key first.

    For rows that exist at most once per key and are created on first use (a setting, a
    stamp): two requests that both read "no row yet" would otherwise both insert, and the
    second would fail on the key with a database error. The insert runs in a savepoint,
    so losing the race leaves the request's transaction usable.
    """
    from sqlalchemy.exc import IntegrityError

    try:
        with db.begin_nested():
            db.add(row)
        return True
    except IntegrityError:
        return False
