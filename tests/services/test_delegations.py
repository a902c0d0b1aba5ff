"""Delegated sign-off through the product: import, export, the service, the log and D4."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select

from server import generation
from server.domain import checks
from server.domain.snapshot import dump_document, parse_document
from server.models import Crisis, Delegation, Initiative, LogEntry, Organisation
from server.services import decisions, delegations, ledger, loader, signoff_state, workspace
from server.services.errors import Invalid, NotAllowed, NotFound
from tests import factories as f

TODAY = dt.date.today()


def _doc(**dl: Any) -> dict[str, Any]:
    d = f.document(
        initiatives=[f.initiative("t1"), f.initiative("t2", crisis="delta")],
        decisions=[
            {
                "key": "d1",
                "initiative": "t1",
                "date": "2026-05-20",
                "text": "Ask the valley authorities for weekly convoy access.",
                "touches_departments": ["varnia-fin"],
                "signoffs": [
                    {"org": "varnia-mfa", "by": "A. Terzi", "date": "2026-05-21"},
                    {"org": "varnia-fin", "by": "B. Osei", "date": "2026-05-22", "delegation": "dl1"},
                ],
            }
        ],
    )
    d["delegations"] = [
        {
            "key": "dl1",
            "department": "varnia-fin",
            "delegate": {"person": "B. Osei"},
            "scope": {"initiative": "t1"},
            "from": "2026-05-01",
            "to": "2026-06-30",
            "by": "M. Lind",
            "revoked": None,
            **dl,
        }
    ]
    return d


def _d4(db: Session) -> list[str]:
    snap = loader.load_all(db).snapshot
    return [x.kind for x in checks.run_all(snap, only={"D4"}) if x.subjects == ("d1",)]


def test_import_export_and_d4_through_the_database(db: Session, db_backend: str) -> None:
    f.load(db, _doc())
    assert _d4(db) == []
    out = dump_document(workspace.export_document(db))
    assert out["delegations"][0]["from"] == "2026-05-01"
    assert out["decisions"][0]["signoffs"][1]["delegation"] == "dl1"
    assert parse_document(out).delegations == parse_document(_doc()).delegations
    types = [e.entry_type for e in db.exec(select(LogEntry).order_by(col(LogEntry.id))).all()]
    assert types[0] == "delegation"
    assert ledger.verify(db).ok


def test_a_revoked_delegation_before_the_signoff_does_not_count(db: Session, db_backend: str) -> None:
    f.load(db, _doc(revoked="2026-05-22"))
    assert _d4(db) == ["missing_signoff"]
    assert "revocation" in [e.entry_type for e in db.exec(select(LogEntry)).all()]


def test_a_later_revocation_leaves_the_signoff(db: Session, db_backend: str) -> None:
    f.load(db, _doc(revoked="2026-05-23"))
    assert _d4(db) == []


def _setup(db: Session) -> tuple[Any, Any, Any, Initiative]:
    d = f.document(initiatives=[f.initiative("t1")])
    f.load(db, d)
    fin = f.person(db, "varnia-fin", "desk_officer")
    dev = f.person(db, "varnia-dev", "desk_officer")
    partner = f.person(db, "ostmark-fa", "partner_reviewer")
    track = db.exec(select(Initiative).where(Initiative.key == "t1")).one()
    return fin, dev, partner, track


def _org(db: Session, key: str) -> Organisation:
    return db.exec(select(Organisation).where(Organisation.key == key)).one()


def test_create_sign_under_revoke_and_log(db: Session, db_backend: str) -> None:
    fin, dev, partner, track = _setup(db)
    mfa = f.person(db, "varnia-mfa", "desk_officer")
    entry = decisions.log(
        db,
        mfa,
        track.id,
        decisions.DecisionData(
            text="Ask for weekly convoys", date=TODAY, touches=[_org(db, "varnia-fin").id]
        ),
    )
    db.commit()
    # Only the department's own signers (or an admin of its government) may delegate.
    with pytest.raises(NotAllowed):
        delegations.create(
            db,
            dev,
            delegations.DelegationData(
                department_id=_org(db, "varnia-fin").id,
                delegate_person_id=dev.id,
                starts_on=TODAY,
                ends_on=TODAY + dt.timedelta(days=30),
            ),
        )
    with pytest.raises(Invalid):
        delegations.create(
            db,
            fin,
            delegations.DelegationData(
                delegate_person_id=dev.id, starts_on=TODAY, ends_on=TODAY - dt.timedelta(days=1)
            ),
        )
    row = delegations.create(
        db,
        fin,
        delegations.DelegationData(
            delegate_person_id=dev.id,
            initiative_id=track.id,
            starts_on=TODAY,
            ends_on=TODAY + dt.timedelta(days=30),
        ),
    )
    db.commit()
    # The partner reads none of it.
    assert delegations.listing(db, partner) == []
    with pytest.raises(NotFound):
        delegations.get(db, partner, row.id)
    assert [v.key for v in delegations.listing(db, fin, initiative_id=track.id)] == [row.key]
    so = decisions.sign_off(db, dev, entry.id, delegation_id=row.id)
    db.commit()
    assert so.org_id == _org(db, "varnia-fin").id and so.payload == {"delegation": row.key}
    state = decisions.status(db, mfa, entry.id)
    assert "varnia-fin" in [r.org for r in state.signed]
    delegations.revoke(db, fin, row.id)
    db.commit()
    # Revoked on the day of the sign-off: the rule reads dates, so it no longer counts
    # (a later revocation leaves it standing: test_a_later_revocation_leaves_the_signoff).
    state = decisions.status(db, mfa, entry.id)
    assert "varnia-fin" in [r.org for r in state.missing]
    types = [e.entry_type for e in db.exec(select(LogEntry).order_by(col(LogEntry.id))).all()]
    assert types[-3:] == ["delegation", "signoff", "revocation"]
    assert ledger.verify(db).ok


def _as_a_request(db: Session) -> None:
    """Read the workspace's write mark as authentication does, so reference data is shared."""
    db.info[generation.KEY] = generation.parse(db.exec(select(generation.column())).one())


