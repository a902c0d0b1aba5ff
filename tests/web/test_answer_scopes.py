"""Kept answers follow the tracks they were drawn from, not the whole workspace.

A change to one track moves that track's mark (`server.generation`); a change to what
every answer may show (people, organisations, sharing, a track's own fields) moves the
workspace's. A kept answer about one track is retired by either kind of change to what
it read, and outlives changes to tracks it did not read. These tests check which marks
each kind of write moves, then read pages and API answers around writes to their own
track, to a linked track and to an unrelated one.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, text, update
from sqlmodel import Session, select

from server import generation
from server.app import create_app
from server.db import get_engine
from server.models import (
    Alert,
    AlertInitiative,
    Comment,
    CoordinationLink,
    Initiative,
    InitiativeParty,
    OutboxRow,
    User,
    WorkspaceMeta,
)
from server.services import answers, sessions
from tests.factories import document, initiative, load, person
from tests.web.conftest import sign_in

# Every test here runs on SQLite and on PostgreSQL, with an empty answer cache.
pytestmark = pytest.mark.usefixtures("fresh_answers")


@pytest.fixture
def tracks(db: Session) -> dict[str, int]:
    load(
        db,
        document(
            initiatives=[
                initiative("t1", title="Access talks for the northern valleys"),
                initiative("t2", title="Water for the river towns", aims=["clean water for the river towns"]),
                initiative(
                    "t3", title="Release of detained nurses", aims=["release of detained medical staff"]
                ),
            ]
        ),
    )
    out = {t.key: t.id for t in db.exec(select(Initiative)).all()}
    db.commit()
    return out  # type: ignore[return-value]


def _marks() -> dict[str, str]:
    with Session(get_engine()) as s:
        return {row.key: row.value for row in s.exec(select(WorkspaceMeta)).all()}


def _moved(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {k for k in set(before) | set(after) if before.get(k) != after.get(k)}


def _track(i: int) -> str:
    return generation.scope_key(i)


def test_each_kind_of_change_moves_the_marks_of_what_it_changed(db: Session, tracks: dict[str, int]) -> None:
    t1, t2, t3 = tracks["t1"], tracks["t2"], tracks["t3"]
    someone = person(db, "varnia-mfa", "desk_officer")
    db.commit()

    def change(work: object) -> set[str]:
        before = _marks()
        with Session(get_engine(write=True)) as s:
            work(s)  # type: ignore[operator]
            s.commit()
        return _moved(before, _marks())

    assert change(lambda s: s.exec(select(User)).all()) == set()  # a read moves nothing
    # What belongs to one track moves that track's mark only.
    assert change(
        lambda s: s.add(
            Comment(
                initiative_id=t1, author_id=someone.id, org_id=someone.organisation_id, text="Convoy at dawn"
            )
        )
    ) == {_track(t1)}
    # The stamp of a track's last change is its own; its title is shown on other tracks' pages.
    assert change(
        lambda s: s.execute(update(Initiative).where(Initiative.id == t2).values(title="Renamed"))
    ) == {generation.KEY}

    def stamp(s: Session) -> None:
        row = s.get(Initiative, t2)
        assert row is not None
        row.updated_by_id = someone.id
        s.add(row)

    assert change(stamp) == {_track(t2)}

    def rename(s: Session) -> None:
        row = s.get(Initiative, t2)
        assert row is not None
        row.title = "Water and sanitation for the river towns"
        s.add(row)

    assert change(rename) == {generation.KEY}
    # A link moves both tracks it links.
    lo, hi = sorted((t1, t3))
    assert change(lambda s: s.add(CoordinationLink(a_id=lo, b_id=hi))) == {_track(t1), _track(t3)}
    # A Core statement naming its tracks moves theirs; one that names none, the workspace's.
    assert change(
        lambda s: s.execute(
            delete(InitiativeParty)
            .where(InitiativeParty.initiative_id == t3)
            .execution_options(**{generation.SCOPES: (t3,)})
        )
    ) == {_track(t3)}
    assert change(
        lambda s: s.execute(delete(InitiativeParty).where(InitiativeParty.initiative_id == t1))
    ) == {generation.KEY}
    assert change(
        lambda s: s.execute(text("UPDATE person SET name = name || ' ' WHERE id = :i"), {"i": someone.id})
    ) == {generation.KEY}
    # What no kept answer shows moves nothing.
    assert change(lambda s: s.add(OutboxRow(task="test", payload={}))) == set()

    # An alert moves the marks of every track it is on.
    def alert(s: Session) -> None:
        row = Alert(
            principle="N4",
            kind="parallel_tracks",
            fingerprint="scopes-test",
            subjects=["t1", "t2"],
            severity="warning",
            message="Two tracks on one question",
            evidence_hash="x",
        )
        s.add(row)
        s.flush()
        s.add(AlertInitiative(alert_id=row.id, initiative_id=t1))
        s.add(AlertInitiative(alert_id=row.id, initiative_id=t2))

    assert change(alert) == {_track(t1), _track(t2)}

    def resolve(s: Session) -> None:
        row = s.exec(select(Alert).where(Alert.fingerprint == "scopes-test")).one()
        row.status = "resolved"
        s.add(row)

    assert change(resolve) == {_track(t1), _track(t2)}


def _get(c: TestClient, url: str, **headers: str) -> tuple[int, str]:
    r = c.get(url, headers=headers)
    return r.status_code, r.text


def test_a_kept_answer_outlives_changes_to_other_tracks_and_not_to_its_own(
    db: Session, tracks: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    t1, t2 = tracks["t1"], tracks["t2"]
    owner = person(db, "varnia-mfa", "desk_officer")
    token = sessions.create_api_token(db, owner, "test")
    db.commit()
    api = {"Authorization": f"Bearer {token}"}
    lookup = answers.lookup
    with TestClient(create_app(), follow_redirects=False) as c:
        sign_in(c, owner.email)
        page, read = f"/initiatives/{t1}", f"/api/v1/initiatives/{t1}"
        first_page, first_api = _get(c, page), _get(c, read, **api)
        assert first_page[0] == 200 and first_api[0] == 200

        # A comment on another track: t1's answers are still given by the middleware.
        r = c.post(f"/api/v1/initiatives/{t2}/comments", headers=api, json={"text": "Pumps arrived"})
        assert r.status_code == 201, r.text

        def no_route(*_args: object) -> None:
            raise AssertionError("a kept answer went through the route")

        monkeypatch.setattr(answers, "lookup", no_route)
        assert _get(c, page) == first_page
        assert _get(c, read, **api) == first_api

        # A comment on t1 itself: the next read is drawn again and shows it.
        monkeypatch.setattr(answers, "lookup", lookup)
        r = c.post(f"/api/v1/initiatives/{t1}/comments", headers=api, json={"text": "Convoy left at dawn"})
        assert r.status_code == 201, r.text
        assert "Convoy left at dawn" in _get(c, page)[1]
        assert "Convoy left at dawn" in c.get(read, headers=api).text
        # A change to what every page may show (the track's title) retires them too.
        with Session(get_engine(write=True)) as s:
            row = s.get(Initiative, t1)
            assert row is not None
            row.title = "Convoy corridor talks"
            s.add(row)
            s.commit()
        assert "Convoy corridor talks" in _get(c, page)[1]


def test_an_answer_that_reads_a_linked_track_follows_that_track_too(
    db: Session, tracks: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    t1, t3 = tracks["t1"], tracks["t3"]
    lo, hi = sorted((t1, t3))
    db.add(CoordinationLink(a_id=lo, b_id=hi))
    owner = person(db, "varnia-mfa", "desk_officer")
    token = sessions.create_api_token(db, owner, "test")
    db.commit()
    api = {"Authorization": f"Bearer {token}"}
    page = f"/initiatives/{t1}"
    lookup = answers.lookup
    drawn: list[str] = []

    def counted(*args: object) -> object:
        drawn.append("route")
        return lookup(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(answers, "lookup", counted)
    with TestClient(create_app(), follow_redirects=False) as c:
        sign_in(c, owner.email)
        first = _get(c, page)
        assert first[0] == 200 and "Release of detained nurses" in first[1]
        # The first drawing learnt that the page reads t3's link; from the second it is kept.
        _get(c, page)
        _get(c, page)
        assert len(drawn) == 2
        # A comment on t3 changes what t3 is, and the page that read its link is drawn again.
        r = c.post(f"/api/v1/initiatives/{t3}/comments", headers=api, json={"text": "Names exchanged"})
        assert r.status_code == 201, r.text
        assert _get(c, page)[0] == 200
        assert len(drawn) == 3
        # Renaming t3 moves the workspace's mark: t1's page shows the new name.
        with Session(get_engine(write=True)) as s:
            s.execute(
                update(Initiative).where(Initiative.id == t3).values(title="Release of detained medics")
            )
            s.commit()
        assert "Release of detained medics" in _get(c, page)[1]


def test_a_renamed_organisation_reaches_the_next_answer_of_every_track(
    db: Session, tracks: dict[str, int]
) -> None:
    """Organisations are read once per process while the workspace's mark stands (`memo`)."""
    from server.models import Organisation

    owner = person(db, "varnia-mfa", "desk_officer")
    db.commit()
    org = db.exec(select(Organisation).where(Organisation.key == "varnia-mfa")).one()
    db.commit()  # the fixture's session holds SQLite's write lock until it ends its transaction
    with TestClient(create_app(), follow_redirects=False) as c:
        sign_in(c, owner.email)
        for key in ("t1", "t2"):
            first = _get(c, f"/initiatives/{tracks[key]}")
            assert first[0] == 200 and org.name in first[1]
            assert _get(c, f"/initiatives/{tracks[key]}") == first
        with Session(get_engine(write=True)) as s:
            row = s.get(Organisation, org.id)
            assert row is not None
            row.name = "Ministry of External Relations of Varnia"
            s.add(row)
            s.commit()
        for key in ("t1", "t2"):
            page = _get(c, f"/initiatives/{tracks[key]}")[1]
            assert "Ministry of External Relations of Varnia" in page
