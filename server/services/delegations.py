"""Delegated sign-off as people use it: name a delegate, revoke, list, sign under it.

A department names a delegate (a person, or another department, of its own government) to sign for it on one
track, one crisis or everything, from a date to a date. Whether a sign-off made under
a delegation counts is the sign-off rule's (`server.domain.signoffs.delegation_fault`),
so the D4 check, the pages and this service agree. Who may create or revoke one is the
policy's (`policy.may_delegate`): the department's own people with sign-off rights, and
admins of its government.

Everything is in the decision log: the delegation when it is made, each sign-off made
under it (the sign-off entry names it), its revocation, and its end when it runs out
(the sweep writes that entry). These entries stay at home, like grants and dismissals.
A delegation never widens what the delegate may read: a delegate who cannot see a
track cannot sign on it (`decisions.sign_off` reads the track through the visibility
layer first).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import ConfigDict, Field, model_validator
from sqlmodel import Session, col, or_, select

from server import events
from server.domain import signoffs
from server.domain import snapshot as doc
from server.models import Crisis, Delegation, Initiative, LogEntry, Organisation, User
from server.models.base import utcnow
from server.services import audience, ledger, policy, signoff_state
from server.services.errors import Conflict, Invalid, NotAllowed, NotFound
from server.services.initiative_common import new_key
from server.services.validation import Bounded, blanks_as_none, parse

ENTRY_MADE = "delegation"
ENTRY_REVOKED = "revocation"
ENTRY_ENDED = "delegation_end"


class DelegationData(Bounded):
    """A new delegation from a form or the API."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    department_id: int | None = None
    delegate_person_id: int | None = None
    delegate_org_id: int | None = None
    initiative_id: int | None = None
    crisis_id: int | None = None
    starts_on: dt.date
    ends_on: dt.date
    note: str = Field(default="", max_length=500)

    @model_validator(mode="before")
    @classmethod
    def _blanks(cls, data: Any) -> Any:
        return blanks_as_none(data)


@dataclass
class DelegationView:
    """A delegation as its government reads it."""

    row: Delegation
    key: str
    department: str
    delegate: str
    scope: str
    starts_on: dt.date
    ends_on: dt.date
    granted_by: str
    revoked_on: dt.date | None
    state: str  # "active", "future", "ended" or "revoked"
    may_revoke: bool
    # A person named (by an imported workspace) who has no account yet: nobody can sign under it
    # until one is created for them (`link_people`).
    awaits_account: bool = False


def _orgs(db: Session) -> dict[int, Organisation]:
    return {o.id: o for o in db.exec(select(Organisation)).all() if o.id is not None}


def _state(row: Delegation, today: dt.date) -> str:
    if row.revoked_on is not None and row.revoked_on <= today:
        return "revoked"
    if today < row.starts_on:
        return "future"
    if today > row.ends_on:
        return "ended"
    return "active"


def _log(db: Session, row: Delegation, entry_type: str, when: dt.date, text: str, actor: User | None) -> None:
    ledger.append(
        db,
        LogEntry(
            entry_type=entry_type,
            key=None,
            initiative_id=row.scope_initiative_id,
            date=when,
            text=text,
            org_id=row.department_id,
            actor_id=actor.id if actor else None,
            actor_name=actor.name if actor else "",
            payload={
                "delegation": row.key,
                "from": row.starts_on.isoformat(),
                "to": row.ends_on.isoformat(),
                "delegate_person": row.delegate_person,
                "delegate_org_id": row.delegate_org_id,
                "scope_initiative_id": row.scope_initiative_id,
                "scope_crisis_id": row.scope_crisis_id,
            },
            prev_hash="",
            entry_hash="",
        ),
    )


def _describe(db: Session, row: Delegation, orgs: dict[int, Organisation]) -> tuple[str, str, str]:
    dept = orgs[row.department_id].name
    delegate = orgs[row.delegate_org_id].name if row.delegate_org_id else (row.delegate_person or "")
    if row.scope_initiative_id is not None:
        track = db.get(Initiative, row.scope_initiative_id)
        scope = f"track {track.title}" if track else "one track"
    elif row.scope_crisis_id is not None:
        crisis = db.get(Crisis, row.scope_crisis_id)
        scope = f"crisis {crisis.name}" if crisis else "one crisis"
    else:
        scope = f"everything of {dept}"
    return dept, delegate, scope


