"""Write marks: what every committed change of data replaces, so that kept answers know they are stale.

Every engine Accord makes (`server.db.make_engine`, in web processes, workers and the
command line alike) watches the statements it runs. A transaction that changed a row
writes new random marks into `workspace_meta` as its last statement before COMMIT, in
the same transaction, so that a mark and the data it stands for become visible together
to every process that reads the database: a reader that sees mark M sees every change up
to the one that wrote M, and a reader that read M before another change may read that
newer data under M, never older data under a newer mark. A mark is random, not a count,
so that no mark ever stands for two states of the data: a database put back from a copy
(a backup restored, a test's snapshot) brings back the marks of the state it holds, and
the next change writes marks never seen before.

Marks have scopes:

- `write_generation`, the workspace's mark, moves with any change that is not known to
  stay within some tracks: people, organisations, crises, parties, delegations, sharing
  (who sees what), a track's creation, removal or fields (other tracks' pages show its
  title), settings, and any statement this module cannot place.
- `mark:t:<id>`, one track's mark, moves with a change to what belongs to that track
  alone: its lines, decisions, sign-offs and other log entries, comments, reports,
  links, alerts on it, the stamp of its last change. A change that links two tracks
  moves both.
- Changes to what no kept answer shows (outbound messages, sessions' activity, the
  log's head, stored vectors, deliveries, mail) move nothing.

Changes made through the ORM are placed by the object (mapper events); a Core statement
is placed by its table, or by the tracks it names in the `SCOPES` execution option.

`server.services.answers` keys answers on these: an answer is kept with the workspace's
mark and the marks of the tracks it was drawn from, and answers only while all are
unchanged. Reading the workspace's mark costs nothing extra (the authentication
statement reads it in the same snapshot as the reader's session and person, `column()`).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Engine, event, func, inspect, select, text
from sqlalchemy.orm import Mapper
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from server.models import WorkspaceMeta

KEY = "write_generation"
PREFIX = "mark:"
# An execution option for the one change no kept answer shows: a session's activity stamp
# (`sessions.touch_id`), written by every signed-in reader once a minute. Authentication,
# which reads it for the idle timeout, is never answered from the cache.
UNCOUNTED = "accord_uncounted"
# An execution option naming the tracks (ids) a Core statement's change belongs to.
SCOPES = "accord_scopes"
_WROTE = "accord_wrote"  # the workspace's mark moves
_TRACKS = "accord_tracks"  # these tracks' marks move
# In a session's info: the tracks whose marks its authentication statement is to read too
# (`want`), and the marks that statement read (`remember`).
_WANTED = "accord_marks_wanted"
_KNOWN = "accord_marks_known"
_PENDING = "accord_orm_pending"  # tables with ORM rows about to be flushed (placed by object)
# Statements that read or steer a transaction; anything else is counted as a change.
_READS = ("SELECT", "BEGIN", "PRAGMA", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT", "SET", "SHOW", "EXPLAIN")
# Tables no kept answer reads: a change to them moves no mark.
QUIET = frozenset(
    {
        "outbox",
        "event",
        "auth_session",
        "signin_attempt",
        "api_token",
        "decision_log_checkpoint",
        "initiative_vector",
        "webhook",
        "webhook_delivery",
        "webhook_attempt",
        "delivery_cursor",
        "mail_preference",
        "mail_message",
        "admin_entry",
    }
)
# A track's fields that other tracks' answers never show: its change stamp.
_STAMP = frozenset({"updated_at", "updated_by_id"})
# Tables whose rows belong to the tracks named by these columns.
_TRACK_COLUMNS = {
    "coordination_link": ("a_id", "b_id"),
    "dependency": ("initiative_id", "depends_on_id"),
    "coordination_request": ("from_initiative_id", "to_initiative_id"),
}
_WORKSPACE_ONLY = frozenset({"initiative", "sharing_grant", "delegation", "workspace_meta"})
_installed_orm = False


def scope_key(track_id: int) -> str:
    return f"{PREFIX}t:{int(track_id)}"


def _bump_statement(keys: list[str]) -> str:
    """One statement writing a new mark under each key (keys and mark are made here: inline)."""
    mark = secrets.token_hex(16)
    rows = ", ".join(f"('{k}', '{mark}')" for k in keys)
    return (
        f'INSERT INTO workspace_meta ("key", "value") VALUES {rows} '
        'ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value"'
    )


def bump_statement() -> str:
    """The statement that writes a new workspace mark."""
    return _bump_statement([KEY])


def install(engine: Engine) -> None:
    """Count every committed change made through `engine`."""
    global _installed_orm
    event.listen(engine, "after_cursor_execute", _seen)
    event.listen(engine, "commit", _bump)
    event.listen(engine, "rollback", _forget)
    event.listen(engine, "rollback_savepoint", _flush_undone)
    event.listen(engine.pool, "checkin", _checked_in)
    if not _installed_orm:
        _installed_orm = True
        for name in ("before_insert", "before_update", "before_delete"):
            event.listen(Mapper, name, _orm_pending)
        event.listen(Mapper, "after_insert", _orm_placed("insert"))
        event.listen(Mapper, "after_update", _orm_placed("update"))
        event.listen(Mapper, "after_delete", _orm_placed("delete"))
        event.listen(OrmSession, "after_flush", _orm_flushed)


def _table_of(context: Any) -> str | None:
    statement = getattr(getattr(context, "compiled", None), "statement", None)
    return getattr(getattr(statement, "table", None), "name", None)


def _seen(conn: Any, cursor: Any, statement: str, _params: Any, context: Any, _many: bool) -> None:
    options = context.execution_options if context is not None else {}
    if options.get(UNCOUNTED):
        return
    head = statement.lstrip()[:10].upper()
    if head.startswith(_READS):
        return
    # A change that touched no row changed nothing (a relay finding no message to mark);
    # -1 is "not known", which counts.
    if getattr(cursor, "rowcount", -1) == 0:
        return
    table = _table_of(context)
    if table in QUIET:
        return
    if table is not None and conn.info.get(_PENDING, {}).get(table):
        return  # an ORM flush's row: its mapper event places it
    tracks = options.get(SCOPES)
    if tracks is not None and table not in _WORKSPACE_ONLY:
        conn.info.setdefault(_TRACKS, set()).update(int(t) for t in tracks)
        return
    conn.info[_WROTE] = True


def _orm_pending(mapper: Any, connection: Any, _target: Any) -> None:
    pending = connection.info.setdefault(_PENDING, {})
    name = mapper.persist_selectable.name
    pending[name] = pending.get(name, 0) + 1


def _orm_flushed(session: Any, _context: Any) -> None:
    session.connection().info.pop(_PENDING, None)


def _orm_placed(op: str) -> Any:
    def placed(mapper: Any, connection: Any, target: Any) -> None:
        tracks = _tracks_of(mapper.persist_selectable.name, target, connection, op)
        if tracks is None:
            connection.info[_WROTE] = True
        elif tracks:
            connection.info.setdefault(_TRACKS, set()).update(tracks)

    return placed


def _changed(target: Any) -> set[str]:
    state = inspect(target)
    return {a.key for a in state.attrs if a.history.has_changes()}


def _tracks_of(table: str, target: Any, connection: Any, op: str) -> set[int] | None:
    """The tracks a flushed row belongs to; None when it is the workspace's (or not known)."""
    if table in QUIET:
        return set()
    if table == "initiative":
        if op == "update" and _changed(target) <= _STAMP:
            return {target.id}
        return None
    if table in _WORKSPACE_ONLY:
        return None
    if table in _TRACK_COLUMNS:
        return {getattr(target, c) for c in _TRACK_COLUMNS[table] if getattr(target, c, None) is not None}
    if table == "alert" and op == "delete":
        return None  # its alert_initiative rows may be gone already, by the database's cascade
    if table in ("alert", "alert_dismissal"):
        alert_id = target.id if table == "alert" else target.alert_id
        rows = connection.execute(
            text("SELECT initiative_id FROM alert_initiative WHERE alert_id = :a"), {"a": alert_id}
        )
        # An alert reaches a track's answers only through its alert_initiative rows, which
        # are placed themselves; one on no track is on no track's answer.
        return {r[0] for r in rows}
    if table == "metric_actual":
        found = connection.execute(
            text("SELECT initiative_id FROM metric WHERE id = :m"), {"m": target.metric_id}
        ).first()
        return {found[0]} if found is not None else None
    track = getattr(target, "initiative_id", None)
    if isinstance(track, int):
        if op == "update":
            old = inspect(target).attrs.initiative_id.history.deleted
            return {track, *(t for t in old if isinstance(t, int))}
        return {track}
    return None


