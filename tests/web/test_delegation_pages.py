"""The delegations page and form, a delegated sign-off on the decision page, the dismissals page."""

from __future__ import annotations

import datetime as dt

from sqlmodel import select

from server.models import Delegation, Initiative, LogEntry, Organisation
from tests.factories import person

MFA = "desk_officer.varnia-mfa@example.test"
DEV = "desk_officer.varnia-dev@example.test"
OST = "desk_officer.ostmark-fa@example.test"


def test_delegate_sign_under_it_and_revoke(client, db, workspace, login) -> None:  # type: ignore[no-untyped-def]
    today = dt.date.today()
    mfa = db.exec(select(Organisation).where(Organisation.key == "varnia-mfa")).one()
    track = db.exec(select(Initiative).where(Initiative.key == "t1")).one()
    db.commit()  # the test's reads end before the app writes
    # The development agency, away, hands its sign-off on t1 to the foreign ministry.
    token = login(DEV)
    page = client.get("/delegations")
    assert page.status_code == 200 and "Name a delegate" in page.text
    # A bad form re-renders with the message by the field.
    r = client.post(
        "/delegations",
        data={
            "csrf_token": token,
            "delegate": "",
            "starts_on": today.isoformat(),
            "ends_on": today.isoformat(),
        },
    )
    assert r.status_code == 422 and 'id="delegate-error"' in r.text
    r = client.post(
        "/delegations",
        data={
            "csrf_token": token,
            "delegate": f"org:{mfa.id}",
            "scope": f"initiative:{track.id}",
            "starts_on": today.isoformat(),
            "ends_on": (today + dt.timedelta(days=10)).isoformat(),
        },
    )
    assert r.status_code == 303, r.text
    row = db.exec(select(Delegation)).one()
    db.commit()
    client.post("/signout", data={"csrf_token": token})
    # The ministry logs a decision that needs the agency's sign-off, and signs for it.
    token = login(MFA)
    r = client.post(
        f"/initiatives/{track.id}/decisions",
        data={
            "csrf_token": token,
            "text": "Ask for weekly convoys to Vell",
            "kind": "other",
            "date": today.isoformat(),
        },
    )
    assert r.status_code in (200, 303), r.text
    entry = db.exec(select(LogEntry).where(LogEntry.entry_type == "decision")).one()
    db.commit()
    page = client.get(f"/initiatives/{track.id}")
    assert "Sign off for Varnia, Development Agency (delegated)</button>" in page.text
    r = client.post(
        f"/decisions/{entry.id}/signoff",
        data={"csrf_token": token, "delegation_id": str(row.id), "back": f"/initiatives/{track.id}"},
    )
    assert r.status_code == 303, r.text
    page = client.get(f"/initiatives/{track.id}")
    assert (
        "for Varnia, Development Agency, delegated by Desk Officer of Varnia, Development Agency" in page.text
    )
    # The API shows it to the government, never to a partner.
    assert client.get("/api/v1/delegations").json()[0]["key"] == row.key
    client.post("/signout", data={"csrf_token": token})
    token = login(OST)
    assert client.get("/api/v1/delegations").json() == []
    assert row.key not in client.get("/delegations").text
    client.post("/signout", data={"csrf_token": token})
    token = login(DEV)
    r = client.post(f"/delegations/{row.id}/revoke", data={"csrf_token": token})
    assert r.status_code == 303
    assert "revoked" in client.get("/delegations").text


def test_dismissals_page_is_for_coordinators(client, db, workspace, login) -> None:  # type: ignore[no-untyped-def]
    person(db, "varnia-mfa", "coordinator")
    token = login(MFA)
    assert client.get("/dismissals").status_code == 403
    assert client.get("/api/v1/dismissals").status_code == 403
    client.post("/signout", data={"csrf_token": token})
    login("coordinator.varnia-mfa@example.test")
    page = client.get("/dismissals")
    assert page.status_code == 200 and "Every dismissal" in page.text
    assert client.get("/api/v1/dismissals").json()["government"] == "varnia"