def test_delegations_shared_between_requests_follow_the_workspace_mark(db: Session, db_backend: str) -> None:
    """Delegations are read once per process while the workspace's mark stands (`memo.shared`)."""
    fin, dev, _partner, track = _setup(db)
    mfa = f.person(db, "varnia-mfa", "desk_officer")
    entry = decisions.log(
        db,
        mfa,
        track.id,
        decisions.DecisionData(text="Ask for fuel", date=TODAY, touches=[_org(db, "varnia-fin").id]),
    )
    db.commit()
    _as_a_request(db)
    assert signoff_state.load(db, {track.id}).delegations == {}
    db.commit()
    assert generation.KEY not in db.info  # a commit forgets the mark read before it
    row = delegations.create(
        db,
        fin,
        delegations.DelegationData(
            delegate_person_id=dev.id,
            initiative_id=track.id,
            starts_on=TODAY,
            ends_on=TODAY + dt.timedelta(days=9),
        ),
    )
    db.commit()
    _as_a_request(db)
    assert list(signoff_state.load(db, {track.id}).delegations) == [row.key]
    decisions.sign_off(db, dev, entry.id, delegation_id=row.id)
    db.commit()
    _as_a_request(db)
    assert "varnia-fin" in [r.org for r in decisions.status(db, mfa, entry.id).signed]
    db.commit()
    delegations.revoke(db, fin, row.id)
    db.commit()
    _as_a_request(db)
    assert signoff_state.load(db, {track.id}).delegations[row.key].revoked == TODAY
    assert "varnia-fin" in [r.org for r in decisions.status(db, mfa, entry.id).missing]


def test_a_delegate_who_cannot_see_the_track_cannot_sign(db: Session, db_backend: str) -> None:
    # Shared with Ostmark's foreign office for sign-off; not with the rest of Ostmark.
    f.load(
        db,
        f.document(
            initiatives=[f.initiative("t1", shared_with=[{"org": "ostmark-fa", "level": "sign-off"}])]
        ),
    )
    mfa = f.person(db, "varnia-mfa", "desk_officer")
    partner = f.person(db, "ostmark-fa", "partner_reviewer")
    home = f.person(db, "ostmark", "partner_reviewer")
    track = db.exec(select(Initiative).where(Initiative.key == "t1")).one()
    entry = decisions.log(
        db,
        mfa,
        track.id,
        decisions.DecisionData(
            text="Ask for weekly convoys", date=TODAY, touches=[_org(db, "ostmark-fa").id]
        ),
    )
    # Another government's person is no delegate of Varnia's departments.
    with pytest.raises(Invalid):
        delegations.create(
            db,
            mfa,
            delegations.DelegationData(
                delegate_person_id=partner.id, starts_on=TODAY, ends_on=TODAY + dt.timedelta(days=30)
            ),
        )
    row = delegations.create(
        db,
        partner,
        delegations.DelegationData(
            delegate_person_id=home.id, starts_on=TODAY, ends_on=TODAY + dt.timedelta(days=30)
        ),
    )
    db.commit()
    with pytest.raises(NotFound):
        decisions.sign_off(db, home, entry.id, delegation_id=row.id)


