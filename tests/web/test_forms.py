"""Forms: errors beside the field, conflicts that keep what was typed, the sign-off workflow."""

from __future__ import annotations

import re

from sqlalchemy import func
from sqlmodel import select

from server.models import AuthSession, Event, Initiative, LogEntry, OutboxRow
from server.services import initiatives
from tests.web.conftest import csrf_of, signin_form

MFA = "desk_officer.varnia-mfa@example.test"
DEV = "desk_officer.varnia-dev@example.test"
OST = "desk_officer.ostmark-fa@example.test"


def _id(db, key: str) -> int:  # type: ignore[no-untyped-def]
    found = db.exec(select(Initiative.id).where(Initiative.key == key)).one()
    db.commit()  # the test's write session must not hold SQLite's write lock while the app works
    return found


def test_create_shows_errors_beside_the_fields_and_keeps_input(client, workspace, login) -> None:  # type: ignore[no-untyped-def]
    token = login(MFA)
    r = client.post(
        "/initiatives/new",
        data={
            "csrf_token": token,
            "title": "ab",
            "description": "Kept text",
            "kind": "humanitarian",
            "crisis_id": "",
        },
    )
    assert r.status_code == 422
    assert 'id="title-error"' in r.text and 'id="crisis_id-error"' in r.text
    assert 'aria-invalid="true"' in r.text
    assert "Kept text" in r.text and 'value="ab"' in r.text


def test_htmx_form_error_returns_only_the_form(client, workspace, login) -> None:  # type: ignore[no-untyped-def]
    token = login(MFA)
    r = client.post(
        "/initiatives/new",
        data={
            "title": "Convoy talks",
            "kind": "humanitarian",
            "crisis_id": "1",
            "start": "2026-05-01",
            "end": "2026-01-01",
        },
        headers={"HX-Request": "true", "X-CSRF-Token": token},
    )
    assert r.status_code == 422
    assert r.text.lstrip().startswith("<form") and "<html" not in r.text
    assert "The end date is before the start date" in r.text
    assert 'id="start-error"' in r.text and 'id="end-error"' in r.text


def test_edit_conflict_keeps_what_was_typed_and_shows_what_changed(client, db, workspace, login) -> None:  # type: ignore[no-untyped-def]
    token = login(MFA)
    tid = _id(db, "t1")
    page = client.get(f"/initiatives/{tid}/edit").text
    version = re.search(r'name="version" value="(\d+)"', page).group(1)  # type: ignore[union-attr]
    # Someone else saves first.
    other = workspace["dev"]
    current = initiatives.snapshot_fields(db, db.get(Initiative, tid))
    current["title"] = "Renamed by a colleague"
    initiatives.update(db, None, tid, {k: v for k, v in current.items()}, int(version))
    db.commit()
    assert other is not None
    form = {
        "csrf_token": token,
        "version": version,
        "title": "My careful new title",
        "description": "My own words",
        "kind": "humanitarian",
        "crisis_id": str(current["crisis_id"]),
        "status": "active",
        "aims": "humanitarian access to the northern valleys",
    }
    r = client.post(f"/initiatives/{tid}/edit", data=form)
    assert r.status_code == 409
    assert "Someone else saved this initiative" in r.text
    assert "My careful new title" in r.text and "My own words" in r.text
    assert "Renamed by a colleague" in r.text
    new_version = re.search(r'name="version" value="(\d+)"', r.text).group(1)  # type: ignore[union-attr]
    assert int(new_version) > int(version)
    # Saving again from the conflict form keeps the person's edit.
    r = client.post(f"/initiatives/{tid}/edit", data={**form, "version": new_version})
    assert r.status_code == 303
    db.expire_all()
    assert db.get(Initiative, tid).title == "My careful new title"


def test_add_metric_infers_its_kind(client, db, workspace, login) -> None:  # type: ignore[no-untyped-def]
    token = login(MFA)
    tid = _id(db, "t1")
    r = client.post(f"/initiatives/{tid}/metrics/new", data={"csrf_token": token, "name": "ab"})
    assert r.status_code == 422 and 'id="name-error"' in r.text
    r = client.post(
        f"/initiatives/{tid}/metrics/new", data={"csrf_token": token, "name": "ministerial visits held"}
    )
    assert r.status_code == 303
    page = client.get(f"/initiatives/{tid}").text
    assert "ministerial visits held" in page and "(inferred)" in page


