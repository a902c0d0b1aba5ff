"""API tokens: scoped, expiring, revocable, bound to their owner, never minting tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlmodel import Session, col, select

from server.models import ApiToken, Initiative, Organisation, User
from server.models.base import utcnow
from server.services import decisions, sessions
from tests.factories import person
from tests.web.conftest import csrf_of

pytestmark = pytest.mark.usefixtures("db_backend")


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _token(db: Session, user: User, *scopes: str, days: int = 30) -> str:
    token = sessions.create_api_token(db, user, "a script", scopes, days)
    db.commit()
    return token


def _track_id(db: Session, key: str = "t1") -> int:
    """The track's id; the read ends at once, so the test holds no lock while the app writes."""
    tid = db.exec(select(Initiative.id).where(Initiative.key == key)).one()
    db.rollback()
    assert tid is not None
    return tid


def _stored_tokens() -> list[ApiToken]:
    """The token rows as stored, read apart from the test's own (write) session."""
    from server.db import get_engine

    with Session(get_engine()) as s:
        return list(s.exec(select(ApiToken)).all())


def _problem(r: Any, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = r.json()
    assert body["status"] == status and body["detail"]
    return body


def _decision_for_fin(db: Session, workspace: dict[str, User]) -> tuple[User, int]:
    """A decision on t1 that asks Varnia's finance ministry to sign off, and a desk officer there."""
    fin = db.exec(select(Organisation.id).where(Organisation.key == "varnia-fin")).one()
    tid = _track_id(db)
    entry = decisions.log(
        db, workspace["mfa"], tid, {"text": "Ask for weekly convoys", "date": "2026-05-20", "touches": [fin]}
    )
    entry_id = entry.id
    db.commit()
    signer = db.exec(select(User).where(User.email == "desk_officer.varnia-fin@example.test")).first()
    if signer is None:
        signer = person(db, "varnia-fin", "desk_officer")
    db.commit()
    assert entry_id is not None
    return signer, entry_id


def test_a_read_token_reads_and_cannot_write(client: TestClient, db: Session, workspace) -> None:  # type: ignore[no-untyped-def]
    token = _token(db, workspace["mfa"])
    tid = _track_id(db)
    assert client.get(f"/api/v1/initiatives/{tid}", headers=_bearer(token)).status_code == 200
    r = client.post(f"/api/v1/initiatives/{tid}/comments", json={"text": "by script"}, headers=_bearer(token))
    body = _problem(r, 403)
    assert body["needed_scope"] == "write"
    assert 'error="insufficient_scope"' in r.headers["www-authenticate"]
    r = client.delete(f"/api/v1/initiatives/{tid}/coordinated/{_track_id(db, 't2')}", headers=_bearer(token))
    _problem(r, 403)


def test_write_and_sign_off_scopes_are_apart(client: TestClient, db: Session, workspace) -> None:  # type: ignore[no-untyped-def]
    signer, decision_id = _decision_for_fin(db, workspace)
    tid = _track_id(db)
    writer = _token(db, signer, "write")
    signing = _token(db, signer, "sign-off")
    assert (
        client.post(
            f"/api/v1/initiatives/{tid}/comments", json={"text": "noted"}, headers=_bearer(writer)
        ).status_code
        == 201
    )
    r = client.post(f"/api/v1/decisions/{decision_id}/signoff", json={}, headers=_bearer(writer))
    assert _problem(r, 403)["needed_scope"] == "sign-off"
    r = client.post(f"/api/v1/initiatives/{tid}/comments", json={"text": "noted"}, headers=_bearer(signing))
    assert _problem(r, 403)["needed_scope"] == "write"
    r = client.post(f"/api/v1/decisions/{decision_id}/signoff", json={}, headers=_bearer(signing))
    assert r.status_code == 201, r.text
    # A decline is a sign-off too: a write token may not, a sign-off token may.
    _, second = _decision_for_fin(db, workspace)
    decline = {"declined": True, "reason": "Not before the donors meet"}
    _problem(client.post(f"/api/v1/decisions/{second}/signoff", json=decline, headers=_bearer(writer)), 403)
    assert (
        client.post(f"/api/v1/decisions/{second}/signoff", json=decline, headers=_bearer(signing)).status_code
        == 201
    )


def test_expired_revoked_and_unknown_tokens_are_refused(client: TestClient, db: Session, workspace) -> None:  # type: ignore[no-untyped-def]
    expired = _token(db, workspace["mfa"])
    revoked = _token(db, workspace["mfa"])
    db.execute(
        update(ApiToken)
        .where(col(ApiToken.ref) == sessions.ref_of(expired))
        .values(expires_at=utcnow() - timedelta(seconds=1))
    )
    sessions.revoke_api_token(db, sessions.ref_of(revoked), workspace["mfa"].id)
    db.commit()
    for token, word in ((expired, "expired"), (revoked, "revoked"), ("acc_0123456789ab_guess", "not known")):
        r = client.get("/api/v1/initiatives", headers=_bearer(token))
        assert word in _problem(r, 401)["detail"]
        assert 'error="invalid_token"' in r.headers["www-authenticate"]


def test_a_token_sees_only_what_its_owner_sees(client: TestClient, db: Session, workspace) -> None:  # type: ignore[no-untyped-def]
    token = _token(db, workspace["ost"], "write", "sign-off")
    tid = _track_id(db)
    # Ostmark has no grant on Varnia's track: 404 as for its desk officer's own session.
    _problem(client.get(f"/api/v1/initiatives/{tid}", headers=_bearer(token)), 404)
    _problem(
        client.post(f"/api/v1/initiatives/{tid}/comments", json={"text": "x"}, headers=_bearer(token)), 404
    )
    listed = client.get("/api/v1/initiatives", headers=_bearer(token)).json()
    assert all(i["key"] not in ("t1", "t2") for i in listed)


def test_deactivating_the_owner_ends_the_token(client: TestClient, db: Session, workspace) -> None:  # type: ignore[no-untyped-def]
    from server.services import users

    token = _token(db, workspace["mfa"], "write")
    assert client.get("/api/v1/initiatives", headers=_bearer(token)).status_code == 200
    # Inactive by any road (even a direct edit of the row): its tokens are refused.
    db.execute(update(User).where(col(User.id) == workspace["mfa"].id).values(active=False))
    db.commit()
    assert (
        "can no longer sign in"
        in _problem(client.get("/api/v1/initiatives", headers=_bearer(token)), 401)["detail"]
    )
    db.execute(update(User).where(col(User.id) == workspace["mfa"].id).values(active=True))
    db.commit()
    # Deactivated as an admin does it, the token ends, and stays ended when the person is back.
    user = db.get(User, workspace["mfa"].id)
    assert user is not None
    users.deactivate(db, user)
    db.commit()
    users.reactivate(db, user)
    db.commit()
    assert "revoked" in _problem(client.get("/api/v1/initiatives", headers=_bearer(token)), 401)["detail"]


def test_tokens_outlive_sign_out_and_ending_other_sessions(
    app, client: TestClient, db: Session, workspace, login
) -> None:  # type: ignore[no-untyped-def]
    token = _token(db, workspace["mfa"])
    api = TestClient(app)
    csrf = login(workspace["mfa"].email)
    assert client.post("/signout-others", data={"csrf_token": csrf}).status_code == 200
    assert api.get("/api/v1/initiatives", headers=_bearer(token)).status_code == 200
    assert client.post("/signout", data={"csrf_token": csrf}).status_code == 303
    assert api.get("/api/v1/initiatives", headers=_bearer(token)).status_code == 200


def test_a_token_cannot_make_or_end_tokens(client: TestClient, db: Session, workspace) -> None:  # type: ignore[no-untyped-def]
    token = _token(db, workspace["mfa"], "write", "sign-off")
    r = client.post(
        "/api/v1/tokens", json={"label": "more", "scopes": ["read", "write"]}, headers=_bearer(token)
    )
    assert _problem(r, 403)["needed_scope"] == "session"
    _problem(client.delete(f"/api/v1/tokens/{sessions.ref_of(token)}", headers=_bearer(token)), 403)
    # Pages go by the session cookie alone: a bearer token there is no one.
    r = client.post("/account/tokens", data={"label": "more"}, headers=_bearer(token))
    assert r.status_code == 303 and r.headers["location"].startswith("/signin")
    assert len(_stored_tokens()) == 1
    # Reading one's own tokens is a read.
    listed = client.get("/api/v1/tokens", headers=_bearer(token)).json()
    assert [t["ref"] for t in listed] == [sessions.ref_of(token)] and "token" not in listed[0]


def test_a_session_makes_lists_and_revokes_tokens(client: TestClient, db: Session, workspace, login) -> None:  # type: ignore[no-untyped-def]
    csrf = login(workspace["mfa"].email)
    r = client.post(
        "/api/v1/tokens",
        json={"label": "nightly export", "scopes": ["write"], "expires_in_days": 7},
        headers={"X-CSRF-Token": csrf},
    )
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["scopes"] == ["read", "write"] and made["state"] == "live"
    assert made["token"].startswith(f"acc_{made['ref']}_")
    (stored,) = _stored_tokens()
    assert stored.id != made["token"] and made["token"] not in (stored.id, stored.ref, stored.label)
    assert timedelta(days=6) < stored.expires_at - utcnow() <= timedelta(days=7)  # type: ignore[operator]
    _problem(client.post("/api/v1/tokens", json={"scopes": ["admin"]}, headers={"X-CSRF-Token": csrf}), 422)
    _problem(
        client.post("/api/v1/tokens", json={"expires_in_days": 1000}, headers={"X-CSRF-Token": csrf}), 422
    )
    page = client.get("/account").text
    assert "nightly export" in page and made["ref"] in page and made["token"] not in page
    r = client.post(f"/account/tokens/{made['ref']}/revoke", data={"csrf_token": csrf_of(page)})
    assert r.status_code == 303
    _problem(client.get("/api/v1/initiatives", headers=_bearer(made["token"])), 401)
    assert "revoked" in client.get("/account").text
    # Someone else's token answers as if it did not exist.
    other = _token(db, workspace["dev"], "write")
    _problem(client.delete(f"/api/v1/tokens/{sessions.ref_of(other)}", headers={"X-CSRF-Token": csrf}), 404)
    assert client.get("/api/v1/initiatives", headers=_bearer(other)).status_code == 200
    assert client.delete(f"/api/v1/tokens/{made['ref']}", headers={"X-CSRF-Token": csrf}).status_code == 204


def test_the_account_form_sets_scopes_and_end(client: TestClient, db: Session, workspace, login) -> None:  # type: ignore[no-untyped-def]
    csrf = login(workspace["mfa"].email)
    bad = client.post("/account/tokens", data={"label": "x", "days": "9999", "csrf_token": csrf})
    assert bad.status_code == 422 and "choose one of the durations shown" in bad.text
    made = client.post(
        "/account/tokens", data={"label": "signer", "scope_sign-off": "1", "days": "30", "csrf_token": csrf}
    )
    token = made.text.split("<code>", 1)[1].split("</code>", 1)[0]
    (row,) = _stored_tokens()
    assert row.scopes == "read sign-off" and token.startswith(f"acc_{row.ref}_")


def test_resolving_a_token_is_one_query(client: TestClient, db: Session, workspace) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import event

    from server.db import get_engine

    token = _token(db, workspace["mfa"])
    statements: list[str] = []

    def count(conn, cursor, statement, *_):  # type: ignore[no-untyped-def]
        statements.append(statement)

    engine = get_engine()
    event.listen(engine, "before_cursor_execute", count)
    try:
        with Session(engine) as s:
            bearer = sessions.resolve_api_token(s, token)
            assert bearer.user.organisation.key == "varnia-mfa" and bearer.scopes == {"read"}
    finally:
        event.remove(engine, "before_cursor_execute", count)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 1, selects
    assert "api_token.id =" in selects[0]