def record_made(db: Session, row: Delegation, actor: User | None) -> None:
    """The log entry of a new delegation (and of its revocation, when it came revoked)."""
    dept, delegate, scope = _describe(db, row, _orgs(db))
    _log(
        db,
        row,
        ENTRY_MADE,
        row.starts_on if actor is None else dt.date.today(),
        f"{dept} delegates its sign-off to {delegate} for {scope}, "
        f"{row.starts_on.isoformat()} to {row.ends_on.isoformat()} (by {row.granted_by})",
        actor,
    )
    if row.revoked_on is not None:
        _log(db, row, ENTRY_REVOKED, row.revoked_on, f"{dept} revokes its delegation to {delegate}", actor)
        row.ended_logged = True
        db.add(row)


def _visible_rows(db: Session, actor: User | None) -> list[Delegation]:
    q = select(Delegation).order_by(col(Delegation.starts_on).desc(), col(Delegation.id).desc())
    aud = audience.of(actor)
    if not aud.system:
        if aud.home_government is None:
            return []
        own = select(Organisation.id).where(
            or_(
                col(Organisation.government) == aud.home_government,
                col(Organisation.key) == aud.home_government,
            )
        )
        q = q.where(col(Delegation.department_id).in_(own))
    return list(db.exec(q).all())


def listing(
    db: Session, actor: User | None, today: dt.date | None = None, initiative_id: int | None = None
) -> list[DelegationView]:
    """The delegations of the reader's own government (a partner reads none of another's).

    With `initiative_id`, those that cover that track (the track, its crisis, or everything).
    """
    today = today or dt.date.today()
    orgs = _orgs(db)
    rows = _visible_rows(db, actor)
    if initiative_id is not None:
        track = audience.of(actor).track(db, initiative_id)
        rows = [
            r
            for r in rows
            if r.scope_initiative_id in (None, track.id) and r.scope_crisis_id in (None, track.crisis_id)
        ]
    out = []
    for r in rows:
        dept, delegate, scope = _describe(db, r, orgs)
        out.append(
            DelegationView(
                row=r,
                key=r.key,
                department=dept,
                delegate=delegate,
                scope=scope,
                starts_on=r.starts_on,
                ends_on=r.ends_on,
                granted_by=r.granted_by,
                revoked_on=r.revoked_on,
                state=_state(r, today),
                may_revoke=actor is not None
                and r.revoked_on is None
                and today <= r.ends_on
                and policy.may_delegate(actor, orgs[r.department_id]),
                awaits_account=r.delegate_org_id is None and r.delegate_person_id is None,
            )
        )
    return out


def naming(db: Session, person: User) -> list[DelegationView]:
    """The delegations under which this person signs (those tied to their account)."""
    return [v for v in listing(db, None) if v.row.delegate_person_id == person.id]


def get(db: Session, actor: User | None, delegation_id: int) -> Delegation:
    """One delegation of the reader's government; `NotFound` for anyone else."""
    row = db.get(Delegation, delegation_id)
    if row is None or row not in _visible_rows(db, actor):
        raise NotFound("No such delegation")
    return row


@dataclass
class FormOptions:
    """What the delegation form offers the actor."""

    departments: list[Organisation]
    people: list[User]
    other_departments: list[Organisation]
    tracks: list[Initiative]
    crises: list[Crisis]


def form_options(db: Session, actor: User) -> FormOptions | None:
    """The departments the actor may delegate for, and the delegates and scopes to choose; None if none."""
    orgs = [o for o in _orgs(db).values() if o.kind == "department"]
    mine = sorted((o for o in orgs if policy.may_delegate(actor, o)), key=lambda o: o.name)
    if not mine:
        return None
    gov = actor.government
    people = [
        u
        for u in db.exec(select(User).order_by(col(User.name))).all()
        if u.active and u.role in policy.SIGNER_ROLES and u.government == gov and u.id != actor.id
    ]
    aud = audience.of(actor)
    tracks = list(db.exec(select(Initiative).where(aud.home()).order_by(col(Initiative.title))).all())
    crises = list(db.exec(select(Crisis).order_by(col(Crisis.name))).all())
    others = sorted((o for o in orgs if o.government_key == gov), key=lambda o: o.name)
    return FormOptions(mine, people, others, tracks, crises)


