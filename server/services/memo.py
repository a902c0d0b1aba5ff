"""Reads a unit of work repeats, answered once while nothing in it has changed.

A page asks the same questions of the database several times (every organisation, the
sign-off rule's inputs for its track) from services that do not know of one another.
`once` keeps the first answer in the session for as long as the session has written
nothing: any pending change, flush, commit or rollback forgets every answer, so a read
after a write always goes to the database.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import event as sa_event
from sqlmodel import Session, select

from server import generation
from server.models import Organisation

T = TypeVar("T")
_KEY = "memo"


def once(db: Session, key: Hashable, read: Callable[[], T]) -> T:
    """`read()`, or its earlier answer in this unit of work if nothing was written since."""
    if db.new or db.dirty or db.deleted:
        db.info.pop(_KEY, None)
        return read()
    memo: dict[Hashable, Any] = db.info.setdefault(_KEY, {})
    if key not in memo:
        memo[key] = read()
    answer: T = memo[key]
    return answer


def held(db: Session, key: Hashable) -> Any | None:
    """The answer `once` holds for `key` in this unit of work, if it holds one that still stands."""
    if db.new or db.dirty or db.deleted:
        return None
    return db.info.get(_KEY, {}).get(key)


def held_any(db: Session, match: Callable[[Hashable], bool]) -> Any | None:
    """An answer `once` holds under any key `match` accepts, if one still stands."""
    if db.new or db.dirty or db.deleted:
        return None
    for key, answer in db.info.get(_KEY, {}).items():
        if match(key):
            return answer
    return None


# Workspace-wide reference data, per database and name, under the workspace's write mark
# it was read at (`shared`).
_shared: dict[tuple[str, str], tuple[str, Any]] = {}
_COLUMNS = ("id", "key", "name", "kind", "government", "version")


def shared(db: Session, name: str, read: Callable[[], T]) -> T:
    """Workspace-wide reference data (organisations, crises, parties, delegations), read once per process while it stands.

    Within a request that authenticated (which reads the workspace's write mark), once
    per process while the mark stands: a change to any of these moves the workspace's
    mark (`server.generation`). What `read` gives is then shared by every request and
    thread, so it must be plain values or copies, never the session's own objects, and
    no caller changes it. A unit of work that is changing the workspace itself, or one
    that read no mark, reads afresh (once, `once`).
    """
    mark = db.info.get(generation.KEY)
    if not mark or db.new or db.dirty or db.deleted or generation.wrote_workspace(db.connection()):
        return once(db, name, read)
    key = (str(db.get_bind().engine.url), name)
    held = _shared.get(key)
    if held is not None and held[0] == mark:
        answer: T = held[1]
        return answer
    value = read()
    _shared[key] = (mark, value)
    return value


def organisations(db: Session) -> list[Organisation]:
    """Every organisation (reference data: a few dozen rows), as copies of the rows (`shared`)."""
    return shared(
        db,
        "organisations",
        lambda: [
            Organisation(**{c: getattr(o, c) for c in _COLUMNS}) for o in db.exec(select(Organisation)).all()
        ],
    )


def _forget(session: Session, *_: Any) -> None:
    session.info.pop(_KEY, None)


for _name in ("after_flush", "after_commit", "after_rollback", "after_soft_rollback"):
    sa_event.listen(Session, _name, _forget)
