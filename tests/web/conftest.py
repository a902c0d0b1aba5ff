"""Page tests: a TestClient on a real database, signed in as people of the factories' workspace."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from server.app import create_app
from tests.factories import document, initiative, load, person

PASSWORD = "correct horse battery"


@pytest.fixture
def app(db_url: str):  # type: ignore[no-untyped-def]
    return create_app()


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app, follow_redirects=False) as c:
        yield c


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert m, "the page carries no CSRF token"
    return m.group(1)


def signin_token(client: Any) -> str:
    """Open the sign-in form as a browser would: its pre-session cookie lands in the client's jar."""
    page = client.get("/signin")
    m = re.search(r'name="signin_token" value="([^"]+)"', page.text)
    assert m, "the sign-in form carries no token"
    return m.group(1)


def signin_form(client: Any, email: str, password: str = PASSWORD, **extra: str) -> dict[str, str]:
    """The fields a browser posts to /signin, its pre-session token included."""
    return {"email": email, "password": password, "signin_token": signin_token(client), **extra}


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> str:
    """Sign in and return the session's CSRF token."""
    r = client.post("/signin", data=signin_form(client, email, password, next="/"))
    assert r.status_code == 303, r.text
    return csrf_of(client.get("/initiatives").text)


@pytest.fixture
def workspace(db: Session) -> dict[str, object]:
    """Two tracks of Varnia's foreign ministry, one with resources of the development agency."""
    load(
        db,
        document(
            initiatives=[
                initiative(
                    "t1",
                    title="Access talks for the northern valleys",
                    objectives=["weekly convoys reach Vell"],
                    resources=[
                        {
                            "kind": "funding",
                            "amount": 1000,
                            "currency": "EUR",
                            "org": "varnia-dev",
                            "until": "2026-12-31",
                        }
                    ],
                    metrics=[{"name": "checkpoints reopened for aid convoys", "kind": "outcome"}],
                ),
                initiative("t2", title="Delta dialogue", crisis="delta", kind="political"),
            ]
        ),
    )
    return {
        "mfa": person(db, "varnia-mfa", "desk_officer"),
        "dev": person(db, "varnia-dev", "desk_officer"),
        "ost": person(db, "ostmark-fa", "desk_officer"),
    }


@pytest.fixture
def login(client: TestClient) -> Callable[[str], str]:
    return lambda email: sign_in(client, email)


@pytest.fixture
def fresh_answers(db_backend: str) -> Iterator[None]:
    """An empty answer cache before and after the test, which runs on SQLite and on PostgreSQL."""
    from server.services import answers

    answers.reset()
    yield
    answers.reset()