def create(db: Session, actor: User, data: DelegationData | dict[str, Any]) -> Delegation:
    """Name a delegate for a department; the log keeps it."""
    data = parse(DelegationData, data)
    dept = db.get(Organisation, data.department_id or actor.organisation_id)
    if dept is None or dept.kind != "department":
        raise Invalid.field("department_id", "choose a department")
    if not policy.may_delegate(actor, dept):
        raise NotAllowed(
            "Only the department's own people who sign off, and its government's admins, may delegate"
        )
    if data.ends_on < data.starts_on:
        raise Invalid.field("ends_on", "ends before it starts")
    if data.ends_on < dt.date.today():
        raise Invalid.field("ends_on", "this delegation would already be over")
    if (data.delegate_person_id is None) == (data.delegate_org_id is None):
        raise Invalid.field("delegate_person_id", "name one person or one department")
    person_name: str | None = None
    if data.delegate_person_id is not None:
        person = db.get(User, data.delegate_person_id)
        if (
            person is None
            or not person.active
            or person.role not in policy.SIGNER_ROLES
            or person.government != dept.government_key
        ):
            raise Invalid.field(
                "delegate_person_id", "choose a person of the same government who may sign off"
            )
        if person.id == actor.id and person.organisation_id == dept.id:
            raise Invalid.field("delegate_person_id", "you already sign for your department")
        person_name = person.name
    if data.delegate_org_id is not None:
        other = db.get(Organisation, data.delegate_org_id)
        if (
            other is None
            or other.kind != "department"
            or other.id == dept.id
            or other.government_key != dept.government_key
        ):
            raise Invalid.field("delegate_org_id", "choose another department of the same government")
    if data.initiative_id is not None and data.crisis_id is not None:
        raise Invalid.field("initiative_id", "choose a track or a crisis, not both")
    if data.initiative_id is not None:
        try:
            track = audience.of(actor).track(db, data.initiative_id)
        except NotFound:
            raise Invalid.field("initiative_id", "no such track") from None
        if not audience.of(actor).is_home(db, track):
            raise Invalid.field("initiative_id", "a department delegates only on its own government's tracks")
    if data.crisis_id is not None and db.get(Crisis, data.crisis_id) is None:
        raise Invalid.field("crisis_id", "no such crisis")
    row = Delegation(
        key=new_key("dl", dept.key),
        department_id=dept.id,  # type: ignore[arg-type]
        delegate_person=person_name,
        delegate_person_id=data.delegate_person_id,
        delegate_org_id=data.delegate_org_id,
        scope_initiative_id=data.initiative_id,
        scope_crisis_id=data.crisis_id,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        granted_by=actor.name,
        granted_by_id=actor.id,
    )
    db.add(row)
    db.flush()
    record_made(db, row, actor)
    _publish(db, row, "delegation.made")
    return row


def revoke(db: Session, actor: User, delegation_id: int, version: int | None = None) -> Delegation:
    """End a delegation today; sign-offs made under it before today stay valid."""
    row = get(db, actor, delegation_id)
    dept = db.get(Organisation, row.department_id)
    assert dept is not None
    if not policy.may_delegate(actor, dept):
        raise NotAllowed("Only the department's own people who sign off, and its admins, may revoke")
    if version is not None and row.version != version:
        raise Conflict("Someone else changed this delegation after you opened it", version=row.version)
    today = dt.date.today()
    if row.revoked_on is not None:
        raise Conflict("This delegation is already revoked")
    if today > row.ends_on:
        raise Conflict("This delegation has already ended")
    row.revoked_on = today
    row.revoked_by_id = actor.id
    row.revoked_at = utcnow()
    row.ended_logged = True
    db.add(row)
    db.flush()
    _, delegate, _ = _describe(db, row, _orgs(db))
    _log(db, row, ENTRY_REVOKED, today, f"{dept.name} revokes its delegation to {delegate}", actor)
    _publish(db, row, "delegation.revoked")
    return row


def account_for(db: Session, name: str, department: Organisation) -> User | None:
    """The account a delegation of `department` naming the person `name` means, or None.

    A delegate is a person of the delegating department's own government: the one active
    account of that government with that name. None when no such account exists yet, or
    when several share the name (then nobody is guessed at).
    """
    found = [
        u
        for u in db.exec(select(User).where(col(User.name) == name.strip(), col(User.active))).all()
        if u.government == department.government_key
    ]
    return found[0] if len(found) == 1 else None


