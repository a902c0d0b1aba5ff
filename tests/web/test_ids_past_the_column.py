"""An id past what a PostgreSQL id column holds (2^31-1) is refused at the edge: 422 naming
the field on both databases, in the API and the pages, never a server error.

The stateful Schemathesis run on PostgreSQL met it first on `POST /api/v1/alerts/{id}/confirm`
(a 500 that Hypothesis kept shrinking); every route that reads a record by a path id did
the same. The routes of delegations, dismissals and a metric's values are here with a few
of the oldest.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from server.app import create_app
from server.services import sessions
from tests.factories import document, initiative, load, person

BIG = 10_711_355_073  # past 2^31-1, well within 2^63-1

API = [
    ("POST", f"/api/v1/alerts/{BIG}/confirm", {}),
    ("POST", f"/api/v1/alerts/{BIG}/dismiss", {"reason": "handled"}),
    ("POST", f"/api/v1/alerts/{BIG}/acknowledge", {}),
    ("GET", f"/api/v1/alerts/{BIG}", None),
    ("POST", f"/api/v1/delegations/{BIG}/revoke", {}),
    ("GET", f"/api/v1/initiatives/{BIG}/metrics/{BIG}/actuals", None),
    ("GET", f"/api/v1/initiatives/{BIG}", None),
    ("GET", f"/api/v1/decisions/{BIG}/status", None),
]


@pytest.mark.parametrize(("method", "url", "body"), API, ids=[f"{m} {u}" for m, u, _ in API])
def test_the_api_answers_422(db: Session, db_backend: str, method: str, url: str, body: object) -> None:
    load(db, document(initiatives=[initiative("t1")]))
    token = sessions.create_api_token(db, person(db, "varnia-mfa", "coordinator"), "probe")
    db.commit()
    client = TestClient(create_app(), raise_server_exceptions=False)
    r = client.request(method, url, headers={"Authorization": f"Bearer {token}"}, json=body)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert {e["message"] for e in r.json()["errors"]} == {"Is out of range"}, r.text


def test_the_pages_answer_422(client, db, db_backend, workspace, login) -> None:  # type: ignore[no-untyped-def]
    csrf = login("desk_officer.varnia-mfa@example.test")
    for url in (f"/initiatives/{BIG}", f"/initiatives/{BIG}/metrics/{BIG}/actuals"):
        r = client.get(url)
        assert r.status_code == 422 and "<html" in r.text and "Is out of range" in r.text, url
    r = client.post(f"/delegations/{BIG}/revoke", data={"csrf_token": csrf})
    assert r.status_code == 422