def test_decision_proposes_departments_and_waits_for_their_sign_off(
    app, client, db, workspace, login
) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    token = login(MFA)
    tid = _id(db, "t1")
    page = client.get(f"/initiatives/{tid}").text
    # The owner and the development agency (it owns a resource) are proposed, pre-checked.
    checked = re.findall(r'id="touch-(\d+)" name="touches" value="\d+"\s*checked', page)
    assert len(checked) >= 2
    r = client.post(
        f"/initiatives/{tid}/decisions",
        data={
            "csrf_token": token,
            "text": "Offer the reconstruction fund for convoy access",
            "kind": "agreement",
            "date": "2026-05-20",
            "touches": checked,
        },
    )
    assert r.status_code == 303
    decision = db.exec(select(LogEntry).where(LogEntry.entry_type == "decision")).one()
    db.commit()
    with TestClient(app, follow_redirects=False) as dev:
        dev.post("/signin", data=signin_form(dev, DEV))
        home = dev.get("/")
        assert "Offer the reconstruction fund" in home.text
        dev_token = csrf_of(home.text)
        r = dev.post(f"/decisions/{decision.id}/decline", data={"csrf_token": dev_token, "reason": ""})
        assert r.status_code == 422 and "say why your department declines" in r.text
        r = dev.post(
            f"/decisions/{decision.id}/signoff",
            data={"csrf_token": dev_token},
            headers={"HX-Request": "true", "HX-Target": "decision_log"},
        )
        assert r.status_code == 200 and r.text.lstrip().startswith('<section id="decision_log"')
        assert "signed off by Desk Officer of Varnia, Development Agency" in r.text
        assert "Offer the reconstruction fund" not in dev.get("/").text.split("Open alerts")[0]
    page = client.get(f"/initiatives/{tid}").text
    if "Waiting for" in page:
        client.post(f"/decisions/{decision.id}/signoff", data={"csrf_token": token})
        page = client.get(f"/initiatives/{tid}").text
    assert "Complete: every required department signed off." in page
    log = client.get(f"/decisions?initiative_id={tid}").text
    assert decision.entry_hash[:16] in log and "signoff" in log


def test_comment_from_htmx_swaps_the_form_and_asks_the_list_to_refresh(client, db, workspace, login) -> None:  # type: ignore[no-untyped-def]
    token = login(MFA)
    tid = _id(db, "t1")
    r = client.post(
        f"/initiatives/{tid}/comments",
        data={"text": "Convoy left at dawn"},
        headers={"HX-Request": "true", "X-CSRF-Token": token, "HX-Target": "comment_form"},
    )
    assert r.status_code == 200 and r.headers["HX-Trigger"] == "refresh-comments"
    assert r.text.lstrip().startswith('<section id="comment_form"')
    fragment = client.get(f"/initiatives/{tid}", headers={"HX-Request": "true", "HX-Target": "comments"})
    assert (
        fragment.text.lstrip().startswith('<section id="comments"') and "Convoy left at dawn" in fragment.text
    )
    assert fragment.headers["vary"] == "HX-Request"


def test_what_one_may_not_see_answers_404(client, db, workspace, login) -> None:  # type: ignore[no-untyped-def]
    login(OST)
    tid = _id(db, "t1")
    r = client.get(f"/initiatives/{tid}")
    assert r.status_code == 404 and "Traceback" not in r.text
    assert client.get(f"/initiatives/{tid}/edit").status_code == 404
    assert client.get("/initiatives/999999").status_code == 404
    assert "Access talks" not in client.get("/initiatives").text
    assert "Access talks" not in client.get("/crises/1").text


def test_get_never_writes(client, db, workspace, login) -> None:  # type: ignore[no-untyped-def]
    login(MFA)
    tid = _id(db, "t1")

    def counts() -> tuple[int, ...]:
        db.expire_all()
        return tuple(
            db.exec(select(func.count()).select_from(m)).one()
            for m in (Event, LogEntry, OutboxRow, Initiative, AuthSession)
        )

    before = counts()
    db.commit()
    for path in (
        "/",
        "/initiatives",
        f"/initiatives/{tid}",
        f"/initiatives/{tid}/edit",
        "/decisions",
        "/alerts",
        "/crises",
        "/crises/1",
        f"/initiatives/{tid}/red_lines/new",
    ):
        assert client.get(path).status_code == 200, path
    assert counts() == before
    db.commit()


def test_pages_render_with_empty_states(client, db, workspace, login) -> None:  # type: ignore[no-untyped-def]
    login(DEV)
    assert "Nothing waits for your department" in client.get("/").text
    assert "No initiative matches these filters" in client.get("/initiatives?q=zzzz").text
    assert "No open alerts" in client.get("/alerts").text
    assert "Delta dialogue" in client.get("/initiatives?kind=political").text
    assert "Access talks" not in client.get("/initiatives?kind=political").text
    assert "Access talks" in client.get("/initiatives?q=northern").text
