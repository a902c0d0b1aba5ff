"""Reads a unit of work repeats, answered once while nothing in it has changed.

A page asks the same questions of the database several times (every organisation, the
sign-off rule's inputs for its track) from services that do not know of one another.
`once` keeps the first answer in the session for as long as the session has written
nothing: any pending change, flush, commit or rollback forgets every answer, so a read
after a write always goes to the database.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Hashable
from typing import Any, TypeVar

from sqlalchemy import event as sa_event
from sqlmodel import Session, select

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


def of_tracks(
    name: str,
) -> Callable[[Callable[[Session, Collection[int]], T]], Callable[[Session, Collection[int]], T]]:
    """Decorate a read of some tracks' rows so that it runs once per unit of work and set of tracks."""

    def wrap(read: Callable[[Session, Collection[int]], T]) -> Callable[[Session, Collection[int]], T]:
        @functools.wraps(read)
        def cached(db: Session, initiative_ids: Collection[int]) -> T:
            return once(db, (name, frozenset(initiative_ids)), lambda: read(db, initiative_ids))

        return cached

    return wrap


def organisations(db: Session) -> list[Organisation]:
    """Every organisation (reference data: a few dozen rows), read once per unit of work."""
    return once(db, "organisations", lambda: list(db.exec(select(Organisation)).all()))


def _forget(session: Session, *_: Any) -> None:
    session.info.pop(_KEY, None)


for _name in ("after_flush", "after_commit", "after_rollback", "after_soft_rollback"):
    sa_event.listen(Session, _name, _forget)
