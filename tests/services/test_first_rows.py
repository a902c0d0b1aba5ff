"""Rows made on first use, when two requests both find none yet.

A track's home-change stamp and a government's settings exist at most once per key and
are created by the first change that needs them. Two requests that both read "no row"
both insert; the loser's INSERT meets the winner's committed key. The race is made exact
here: the winner's row is committed from another connection at the moment the loser's
session flushes its new row. Only PostgreSQL can interleave so: SQLite takes the write
lock at BEGIN, so a second writer waits and then reads the first one's row.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import event, text
from sqlmodel import Session, select

from server.db import get_engine
from server.models import GovernmentSetting, Initiative, InitiativeHomeChange
from server.services import admin
from server.services.errors import Conflict
from server.services.initiative_common import bump, last_change
from tests.factories import document, initiative, load, person


class FirstInsert:
    """Commits `statement` from another connection when the next flush adds a row of `model`."""

    def __init__(self) -> None:
        self.model: type | None = None
        self.statement = ""

    def arm(self, model: type, statement: str) -> None:
        self.model, self.statement = model, statement

    def __call__(self, session: Session, *_: object) -> None:
        if self.model is None or not any(isinstance(o, self.model) for o in session.new):
            return
        self.model = None
        with get_engine(write=True).begin() as other:
            other.execute(text(self.statement))


@pytest.fixture
def first_insert(db_backend: str) -> Iterator[FirstInsert]:
    if db_backend != "postgres":
        pytest.skip("SQLite takes the write lock at BEGIN: a second writer waits, it never overtakes")
    hook = FirstInsert()
    event.listen(Session, "before_flush", hook)
    yield hook
    event.remove(Session, "before_flush", hook)


def test_the_loser_of_the_first_home_stamp_stamps_over_the_winner(
    db: Session, first_insert: FirstInsert
) -> None:
    load(db, document(initiatives=[initiative("t1")]))
    actor = person(db, "varnia-mfa", "desk_officer")
    track = db.exec(select(Initiative).where(Initiative.key == "t1")).one()
    assert db.get(InitiativeHomeChange, track.id) is None
    first_insert.arm(
        InitiativeHomeChange,
        f"INSERT INTO initiative_home_change (initiative_id, updated_at) VALUES ({track.id}, '2020-01-01')",
    )
    bump(db, track, actor, internal=True)
    db.commit()
    stamp = db.get(InitiativeHomeChange, track.id, populate_existing=True)
    assert stamp is not None and stamp.updated_by_id == actor.id and stamp.updated_at.year > 2020
    assert last_change(db, track, home=True) == (stamp.updated_at, actor.id)


def test_the_loser_of_the_first_settings_save_gets_a_conflict(db: Session, first_insert: FirstInsert) -> None:
    load(db, document())
    actor = person(db, "varnia-mfa", "admin")
    first_insert.arm(
        GovernmentSetting,
        "INSERT INTO government_setting (government, share_level, version) VALUES ('varnia', 'comment', 1)",
    )
    with pytest.raises(Conflict):
        admin.save_settings(db, actor, {"share_level": "sign-off", "version": 0})
    db.rollback()
    assert admin.share_level(db, "varnia") == "comment"
    # The next save, from the version the winner left, goes through.
    admin.save_settings(db, actor, {"share_level": "sign-off", "version": 1})
    db.commit()
    assert admin.share_level(db, "varnia") == "sign-off"
