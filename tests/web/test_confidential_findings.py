"""Findings 1-8 of the confidentiality probe, each as the partner (or the other government)
meets it: through the JSON API, the pages and the stream.

A track of Varnia's foreign ministry is shared with Ostmark's government for sign-off.
Behind it, things stay home: a staff line of the defence ministry, a sanction held by
the finance ministry, a link to a track outside the workspace, an internal comment.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from server import stream
from server.app import create_app
from server.models import Alert, AlertInitiative, Event, Initiative, LogEntry, Organisation
from server.services import comments, decisions, sharing
from tests.factories import document, initiative, load, person
from tests.web.conftest import sign_in

SECRET_FTE = "0.7 FTE"
SECRET_UNTIL = "2026-08-14"
SECRET_TOOL = "Freeze the treasurer's accounts"
EXTERNAL = "ext-kestrel-channel"

KESTREL = [
    {"key": "kestrel", "name": "Republic of Kestrel", "kind": "state", "government": "kestrel"},
    {"key": "kestrel-fo", "name": "Kestrel, Foreign Office", "kind": "department", "government": "kestrel"},
]


def _doc(**track: object) -> dict:
    base = initiative(
        "t-shared",
        title="Northern valleys access",
        shared_with=[{"government": "ostmark", "level": "sign-off"}],
        staff=[{"org": "varnia-def", "fte": 0.7, "until": SECRET_UNTIL, "internal": True}],
        leverage=[{"kind": "sanction", "description": SECRET_TOOL, "org": "varnia-fin", "internal": True}],
        coordinated_with=[EXTERNAL],
    )
    base.update(track)
    d = document(
        initiatives=[
            base,
            initiative("t-private", title="Private delta channel", crisis="delta"),
            initiative("t-ost", owner="ostmark-fa", title="Ostmark relief route"),
            initiative("t-kes", owner="kestrel-fo", title="Kestrel bargaining channel"),
            initiative(
                "t-view", title="Read-only track", shared_with=[{"government": "ostmark", "level": "view"}]
            ),
        ]
    )
    d["organisations"] = d["organisations"] + KESTREL
    return d


@pytest.fixture
def app(db_url: str):  # type: ignore[no-untyped-def]
    return create_app()


@pytest.fixture
def people(db: Session) -> dict:
    load(db, _doc())
    return {
        "mfa": person(db, "varnia-mfa", "desk_officer"),
        "fin": person(db, "varnia-fin", "desk_officer"),
        "ost": person(db, "ostmark-fa", "partner_reviewer"),
        "ost_desk": person(db, "ostmark-fa", "desk_officer"),
        "kes": person(db, "kestrel-fo", "desk_officer"),
    }


@pytest.fixture
def clients(app) -> Iterator[dict[str, TestClient]]:  # type: ignore[no-untyped-def]
    made: dict[str, TestClient] = {}

    class Lazy(dict):  # type: ignore[type-arg]
        def __missing__(self, who: str) -> TestClient:
            c = TestClient(app, follow_redirects=False)
            c.__enter__()
            made[who] = c
            c.headers["X-CSRF-Token"] = sign_in(c, f"{ROLE_EMAIL[who]}")
            self[who] = c
            return c

    yield Lazy()
    for c in made.values():
        c.__exit__(None, None, None)


ROLE_EMAIL = {
    "mfa": "desk_officer.varnia-mfa@example.test",
    "fin": "desk_officer.varnia-fin@example.test",
    "ost": "partner_reviewer.ostmark-fa@example.test",
    "ost_desk": "desk_officer.ostmark-fa@example.test",
    "kes": "desk_officer.kestrel-fo@example.test",
}


def _track(db: Session, key: str) -> Initiative:
    t = db.exec(select(Initiative).where(Initiative.key == key)).one()
    db.commit()
    return t


def _org(db: Session, key: str) -> Organisation:
    return db.exec(select(Organisation).where(Organisation.key == key)).one()


def _decision(db: Session, actor, track: Initiative, touches: list[str], **extra: object) -> LogEntry:  # type: ignore[no-untyped-def]
    entry = decisions.log(
        db,
        actor,
        track.id,
        {
            "text": "Press for weekly convoys through the northern checkpoints",
            "date": "2026-05-20",
            "touches": [_org(db, k).id for k in touches],
            **extra,
        },
    )
    db.commit()
    return entry


def _alert(db: Session, kind: str, tracks: list[Initiative], subjects: tuple[str, ...], views: dict) -> Alert:
    body = "|".join(subjects)
    alert = Alert(
        fingerprint=f"N4:{kind}:{body}",
        principle="N4",
        kind=kind,
        subjects=list(subjects),
        severity="medium",
        message="Parallel tracks on the same crisis",
        evidence=["both tracks engage the Lowland Freedom Army"],
        remedy="Link the tracks as coordinated",
        views=views,
        evidence_hash=hashlib.sha256(body.encode()).hexdigest(),
    )
    db.add(alert)
    db.flush()
    for t in tracks:
        db.add(AlertInitiative(alert_id=alert.id, initiative_id=t.id))
    db.commit()
    return alert


# ---------------------------------------------------------------- finding 1


def test_signoff_reasons_abroad_say_nothing_of_internal_items(db, people, clients) -> None:  # type: ignore[no-untyped-def]
    """Finding 1: reasons over internal items (FTE, dates, kinds, the departments they bring in)."""
    track = _track(db, "t-shared")
    entry = _decision(db, people["mfa"], track, ["varnia-mfa", "ostmark"])
    # What only the internal staff line and the internal sanction bring in.
    secrets = (SECRET_FTE, SECRET_UNTIL, "sanction", "owns a staff line", "responsible for")
    names = ("Ministry of Defence", "Ministry of Finance", "varnia-def", "varnia-fin")

    home = clients["mfa"].get(f"/api/v1/decisions/{entry.id}/status").json()
    assert {r["org"] for r in home["requirements"]} >= {"varnia-def", "varnia-fin", "ostmark"}

    for answer in (
        clients["ost"].get(f"/api/v1/decisions/{entry.id}/status"),
        clients["ost"].get(f"/initiatives/{track.id}"),
        clients["ost"].get(
            f"/initiatives/{track.id}", headers={"HX-Request": "true", "HX-Target": "decision_log"}
        ),
        clients["ost"].get("/decisions"),
        clients["ost"].get("/api/v1/decisions/waiting"),
        clients["ost"].get("/"),
    ):
        assert answer.status_code == 200, answer.text
        for secret in secrets:
            assert secret not in answer.text, (answer.request.url, secret)
    # The pages list every organisation to filter by (reference data); the sign-off
    # states and the log's fragment name none that only internal items bring in.
    for answer in (
        clients["ost"].get(f"/api/v1/decisions/{entry.id}/status"),
        clients["ost"].get(
            f"/initiatives/{track.id}", headers={"HX-Request": "true", "HX-Target": "decision_log"}
        ),
        clients["ost"].get("/api/v1/decisions/waiting"),
    ):
        for name in names:
            assert name not in answer.text, (answer.request.url, name)
    partner = clients["ost"].get(f"/api/v1/decisions/{entry.id}/status").json()
    assert {r["org"] for r in partner["requirements"]} == {"varnia-mfa", "ostmark"}


# ---------------------------------------------------------------- finding 2


def test_a_dismissal_stays_with_the_government_that_made_it(db, people, clients) -> None:  # type: ignore[no-untyped-def]
    """Finding 2: one government's dismissal and its reason do not cross to the other."""
    ours = _track(db, "t-shared")
    theirs = _track(db, "t-ost")
    alert = _alert(db, "parallel_tracks", [ours, theirs], ("t-ost", "t-shared"), {})

    reason = "Covered by the joint cell in the capital"
    r = clients["mfa"].post(f"/api/v1/alerts/{alert.id}/dismiss", json={"reason": reason})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "dismissed" and r.json()["dismiss_reason"] == reason

    other = clients["ost_desk"].get(f"/api/v1/alerts/{alert.id}")
    assert other.status_code == 200
    assert other.json()["status"] == "open"
    assert reason not in other.text
    inbox = clients["ost_desk"].get("/alerts")
    assert reason not in inbox.text and f"alert-{alert.id}" in inbox.text
    assert reason not in clients["ost_desk"].get("/api/v1/alerts?status=all").text

    # The other government sets it aside for itself, with its own reason.
    r = clients["ost_desk"].post(
        f"/api/v1/alerts/{alert.id}/dismiss", json={"reason": "Talks paused until May"}
    )
    assert r.status_code == 200, r.text
    assert r.json()["dismiss_reason"] == "Talks paused until May"
    assert clients["mfa"].get(f"/api/v1/alerts/{alert.id}").json()["dismiss_reason"] == reason
    db.expire_all()
    assert db.get(Alert, alert.id).status == "dismissed"


