"""Blind overlap notices in the pages: request coordination from an alert's card, answer on
the requests page (accept, or decline with a reason), and never a word of the other track.

The world (tests/permissions/world.py) holds two unshared overlapping tracks of two states:
Varnia's private track (its desk officer `owner_desk`) and Kestrel's (`kestrel_desk`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from server.app import create_app
from server.models import CoordinationLink, CoordinationRequest, SharingGrant
from tests.permissions import world as w

VARNIA_MFA = "Varnia, Ministry of Foreign Affairs"
KESTREL_FO = "Kestrel, Foreign Office"
CRISIS = "Saltmarsh Delta crisis"
HTMX = {"HX-Request": "true"}


class Side:
    """One person's browser: their session on every request, and every page body kept."""

    def __init__(self, client: TestClient, world: w.World, role: str) -> None:
        self.client, self.world, self.role = client, world, role
        self.bodies: list[tuple[str, str]] = []

    def get(self, url: str, headers: dict[str, str] | None = None) -> Any:
        r = self.client.get(url, headers={**self.world.headers(self.role), **(headers or {})})
        self.bodies.append((url, r.text))
        return r

    def post(self, url: str, data: dict[str, str], headers: dict[str, str] | None = None) -> Any:
        r = self.client.post(
            url,
            data={"csrf_token": w.csrf_of(self.role), **data},
            headers={**self.world.headers(self.role), **(headers or {})},
        )
        self.bodies.append((url, r.text))
        return r

    def leaks(self, secrets: tuple[str, ...]) -> list[tuple[str, str]]:
        return [(url, s) for url, body in self.bodies for s in secrets if s.lower() in body.lower()]


@pytest.fixture
def world(db: Session) -> w.World:
    return w.build(db, with_request=False)


@pytest.fixture
def client(world: w.World) -> Iterator[TestClient]:
    with TestClient(create_app(), follow_redirects=False) as c:
        yield c


def _request_id(db: Session, status: str = "pending") -> int:
    db.expire_all()
    row = db.exec(
        select(CoordinationRequest)
        .where(CoordinationRequest.status == status)
        .order_by(CoordinationRequest.id.desc())  # type: ignore[union-attr]
    ).first()
    assert row is not None and row.id is not None
    db.commit()  # the test's write session must not keep SQLite locked for the app
    return row.id


def _read_everything(side: Side, own_track: int, alert_id: int) -> None:
    """Every page that could name the overlap, as this side sees it."""
    for url in (
        "/",
        "/alerts",
        "/alerts?status=all",
        "/coordination",
        f"/coordination/notices/{alert_id}",
        f"/initiatives/{own_track}",
        "/initiatives",
        "/decisions",
        f"/decisions?initiative_id={own_track}",
        "/crises",
    ):
        assert side.get(url).status_code == 200, url
    side.get("/coordination", headers={**HTMX, "HX-Target": "coordination_summary"})


def test_request_decline_and_accept_through_the_pages(
    db: Session, db_backend: str, world: w.World, client: TestClient
) -> None:
    alert_id = world.ids["alert_id"]
    varnia = Side(client, world, "owner_desk")
    kestrel = Side(client, world, "kestrel_desk")
    private_id, kestrel_id = world.ids["private_id"], world.ids["kestrel_id"]

    # The inbox shows the notice on the alert's card: the other organisation, the crisis, a button.
    inbox = varnia.get("/alerts").text
    card = re.search(rf'<article class="alert[^"]*" id="alert-{alert_id}">.*?</article>', inbox, re.S)
    assert card is not None
    assert f'id="notice-{alert_id}"' in card.group(0) and "Request coordination" in card.group(0)
    assert KESTREL_FO in card.group(0) and CRISIS in card.group(0)
    assert 'name="csrf_token"' in card.group(0) and 'action="/coordination/requests"' in card.group(0)
    # The initiative page's alerts block carries the same notice.
    assert f'id="notice-{alert_id}"' in varnia.get(f"/initiatives/{private_id}").text
    notice = varnia.get(f"/coordination/notices/{alert_id}")
    assert notice.status_code == 200
    assert f"With: {KESTREL_FO} · Crisis: {CRISIS}" in notice.text
    _read_everything(varnia, private_id, alert_id)
    _read_everything(kestrel, kestrel_id, alert_id)

    # Without JavaScript: a form post, then the requests page.
    r = varnia.post("/coordination/requests", {"alert_id": str(alert_id), "back": "/coordination"})
    assert r.status_code == 303 and r.headers["location"] == "/coordination"
    first = _request_id(db)
    mine = varnia.get("/coordination").text
    assert f'id="request-{first}"' in mine and f"You asked <strong>{KESTREL_FO}</strong>" in mine
    assert "Varnia delta relief channel" in mine  # one's own track, by its title
    # The notice now says it waits, and offers no second request.
    fragment = varnia.get(f"/coordination/notices/{alert_id}", headers=HTMX).text
    assert "<html" not in fragment and "pending" in fragment and "Request coordination" not in fragment

    # Kestrel's dashboard counts the incoming request; its requests page offers the answers.
    summary = kestrel.get("/coordination", headers={**HTMX, "HX-Target": "coordination_summary"}).text
    assert "<html" not in summary and "1 request to coordinate waiting for your answer" in summary
    assert 'id="coordination_summary"' in kestrel.get("/").text
    theirs = kestrel.get("/coordination").text
    assert f"<strong>{VARNIA_MFA}</strong> asks to coordinate" in theirs
    assert f'for="decline-reason-{first}"' in theirs and f'for="share-{first}"' in theirs

    # Declining needs a reason: the form comes back with the message beside the field.
    empty = kestrel.post(f"/coordination/requests/{first}/decline", {"reason": ""}, headers=HTMX)
    assert empty.status_code == 422 and "<html" not in empty.text
    assert f'id="decline-reason-{first}-error"' in empty.text and 'aria-invalid="true"' in empty.text
    empty_plain = kestrel.post(f"/coordination/requests/{first}/decline", {"reason": " "})
    assert empty_plain.status_code == 422 and "<html" in empty_plain.text
    reason = "Our channel with the council is confidential for now"
    r = kestrel.post(f"/coordination/requests/{first}/decline", {"reason": reason})
    assert r.status_code == 303 and r.headers["location"] == f"/coordination#request-{first}"

    # Varnia reads the decline and its reason, and may ask again (through htmx this time).
    mine = varnia.get("/coordination").text
    assert "declined" in mine and reason in mine
    again = varnia.post(
        "/coordination/requests",
        {"alert_id": str(alert_id)},
        headers={**HTMX, "HX-Target": f"notice-{alert_id}"},
    )
    assert again.status_code == 200 and "<html" not in again.text
    assert f'id="notice-{alert_id}"' in again.text and "pending" in again.text and reason in again.text
    second = _request_id(db)
    assert second != first

    # Varnia may not answer its own request; the page answers 404.
    assert varnia.post(f"/coordination/requests/{second}/accept", {}).status_code == 404
    accepted = kestrel.post(f"/coordination/requests/{second}/accept", {}, headers=HTMX)
    assert accepted.status_code == 200 and "<html" not in accepted.text and "accepted" in accepted.text
    db.expire_all()
    a, b = sorted((private_id, kestrel_id))
    assert db.exec(
        select(CoordinationLink).where(CoordinationLink.a_id == a, CoordinationLink.b_id == b)
    ).first()
    assert db.exec(select(SharingGrant).where(SharingGrant.initiative_id == kestrel_id)).first() is None
    db.commit()

    # Both sides see their own track coordinated with "a track of" the other organisation.
    assert f"is coordinated with\n        a track of {KESTREL_FO}" in varnia.get("/coordination").text
    assert f"is coordinated with\n        a track of {VARNIA_MFA}" in kestrel.get("/coordination").text
    # A second answer to the same request is refused in the page.
    late = kestrel.post(f"/coordination/requests/{second}/decline", {"reason": "Changed our mind"})
    assert late.status_code == 409 and "already accepted" in late.text
    _read_everything(varnia, private_id, alert_id)
    _read_everything(kestrel, kestrel_id, alert_id)

    # Neither side read a word of the other's track, in any page of the whole flow.
    assert not varnia.leaks(w.KESTREL_SECRETS)
    assert not kestrel.leaks(w.VARNIA_PRIVATE_SECRETS)
    assert len(varnia.bodies) > 20 and len(kestrel.bodies) > 20


