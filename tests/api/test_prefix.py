"""The API lives under `/api/v1`; the unversioned paths answer 308 to it, method and body kept."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from server.app import create_app
from server.services import sessions
from tests.factories import document, initiative, load, person


def test_every_api_route_is_under_the_version_prefix() -> None:
    schema = TestClient(create_app()).get("/api/v1/openapi.json").json()
    assert schema["paths"]
    assert all(path.startswith("/api/v1/") for path in schema["paths"])


def test_old_paths_redirect_with_method_and_query_kept(db: Session) -> None:
    load(db, document(initiatives=[initiative("t1")]))
    user = person(db, "varnia-mfa", "desk_officer")
    token = sessions.create_api_token(db, user, "script")
    db.commit()
    client = TestClient(create_app(), follow_redirects=False)
    auth = {"Authorization": f"Bearer {token}"}

    old = client.get("/api/initiatives?kind=political&status=active", headers=auth)
    assert old.status_code == 308
    assert old.headers["location"] == "/api/v1/initiatives?kind=political&status=active"
    assert client.get("/api/openapi.json").headers["location"] == "/api/v1/openapi.json"

    # A client that follows redirects keeps its method, body and token.
    following = TestClient(create_app())
    iid = following.get("/api/initiatives", headers=auth).json()[0]["id"]
    posted = following.post(
        f"/api/initiatives/{iid}/comments", json={"text": "via the old path"}, headers=auth
    )
    assert posted.status_code == 201 and posted.json()["text"] == "via the old path"
    assert posted.url.path == f"/api/v1/initiatives/{iid}/comments"
