"""The loser of an optimistic-lock race on a form gets the 409 conflict form, never a 500.

Two people save from the same version: both pass the version check, and the loser's
UPDATE (`... WHERE version = v`) matches no row because the winner committed between
its read and its write. On PostgreSQL the loser's transaction is then unusable until it
rolls back, so the conflict form must be rendered from a fresh session. The race is
made exact here: the winner's change is committed from another connection at the
moment the loser's session flushes.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, text
from sqlmodel import Session, select

from server.app import create_app
from server.db import get_engine
from server.models import Initiative, RedLine
from tests.factories import document, initiative, load, person
from tests.web.conftest import sign_in


class Winner:
    """Commits a concurrent save from another connection when the next request flushes."""

    def __init__(self) -> None:
        self.statement: str | None = None

    def arm(self, statement: str) -> None:
        self.statement = statement

    def __call__(self, session: Session, *_: object) -> None:
        # The moment the loser writes the track or its item, after its version check.
        if self.statement is None or not any(isinstance(o, (Initiative, RedLine)) for o in session.dirty):
            return
        statement, self.statement = self.statement, None
        with get_engine(write=True).begin() as other:
            other.execute(text(statement))


@pytest.fixture
def winner() -> Iterator[Winner]:
    hook = Winner()
    event.listen(Session, "before_flush", hook)
    yield hook
    event.remove(Session, "before_flush", hook)


@pytest.fixture
def race(db: Session, db_backend: str) -> dict[str, int]:
    if db_backend != "postgres":
        pytest.skip("SQLite takes the write lock at BEGIN: a second writer waits, it never overtakes")
    load(
        db,
        document(
            initiatives=[
                initiative("t1", red_lines=[{"text": "Pause if convoys are taxed", "trigger": "pause"}])
            ]
        ),
    )
    person(db, "varnia-mfa", "desk_officer")
    track = db.exec(select(Initiative).where(Initiative.key == "t1")).one()
    line = db.exec(select(RedLine).where(RedLine.initiative_id == track.id)).one()
    ids = {"track": track.id, "version": track.version, "line": line.id, "line_version": line.version}
    db.commit()
    return ids  # type: ignore[return-value]


@pytest.fixture
def client(db_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(), follow_redirects=False, raise_server_exceptions=False) as c:
        yield c


def test_the_loser_of_an_edit_race_gets_the_conflict_form(client, race, winner) -> None:  # type: ignore[no-untyped-def]
    token = sign_in(client, "desk_officer.varnia-mfa@example.test")
    form = client.get(f"/initiatives/{race['track']}/edit")
    assert form.status_code == 200
    winner.arm(
        f"UPDATE initiative SET version = version + 1, title = 'Saved first' WHERE id = {race['track']}"
    )
    answer = client.post(
        f"/initiatives/{race['track']}/edit",
        data={
            "csrf_token": token,
            "version": str(race["version"]),
            "title": "Saved second",
            "kind": "humanitarian",
            "crisis_id": "1",
            "status": "active",
        },
    )
    assert answer.status_code == 409, answer.text
    assert "Someone else saved" in answer.text
    with Session(get_engine()) as fresh:
        assert fresh.get(Initiative, race["track"]).title == "Saved first"


def test_the_loser_of_a_line_edit_race_gets_the_conflict_form(client, race, winner) -> None:  # type: ignore[no-untyped-def]
    token = sign_in(client, "desk_officer.varnia-mfa@example.test")
    url = f"/initiatives/{race['track']}/red_lines/{race['line']}/edit"
    assert client.get(url).status_code == 200
    winner.arm(f"UPDATE red_line SET version = version + 1, text = 'Saved first' WHERE id = {race['line']}")
    answer = client.post(
        url,
        data={
            "csrf_token": token,
            "version": str(race["line_version"]),
            "text": "Withdraw if convoys are taxed",
            "trigger": "withdraw",
        },
    )
    assert answer.status_code == 409, answer.text
    assert "Someone else" in answer.text
    with Session(get_engine()) as fresh:
        assert fresh.get(RedLine, race["line"]).text == "Saved first"
