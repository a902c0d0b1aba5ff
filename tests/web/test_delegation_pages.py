"""The delegations page and form, a delegated sign-off on the decision page, the dismissals page."""

from __future__ import annotations

import datetime as dt
import re

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


def test_dismissals_per_principle_and_department_in_the_page_and_the_api(  # type: ignore[no-untyped-def]
    client, db, db_backend, login
) -> None:
    """Varnia's foreign ministry sets a medium alert aside until a date, and dismisses a high one
    that the development agency confirms: the coordinators' page and the API count both under
    their principle and department, and say who, why, until when and who confirmed. Ostmark's
    coordinator reads none of it."""
    from server.models import Alert
    from server.services import alerts
    from tests.factories import document, initiative, load
    from tests.services.test_dismissals import check

    load(
        db,
        document(
            initiatives=[
                initiative(
                    "t1", end="2099-12-31", metrics=[{"name": "ministerial visits", "kind": "symbolic"}]
                )
            ]
        ),
    )
    check(db)
    mfa, dev = person(db, "varnia-mfa", "desk_officer"), person(db, "varnia-dev", "desk_officer")
    person(db, "varnia-mfa", "coordinator")
    person(db, "ostmark-fa", "coordinator")
    high = db.exec(select(Alert).where(Alert.fingerprint == "N3:symbolic_only:t1")).one()
    medium = db.exec(select(Alert).where(Alert.fingerprint == "D3:no_red_lines:t1")).one()
    assert (high.severity, medium.severity) == ("high", "medium")
    alerts.dismiss(db, mfa, medium.id, "Red lines agreed orally with the envoy", None, dt.date(2099, 3, 1))
    alerts.dismiss(db, mfa, high.id, "Visits are the agreed first phase")
    db.commit()
    login("coordinator.varnia-mfa@example.test")
    awaiting = client.get("/dismissals").text
    assert "awaiting confirmation" in awaiting and "Visits are the agreed first phase" in awaiting
    alerts.confirm(db, dev, high.id)
    db.commit()

    page = client.get("/dismissals")
    assert page.status_code == 200
    rows = {
        cells[0]: cells
        for cells in (
            re.findall(r"<td>(.*?)</td>", tr, re.S)
            for tr in re.findall(r"<tr>(.*?)</tr>", page.text.split('id="all-dismissals"')[1], re.S)
        )
        if cells
    }
    n3 = rows['<span class="badge principle">N3</span> symbolic only']
    assert n3[1:] == [
        "high",
        "dismissed",
        "Varnia, Ministry of Foreign Affairs",
        mfa.name,
        "Visits are the agreed first phase",
        "until the evidence changes",
        dev.name,
    ]
    d3 = rows['<span class="badge principle">D3</span> no red lines']
    assert d3[2] == "dismissed" and d3[6] == "2099-03-01" and d3[7] == ""
    api = client.get("/api/v1/dismissals").json()
    assert api["government"] == "varnia"
    assert sorted((c["principle"], c["department"], c["count"]) for c in api["counts"]) == [
        ("D3", "Varnia, Ministry of Foreign Affairs", 1),
        ("N3", "Varnia, Ministry of Foreign Affairs", 1),
    ]
    by_id = {d["alert_id"]: d for d in api["dismissals"]}
    assert by_id[high.id]["confirmed_by"] == dev.name and by_id[medium.id]["expires_on"] == "2099-03-01"

    client.cookies.clear()
    login("coordinator.ostmark-fa@example.test")
    for url in ("/dismissals", "/api/v1/dismissals"):
        body = client.get(url).text
        assert "agreed" not in body and mfa.name not in body, url
    assert client.get("/api/v1/dismissals").json()["dismissals"] == []