def test_accepting_can_share_ones_track_back(db: Session, world: w.World, client: TestClient) -> None:
    varnia = Side(client, world, "owner_desk")
    kestrel = Side(client, world, "kestrel_desk")
    assert varnia.post("/coordination/requests", {"alert_id": str(world.ids["alert_id"])}).status_code == 303
    rid = _request_id(db)
    r = kestrel.post(f"/coordination/requests/{rid}/accept", {"share": "on"})
    assert r.status_code == 303
    db.expire_all()
    grant = db.exec(select(SharingGrant).where(SharingGrant.initiative_id == world.ids["kestrel_id"])).one()
    assert grant.level == "view"
    db.commit()
    # Shared back: Varnia now reads Kestrel's title, and its request stays an outgoing one.
    page = varnia.get("/coordination").text
    assert f'<a href="/initiatives/{world.ids["kestrel_id"]}">{w.KESTREL_SECRETS[0]}</a>' in page
    outgoing = page.split('id="outgoing"', 1)[1].split('id="coordinated"', 1)[0]
    assert f'id="request-{rid}"' in outgoing
    # Kestrel was not shared Varnia's track: it still reads only the organisation.
    theirs = kestrel.get("/coordination").text
    assert f"a track of {VARNIA_MFA}" in theirs
    assert not kestrel.leaks(w.VARNIA_PRIVATE_SECRETS)


def test_who_may_see_and_answer_a_notice(db: Session, world: w.World, client: TestClient) -> None:
    alert_id = world.ids["alert_id"]
    # A partner who sees neither track, and a field contributor, get 404 for the notice.
    for role in ("partner_granted", "field"):
        assert Side(client, world, role).get(f"/coordination/notices/{alert_id}").status_code == 404
    assert Side(client, world, "field").get("/coordination/notices/999999").status_code == 404
    # A desk officer of another Varnian department sees the notice but may not ask.
    other = Side(client, world, "other_desk")
    seen = other.get(f"/coordination/notices/{alert_id}", headers=HTMX)
    assert seen.status_code == 200 and "Request coordination" not in seen.text
    assert other.post("/coordination/requests", {"alert_id": str(alert_id)}).status_code == 403
    assert (
        Side(client, world, "kestrel_desk")
        .post("/coordination/requests", {"alert_id": str(alert_id)})
        .status_code
        == 303
    )
    rid = _request_id(db)
    # Only an editor of the receiving track answers: others of its government get 403, others 404.
    assert other.post(f"/coordination/requests/{rid}/accept", {}).status_code == 403
    for role in ("partner_granted", "field", "kestrel_desk", "partner_ungranted"):
        r = Side(client, world, role).post(f"/coordination/requests/{rid}/decline", {"reason": "No thanks"})
        assert r.status_code == 404, role
    # Without a session the pages send one to sign in.
    anon = client.get("/coordination")
    assert anon.status_code == 303 and anon.headers["location"].startswith("/signin")
