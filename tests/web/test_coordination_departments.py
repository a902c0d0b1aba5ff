"""Coordination requests between departments of one government and a state abroad, by role.

Four tracks of four owners run in parallel on one crisis: Varnia's foreign ministry,
defence and finance ministries, and Ostmark's foreign office (not shared with Varnia).
The forum-shopping alert names all four; Varnia's foreign ministry sees three of them
and asks, from its own track's page, to coordinate. One request goes to each other
owner, from the page's track; each department asked reads it as incoming, answers it,
and no one else may.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from server.app import create_app
from server.models import Alert, AlertInitiative, CoordinationRequest, Initiative, LogEntry
from tests.factories import BASE, document, initiative, load, person
from tests.web.conftest import sign_in

MFA = "Varnia, Ministry of Foreign Affairs"
DEF = "Varnia, Ministry of Defence"
FIN = "Varnia, Ministry of Finance and Trade"
OST = "Ostmark, Foreign Office"
OSTMARK_SECRET = "Reed-island ferry talks"
AIMS = ["humanitarian access to the northern valleys"]
ROLES = {
    "mfa": ("varnia-mfa", "desk_officer"),
    "mfa2": ("varnia-mfa", "desk_officer"),
    "def": ("varnia-def", "desk_officer"),
    "fin": ("varnia-fin", "desk_officer"),
    "dev": ("varnia-dev", "desk_officer"),
    "coord": ("varnia", "coordinator"),
    "admin": ("varnia", "admin"),
    "ost": ("ostmark-fa", "desk_officer"),
    "ost_rev": ("ostmark-fa", "partner_reviewer"),
    "field": ("relief-net", "field_contributor"),
}


def build(db: Session) -> dict[str, int]:
    """The four owners' tracks, their people (`<role>@example.test`), the checks run once."""
    orgs = [
        *BASE["organisations"],
        {"key": "varnia", "name": "Republic of Varnia", "kind": "state", "government": "varnia"},
    ]
    tracks = [
        initiative("t-mfa-a", owner="varnia-mfa", title="Valley access talks", aims=AIMS),
        initiative("t-mfa-b", owner="varnia-mfa", title="Valley convoy planning", aims=AIMS),
        initiative("t-def", owner="varnia-def", title="Valley deconfliction line", aims=AIMS),
        initiative("t-fin", owner="varnia-fin", title="Valley reconstruction fund", aims=AIMS),
        initiative("t-ost", owner="ostmark-fa", title=OSTMARK_SECRET, aims=AIMS),
    ]
    load(db, document(organisations=orgs, initiatives=tracks))
    for role, (org, kind) in ROLES.items():
        person(db, org, kind, email=f"{role}@example.test")
    from workers.tasks import check_everything_now

    check_everything_now()
    db.expire_all()
    ids = {t.key: t.id for t in db.exec(select(Initiative)).all()}
    forum = db.exec(select(Alert).where(Alert.principle == "N4", Alert.kind == "forum_shopping")).first()
    assert forum is not None, "five tracks on one party should make a forum-shopping alert"
    concerned = set(
        db.exec(select(AlertInitiative.initiative_id).where(AlertInitiative.alert_id == forum.id)).all()
    )
    assert {ids["t-mfa-b"], ids["t-def"], ids["t-fin"], ids["t-ost"]} <= concerned
    db.commit()
    return {"alert": forum.id, **{k: v for k, v in ids.items() if v is not None}}


@pytest.fixture
def world(db: Session) -> dict[str, int]:
    return build(db)


@pytest.fixture
def browsers(world: dict[str, int]) -> Iterator[dict[str, tuple[TestClient, str]]]:
    app = create_app()
    clients = {role: TestClient(app, follow_redirects=False) for role in ROLES}
    out = {}
    for role, c in clients.items():
        c.__enter__()
        out[role] = (c, sign_in(c, f"{role}@example.test"))
    try:
        yield out
    finally:
        for c in clients.values():
            c.__exit__(None, None, None)


def _section(html: str, section: str) -> str:
    m = re.search(rf'<section class="card" id="{section}".*?</section>', html, re.S)
    return m.group(0) if m else ""


def _requests(db: Session) -> list[CoordinationRequest]:
    db.expire_all()
    rows = list(db.exec(select(CoordinationRequest).order_by(col(CoordinationRequest.id))).all())
    db.commit()
    return rows


