"""Answers reused while nothing changed: never across readers, never after a write or a day.

`server.services.answers` keeps the track page, its fragments and the API read of a
track per session (or token) and write generation. These tests read the same answers
twice (the second from the cache, which they check by counting statements), then change
something and read again.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, update
from sqlmodel import Session, select

from server.app import create_app
from server.db import get_engine
from server.models import Initiative
from server.services import answers, sessions, users
from tests.factories import document, initiative, load, person
from tests.web.conftest import sign_in

SECRET_STAFF_UNTIL = "2027-03-14"
SECRET_TOOL = "Freeze of the Deltan shipping registry"


# Every test here runs on SQLite and on PostgreSQL, with an empty answer cache.
pytestmark = pytest.mark.usefixtures("fresh_answers")


@pytest.fixture
def track(db: Session) -> Initiative:
    load(
        db,
        document(
            initiatives=[
                initiative(
                    "t1",
                    title="Access talks for the northern valleys",
                    shared_with=[{"government": "ostmark", "level": "comment"}],
                    staff=[{"org": "varnia-dev", "fte": 0.7, "until": SECRET_STAFF_UNTIL, "internal": True}],
                    leverage=[
                        {
                            "kind": "sanction",
                            "description": SECRET_TOOL,
                            "org": "varnia-fin",
                            "internal": True,
                        }
                    ],
                )
            ]
        ),
    )
    return db.exec(select(Initiative).where(Initiative.key == "t1")).one()


def _read(client: TestClient, url: str, **headers: str) -> tuple[int, str, int]:
    """Status, body and the number of statements the read sent to the database (beside BEGIN).

    Counted at the driver, below SQLAlchemy, so that the answer cache's plain statements
    (`sessions.identities`) count like everything else.
    """
    seen: list[str] = []
    engines = {get_engine(), get_engine(write=True)}
    watch, unwatch = _counting(seen), _uncounting()
    for e in engines:
        event.listen(e.pool, "checkout", watch)
        event.listen(e.pool, "checkin", unwatch)
    try:
        r = client.get(url, headers=headers)
    finally:
        for e in engines:
            event.remove(e.pool, "checkout", watch)
            event.remove(e.pool, "checkin", unwatch)
    return r.status_code, r.text, len([s for s in seen if s.strip().upper() not in ("BEGIN", "ROLLBACK")])


def _counting(seen: list[str]) -> Any:
    def watch(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
        if isinstance(dbapi_conn, sqlite3.Connection):
            dbapi_conn.set_trace_callback(seen.append)
        else:

            class Counted(psycopg.Cursor):  # type: ignore[type-arg]
                def execute(self, query: Any, *args: Any, **kwargs: Any) -> Any:
                    seen.append(str(query))
                    return super().execute(query, *args, **kwargs)

            dbapi_conn.cursor_factory = Counted

    return watch


def _uncounting() -> Any:
    def unwatch(dbapi_conn: Any, _record: Any) -> None:
        if isinstance(dbapi_conn, sqlite3.Connection):
            dbapi_conn.set_trace_callback(None)
        else:
            dbapi_conn.cursor_factory = psycopg.Cursor

    return unwatch


def test_a_repeated_read_is_answered_from_the_cache_with_the_same_bytes(
    db: Session, track: Initiative
) -> None:
    owner = person(db, "varnia-mfa", "desk_officer")
    with TestClient(create_app(), follow_redirects=False) as c:
        sign_in(c, owner.email)
        for url, headers in (
            (f"/initiatives/{track.id}", {}),
            (f"/initiatives/{track.id}", {"HX-Request": "true", "HX-Target": "decision_log"}),
        ):
            first = _read(c, url, **headers)
            again = _read(c, url, **headers)
            assert first[0] == again[0] == 200
            assert again[1] == first[1]
            # A hit is one statement: the reader's identity with the marks it is kept under.
            assert again[2] == 1, (url, headers, first[2], again[2])
        # The fragment and the page are different answers under one URL.
        assert (
            _read(c, f"/initiatives/{track.id}")[1]
            != _read(c, f"/initiatives/{track.id}", **{"HX-Request": "true", "HX-Target": "decision_log"})[1]
        )


def test_a_write_by_another_process_is_seen_by_the_next_read(
    db: Session, db_url: str, track: Initiative
) -> None:
    owner = person(db, "varnia-mfa", "desk_officer")
    token = sessions.create_api_token(db, owner, "test")
    db.commit()
    api = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(), follow_redirects=False) as c:
        sign_in(c, owner.email)
        assert "Access talks for the northern valleys" in _read(c, f"/initiatives/{track.id}")[1]
        assert (
            "Access talks for the northern valleys"
            in c.get(f"/api/v1/initiatives/{track.id}", headers=api).text
        )
        status, _, cheap = _read(c, f"/api/v1/initiatives/{track.id}", **api)
        assert status == 200 and cheap == 1
        # Another process (its own engine, its own cache) renames the track.
        script = (
            "from sqlalchemy import update\n"
            "from server.db import session_scope\n"
            "from server.models import Initiative\n"
            "with session_scope() as db:\n"
            "    db.execute(update(Initiative).where(Initiative.key == 't1').values(title='Convoy corridor talks'))\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", script], env=dict(os.environ), capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        page = _read(c, f"/initiatives/{track.id}")[1]
        assert "Convoy corridor talks" in page and "Access talks for the northern valleys" not in page
        body = c.get(f"/api/v1/initiatives/{track.id}", headers=api).json()
        assert body["title"] == "Convoy corridor talks"


def test_a_write_through_the_app_is_seen_at_once(db: Session, track: Initiative) -> None:
    owner = person(db, "varnia-mfa", "desk_officer")
    token = sessions.create_api_token(db, owner, "test")
    db.commit()
    api = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(), follow_redirects=False) as c:
        before = c.get(f"/api/v1/initiatives/{track.id}", headers=api).json()
        c.get(f"/api/v1/initiatives/{track.id}", headers=api)
        r = c.post(
            f"/api/v1/initiatives/{track.id}/comments",
            headers=api,
            json={"text": "The convoy left at dawn"},
        )
        assert r.status_code == 201, r.text
        after = c.get(f"/api/v1/initiatives/{track.id}", headers=api).json()
        assert [x["text"] for x in after["comments"]] == [
            *(x["text"] for x in before["comments"]),
            "The convoy left at dawn",
        ]


def test_a_partners_answer_never_serves_another_audience(db: Session, track: Initiative) -> None:
    owner = person(db, "varnia-mfa", "desk_officer")
    partner = person(db, "ostmark-fa", "desk_officer")
    outsider = person(db, "varnia-dev", "field_contributor")
    app = create_app()
    with (
        TestClient(app, follow_redirects=False) as home,
        TestClient(app, follow_redirects=False) as abroad,
        TestClient(app, follow_redirects=False) as other,
    ):
        sign_in(home, owner.email)
        sign_in(abroad, partner.email)
        sign_in(other, outsider.email)
        url = f"/initiatives/{track.id}"
        # The partner reads first (and again, from the cache); then the home reads.
        for _ in range(2):
            status, body, _n = _read(abroad, url)
            assert status == 200
            assert SECRET_TOOL not in body and SECRET_STAFF_UNTIL not in body
        status, home_body, _n = _read(home, url)
        assert status == 200 and SECRET_TOOL in home_body
        # The home reads first and a partner after: the partner still gets its own answer.
        answers.reset()
        _read(home, url)
        _read(home, url)
        status, body, _n = _read(abroad, url)
        assert status == 200 and SECRET_TOOL not in body and SECRET_STAFF_UNTIL not in body
        # A field contributor of the owner's government has no home and no grant: 404.
        status, body, _n = _read(other, url)
        assert status == 404 and "Access talks" not in body


def test_two_sessions_of_one_person_each_get_their_own_csrf_token(db: Session, track: Initiative) -> None:
    owner = person(db, "varnia-mfa", "desk_officer")
    app = create_app()
    with TestClient(app, follow_redirects=False) as a, TestClient(app, follow_redirects=False) as b:
        token_a = sign_in(a, owner.email)
        token_b = sign_in(b, owner.email)
        assert token_a != token_b
        url = f"/initiatives/{track.id}"
        for _ in range(2):
            assert token_a in _read(a, url)[1]
            page_b = _read(b, url)[1]
            assert token_b in page_b and token_a not in page_b


def test_revocation_sign_out_and_deactivation_take_effect_at_once(db: Session, track: Initiative) -> None:
    owner = person(db, "varnia-mfa", "desk_officer")
    colleague = person(db, "varnia-mfa", "coordinator", email="colleague@example.test")
    token = sessions.create_api_token(db, owner, "test")
    other_token = sessions.create_api_token(db, colleague, "test")
    db.commit()
    url = f"/initiatives/{track.id}"
    with (
        TestClient(create_app(), follow_redirects=False) as c,
        TestClient(create_app(), follow_redirects=False) as d,
    ):
        api = {"Authorization": f"Bearer {token}"}
        for _ in range(2):
            assert c.get(f"/api/v1/initiatives/{track.id}", headers=api).status_code == 200
        sessions.revoke_api_token(db, sessions.ref_of(token), owner.id)
        db.commit()
        assert c.get(f"/api/v1/initiatives/{track.id}", headers=api).status_code == 401

        csrf = sign_in(c, owner.email)
        for _ in range(2):
            assert _read(c, url)[0] == 200
        assert c.post("/signout", data={"csrf_token": csrf}).status_code == 303
        status, body, _n = _read(c, url)
        assert status == 303 and "Access talks" not in body

        sign_in(d, colleague.email)
        other_api = {"Authorization": f"Bearer {other_token}"}
        for _ in range(2):
            assert _read(d, url)[0] == 200
            assert d.get(f"/api/v1/initiatives/{track.id}", headers=other_api).status_code == 200
        users.deactivate(db, db.get(type(colleague), colleague.id))
        db.commit()
        status, body, _n = _read(d, url)
        assert status == 303 and "Access talks" not in body
        assert d.get(f"/api/v1/initiatives/{track.id}", headers=other_api).status_code == 401


def test_an_answer_of_yesterday_is_not_given_today() -> None:
    cache = answers.AnswerCache(entries=10, max_bytes=1 << 20)
    key = ("session", "s1", 1, "http", "x", "/initiatives/1", b"", None, None, None, None, None)
    today = answers.day()
    cache.put(key, answers.Stored("g7", "2026-01-01/2026-01-01", 200, (), b"yesterday's page"))
    assert cache.get(key, "g7", today) is None
    cache.put(key, answers.Stored("g7", today, 200, (), b"today's page"))
    stored = cache.get(key, "g7", today)
    assert stored is not None and stored.body == b"today's page"
    # Another generation (a write anywhere) retires it.
    assert cache.get(key, "g8", today) is None
    assert cache.get(key, "g7", today) is None


def test_the_cache_stays_within_its_bounds() -> None:
    cache = answers.AnswerCache(entries=3, max_bytes=250)
    today = answers.day()
    for n in range(10):
        cache.put(("k", n), answers.Stored("g1", today, 200, (), b"x" * 100))
    assert len(cache) == 2 and cache.size == 200
    assert cache.get(("k", 9), "g1", today) is not None and cache.get(("k", 0), "g1", today) is None


def test_the_generation_moves_with_every_committed_change_and_not_with_reads(
    db: Session, track: Initiative
) -> None:
    from server import generation
    from server.models import WorkspaceMeta

    def current() -> str:
        with Session(get_engine()) as s:
            row = s.get(WorkspaceMeta, generation.KEY)
            return row.value if row else ""

    db.commit()  # the fixture's session holds SQLite's write lock until it ends its transaction
    start = current()
    assert start  # the migrations and the workspace's load were changes
    with Session(get_engine(write=True)) as s:
        s.exec(select(Initiative)).all()
        s.commit()
    assert current() == start  # a read commits nothing new
    with Session(get_engine(write=True)) as s:
        s.execute(update(Initiative).where(Initiative.key == "nobody").values(title="x"))
        s.commit()
    assert current() == start  # a change that touched no row changed nothing
    with Session(get_engine(write=True)) as s:
        s.execute(update(Initiative).where(Initiative.key == "t1").values(title="Renamed"))
        s.rollback()
    assert current() == start  # rolled back
    marks = {start}
    for title in ("Renamed", "Renamed again"):
        with Session(get_engine(write=True)) as s:
            s.execute(update(Initiative).where(Initiative.key == "t1").values(title=title))
            s.commit()
        assert current() not in marks  # every change writes a mark never seen before
        marks.add(current())

    # A session's activity stamp is shown by no kept answer, and does not move it.
    owner = person(db, "varnia-mfa", "desk_officer")
    signed = sessions.sign_in(db, owner.email, "correct horse battery", "127.0.0.1", "test")
    db.commit()
    moved = current()
    assert moved not in marks  # the person and the sign-in were changes
    with Session(get_engine(write=True)) as s:
        sessions.touch_id(s, signed.session.id)
        s.commit()
    assert current() == moved


def test_a_connection_lost_mid_transaction_still_rolls_back(db: Session) -> None:
    """The generation's listeners never stand in the way of rolling back a dead connection."""
    from sqlalchemy import text

    db.commit()
    with get_engine(write=True).connect() as conn:
        conn.begin()
        conn.execute(text("UPDATE workspace_meta SET value = value WHERE key = 'nothing'"))
        conn.invalidate()
        conn.rollback()
        assert conn.invalidated