def test_the_end_of_a_delegation_is_logged_once(db: Session, db_backend: str) -> None:
    f.load(db, _doc(to="2026-05-25"))
    assert delegations.log_ended(db, dt.date(2026, 6, 1)) == 1
    assert delegations.log_ended(db, dt.date(2026, 6, 1)) == 0
    db.commit()
    assert db.exec(select(Delegation)).one().ended_logged
    assert "delegation_end" in [e.entry_type for e in db.exec(select(LogEntry)).all()]
    assert ledger.verify(db).ok
    assert db.exec(select(Crisis)).first() is not None


def test_a_delegate_is_told_and_finds_the_decision_waiting(db: Session) -> None:
    """The sign-off notice and the waiting list follow the rule, not the departments the decision names."""
    from server.models import Event
    from server.models.webhooks import MailMessage
    from server.services import mail

    fin, dev, partner, track = _setup(db)
    mfa = f.person(db, "varnia-mfa", "desk_officer")
    for person in (fin, dev, partner):
        mail.set_choices(db, person, {"signoff_notices": True})
    row = delegations.create(
        db,
        fin,
        delegations.DelegationData(
            delegate_person_id=dev.id,
            initiative_id=track.id,
            starts_on=TODAY,
            ends_on=TODAY + dt.timedelta(days=30),
        ),
    )
    db.commit()
    start = db.exec(select(func.max(Event.id))).one() or 0
    entry = decisions.log(
        db,
        mfa,
        track.id,
        decisions.DecisionData(
            text="Ask for weekly convoys", date=TODAY, touches=[_org(db, "varnia-fin").id]
        ),
    )
    db.commit()
    logged = list(db.exec(select(Event).where(Event.id > start)).all())
    made = mail.notices_for(db, logged)
    db.commit()
    told = {db.get(MailMessage, m).user_id for m in made}  # type: ignore[union-attr]
    # The finance department's own signer and its delegate of the development department;
    # the partner, who may not read the track, is not.
    assert told == {fin.id, dev.id}
    assert [e.id for e, _ in decisions.waiting_for(db, dev)] == [entry.id]
    decisions.sign_off(db, dev, entry.id, delegation_id=row.id)
    db.commit()
    assert decisions.waiting_for(db, dev) == [] and decisions.waiting_for(db, fin) == []


# ------------------------------------------------------------------ a delegate named by name

INTERIOR = {
    "key": "varnia-int",
    "name": "Varnia, Ministry of the Interior",
    "kind": "department",
    "government": "varnia",
}


def named(person: str, key: str = "dl-int", department: dict[str, str] = INTERIOR) -> dict[str, Any]:
    """A document that brings a department of Varnia's and its delegation to a person, by name."""
    return {
        "format": "accord-workspace/1",
        "organisations": [department],
        "delegations": [
            {
                "key": key,
                "department": department["key"],
                "delegate": {"person": person},
                "scope": {},
                "from": (TODAY - dt.timedelta(days=1)).isoformat(),
                "to": (TODAY + dt.timedelta(days=30)).isoformat(),
                "by": "K. Holm",
                "revoked": None,
            }
        ],
    }


def _account(db: Session, name: str, org: str, email: str) -> Any:
    from server.services import users

    found = db.exec(select(Organisation).where(Organisation.key == org)).one()
    return users.create(db, None, email, name, found.id, "desk_officer", "long enough password")


