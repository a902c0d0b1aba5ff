"""Governed dismissal: expiry, a second department's confirmation, reopening with what changed,
and the coordinators' view; one test per rule, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlmodel import Session, select

from server.domain import checks
from server.models import Alert, AlertDismissal, LogEntry
from server.services import alerts, decisions, dismissals, ledger, loader, reconcile
from server.services.errors import Conflict, Invalid, NotAllowed
from tests import factories as f


def _doc(decision_date: str) -> dict[str, Any]:
    return f.document(
        initiatives=[f.initiative("t1")],
        decisions=[
            {
                "key": "d1",
                "initiative": "t1",
                "date": decision_date,
                "text": "Ask the valley authorities for weekly convoy access.",
                "touches_departments": ["varnia-fin"],
                "signoffs": [],
            }
        ],
    )


def check(db: Session, today: dt.date | None = None) -> reconcile.Outcome:
    loaded = loader.load_all(db)
    found = checks.run_all(loaded.snapshot)
    out = reconcile.reconcile(db, found, loaded.ids, None, None)
    if today is not None:
        reconcile.lapse_dismissals(db, today, {x.fingerprint for x in found}, out)
    db.commit()
    return out


def _alert(db: Session) -> Alert:
    return db.exec(select(Alert).where(Alert.kind == "missing_signoff")).one()


def _people(db: Session) -> dict[str, Any]:
    return {
        "mfa": f.person(db, "varnia-mfa", "desk_officer"),
        "mfa2": f.person(db, "varnia-mfa", "coordinator", email="c2@example.test"),
        "fin": f.person(db, "varnia-fin", "desk_officer"),
        "ost": f.person(db, "ostmark-fa", "partner_reviewer"),
    }


def test_a_medium_alert_is_set_aside_at_once_and_reopens_on_its_expiry(db: Session, db_backend: str) -> None:
    f.load(db, _doc("2026-05-25"))
    check(db)
    p = _people(db)
    a = _alert(db)
    assert a.severity == "medium"
    with pytest.raises(Invalid):
        alerts.dismiss(db, p["mfa"], a.id, "handled by phone", expires_on=dt.date(2026, 6, 1))
    view = alerts.dismiss(db, p["mfa"], a.id, "handled by phone", expires_on=dt.date(2026, 6, 15))
    db.commit()
    assert view.status == "dismissed" and view.dismissal_expires == dt.date(2026, 6, 15)
    assert check(db, dt.date(2026, 6, 14)).reopened == []
    assert alerts.get(db, p["mfa"], a.id).status == "dismissed"
    out = check(db, dt.date(2026, 6, 15))
    assert out.reopened == [a.fingerprint]
    again = alerts.get(db, p["mfa"], a.id)
    assert again.status == "open" and again.reopened["why"] == "expiry"


def test_an_expiry_does_not_reopen_an_alert_whose_cause_is_gone(db: Session, db_backend: str) -> None:
    f.load(db, _doc("2026-05-25"))
    check(db)
    p = _people(db)
    a = _alert(db)
    alerts.dismiss(db, p["mfa"], a.id, "handled", expires_on=dt.date(2026, 6, 15))
    db.commit()
    entry = db.exec(select(LogEntry).where(LogEntry.key == "d1")).one()
    decisions.sign_off(db, p["mfa"], entry.id)
    decisions.sign_off(db, p["fin"], entry.id)
    db.commit()
    check(db)
    # Its expiry finds the cause gone: nothing reopens.
    out = check(db, dt.date(2026, 6, 20))
    assert out.reopened == []
    assert alerts.get(db, p["mfa"], a.id).status == "dismissed"


def test_a_high_alert_awaits_a_second_department(db: Session, db_backend: str) -> None:
    f.load(db, _doc("2026-05-01"))
    check(db)
    p = _people(db)
    a = _alert(db)
    assert a.severity == "high"
    view = alerts.dismiss(db, p["mfa"], a.id, "the finance desk agreed by phone")
    db.commit()
    # Still counted open until a second department confirms.
    assert view.status == "open" and view.awaiting_confirmation and not view.may_confirm
    assert a.id in [v.id for v in alerts.list_visible(db, p["mfa"])]
    # Not the same department, not another government.
    with pytest.raises(NotAllowed):
        alerts.confirm(db, p["mfa2"], a.id)
    assert alerts.get(db, p["fin"], a.id).may_confirm
    done = alerts.confirm(db, p["fin"], a.id)
    db.commit()
    assert done.status == "dismissed" and not done.awaiting_confirmation
    row = db.exec(select(AlertDismissal)).one()
    assert row.confirmed_by_id == p["fin"].id and row.state == "held"
    with pytest.raises(Conflict):
        alerts.confirm(db, p["fin"], a.id)
    logged = db.exec(select(LogEntry).where(LogEntry.entry_type == "dismissal")).all()
    assert [e.payload.get("confirms", False) for e in logged] == [False, True]
    assert ledger.verify(db).ok


def test_new_evidence_reopens_and_shows_what_changed(db: Session, db_backend: str) -> None:
    f.load(db, _doc("2026-05-25"))
    check(db)
    p = _people(db)
    a = _alert(db)
    alerts.dismiss(db, p["mfa"], a.id, "handled")
    db.commit()
    entry = db.exec(select(LogEntry).where(LogEntry.key == "d1")).one()
    decisions.sign_off(db, p["mfa"], entry.id)
    db.commit()
    out = check(db)
    assert out.reopened == [a.fingerprint]
    view = alerts.get(db, p["mfa"], a.id)
    assert view.status == "open" and view.reopened["why"] == "evidence"
    assert any("signed" in line for line in view.reopened["added"])
    assert view.reopened["removed"]


def test_coordinators_read_their_own_governments_dismissals(db: Session, db_backend: str) -> None:
    f.load(db, _doc("2026-05-25"))
    check(db)
    p = _people(db)
    a = _alert(db)
    alerts.dismiss(db, p["mfa"], a.id, "handled")
    db.commit()
    rep = dismissals.report(db, p["mfa2"])
    assert rep.government == "varnia"
    assert rep.counts == {("D4", "Varnia, Ministry of Foreign Affairs"): 1}
    assert [r.reason for r in rep.rows] == ["handled"]
    ost = f.person(db, "ostmark-fa", "coordinator", email="oc@example.test")
    assert dismissals.report(db, ost).rows == []
    with pytest.raises(NotAllowed):
        dismissals.report(db, p["mfa"])
    with pytest.raises(NotAllowed):
        dismissals.report(db, p["ost"])
