"""Cursor pages read in the database: whole lists, no repeats, no gaps, and nothing a reader may not see.

Pages are keyset pages on the id, read with the visibility filter in the same query, so rows
added between two pages neither repeat nor push a row out of reach, and a partner's page is
never shorter (nor a page more) because of rows it may not see. On SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from server.app import create_app
from server.services import sessions
from tests.factories import document, initiative, load, person

APP = create_app()
HIDDEN = "Quiet word: the minister may trade the port deal for the corridor"


@pytest.fixture
def clients(db_backend: str, db: Session) -> tuple[TestClient, TestClient]:
    load(
        db,
        document(
            initiatives=[
                initiative("t1", shared_with=[{"government": "ostmark", "level": "comment"}]),
                initiative("t2", crisis="delta", kind="political"),
            ]
        ),
    )
    desk = person(db, "varnia-mfa", "desk_officer")
    partner = person(db, "ostmark-fa", "partner_reviewer")
    desk_token = sessions.create_api_token(db, desk, "pages", scopes=("read", "write"))
    partner_token = sessions.create_api_token(db, partner, "pages", scopes=("read",))
    db.commit()

    def client(token: str) -> TestClient:
        return TestClient(APP, headers={"Authorization": f"Bearer {token}"}, follow_redirects=False)

    return client(desk_token), client(partner_token)


def _next(r: Any) -> str | None:
    link = r.headers.get("link")
    if not link:
        return None
    assert link.endswith('; rel="next"')
    return str(link.split(">", 1)[0].lstrip("<"))


def _walk(api: TestClient, url: str, between: Any = None) -> tuple[list[dict[str, Any]], int]:
    """Every item of every page from `url` on, calling `between` after each page; and how many pages."""
    items: list[dict[str, Any]] = []
    pages = 0
    next_url: str | None = url
    while next_url:
        r = api.get(next_url)
        assert r.status_code == 200, r.text
        assert 0 < len(r.json()) or pages == 0, "an empty page after a next link"
        items += r.json()
        pages += 1
        next_url = _next(r)
        if between is not None and next_url:
            between(pages)
    return items, pages


def _track_id(api: TestClient, key: str) -> int:
    return int(api.get(f"/api/v1/initiatives/by-key/{key}").json()["id"])


def test_pages_cover_the_list_while_rows_are_added_between_them(
    clients: tuple[TestClient, TestClient],
) -> None:
    desk, _ = clients
    tid = _track_id(desk, "t1")
    url = f"/api/v1/initiatives/{tid}/comments"
    first = [desk.post(url, json={"text": f"Note {n}"}).json()["id"] for n in range(7)]

    added: list[int] = []

    def add(page_number: int) -> None:
        added.append(desk.post(url, json={"text": f"Added after page {page_number}"}).json()["id"])

    items, pages = _walk(desk, f"{url}?limit=3", between=add)
    ids = [c["id"] for c in items]
    assert len(ids) == len(set(ids)), "a comment came twice"
    assert ids == sorted(ids)
    # Every comment there at the start, and every one added ahead of the cursor, is read once.
    assert set(first) | set(added) == set(ids)
    assert pages >= 3

    # Newest first (field reports): the ones there at the start all come, once each.
    reports = "/api/v1/field-reports"
    made = [
        desk.post(
            reports,
            json={
                "crisis_id": 1,
                "initiative_id": tid,
                "date": "2026-03-0" + str(n + 1),
                "text": f"Convoy {n} passed",
                "source_kind": "ngo",
            },
        )
        for n in range(5)
    ]
    assert all(r.status_code == 201 for r in made), made[0].text
    start = {r.json()["id"] for r in made}

    def report(page_number: int) -> None:
        r = desk.post(
            reports,
            json={
                "crisis_id": 1,
                "date": "2026-03-10",
                "text": f"Checkpoint {page_number} open",
                "source_kind": "un",
            },
        )
        assert r.status_code == 201, r.text

    items, _ = _walk(desk, f"{reports}?limit=2&initiative_id={tid}", between=report)
    ids = [r["id"] for r in items]
    assert len(ids) == len(set(ids)) and ids == sorted(ids, reverse=True)
    assert start <= set(ids)


def test_a_partners_pages_hold_only_what_is_shared_and_are_not_shortened_by_the_rest(
    clients: tuple[TestClient, TestClient],
) -> None:
    desk, partner = clients
    tid = _track_id(desk, "t1")
    url = f"/api/v1/initiatives/{tid}/comments"
    shown = []
    for n in range(6):
        # Between every two shared comments, two kept home.
        shown.append(desk.post(url, json={"text": f"Shared note {n}"}).json()["id"])
        for _ in range(2):
            r = desk.post(url, json={"text": HIDDEN, "internal": True})
            assert r.status_code == 201 and r.json()["internal"] is True, r.text

    items, pages = _walk(partner, f"{url}?limit=2")
    assert [c["id"] for c in items] == shown
    assert pages == 3, "hidden rows counted in a partner's page"
    every_page = ""
    next_url: str | None = f"{url}?limit=1"
    while next_url:
        r = partner.get(next_url)
        every_page += r.text + r.headers.get("link", "")
        next_url = _next(r)
    assert HIDDEN not in every_page

    # The unshared track's alerts and comments never reach the partner's pages either.
    private = _track_id(desk, "t2")
    assert desk.post(f"/api/v1/initiatives/{private}/comments", json={"text": HIDDEN}).status_code == 201
    assert partner.get(f"/api/v1/initiatives/{private}/comments").status_code == 404
    alerts, _ = _walk(partner, "/api/v1/alerts?status=all&limit=1")
    assert all(private not in a.get("initiative_ids", []) for a in alerts)
    assert HIDDEN not in str(alerts)
