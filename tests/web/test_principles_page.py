"""The Principles page: the paper's words, how each check works, and the open alerts each reader may read."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlmodel import Session

from server.domain import checks
from server.models import User
from server.services import alerts, principles
from tests.factories import document, initiative, load, person
from tests.web.conftest import signin_form
from workers.tasks import check_everything_now


def _world(db: Session) -> dict[str, User]:
    """A Varnian track with no metric, red line or report (several alerts), shared with nobody,
    and an Ostmark track of its own."""
    load(
        db,
        document(
            initiatives=[
                initiative("t-bare", title="Bare access talks"),
                initiative(
                    "t-ost", owner="ostmark-fa", title="Ostmark's talks", crisis="delta", parties=["hca"]
                ),
            ]
        ),
    )
    people = {
        "mfa": person(db, "varnia-mfa", "desk_officer"),
        "ost": person(db, "ostmark-fa", "desk_officer"),
        "field": person(db, "relief-net", "field_contributor"),
        "dev": person(db, "varnia-dev", "desk_officer"),
    }
    check_everything_now()
    return people


def _counts(html: str) -> dict[str, int]:
    return {
        p: int(n) for p, n in re.findall(r'href="/alerts\?principle=(\w\d)"><strong>(\d+) open alert', html)
    }


def test_every_principle_with_the_papers_words_and_how_it_is_checked(
    client: TestClient, login: Callable[[str], str], db: Session
) -> None:
    people = _world(db)
    login(people["mfa"].email)
    r = client.get("/principles")
    assert r.status_code == 200
    for module in checks.all_checks():
        assert f'id="{module.ID}"' in r.text
        assert module.WORDS.replace("'", "&#39;").replace('"', "&#34;")[:80] in r.text
        assert principles.HOW[module.ID][:60].replace("'", "&#39;") in r.text
    assert 'href="/principles" aria-current="page"' in r.text


def test_counts_are_the_readers_own_and_link_to_the_inbox(
    client: TestClient, login: Callable[[str], str], db: Session
) -> None:
    people = _world(db)
    for who in ("mfa", "ost", "field"):
        expected: dict[str, int] = {}
        for v in alerts.list_visible(db, people[who], statuses=("open", "acknowledged")):
            expected[v.principle] = expected.get(v.principle, 0) + 1
        # Each count is the one the inbox shows behind its link.
        inbox = {
            p: alerts.count(db, people[who], alerts.Filters(principle=p, department=alerts.mine(people[who])))
            for p in expected
        }
        db.commit()
        assert inbox == expected, who
        with TestClient(client.app, follow_redirects=False) as c:
            r = c.post("/signin", data=signin_form(c, people[who].email, "correct horse battery", next="/"))
            assert r.status_code == 303
            page = c.get("/principles").text
        assert _counts(page) == expected, who
        if who == "mfa":
            assert expected, "the bare track should raise alerts"
        if who == "field":
            assert expected == {} and "you have none" in page
    # Varnia's counts are not Ostmark's: each reads its own government's alerts.
    mfa = {v.id for v in alerts.list_visible(db, people["mfa"])}
    ost = {v.id for v in alerts.list_visible(db, people["ost"])}
    assert mfa and ost and not (mfa & ost)


def test_a_desk_officer_reads_their_departments_count_and_their_governments(
    client: TestClient, login: Callable[[str], str], db: Session
) -> None:
    people = _world(db)
    every = {}
    for v in alerts.list_visible(db, people["dev"], statuses=("open", "acknowledged")):
        every[v.principle] = every.get(v.principle, 0) + 1
    db.commit()
    login(people["dev"].email)
    page = client.get("/principles").text
    # The development agency owns no track: none of the alerts is its department's own.
    assert _counts(page) == {}
    all_counts = {
        p: int(n)
        for p, n in re.findall(r'href="/alerts\?principle=(\w\d)&amp;department=">(\d+) across', page)
    }
    assert all_counts == every and every
