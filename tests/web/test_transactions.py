"""A request's transaction commits before its answer is sent."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from server.app import create_app
from server.db import get_engine
from server.models import User
from tests.factories import document, initiative, load, person
from tests.web.conftest import signin_form


def test_a_failed_commit_is_an_error_not_a_redirect(db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    load(db, document(initiatives=[initiative("t1")]))
    user = person(db, "varnia-mfa", "desk_officer")
    client = TestClient(create_app(), raise_server_exceptions=False)
    assert client.post("/signin", data=signin_form(client, user.email)).status_code == 200
    page = client.get("/account").text
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]

    def refuse(self: Session) -> None:
        raise OperationalError("COMMIT", {}, Exception("disk full"))

    # The database refuses the commit: had the answer gone out first, the browser would
    # have been told "saved" (303) for a change that was lost.
    monkeypatch.setattr(Session, "commit", refuse)
    answer = client.post(
        "/account/date-format", data={"date_format": "%Y-%m-%d", "csrf_token": token}, follow_redirects=False
    )
    monkeypatch.undo()
    assert answer.status_code == 500
    assert "nothing was saved" in answer.text
    with Session(get_engine()) as s:
        assert s.get(User, user.id).date_format == "%d %b %Y"
