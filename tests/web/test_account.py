"""The account page: date format, other sessions, API tokens."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from server.app import create_app
from server.models import User
from tests.factories import document, initiative, load, person
from tests.web.conftest import signin_form


def _signed_in(db: Session) -> tuple[TestClient, User]:
    load(db, document(initiatives=[initiative("t1", start="2026-01-10", end="2027-09-30")]))
    user = person(db, "varnia-mfa", "desk_officer")
    client = TestClient(create_app())
    r = client.post("/signin", data=signin_form(client, user.email), follow_redirects=False)
    assert r.status_code == 303
    return client, user


def _csrf(client: TestClient) -> str:
    page = client.get("/account").text
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def test_date_format_changes_how_dates_show(db: Session) -> None:
    client, user = _signed_in(db)
    assert "10 Jan 2026" in client.get("/initiatives").text
    r = client.post(
        "/account/date-format",
        data={"date_format": "%Y-%m-%d", "csrf_token": _csrf(client)},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert "2026-01-10" in client.get("/initiatives").text
    bad = client.post("/account/date-format", data={"date_format": "%A", "csrf_token": _csrf(client)})
    assert bad.status_code == 422 and "choose one of the formats shown" in bad.text


def test_api_token_is_shown_once_and_works(db: Session) -> None:
    client, user = _signed_in(db)
    empty = client.post("/account/tokens", data={"label": " ", "csrf_token": _csrf(client)})
    assert empty.status_code == 422 and "name the token" in empty.text
    made = client.post("/account/tokens", data={"label": "weekly report", "csrf_token": _csrf(client)})
    token = made.text.split("<code>", 1)[1].split("</code>", 1)[0]
    assert token.startswith("acc_") and token not in client.get("/account").text
    api = TestClient(create_app())
    listed = api.get("/api/v1/initiatives", headers={"Authorization": f"Bearer {token}"})
    assert listed.status_code == 200 and any(i["key"] == "t1" for i in listed.json())
