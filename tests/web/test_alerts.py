"""The alerts inbox: grouped by principle, with the paper's words; dismissal needs a reason."""

from __future__ import annotations

import re

from sqlmodel import select

from server.models import Alert, Initiative, LogEntry

MFA = "desk_officer.varnia-mfa@example.test"


def test_inbox_groups_alerts_and_dismissal_needs_a_reason(client, db, workspace, login) -> None:  # type: ignore[no-untyped-def]
    from workers.tasks import check_everything_now

    db.commit()
    check_everything_now()
    token = login(MFA)
    page = client.get("/alerts")
    assert page.status_code == 200
    assert re.search(r'<span class="badge principle">(D|N)\d</span>', page.text)
    assert "What would clear it:" in page.text and 'class="words"' in page.text
    # A high-severity alert waits for a second department (tests/services/test_dismissals.py).
    alert = db.exec(select(Alert).where(Alert.status == "open", Alert.severity != "high")).first()
    assert alert is not None
    tid = db.exec(select(Initiative.id)).first()
    db.commit()
    r = client.post(
        f"/alerts/{alert.id}/dismiss", data={"csrf_token": token, "reason": "", "back": "/alerts"}
    )
    assert r.status_code == 422 and "say why this alert can be set aside" in r.text
    r = client.post(
        f"/alerts/{alert.id}/dismiss",
        data={"csrf_token": token, "reason": "Covered by the joint cell", "back": "/alerts"},
    )
    assert r.status_code in (303, 403), r.text
    if r.status_code == 303:
        db.expire_all()
        assert db.get(Alert, alert.id).status == "dismissed"
        assert db.exec(select(LogEntry).where(LogEntry.entry_type == "dismissal")).first() is not None
        assert "Covered by the joint cell" in client.get("/alerts?status=dismissed").text
    assert tid is not None
