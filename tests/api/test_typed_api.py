"""The typed API: ETag and If-Match, cursor pages, ids in range, unknown input refused, problem details."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from server.app import create_app
from server.services import sessions
from tests.factories import document, initiative, load, person

PROBLEM = "application/problem+json"


@pytest.fixture
def api(db_backend: str, db: Session) -> TestClient:
    load(
        db,
        document(
            initiatives=[
                initiative(
                    "t1", red_lines=[{"text": "no armed escorts for aid convoys", "trigger": "pause"}]
                ),
                initiative("t2", crisis="delta", kind="political"),
            ]
        ),
    )
    desk = person(db, "varnia-mfa", "desk_officer")
    token = sessions.create_api_token(db, desk, "typed api")
    db.commit()
    return TestClient(create_app(), headers={"Authorization": f"Bearer {token}"}, follow_redirects=False)


def _track(api: TestClient, key: str = "t1") -> dict[str, Any]:
    r = api.get(f"/api/v1/initiatives/by-key/{key}")
    assert r.status_code == 200, r.text
    return dict(r.json()) | {"etag": r.headers["etag"]}


def _edit(track: dict[str, Any], **change: Any) -> dict[str, Any]:
    body = {k: track[k] for k in ("title", "kind", "crisis_id", "description", "aims", "objectives")}
    return body | change


def _problem(r: Any, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    body = dict(r.json())
    assert {"type", "title", "status", "detail"} <= set(body) and body["status"] == status
    return body


def test_etag_and_if_match_guard_an_edit(api: TestClient) -> None:
    t = _track(api)
    assert t["etag"] == f'"{t["version"]}"'
    url = f"/api/v1/initiatives/{t['id']}"

    saved = api.put(url, json=_edit(t, title="Valley access talks"), headers={"If-Match": t["etag"]})
    assert saved.status_code == 200, saved.text
    assert saved.headers["etag"] == f'"{t["version"] + 1}"' == api.get(url).headers["etag"]

    # The ETag read before that save is stale now: 412, with the current version, and nothing saved.
    stale = _problem(api.put(url, json=_edit(t, title="Lost edit"), headers={"If-Match": t["etag"]}), 412)
    assert stale["version"] == t["version"] + 1
    assert api.get(url).json()["title"] == "Valley access talks"
    _problem(api.put(url, json=_edit(t), headers={"If-Match": 'W/"2"'}), 412)

    # Without If-Match the body's version still serves (409 when stale); with neither, 428.
    assert api.put(url, json=_edit(t, title="By body", version=t["version"] + 1)).status_code == 200
    assert api.put(url, json=_edit(t, version=t["version"])).status_code == 409
    _problem(api.put(url, json=_edit(t)), 428)

    now = _track(api)
    paused = api.post(f"{url}/status", json={"status": "paused"}, headers={"If-Match": now["etag"]})
    assert paused.status_code == 200 and paused.json()["status"] == "paused"
    _problem(api.post(f"{url}/status", json={"status": "active"}, headers={"If-Match": now["etag"]}), 412)


def test_if_match_on_an_item(api: TestClient) -> None:
    t = _track(api)
    line = t["lines"]["red_lines"][0]
    url = f"/api/v1/initiatives/{t['id']}/lines/red_lines/{line['id']}"
    body = {"text": "no armed escorts at all", "trigger": "pause"}
    edited = api.put(url, json=body, headers={"If-Match": f'"{line["version"]}"'})
    assert edited.status_code == 200 and edited.headers["etag"] == f'"{line["version"] + 1}"'
    _problem(api.put(url, json=body, headers={"If-Match": f'"{line["version"]}"'}), 412)
    _problem(api.delete(url, headers={"If-Match": f'"{line["version"]}"'}), 412)
    assert api.delete(url, headers={"If-Match": edited.headers["etag"]}).status_code == 204


def test_lists_come_in_pages_by_id(api: TestClient) -> None:
    t = _track(api)
    made = [api.post(f"/api/v1/initiatives/{t['id']}/comments", json={"text": f"Note {n}"}) for n in range(5)]
    assert all(r.status_code == 201 for r in made)
    seen: list[int] = []
    url: str | None = f"/api/v1/initiatives/{t['id']}/comments?limit=2"
    pages = 0
    while url:
        r = api.get(url)
        assert r.status_code == 200, r.text
        seen += [c["id"] for c in r.json()]
        pages += 1
        link = r.headers.get("link")
        url = link.split(">", 1)[0].lstrip("<") if link else None
        if link:
            assert link.endswith('; rel="next"')
    assert pages == 3 and seen == sorted(seen) and len(set(seen)) == 5

    tracks = api.get("/api/v1/initiatives?limit=1")
    assert len(tracks.json()) == 1 and 'rel="next"' in tracks.headers["link"]
    rest = api.get(tracks.headers["link"].split(">", 1)[0].lstrip("<"))
    assert [x["id"] for x in rest.json()] > [x["id"] for x in tracks.json()]
    assert "link" not in rest.headers

    bad = _problem(api.get("/api/v1/initiatives?cursor=not-a-cursor"), 422)
    assert bad["errors"][0]["loc"] == "cursor"
    _problem(api.get("/api/v1/initiatives?limit=0"), 422)
    _problem(api.get("/api/v1/initiatives?limit=100000"), 422)


def test_ids_past_the_database_range_and_unknown_input_are_422(api: TestClient) -> None:
    t = _track(api)
    for url in (f"/api/v1/initiatives/{2**63}", f"/api/v1/alerts/{2**64}", "/api/v1/initiatives/0"):
        body = _problem(api.get(url), 422)
        assert body["errors"][0]["loc"] in ("initiative_id", "alert_id")
    _problem(api.get(f"/api/v1/initiatives?crisis_id={2**63}"), 422)
    unknown = _problem(api.get("/api/v1/initiatives?colour=blue"), 422)
    assert unknown["errors"] == [{"loc": "colour", "message": "unknown parameter"}]
    extra = _problem(
        api.post(f"/api/v1/initiatives/{t['id']}/comments", json={"text": "x", "colour": 1}), 422
    )
    assert any(e["loc"] == "colour" for e in extra["errors"])
    link = _problem(api.post(f"/api/v1/initiatives/{t['id']}/coordinated", json={"other_id": 2**63}), 422)
    assert link["errors"][0]["loc"] == "other_id"


def test_the_document_types_every_answer() -> None:
    doc = TestClient(create_app()).get("/api/v1/openapi.json").json()
    assert "Problem" in doc["components"]["schemas"]
    for path, operations in doc["paths"].items():
        for method, op in operations.items():
            answers = op["responses"]
            ok = [code for code in answers if code.startswith("2")]
            assert ok, f"{method} {path}"
            for code in ok:
                if code == "204":
                    continue
                content = answers[code].get("content", {})
                schema = content.get("application/json", {}).get("schema")
                assert schema or set(content) & {"text/csv", "application/pdf"}, f"{method} {path}: untyped"
                assert schema is None or schema not in ({}, {"type": "object"}), f"{method} {path}: untyped"
            for code in ("401", "404", "422"):
                assert set(answers[code]["content"]) == {PROBLEM}, f"{method} {path} {code}"


def test_the_document_types_every_request_body() -> None:
    """No operation takes an untyped body: each is a model that refuses fields it does not declare."""
    doc = TestClient(create_app()).get("/api/v1/openapi.json").json()
    components = doc["components"]["schemas"]
    for path, operations in doc["paths"].items():
        for method, op in operations.items():
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if body is None:
                continue
            # An optional body (`anyOf` a model or null) is typed too.
            refs = [b["$ref"] for b in body.get("anyOf", [body]) if "$ref" in b]
            assert len(refs) == 1, f"{method} {path}: untyped body {body}"
            model = components[refs[0].rsplit("/", 1)[-1]]
            assert model.get("properties") and model.get("additionalProperties") is False, f"{method} {path}"


def test_an_items_body_is_typed_in_the_document_and_refuses_what_it_does_not_declare(api: TestClient) -> None:
    from server.services.validation import CAPS

    doc = api.get("/api/v1/openapi.json").json()
    schemas_ = doc["components"]["schemas"]
    for part, name in (
        ("red_lines", "RedLine"),
        ("staff", "Staff"),
        ("resources", "Resource"),
        ("leverage", "Leverage"),
        ("metrics", "Metric"),
    ):
        add = doc["paths"][f"/api/v1/initiatives/{{initiative_id}}/lines/{part}"]["post"]
        edit = doc["paths"][f"/api/v1/initiatives/{{initiative_id}}/lines/{part}/{{line_id}}"]["put"]
        assert add["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(f"/{name}In")
        assert edit["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(f"/{name}Update")
        assert schemas_[f"{name}In"]["additionalProperties"] is False
        assert "version" in schemas_[f"{name}Update"]["properties"]
    assert schemas_["RedLineIn"]["properties"]["text"]["maxLength"] == CAPS["item"]
    assert schemas_["LeverageIn"]["properties"]["description"]["maxLength"] == CAPS["description"]

    t = _track(api)
    url = f"/api/v1/initiatives/{t['id']}/lines"
    unknown = _problem(api.post(f"{url}/red_lines", json={"text": "no armed escorts", "colour": "red"}), 422)
    assert [e["loc"] for e in unknown["errors"]] == ["colour"]
    long = _problem(api.post(f"{url}/red_lines", json={"text": "x" * (CAPS["item"] + 1)}), 422)
    assert [e["loc"] for e in long["errors"]] == ["text"]
    infinite = _problem(
        api.post(
            f"{url}/resources",
            content='{"kind": "funding", "amount": Infinity}',
            headers={"Content-Type": "application/json"},
        ),
        422,
    )
    assert "amount" in {e["loc"] for e in infinite["errors"]}
    made = api.post(
        f"{url}/resources", json={"kind": "funding", "amount": 5_000_000_000, "currency": "EUR", "until": ""}
    )
    assert made.status_code == 201, made.text
    line = made.json()
    edit_url = f"{url}/resources/{line['id']}"
    bad = _problem(
        api.put(edit_url, json={"kind": "funding", "colour": 1}, headers={"If-Match": made.headers["etag"]}),
        422,
    )
    assert [e["loc"] for e in bad["errors"]] == ["colour"]
    ok = api.put(edit_url, json={"kind": "logistics", "version": line["version"]})
    assert ok.status_code == 200 and ok.json()["kind"] == "logistics", ok.text
    assert api.get(f"/api/v1/initiatives/{t['id']}").json()["lines"]["resources"][-1]["kind"] == "logistics"
