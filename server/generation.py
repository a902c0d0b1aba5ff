"""The workspace's write generation: a mark every committed change of data replaces.

Every engine Accord makes (`server.db.make_engine`, in web processes, workers and the
command line alike) watches the statements it runs. A transaction that changed a row
(an INSERT, UPDATE or DELETE that touched at least one row, or any other statement that
is not a read) writes a new random mark into the `write_generation` row of
`workspace_meta` as its last statement before COMMIT, in the same transaction. The mark
and the data it stands for become visible together, to every process that reads the
database: a reader that sees mark M sees every change up to the one that wrote M, and a
reader that read M before another change may read that newer data under M, never older
data under a newer mark. A mark is random, not a count, so that no mark ever stands for
two states of the data: a database put back from a copy (a backup restored, a test's
snapshot) brings back the mark of the state it holds, and the next change writes a mark
never seen before.

`server.services.answers` keys answers on it; reading it costs nothing extra, since the
authentication statement reads it in the same snapshot as the reader's session and
person (`column()`).
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import Engine, event, select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from server.models import WorkspaceMeta

KEY = "write_generation"
# An execution option for the one change no kept answer shows: a session's activity stamp
# (`sessions.touch_id`), written by every signed-in reader once a minute. Authentication,
# which reads it for the idle timeout, is never answered from the cache.
UNCOUNTED = "accord_uncounted"
_WROTE = "accord_wrote"
# Statements that read or steer a transaction; anything else is counted as a change.
_READS = ("SELECT", "BEGIN", "PRAGMA", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT", "SET", "SHOW", "EXPLAIN")
_BUMP = (
    "INSERT INTO workspace_meta (\"key\", \"value\") VALUES ('write_generation', '{mark}') "
    'ON CONFLICT ("key") DO UPDATE SET "value" = \'{mark}\''
)


def bump_statement() -> str:
    """The statement that writes a new mark (hex digits only, so it is written inline)."""
    return _BUMP.format(mark=secrets.token_hex(16))


def install(engine: Engine) -> None:
    """Count every committed change made through `engine`."""
    event.listen(engine, "after_cursor_execute", _seen)
    event.listen(engine, "commit", _bump)
    event.listen(engine, "rollback", _forget)
    event.listen(engine.pool, "checkin", _checked_in)


def _seen(conn: Any, cursor: Any, statement: str, _params: Any, context: Any, _many: bool) -> None:
    if conn.info.get(_WROTE):
        return
    if context is not None and context.execution_options.get(UNCOUNTED):
        return
    head = statement.lstrip()[:10].upper()
    if head.startswith(_READS):
        return
    # A change that touched no row changed nothing (a relay finding no message to mark);
    # -1 is "not known", which counts.
    if getattr(cursor, "rowcount", -1) == 0:
        return
    conn.info[_WROTE] = True


def _bump(conn: Any) -> None:
    """Just before COMMIT, in the committing transaction: a new mark."""
    if not conn.info.pop(_WROTE, False):
        return
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.execute(bump_statement())
    finally:
        cursor.close()


def _forget(conn: Any) -> None:
    # A connection invalidated mid-transaction (a lost server, a cancelled statement) has no
    # info to read; its pool record is cleared at check-in (`_checked_in`).
    if conn.invalidated:
        return
    conn.info.pop(_WROTE, None)


def _checked_in(_dbapi_conn: Any, record: Any) -> None:
    if record is not None:
        record.info.pop(_WROTE, None)


def wrote(conn: Any) -> bool:
    """Whether the connection's open transaction has changed anything yet."""
    return bool(conn.info.get(_WROTE))


def column() -> ColumnElement[Any]:
    """The generation as a scalar subquery, to read in the same statement as something else."""
    value = select(col(WorkspaceMeta.value)).where(col(WorkspaceMeta.key) == KEY).scalar_subquery()
    labelled: ColumnElement[Any] = value.label(KEY)
    return labelled


def parse(value: Any) -> str:
    """The mark read by `column()` ("" before the first counted change)."""
    return str(value) if value is not None else ""