def test_one_request_per_other_owner_from_the_pages_track(
    db: Session, db_backend: str, world: dict[str, int], browsers: dict[str, tuple[TestClient, str]]
) -> None:
    alert, page_track = world["alert"], world["t-mfa-b"]
    mfa, csrf = browsers["mfa"]

    # The card on the track's page says the notice once, for the page's track, with one button.
    page = mfa.get(f"/initiatives/{page_track}").text
    assert f'hx-get="/coordination/notices/{alert}?initiative_id={page_track}"' in page
    notice = mfa.get(
        f"/coordination/notices/{alert}?initiative_id={page_track}", headers={"HX-Request": "true"}
    ).text
    assert notice.count("With: ") == 1 and notice.count("<button") == 1
    assert "Your track: Valley convoy planning" in notice
    for name in (DEF, FIN, OST):
        assert name in notice
    assert OSTMARK_SECRET not in notice

    r = mfa.post(
        "/coordination/requests",
        data={"csrf_token": csrf, "alert_id": str(alert), "initiative_id": str(page_track)},
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 200, r.text
    rows = _requests(db)
    assert len(rows) == 3
    assert {row.from_initiative_id for row in rows} == {page_track}
    assert {row.to_initiative_id for row in rows} == {world["t-def"], world["t-fin"], world["t-ost"]}
    # Said once per owner, and no second button while every owner's request waits.
    assert r.text.count("<button") == 0
    for name in (DEF, FIN, OST):
        assert r.text.count(f"You asked {name} to coordinate") == 1

    # Asking again (the plain form, from the inbox) makes nothing new.
    again = mfa.post("/coordination/requests", data={"csrf_token": csrf, "alert_id": str(alert)})
    assert again.status_code == 303
    assert len(_requests(db)) == 3

    # The log names the departments asked, never a key.
    db.expire_all()
    texts = [e.text for e in db.exec(select(LogEntry).where(LogEntry.entry_type == "coordination")).all()]
    db.commit()
    assert sorted(texts) == sorted(f"Asked {n} to coordinate" for n in (DEF, FIN, OST))


def test_each_role_reads_the_requests_its_own_way(
    db: Session, db_backend: str, world: dict[str, int], browsers: dict[str, tuple[TestClient, str]]
) -> None:
    alert, page_track = world["alert"], world["t-mfa-b"]
    mfa, csrf = browsers["mfa"]
    mfa.post(
        "/coordination/requests",
        data={"csrf_token": csrf, "alert_id": str(alert), "initiative_id": str(page_track)},
    )
    by_target = {row.to_initiative_id: row.id for row in _requests(db)}

    def page(role: str) -> str:
        r = browsers[role][0].get("/coordination")
        assert r.status_code == 200
        assert OSTMARK_SECRET not in r.text or role.startswith("ost")
        return r.text

    # The asking department (any of its desk officers): three outgoing, none incoming.
    for role in ("mfa", "mfa2"):
        html = page(role)
        assert _section(html, "outgoing").count('class="coordination-request"') == 3
        assert _section(html, "incoming").count('class="coordination-request"') == 0
    # Each department asked: one incoming, from the foreign ministry, about its own track; it may answer.
    for role, _key, title in (
        ("def", "t-def", "Valley deconfliction line"),
        ("fin", "t-fin", "Valley reconstruction fund"),
    ):
        html = page(role)
        incoming = _section(html, "incoming")
        assert incoming.count('class="coordination-request"') == 1
        assert f"<strong>{MFA}</strong> asks to coordinate with your track" in incoming
        assert title in incoming and 'action="/coordination/requests/' in incoming
        assert _section(html, "outgoing").count('class="coordination-request"') == 0
        # The other two requests are the government's, read but not its to answer.
        assert _section(html, "between").count('class="coordination-request"') == 2
    # Ostmark's foreign office: incoming, about its own track, never the foreign ministry's title.
    html = page("ost")
    assert _section(html, "incoming").count('class="coordination-request"') == 1
    assert "Valley convoy planning" not in html
    # A reviewer of Ostmark reads it but may not answer.
    html = page("ost_rev")
    assert _section(html, "incoming").count('class="coordination-request"') == 1
    assert "/accept" not in html
    # Varnia's coordinator and admin: the request abroad went out; the two at home are between departments.
    for role in ("coord", "admin"):
        html = page(role)
        assert _section(html, "outgoing").count('class="coordination-request"') == 1
        assert _section(html, "between").count('class="coordination-request"') == 2
        assert "/accept" not in html
    # Another department of Varnia: nothing of its own, the three read as the government's.
    html = page("dev")
    assert _section(html, "incoming").count('class="coordination-request"') == 0
    assert _section(html, "between").count('class="coordination-request"') == 3
    assert f"<strong>{MFA}</strong> asked <strong>{DEF}</strong> to coordinate" in html
    # A field contributor has no home: no request, and the notice is not found.
    assert 'class="coordination-request"' not in page("field")
    assert browsers["field"][0].get(f"/coordination/notices/{alert}").status_code == 404

    # Defence accepts; finance declines with a reason; the foreign ministry reads both answers.
    d, dcsrf = browsers["def"]
    r = d.post(f"/coordination/requests/{by_target[world['t-def']]}/accept", data={"csrf_token": dcsrf})
    assert r.status_code == 303, r.text
    f, fcsrf = browsers["fin"]
    r = f.post(
        f"/coordination/requests/{by_target[world['t-fin']]}/decline",
        data={"csrf_token": fcsrf, "reason": "The fund is not yet approved"},
    )
    assert r.status_code == 303, r.text
    # The asker may not answer its own request; neither may another department.
    for role, target in (("mfa", "t-ost"), ("dev", "t-ost"), ("ost_rev", "t-ost"), ("coord", "t-ost")):
        c, token = browsers[role]
        r = c.post(f"/coordination/requests/{by_target[world[target]]}/accept", data={"csrf_token": token})
        assert r.status_code in (403, 404), (role, r.status_code)
    # Varnia's coordinator reads the request to defence but the department answers it.
    c, token = browsers["coord"]
    r = c.post(f"/coordination/requests/{by_target[world['t-fin']]}/accept", data={"csrf_token": token})
    assert r.status_code in (403, 409), r.status_code
    outgoing = _section(page("mfa"), "outgoing")
    assert "The fund is not yet approved" in outgoing
    assert outgoing.count("status-accepted") == 1 and outgoing.count("status-pending") == 1