def link_people(db: Session, person: User | None = None) -> list[Delegation]:
    """Tie each delegation that names a person, and has no account for it yet, to that
    person's account (`account_for`); with `person`, only the delegations naming them.

    One rule wherever a name meets an account: `accord import` (the account already
    exists), and `users.create`, which `accord users create`, the admin's invitation and
    the demo all go through (the account comes after the delegation).
    """
    q = select(Delegation).where(
        col(Delegation.delegate_person).is_not(None), col(Delegation.delegate_person_id).is_(None)
    )
    if person is not None:
        q = q.where(col(Delegation.delegate_person) == person.name.strip())
    orgs = _orgs(db)
    linked = []
    for row in db.exec(q).all():
        assert row.delegate_person is not None
        account = account_for(db, row.delegate_person, orgs[row.department_id])
        if account is not None and (person is None or account.id == person.id):
            row.delegate_person_id = account.id
            db.add(row)
            linked.append(row)
    db.flush()
    return linked


def log_ended(db: Session, today: dt.date) -> int:
    """Write the end of every delegation that ran out before `today` (the sweep calls this)."""
    rows = db.exec(
        select(Delegation).where(
            col(Delegation.ended_logged) == False,  # noqa: E712
            col(Delegation.ends_on) < today,
        )
    ).all()
    orgs = _orgs(db)
    for row in rows:
        dept, delegate, _ = _describe(db, row, orgs)
        _log(db, row, ENTRY_ENDED, row.ends_on, f"{dept}'s delegation to {delegate} ended", None)
        row.ended_logged = True
        db.add(row)
    db.flush()
    return len(rows)


def _publish(db: Session, row: Delegation, kind: str) -> None:
    if row.scope_initiative_id is not None:
        events.publish(db, kind, "decision_log", initiative_id=row.scope_initiative_id, home_only=True)


# ------------------------------------------------------------------ signing under one


def delegate_of_any(db: Session, actor: User) -> bool:
    """Whether any delegation names the actor or the actor's organisation (a cheap first test)."""
    return (
        db.exec(
            select(Delegation.id).where(
                or_(
                    col(Delegation.delegate_person_id) == actor.id,
                    col(Delegation.delegate_org_id) == actor.organisation_id,
                )
            )
        ).first()
        is not None
    )


def notes(db: Session, actor: User | None, initiative_ids: set[int | None]) -> dict[int, dict[str, str]]:
    """Per home track of the reader: delegation key -> "for <department>, delegated by <person>".

    Only the delegating government reads which delegation a sign-off was made under.
    """
    ids = {i for i in initiative_ids if i is not None}
    if not ids:
        return {}
    aud = audience.of(actor)
    home = ids if aud.system else aud.home_ids(db, ids)
    if not home:
        return {}
    rows = _visible_rows(db, actor)
    if not rows:
        return {}
    orgs = _orgs(db)
    text = {r.key: f"for {orgs[r.department_id].name}, delegated by {r.granted_by}" for r in rows}
    return {i: text for i in home}


def usable(
    db: Session,
    actor: User,
    initiative: Initiative,
    state: signoffs.SignoffStatus,
    judged: signoff_state.Judged,
    on: dt.date | None = None,
) -> list[tuple[Delegation, signoffs.Requirement]]:
    """The delegations under which the actor may sign this decision now, with the requirement each answers.

    The actor must be the delegate (the person, or of the department), may sign on the
    track at all (`policy.may_sign_on`: a delegation never widens that), and the
    department's sign-off must still be missing; the rule itself then says whether the
    delegation holds for a sign-off dated `on`.
    """
    if not state.judged:
        return []
    on = on or dt.date.today()
    rows = db.exec(
        select(Delegation).where(
            or_(
                col(Delegation.delegate_person_id) == actor.id,
                col(Delegation.delegate_org_id) == actor.organisation_id,
            )
        )
    ).all()
    if not rows or not policy.may_sign_on(db, actor, initiative):
        return []
    decision = doc.Decision.model_construct(
        key=state.decision, initiative=state.initiative, date=state.date, text="", signoffs=[]
    )
    track = judged.initiatives[state.initiative]
    out: list[tuple[Delegation, signoffs.Requirement]] = []
    for row in rows:
        dl = judged.delegations.get(row.key)
        if dl is None:
            continue
        req = next((r for r in state.requirements if r.org == dl.department and r.state == "missing"), None)
        if req is None:
            continue
        probe = doc.Signoff(org=dl.department, by=actor.name, date=on, delegation=dl.key)
        if signoffs.delegation_fault(probe, decision, track, judged.delegations) is None:
            out.append((row, req))
    return out
