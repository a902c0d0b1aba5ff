"""Page tests: a TestClient on a real database, signed in as people of the factories' workspace."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

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


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> str:
    """Sign in and return the session's CSRF token."""
    r = client.post("/signin", data={"email": email, "password": password, "next": "/"})
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
