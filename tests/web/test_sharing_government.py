"""Sharing a track with a state ("Kingdom of Ostmark") shares it with that state's government.

People work in the state's departments, not in the state's own organisation: a grant to
the state is meant for all of them. A desk officer of Ostmark's foreign office reads the
track once it is shared with the Kingdom; a desk officer of another state does not, and
neither does anyone once the grant is withdrawn.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from server.app import create_app
from server.models import Initiative, LogEntry, Organisation, SharingGrant
from tests.factories import BASE, document, initiative, load, person
from tests.web.conftest import sign_in

TITLE = "Northern valleys water convoys"
DESCRIPTION = "Quiet talks with the lowland command on convoy windows"


@pytest.fixture
def track(db: Session) -> int:
    orgs = [
        *BASE["organisations"],
        {"key": "tessaly", "name": "Republic of Tessaly", "kind": "state", "government": "tessaly"},
        {
            "key": "tessaly-fo",
            "name": "Tessaly, Foreign Office",
            "kind": "department",
            "government": "tessaly",
        },
    ]
    load(
        db,
        document(
            organisations=orgs, initiatives=[initiative("t-water", title=TITLE, description=DESCRIPTION)]
        ),
    )
    person(db, "varnia-mfa", "desk_officer", email="owner@example.test")
    person(db, "ostmark-fa", "desk_officer", email="ostmark@example.test")
    person(db, "ostmark-fa", "partner_reviewer", email="ostmark-reviewer@example.test")
    person(db, "tessaly-fo", "desk_officer", email="tessaly@example.test")
    track_id = db.exec(select(Initiative.id).where(Initiative.key == "t-water")).one()
    db.commit()
    assert track_id is not None
    return track_id


@pytest.fixture
def people(track: int) -> Iterator[dict[str, tuple[TestClient, str]]]:
    app = create_app()
    out: dict[str, tuple[TestClient, str]] = {}
    for who in ("owner", "ostmark", "ostmark-reviewer", "tessaly"):
        c = TestClient(app, follow_redirects=False)
        c.__enter__()
        out[who] = (c, sign_in(c, f"{who}@example.test"))
    try:
        yield out
    finally:
        for c, _ in out.values():
            c.__exit__(None, None, None)


def _reads(client: TestClient, track: int) -> bool:
    page = client.get(f"/initiatives/{track}")
    listing = client.get("/initiatives").text
    if page.status_code == 404:
        assert TITLE not in page.text and DESCRIPTION not in page.text
        assert TITLE not in listing
        return False
    assert page.status_code == 200
    assert TITLE in page.text and DESCRIPTION in page.text and TITLE in listing
    return True


def test_a_grant_to_a_state_reaches_its_departments_people(
    db: Session, db_backend: str, track: int, people: dict[str, tuple[TestClient, str]]
) -> None:
    kingdom = db.exec(select(Organisation.id).where(Organisation.key == "ostmark")).one()
    db.commit()
    assert not _reads(people["ostmark"][0], track)

    owner, csrf = people["owner"]
    form = owner.get(f"/initiatives/{track}").text
    assert f'<option value="org:{kingdom}">Kingdom of Ostmark (the whole government)</option>' in form
    r = owner.post(
        f"/initiatives/{track}/sharing",
        data={"csrf_token": csrf, "target": f"org:{kingdom}", "level": "view"},
    )
    assert r.status_code == 303, r.text

    # Ostmark's foreign office desk officer and reviewer now read the track; Tessaly's does not.
    assert _reads(people["ostmark"][0], track)
    assert _reads(people["ostmark-reviewer"][0], track)
    assert not _reads(people["tessaly"][0], track)
    # The owner's page and log say whom it was shared with, by name.
    page = owner.get(f"/initiatives/{track}").text
    assert "Kingdom of Ostmark (the whole government)" in page
    db.expire_all()
    log = db.exec(select(LogEntry.text).where(LogEntry.entry_type == "grant")).all()
    grant_id = db.exec(select(SharingGrant.id)).one()
    db.commit()
    assert log == ["Shared with Kingdom of Ostmark at level view"]

    # Withdrawn: no one abroad reads it any more.
    r = owner.post(f"/initiatives/{track}/sharing/{grant_id}/withdraw", data={"csrf_token": csrf})
    assert r.status_code == 303, r.text
    assert not _reads(people["ostmark"][0], track)
    assert not _reads(people["tessaly"][0], track)