def tracks_read(instance: Any) -> set[int]:
    """The tracks whose marks a loaded row's content moves with (a track's own row: none;
    its fields that others show move the workspace's mark)."""
    table = getattr(getattr(instance, "__table__", None), "name", None)
    if table is None or table == "initiative":
        return set()
    if table in _TRACK_COLUMNS:
        return {t for c in _TRACK_COLUMNS[table] if isinstance(t := getattr(instance, c, None), int)}
    track = getattr(instance, "initiative_id", None)
    return {track} if isinstance(track, int) else set()


def _bump(conn: Any) -> None:
    """Just before COMMIT, in the committing transaction: new marks for what changed."""
    conn.info.pop(_PENDING, None)
    wrote = conn.info.pop(_WROTE, False)
    tracks = conn.info.pop(_TRACKS, None)
    # The workspace's mark retires every kept answer: the tracks' own need not move too.
    keys = [KEY] if wrote else sorted(scope_key(t) for t in tracks or ())
    if not keys:
        return
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.execute(_bump_statement(keys))
    finally:
        cursor.close()


def _flush_undone(conn: Any, _name: Any, _context: Any) -> None:
    # A flush that failed inside a savepoint never reached `after_flush`: its rows are not
    # written, and later statements on those tables are not the ORM's.
    conn.info.pop(_PENDING, None)