# ---------------------------------------------------------------- finding 3


def test_a_partner_reads_no_blind_notice_nor_home_only_stream_events(db, people, clients) -> None:  # type: ignore[no-untyped-def]
    """Finding 3: notices of a merely shared track, alert events and internal changes in the stream."""
    shared = _track(db, "t-shared")
    kes = _track(db, "t-kes")
    view = {
        "message": "Your track overlaps another organisation's",
        "evidence": [],
        "remedy": "Ask to coordinate",
    }
    alert = _alert(
        db, "parallel_tracks", [shared, kes], ("t-kes", "t-shared"), {"t-shared": view, "t-kes": view}
    )

    home = clients["mfa"].get("/api/v1/coordination/notices").json()
    assert [n["alert_id"] for n in home] == [alert.id]
    partner = clients["ost"].get("/api/v1/coordination/notices")
    assert partner.status_code == 200 and partner.json() == []
    assert "Kestrel" not in partner.text

    before = stream.latest_id(db)
    db.commit()
    from server.services import alerts

    alerts.publish_change(db, alert, "alert.raised", [shared.id])
    comments.add(
        db, people["mfa"], shared.id, {"text": "The minister doubts their resolve", "internal": True}
    )
    comments.add(db, people["mfa"], shared.id, {"text": "Convoys resume on Monday"})
    db.commit()
    seen, _, _ = stream.events_after(db, people["ost"].id, before)
    assert [e.kind for e in seen] == ["comment.added"]
    assert all("alert" not in e.block for e in seen)
    mine, _, _ = stream.events_after(db, people["mfa"].id, before)
    assert [e.kind for e in mine] == ["alert.raised", "comment.added", "comment.added"]


