"""Every id in a path, on every operation, at the edge of the id columns' range, on both databases.

Id columns are PostgreSQL `integer` (a serial's range): the largest id they hold names no
row and answers 404 (or a refusal of the caller), the next one is refused as out of range
(422 naming the field), and neither is ever a 5xx. PostgreSQL refuses to compare 2^31 with
an `integer` column, so this fails there if any route lets such an id through to a query.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from server.app import create_app
from server.services import sessions
from server.services.validation import ID_MAX
from tests.factories import document, initiative, load, person

APP = create_app()
DOC = APP.openapi()


def _operations() -> list[tuple[str, str, list[str]]]:
    out = []
    for path, item in DOC["paths"].items():
        for method, op in item.items():
            ids = [
                p["name"]
                for p in op.get("parameters", [])
                if p["in"] == "path" and p["schema"].get("type") == "integer"
            ]
            if ids:
                out.append((method.upper(), path, ids))
    return out


OPERATIONS = _operations()


@pytest.fixture
def api(db_backend: str, db: Session) -> TestClient:
    load(db, document(initiatives=[initiative("t1"), initiative("t2", crisis="delta", kind="political")]))
    desk = person(db, "varnia-mfa", "desk_officer")
    token = sessions.create_api_token(db, desk, "id range", scopes=("read", "write", "sign-off"))
    db.commit()
    return TestClient(APP, headers={"Authorization": f"Bearer {token}"}, follow_redirects=False)


def _call(api: TestClient, method: str, path: str, ids: list[str], value: int) -> Any:
    url = "/api/v1" + path.removeprefix("/api/v1")
    for name in ids:
        url = url.replace("{" + name + "}", str(value))
    url = re.sub(r"\{[^}]+\}", "red_lines", url)  # a path's other parameter (an item's kind)
    kwargs: dict[str, Any] = {} if method in ("GET", "HEAD", "DELETE") else {"json": {}}
    return api.request(method, url, **kwargs)


def test_the_operations_are_found() -> None:
    assert len(OPERATIONS) >= 20


def test_ids_at_the_edge_of_the_range_on_every_operation(api: TestClient) -> None:
    for method, path, ids in OPERATIONS:
        largest = _call(api, method, path, ids, ID_MAX)
        assert largest.status_code < 500, (
            f"{method} {path} with {ID_MAX}: {largest.status_code} {largest.text[:300]}"
        )
        assert largest.status_code not in (200, 201, 204), (method, path, largest.text[:300])
        past = _call(api, method, path, ids, ID_MAX + 1)
        assert past.status_code == 422, (
            f"{method} {path} with {ID_MAX + 1}: {past.status_code} {past.text[:300]}"
        )
        assert {e["loc"] for e in past.json()["errors"]} & set(ids), (method, path, past.text[:300])


def test_ids_at_the_edge_in_query_and_body(api: TestClient) -> None:
    largest = api.get(f"/api/v1/alerts?initiative_id={ID_MAX}")
    assert largest.status_code == 200 and largest.json() == []
    past = api.get(f"/api/v1/alerts?initiative_id={ID_MAX + 1}")
    assert past.status_code == 422 and past.json()["errors"][0]["loc"] == "initiative_id"
    t1 = api.get("/api/v1/initiatives/by-key/t1").json()["id"]
    far = api.post(f"/api/v1/initiatives/{t1}/coordinated", json={"other_id": ID_MAX})
    assert far.status_code == 404, far.text
    past = api.post(f"/api/v1/initiatives/{t1}/coordinated", json={"other_id": ID_MAX + 1})
    assert past.status_code == 422 and past.json()["errors"][0]["loc"] == "other_id"
    made = api.post(
        "/api/v1/initiatives", json={"title": "Convoy talks", "kind": "humanitarian", "crisis_id": ID_MAX}
    )
    assert made.status_code in (404, 422) and made.status_code < 500, made.text