def test_a_kept_answer_is_given_before_routing_with_two_statements(
    db: Session, track: Initiative, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hit is answered by the middleware: authentication (with the workspace's mark) and the
    marks of the tracks the answer was drawn from, nothing of the route."""
    from server.models import AuthSession
    from server.settings import get_settings

    owner = person(db, "varnia-mfa", "desk_officer")
    token = sessions.create_api_token(db, owner, "test")
    db.commit()
    api = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(), follow_redirects=False) as c:
        sign_in(c, owner.email)
        page_url, api_url = f"/initiatives/{track.id}", f"/api/v1/initiatives/{track.id}"
        first_page, first_api = _read(c, page_url), _read(c, api_url, **api)

        def no_route(*_args: object) -> None:
            raise AssertionError("a kept answer went through the route")

        monkeypatch.setattr(answers, "lookup", no_route)
        again_page, again_api = _read(c, page_url), _read(c, api_url, **api)
        assert again_page[:2] == first_page[:2] and again_api[:2] == first_api[:2]
        assert again_page[2] <= 3 and again_api[2] <= 3, (again_page[2], again_api[2])
        # A kept answer still stamps the session's activity, after the answer.
        monkeypatch.setattr(get_settings(), "session_touch_seconds", 0)
        with Session(get_engine()) as s:
            before = max(r.last_seen_at for r in s.exec(select(AuthSession)).all())
        assert _read(c, page_url)[0] == 200
        with Session(get_engine()) as s:
            assert max(r.last_seen_at for r in s.exec(select(AuthSession)).all()) > before
        # A conditional request and no-cache are answered by the route (which says so).
        monkeypatch.undo()
        calls: list[int] = []
        real = answers.lookup

        def counted(*args: object) -> object:
            calls.append(1)
            return real(*args)  # type: ignore[arg-type]

        monkeypatch.setattr(answers, "lookup", counted)
        assert _read(c, page_url, **{"Cache-Control": "no-cache"})[0] == 200
        assert _read(c, api_url, **{**api, "If-None-Match": '"x"'})[0] in (200, 304)
        assert len(calls) == 2


def _herd(track_id: int, token: str, asking: int) -> list[tuple[int, bytes]]:
    """`asking` reads of one track's API answer at once, through the ASGI app."""
    import asyncio

    import httpx

    app = create_app()

    async def run() -> list[tuple[int, bytes]]:
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 5000))
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://test") as client,
        ):
            got = await asyncio.gather(
                *(
                    client.get(
                        f"/api/v1/initiatives/{track_id}", headers={"Authorization": f"Bearer {token}"}
                    )
                    for _ in range(asking)
                )
            )
        return [(r.status_code, r.content) for r in got]

    return asyncio.run(run())


def test_a_herd_of_misses_draws_the_answer_once(
    db: Session, track: Initiative, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from server.services import initiatives

    owner = person(db, "varnia-mfa", "desk_officer")
    token = sessions.create_api_token(db, owner, "test")
    db.commit()
    drawn: list[int] = []
    view = initiatives.view

    def slow_view(*args: object, **kwargs: object) -> object:
        drawn.append(1)
        time.sleep(0.3)  # long enough for every other request to arrive while it is drawn
        return view(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(initiatives, "view", slow_view)
    got = _herd(track.id or 0, token, 6)
    assert [s for s, _ in got] == [200] * 6
    assert len({b for _, b in got}) == 1
    assert len(drawn) == 1, len(drawn)

    # The wait is bounded: past it, each draws the answer itself.
    answers.reset()
    drawn.clear()
    monkeypatch.setattr(answers, "HERD_WAIT", 0.01)
    got = _herd(track.id or 0, token, 3)
    assert [s for s, _ in got] == [200] * 3
    assert len(drawn) == 3, len(drawn)
