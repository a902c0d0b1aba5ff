"""Governed dismissal and delegated sign-off through a real worker on Redis, on SQLite and PostgreSQL.

Each change is saved through the services, as a page or the API would save it; the
worker's alert is polled for with a deadline: raised, dismissed, reopened when its
evidence changes, reopened by the sweep when its dismissal expires, cleared; and a
missing sign-off cleared by a sign-off made under a delegation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session, select

from server.broker import SWEEP, transport_options
from server.db import get_engine
from server.models import Alert, LogEntry, Organisation
from server.relay import relay_pending
from server.services import alerts, decisions, delegations, initiatives
from server.services.workspace_meta import set_judging_date
from server.settings import get_settings
from tests import factories
from tests.workers.conftest import Worker, wait_for
from tests.workers.test_pipeline import initiative_id
from tests.workers.test_principle_alerts import _commit, _expect
from workers.celery_app import app

pytestmark = pytest.mark.worker

MISSING = "D4:missing_signoff:d1"
SYMBOLIC_ONLY = "N3:symbolic_only:t1"
SYMBOLIC = {"name": "ministerial visits", "kind": "symbolic"}
OUTCOME = {"name": "humanitarian access constraints lifted", "kind": "outcome", "target": "five lifted"}


def _doc(today: str, decision_date: str) -> dict[str, Any]:
    doc = factories.document(
        initiatives=[factories.initiative("t1", end="2099-12-31")],
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
    doc["today"] = today
    return doc


def _by(fingerprint: str) -> Alert:
    with Session(get_engine()) as s:
        return s.exec(select(Alert).where(Alert.fingerprint == fingerprint)).one()


def _alert() -> Alert:
    return _by(MISSING)


def _sweep() -> None:
    s = get_settings()
    with app.connection_for_write(s.broker_url, transport_options=transport_options(s)) as conn:
        app.send_task(SWEEP, queue="sweep", connection=conn)


def _entry(db: Session) -> LogEntry:
    return db.exec(select(LogEntry).where(LogEntry.key == "d1")).one()


def test_a_dismissal_reopens_on_new_evidence_and_on_its_expiry(
    on_redis: str, db: Session, db_backend: str, workers: Callable[..., Worker]
) -> None:
    w = workers()
    try:
        # A track judged only by a symbolic metric (N3), judged on 2026-06-01.
        factories.load(
            db,
            factories.document(
                initiatives=[factories.initiative("t1", end="2099-12-31", metrics=[SYMBOLIC])]
            ),
        )
        mfa = factories.person(db, "varnia-mfa", "desk_officer")
        dev = factories.person(db, "varnia-dev", "desk_officer")
        relay_pending()
        _expect(SYMBOLIC_ONLY, "open", "raised: judged only by visits")
        a = _by(SYMBOLIC_ONLY)
        assert a.severity == "high"  # so a second department confirms each dismissal
        alerts.dismiss(db, mfa, a.id, "Visits are the agreed first phase", None, dt.date(2026, 6, 10))
        alerts.confirm(db, dev, a.id)
        _commit(db)
        assert _by(SYMBOLIC_ONLY).status == "dismissed"

        # New evidence: another symbolic metric; the worker reopens it, saying what changed.
        initiatives.add_line(
            db,
            None,
            initiative_id(db, "t1"),
            "metrics",
            {"name": "press conferences held", "kind": "symbolic"},
        )
        _commit(db)
        _expect(SYMBOLIC_ONLY, "open", "reopened when its evidence changes")
        view = alerts.get(db, mfa, a.id)
        db.commit()
        assert view.reopened["why"] == "evidence" and view.reopened["added"]

        # Dismissed again until 2026-06-10; on that day the sweep reopens it.
        alerts.dismiss(db, mfa, a.id, "Outcomes follow in July", None, dt.date(2026, 6, 10))
        alerts.confirm(db, dev, a.id)
        _commit(db)
        assert _by(SYMBOLIC_ONLY).status == "dismissed"
        set_judging_date(db, dt.date(2026, 6, 10))
        _commit(db)
        _sweep()
        _expect(SYMBOLIC_ONLY, "open", "reopened by the sweep on its expiry, the cause still there")
        view = alerts.get(db, mfa, a.id)
        db.commit()
        assert view.reopened["why"] == "expiry"

        # An outcome metric: the cause is gone and the alert clears.
        initiatives.add_line(db, None, initiative_id(db, "t1"), "metrics", OUTCOME)
        _commit(db)
        _expect(SYMBOLIC_ONLY, "resolved", "cleared by an outcome metric")
    except AssertionError:
        print(w.log()[-5000:])
        raise


def test_a_high_alert_stays_open_until_a_second_department_confirms(
    on_redis: str, db: Session, db_backend: str, workers: Callable[..., Worker]
) -> None:
    w = workers()
    try:
        # Judged on 2026-06-01, a decision of 2026-05-01 has waited past the escalation (high).
        factories.load(db, _doc("2026-06-01", "2026-05-01"))
        mfa = factories.person(db, "varnia-mfa", "coordinator", email="mfa.c@example.test")
        dev = factories.person(db, "varnia-dev", "desk_officer")
        relay_pending()
        _expect(MISSING, "open", "raised")
        a = _alert()
        assert a.severity == "high"
        view = alerts.dismiss(db, mfa, a.id, "Handled in the cabinet meeting")
        _commit(db)
        assert view.awaiting_confirmation and view.status == "open"
        # A check run in between leaves it awaiting, still open.
        decisions.log(
            db, mfa, _entry(db).initiative_id, {"text": "Note the cabinet meeting", "date": "2026-05-30"}
        )
        _commit(db)
        _sweep()
        wait_for(lambda: alerts.get(db, mfa, a.id).awaiting_confirmation, 30, what="still awaiting")
        db.commit()
        assert _alert().status == "open"
        alerts.confirm(db, dev, a.id)
        _commit(db)
        assert _alert().status == "dismissed"
    except AssertionError:
        print(w.log()[-5000:])
        raise


def test_a_delegated_signoff_clears_the_missing_signoff(
    on_redis: str, db: Session, db_backend: str, workers: Callable[..., Worker]
) -> None:
    w = workers()
    today = dt.date.today()
    try:
        factories.load(db, _doc(today.isoformat(), today.isoformat()))
        mfa = factories.person(db, "varnia-mfa", "desk_officer")
        fin = factories.person(db, "varnia-fin", "desk_officer")
        dev = factories.person(db, "varnia-dev", "desk_officer")
        decisions.sign_off(db, mfa, _entry(db).id)
        _commit(db)
        _expect(MISSING, "open", "raised: finance has not signed")
        row = delegations.create(
            db,
            fin,
            {"delegate_person_id": dev.id, "starts_on": today, "ends_on": today + dt.timedelta(days=5)},
        )
        _commit(db)
        decisions.sign_off(db, dev, _entry(db).id, delegation_id=row.id)
        _commit(db)
        _expect(MISSING, "resolved", "cleared by a sign-off under finance's delegation")
        fin_org = db.exec(select(Organisation).where(Organisation.key == "varnia-fin")).one()
        signed = db.exec(
            select(LogEntry).where(LogEntry.entry_type == "signoff", LogEntry.org_id == fin_org.id)
        ).one()
        db.commit()
        assert signed.actor_id == dev.id and signed.payload == {"delegation": row.key}

        # The development agency takes a funding line of the track: the decision now needs its
        # sign-off too, and the same alert reopens. Finance's sign-off under the delegation
        # still counts, and the alert says on whose behalf it was made.
        dev_org = db.exec(select(Organisation).where(Organisation.key == "varnia-dev")).one()
        initiatives.add_line(
            db,
            None,
            initiative_id(db, "t1"),
            "resources",
            {"kind": "funding", "amount": 50000, "currency": "EUR", "org_id": dev_org.id},
        )
        _commit(db)
        _expect(MISSING, "open", "reopened: the development agency now owns a line of the track")
        view = alerts.get(db, mfa, _alert().id)
        db.commit()
        evidence = " ".join(view.evidence)
        assert "Varnia, Development Agency has not signed" in evidence
        assert f"{fin_org.name} signed by {dev.name}, for {fin_org.name}, delegated by {fin.name}" in evidence
        assert f"{fin_org.name} has not signed" not in evidence
        decisions.sign_off(db, dev, _entry(db).id)
        _commit(db)
        _expect(MISSING, "resolved", "cleared again by the agency's own sign-off")
    except AssertionError:
        print(w.log()[-5000:])
        raise