def test_a_named_delegate_is_tied_to_the_account_made_for_them(db: Session, db_backend: str) -> None:
    """`accord users create`, the admin's invitation and the demo all create people through
    `users.create`: the account made after the delegation is tied to it, and signs under it."""
    f.load(db, f.document(initiatives=[f.initiative("t1")]))
    f.load(db, named("Vera Lind"))
    mfa = f.person(db, "varnia-mfa", "desk_officer")
    track = db.exec(select(Initiative).where(Initiative.key == "t1")).one()
    entry = decisions.log(
        db,
        mfa,
        track.id,
        {"text": "Ask for weekly convoys", "date": TODAY, "touches": [_org(db, "varnia-int").id]},
    )
    row = db.exec(select(Delegation)).one()
    assert row.delegate_person == "Vera Lind" and row.delegate_person_id is None
    assert [v.awaits_account for v in delegations.listing(db, mfa)] == [True]
    # Someone of the same name in another government is not the delegate of a Varnian department.
    abroad = _account(db, "Vera Lind", "ostmark-fa", "vera.lind@ostmark.example")
    assert row.delegate_person_id is None and delegations.naming(db, abroad) == []
    vera = _account(db, "Vera Lind", "varnia-dev", "vera.lind@varnia.example")
    db.commit()
    assert row.delegate_person_id == vera.id
    assert [v.key for v in delegations.naming(db, vera)] == ["dl-int"]
    assert [v.awaits_account for v in delegations.listing(db, mfa)] == [False]
    so = decisions.sign_off(db, vera, entry.id, delegation_id=row.id)
    db.commit()
    assert so.org_id == _org(db, "varnia-int").id and so.payload == {"delegation": "dl-int"}
    assert "varnia-int" in [r.org for r in decisions.status(db, mfa, entry.id).signed]
    # A second account of that name later changes nothing: the link is made once.
    _account(db, "Vera Lind", "varnia-mfa", "v.lind@varnia.example")
    assert row.delegate_person_id == vera.id


def test_import_ties_a_named_delegate_to_an_account_that_exists(db: Session, db_backend: str) -> None:
    """The account is there before the delegation: the import ties them by the same rule, and
    leaves untied a name that two people of the government share."""
    f.load(db, f.document(initiatives=[f.initiative("t1")]))
    vera = _account(db, "Vera Lind", "varnia-dev", "vera.lind@varnia.example")
    _account(db, "Vera Lind", "ostmark-fa", "vera.lind@ostmark.example")
    _account(db, "Ana Ames", "varnia-dev", "ana.ames@varnia.example")
    _account(db, "Ana Ames", "varnia-fin", "a.ames@varnia.example")
    db.commit()
    f.load(db, named("Vera Lind"))
    justice = {**INTERIOR, "key": "varnia-jus", "name": "Varnia, Ministry of Justice"}
    f.load(db, named("Ana Ames", key="dl-jus", department=justice))
    rows = {r.key: r for r in db.exec(select(Delegation)).all()}
    assert rows["dl-int"].delegate_person_id == vera.id
    assert rows["dl-jus"].delegate_person_id is None
    assert {v.key: v.awaits_account for v in delegations.listing(db, vera)} == {
        "dl-int": False,
        "dl-jus": True,
    }


def test_a_department_the_workspace_does_not_hold_is_waited_on(db: Session, db_backend: str) -> None:
    """What the README says of an absent department: the decision names its equities, so its
    sign-off shows as missing and D4 raises it, though no one, and no delegation, can give it
    until the department is added; once it exists in the track's government it signs like
    any other."""
    from server.domain.snapshot import DocumentInvalid

    doc = _doc()
    doc["decisions"][0]["touches_departments"] = ["varnia-fin", "varnia-ghost"]
    f.load(db, doc)
    entry = db.exec(select(LogEntry).where(LogEntry.key == "d1")).one()
    state = decisions.status(db, None, entry.id)
    assert [r.org for r in state.requirements] == ["varnia-mfa", "varnia-fin", "varnia-ghost"]
    assert [r.org for r in state.missing] == ["varnia-ghost"] and not state.unresolved
    assert "not in the workspace yet" in str(state.missing[0].reasons[0])
    assert _d4(db) == ["missing_signoff"]
    # No delegation can be made for it: a delegation's department must be held.
    ghost = {**named("Vera Lind", key="dl-ghost"), "organisations": []}
    ghost["delegations"][0]["department"] = "varnia-ghost"
    with pytest.raises(DocumentInvalid, match="unknown organisation 'varnia-ghost'"):
        parse_document(ghost)
    # Once Varnia holds it, it must sign.
    f.load(db, named("Vera Lind", key="dl-ghost", department={**INTERIOR, "key": "varnia-ghost"}))
    state = decisions.status(db, None, entry.id)
    assert [r.org for r in state.missing] == ["varnia-ghost"] and not state.unresolved