# ---------------------------------------------------------------- finding 4


def test_external_links_stay_home(db, people, clients) -> None:  # type: ignore[no-untyped-def]
    """Finding 4: links to tracks outside the workspace are the home's own knowledge."""
    track = _track(db, "t-shared")
    assert EXTERNAL in clients["mfa"].get(f"/initiatives/{track.id}").text
    for answer in (
        clients["ost"].get(f"/initiatives/{track.id}"),
        clients["ost"].get(
            f"/initiatives/{track.id}", headers={"HX-Request": "true", "HX-Target": "initiative"}
        ),
        clients["ost"].get(f"/api/v1/initiatives/{track.id}"),
        clients["ost"].get("/api/v1/export"),
    ):
        assert answer.status_code == 200
        assert EXTERNAL not in answer.text


# ---------------------------------------------------------------- finding 5


def test_a_blind_forum_shopping_alert_names_no_party_in_its_subjects(db, people, clients) -> None:  # type: ignore[no-untyped-def]
    """Finding 5: the subjects of a blind view keep to the reader's own tracks."""
    private = _track(db, "t-private")
    kes = _track(db, "t-kes")
    view = {"message": "A party your track engages is engaged elsewhere too", "evidence": [], "remedy": ""}
    alert = _alert(
        db,
        "forum_shopping",
        [private, kes],
        ("lfa", "t-kes", "t-private"),
        {"t-private": view, "t-kes": view},
    )
    got = clients["mfa"].get(f"/api/v1/alerts/{alert.id}").json()
    assert got["partial"] is True
    assert got["subjects"] == ["t-private"]
    listed = clients["mfa"].get("/api/v1/alerts").text
    assert '"lfa"' not in listed and "t-kes" not in listed


# ---------------------------------------------------------------- finding 6