def _forget(conn: Any) -> None:
    # A connection invalidated mid-transaction (a lost server, a cancelled statement) has no
    # info to read; its pool record is cleared at check-in (`_checked_in`).
    if conn.invalidated:
        return
    for key in (_WROTE, _TRACKS, _PENDING):
        conn.info.pop(key, None)


def _checked_in(_dbapi_conn: Any, record: Any) -> None:
    if record is not None:
        for key in (_WROTE, _TRACKS, _PENDING):
            record.info.pop(key, None)


def wrote_workspace(conn: Any) -> bool:
    """Whether the connection's open transaction has changed something that moves the workspace's mark."""
    return bool(conn.info.get(_WROTE))


def wrote(conn: Any) -> bool:
    """Whether the connection's open transaction has changed anything yet."""
    return bool(conn.info.get(_WROTE) or conn.info.get(_TRACKS))


def column() -> ColumnElement[Any]:
    """The workspace's mark as a scalar subquery, to read in the same statement as something else."""
    value = select(col(WorkspaceMeta.value)).where(col(WorkspaceMeta.key) == KEY).scalar_subquery()
    labelled: ColumnElement[Any] = value.label(KEY)
    return labelled


@event.listens_for(OrmSession, "after_commit")
def _stale(session: Any) -> None:
    """Marks read before a commit stand for the data before it: forget them with it.

    Whatever is kept under a mark (answers, shared reference data) is then read afresh,
    never under the mark of the data a committed change replaced.
    """
    session.info.pop(KEY, None)
    session.info.pop(_KNOWN, None)


def want(db: Session, tracks: Iterable[int]) -> None:
    """Have the next `columns(db)` statement read these tracks' marks too, so `marks` needs none of its own."""
    db.info[_WANTED] = frozenset(int(t) for t in tracks)


def columns(db: Session) -> tuple[ColumnElement[Any], ...]:
    """The workspace's mark, and the marks of the tracks `want` named, as columns of another statement.

    The tracks' marks come as one string of `key=mark` pairs (`remember` reads it back), so
    that the statement stays one row whatever their number.
    """
    wanted = db.info.get(_WANTED)
    if not wanted:
        return (column(),)
    pairs = (
        select(
            func.aggregate_strings(col(WorkspaceMeta.key).concat("=").concat(col(WorkspaceMeta.value)), ",")
        )
        .where(col(WorkspaceMeta.key).in_(sorted(scope_key(t) for t in wanted)))
        .scalar_subquery()
        .label("track_marks")
    )
    return (column(), pairs)


def remember(db: Session, values: Iterable[Any]) -> str:
    """Keep what a `columns(db)` statement read: returns the workspace's mark, notes the tracks'."""
    first, *rest = values
    wanted = db.info.pop(_WANTED, None)
    if wanted and rest:
        db.info[_KNOWN] = pairs_of(rest[0], wanted)
    return parse(first)


def pairs_of(value: Any, tracks: Iterable[int]) -> dict[int, str]:
    """The tracks' marks from the `key=mark` pairs a statement read as one string."""
    found = dict(p.split("=", 1) for p in str(value or "").split(",") if "=" in p)
    return {t: found.get(scope_key(t), "") for t in tracks}


def columns_sql(dialect: str, tracks: Iterable[int]) -> str:
    """`columns()` as SQL text for a plain DBAPI cursor: the workspace's mark and the tracks' pairs.

    The keys are made here from integers, so they are written inline, as `_bump_statement` does.
    """
    mark = f"(SELECT value FROM workspace_meta WHERE \"key\" = '{KEY}')"
    keys = sorted(scope_key(t) for t in tracks)
    if not keys:
        return f"{mark}, NULL"
    joined = "group_concat" if dialect == "sqlite" else "string_agg"
    named = ", ".join(f"'{k}'" for k in keys)
    pairs = f"(SELECT {joined}(\"key\" || '=' || value, ',') FROM workspace_meta WHERE \"key\" IN ({named}))"
    return f"{mark}, {pairs}"


def parse(value: Any) -> str:
    """The mark read by `column()` ("" before the first counted change)."""
    return str(value) if value is not None else ""


def marks(db: Session, tracks: Iterable[int]) -> dict[int, str]:
    """The marks of these tracks now ("" for a track never changed since marks began).

    Read with the reader's identity where `want` named them before (no statement of its own).
    """
    wanted = sorted(set(tracks))
    if not wanted:
        return {}
    known = db.info.get(_KNOWN) or {}
    if all(t in known for t in wanted):
        return {t: known[t] for t in wanted}
    keys = {scope_key(t): t for t in wanted}
    rows = db.execute(
        select(col(WorkspaceMeta.key), col(WorkspaceMeta.value)).where(col(WorkspaceMeta.key).in_(keys))
    )
    found = {k: v for k, v in rows.all()}
    return {t: str(found.get(k, "")) for k, t in keys.items()}
