"""Session rules in the browser: fixation, sign-out, timeouts, CSRF and the sign-in throttle."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlmodel import col, select

from server.models import AuthSession
from server.models.base import utcnow
from tests.web.conftest import PASSWORD, csrf_of, signin_form

EMAIL = "desk_officer.varnia-mfa@example.test"


def _signed_in(client) -> bool:  # type: ignore[no-untyped-def]
    return client.get("/initiatives").status_code == 200


def test_session_id_changes_at_sign_in(client, workspace) -> None:  # type: ignore[no-untyped-def]
    planted = "planted-by-someone-else"
    client.cookies.set("accord", planted)
    assert not _signed_in(client)
    r = client.post("/signin", data=signin_form(client, EMAIL, PASSWORD))
    assert r.status_code == 303
    first = r.cookies.get("accord")
    assert first and first != planted
    client.cookies.clear()
    r = client.post("/signin", data=signin_form(client, EMAIL, PASSWORD))
    assert r.cookies.get("accord") not in (None, first)
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_sign_out_refuses_the_old_cookie(client, workspace, login) -> None:  # type: ignore[no-untyped-def]
    token = login(EMAIL)
    old = client.cookies.get("accord")
    r = client.post("/signout", data={"csrf_token": token})
    assert r.status_code == 303
    client.cookies.clear()
    client.cookies.set("accord", old)
    r = client.get("/initiatives")
    assert r.status_code == 303 and r.headers["location"].startswith("/signin")


def test_sign_out_my_other_sessions(app, client, workspace, login) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    with TestClient(app, follow_redirects=False) as other:
        other.post("/signin", data=signin_form(other, EMAIL, PASSWORD))
        assert _signed_in(other)
        token = login(EMAIL)
        r = client.post("/signout-others", data={"csrf_token": token})
        assert r.status_code == 200 and "1 other session" in r.text
        assert not _signed_in(other)
        assert _signed_in(client)


def test_idle_timeout(client, db, workspace, login) -> None:  # type: ignore[no-untyped-def]
    login(EMAIL)
    db.execute(update(AuthSession).values(last_seen_at=utcnow() - timedelta(minutes=61)))
    db.commit()
    assert not _signed_in(client)


def test_absolute_timeout(client, db, workspace, login) -> None:  # type: ignore[no-untyped-def]
    login(EMAIL)
    db.execute(update(AuthSession).values(created_at=utcnow() - timedelta(hours=13)))
    db.commit()
    assert not _signed_in(client)


def test_activity_keeps_a_session_alive(client, db, workspace, login) -> None:  # type: ignore[no-untyped-def]
    login(EMAIL)
    db.execute(update(AuthSession).values(last_seen_at=utcnow() - timedelta(minutes=59)))
    db.commit()
    assert _signed_in(client)
    db.expire_all()
    seen = db.exec(select(AuthSession.last_seen_at).where(col(AuthSession.ended_at).is_(None))).all()
    assert max(seen) > utcnow() - timedelta(minutes=5)


def test_form_post_without_csrf_token_is_refused(client, db, workspace, login) -> None:  # type: ignore[no-untyped-def]
    login(EMAIL)
    data = {"title": "Convoy talks", "kind": "humanitarian", "crisis_id": "1", "status": "active"}
    r = client.post("/initiatives/new", data=data)
    assert r.status_code == 403
    assert "Form expired" in r.text and "Traceback" not in r.text
    r = client.post("/initiatives/new", data={**data, "csrf_token": "not-the-token"})
    assert r.status_code == 403
    token = csrf_of(client.get("/initiatives/new").text)
    r = client.post("/initiatives/new", data={**data, "csrf_token": token})
    assert r.status_code == 303


def test_htmx_post_carries_the_token_in_a_header(client, workspace, login) -> None:  # type: ignore[no-untyped-def]
    token = login(EMAIL)
    data = {"title": "Convoy talks", "kind": "humanitarian", "crisis_id": "1", "status": "active"}
    r = client.post("/initiatives/new", data=data, headers={"HX-Request": "true", "X-CSRF-Token": token})
    assert r.status_code == 204 and r.headers["HX-Redirect"].startswith("/initiatives/")


def test_sign_in_throttle(client, workspace) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        r = client.post("/signin", data=signin_form(client, EMAIL, "wrong password"))
        assert r.status_code == 400 and "The email or password is not right." in r.text
    r = client.post("/signin", data=signin_form(client, EMAIL, PASSWORD))
    assert r.status_code == 400 and "Too many failed sign-ins" in r.text
    assert client.cookies.get("accord") is None


def test_sign_in_never_tells_whether_an_account_exists(client, workspace) -> None:  # type: ignore[no-untyped-def]
    a = client.post("/signin", data=signin_form(client, "nobody@example.test", "wrong password"))
    b = client.post("/signin", data=signin_form(client, EMAIL, "wrong password"))
    assert a.status_code == b.status_code == 400
    assert "The email or password is not right." in a.text and "The email or password is not right." in b.text