def test_a_partner_that_may_only_read_is_never_asked_to_sign(db, people, clients) -> None:  # type: ignore[no-untyped-def]
    """Finding 6: named on a decision with a view grant: not waiting, no button, refused.

    Its sign-off is still missing (the decision names its equities), with the reason, and
    the alert can clear: sharing the track with it for sign-off lets it sign.
    """
    track = _track(db, "t-view")
    entry = _decision(db, people["mfa"], track, ["varnia-mfa", "ostmark"])

    assert clients["ost"].get("/api/v1/decisions/waiting").json() == []
    page = clients["ost"].get(f"/initiatives/{track.id}").text
    assert f'action="/decisions/{entry.id}/signoff"' not in page
    state = clients["mfa"].get(f"/api/v1/decisions/{entry.id}/status").json()
    assert [r["org"] for r in state["missing"]] == ["ostmark"]
    assert "cannot sign until" in json.dumps(state["missing"])
    assert clients["ost"].post(f"/api/v1/decisions/{entry.id}/signoff", json={}).status_code == 403

    sharing.grant(db, people["mfa"], track.id, {"government": "ostmark", "level": "sign-off"})
    db.commit()
    assert [w["decision"]["id"] for w in clients["ost"].get("/api/v1/decisions/waiting").json()] == [entry.id]
    assert clients["ost"].post(f"/api/v1/decisions/{entry.id}/signoff", json={}).status_code == 201
    assert clients["mfa"].get(f"/api/v1/decisions/{entry.id}/status").json()["missing"] == []


# ---------------------------------------------------------------- finding 7


def test_a_department_keeps_its_decline_and_its_decision_internal(db, people, clients) -> None:  # type: ignore[no-untyped-def]
    """Finding 7: an internal decline, and an internal decision, are read only at home."""
    track = _track(db, "t-shared")
    shown = _decision(db, people["mfa"], track, ["varnia-mfa", "varnia-fin", "ostmark"])
    reason = "Finance will not fund a second convoy corridor this year"
    r = clients["fin"].post(
        f"/api/v1/decisions/{shown.id}/signoff", json={"declined": True, "reason": reason, "internal": True}
    )
    assert r.status_code == 201, r.text
    hidden = _decision(
        db, people["mfa"], track, ["varnia-mfa"], text="Hold back the reconstruction offer", internal=True
    )

    assert reason in clients["mfa"].get(f"/initiatives/{track.id}").text
    assert "Hold back the reconstruction offer" in clients["mfa"].get("/decisions").text
    for answer in (
        clients["ost"].get(f"/initiatives/{track.id}"),
        clients["ost"].get("/decisions"),
        clients["ost"].get("/api/v1/decisions"),
        clients["ost"].get(f"/api/v1/decisions/{shown.id}/status"),
        clients["ost"].get("/api/v1/export"),
    ):
        assert answer.status_code == 200
        assert reason not in answer.text
        assert "Hold back the reconstruction offer" not in answer.text
    assert clients["ost"].get(f"/api/v1/decisions/{hidden.id}/status").status_code == 404
    # A partner keeps nothing internal on another government's track.
    other = _decision(db, people["mfa"], track, ["varnia-mfa", "ostmark"], text="Open the southern road too")
    r = clients["ost"].post(f"/api/v1/decisions/{other.id}/signoff", json={"internal": True})
    assert r.status_code == 422


# ---------------------------------------------------------------- finding 8


def test_coordination_requests_and_unlinks_answer_not_found_for_what_is_not_ones_own(  # type: ignore[no-untyped-def]
    db, people, clients
) -> None:
    """Finding 8: a request on a merely shared track's alert, an unlink of a hidden track: 404."""
    shared = _track(db, "t-shared")
    private = _track(db, "t-private")
    kes = _track(db, "t-kes")
    view = {"message": "Your track overlaps another organisation's", "evidence": [], "remedy": ""}
    alert = _alert(
        db, "parallel_tracks", [shared, kes], ("t-kes", "t-shared"), {"t-shared": view, "t-kes": view}
    )

    r = clients["ost_desk"].post("/coordination/requests", data={"alert_id": str(alert.id)})
    assert r.status_code == 404
    r = clients["ost_desk"].post("/api/v1/coordination/requests", json={"alert_id": alert.id})
    assert r.status_code == 404

    before = stream.latest_id(db)
    db.commit()
    r = clients["mfa"].delete(f"/api/v1/initiatives/{private.id}/coordinated/{kes.id}")
    assert r.status_code == 404
    db.expire_all()
    assert db.exec(select(Event).where(Event.id > before)).all() == []
