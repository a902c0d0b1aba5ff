"""The one policy: who may read, edit, comment on and sign off a track.

Pages ask it which buttons to show and services ask it before they change anything,
so that a page never offers what a service refuses. Reading is the visibility
layer's (`server.services.audience`); a track one may not read is `NotFound` before
any of these is asked.

- Edit (the track, its items, its decisions, its sharing, its alerts): desk officers
  of the owning organisation, and coordinators and admins of its government.
- Comment: anyone at home (field contributors have none), and a partner holding a
  grant at level `comment` or `sign-off`.
- Keep something internal (an item, a comment, a decision, a sign-off): only the
  track's own government.
- Sign off: whether a decision needs the actor's organisation is the sign-off rule's
  (`server.domain.signoffs`); whether the actor may sign for it here is this: not a
  field contributor, and at home or holding a grant at level `sign-off`; and the
  decision still stands, with a missing requirement that the actor's organisation
  answers for.
"""

from __future__ import annotations

from sqlmodel import Session

from server.domain import signoffs
from server.domain import snapshot as doc
from server.models import Initiative, Organisation, User
from server.services import memo
from server.services.audience import LEVELS, Audience
from server.services.errors import NotAllowed

EDITOR_ROLES = ("admin", "coordinator", "desk_officer")
GOVERNMENT_WIDE_ROLES = ("admin", "coordinator")
SIGNER_ROLES = ("admin", "coordinator", "desk_officer", "partner_reviewer")


def _aud(actor: User | None, audience: Audience | None) -> Audience:
    return audience if audience is not None else Audience(actor)


def may_edit(
    db: Session, actor: User | None, initiative: Initiative, audience: Audience | None = None
) -> bool:
    """Desk officers of the owner, and coordinators and admins of its government."""
    if actor is None:
        return True
    if actor.role not in EDITOR_ROLES or not _aud(actor, audience).is_home(db, initiative):
        return False
    return actor.organisation_id == initiative.owner_id or actor.role in GOVERNMENT_WIDE_ROLES


def require_edit(
    db: Session, actor: User | None, initiative: Initiative, audience: Audience | None = None
) -> None:
    if not may_edit(db, actor, initiative, audience):
        raise NotAllowed("Only the owner's desk officers and their government's coordinators may change this")


def may_comment(
    db: Session, actor: User | None, initiative: Initiative, audience: Audience | None = None
) -> bool:
    aud = _aud(actor, audience)
    if actor is None or aud.is_home(db, initiative):
        return True
    assert initiative.id is not None
    return aud.grant_level(db, initiative.id) >= LEVELS["comment"]


def require_comment(
    db: Session, actor: User | None, initiative: Initiative, audience: Audience | None = None
) -> None:
    if not may_comment(db, actor, initiative, audience):
        raise NotAllowed("This track is shared with you for reading only")


def may_keep_internal(
    db: Session, actor: User | None, initiative: Initiative, audience: Audience | None = None
) -> bool:
    """Only the track's own government keeps things internal: partners have nothing to hide there."""
    return _aud(actor, audience).is_home(db, initiative)


def may_sign_on(
    db: Session, actor: User | None, initiative: Initiative, audience: Audience | None = None
) -> bool:
    """Whether the actor may sign off decisions on this track at all (role and grant level)."""
    if actor is None:
        return True
    if actor.role not in SIGNER_ROLES:
        return False
    aud = _aud(actor, audience)
    if aud.is_home(db, initiative):
        return True
    assert initiative.id is not None
    return aud.grant_level(db, initiative.id) >= LEVELS["sign-off"]


def organisations(db: Session) -> dict[str, doc.Organisation]:
    """Every organisation as the sign-off rule reads them (reference data, a few dozen rows)."""
    return {
        o.key: doc.Organisation(key=o.key, name=o.name, kind=o.kind, government=o.government)
        for o in memo.organisations(db)
    }


def answers_for(orgs: dict[str, doc.Organisation], required: str, mine: str) -> bool:
    """Whether a sign-off by the organisation `mine` counts for the required one (the rule's word)."""
    return signoffs.satisfies(orgs, required, mine)


def requirement_of(
    state: signoffs.SignoffStatus, orgs: dict[str, doc.Organisation], mine: str
) -> signoffs.Requirement | None:
    """The requirement a sign-off by the organisation `mine` would answer, a missing one first."""
    mine_reqs = [r for r in state.requirements if answers_for(orgs, r.org, mine)]
    return next((r for r in mine_reqs if r.state == "missing"), mine_reqs[0] if mine_reqs else None)


def signs_for(
    db: Session,
    actor: User,
    state: signoffs.SignoffStatus,
    orgs: dict[str, doc.Organisation] | None = None,
) -> signoffs.Requirement | None:
    """The missing requirement the actor's organisation answers for, if any."""
    if not state.judged:
        return None
    orgs = orgs if orgs is not None else organisations(db)
    req = requirement_of(state, orgs, actor.organisation.key)
    return req if req is not None and req.state == "missing" else None


def may_sign(
    db: Session,
    actor: User | None,
    initiative: Initiative,
    state: signoffs.SignoffStatus,
    audience: Audience | None = None,
    orgs: dict[str, doc.Organisation] | None = None,
) -> bool:
    """Whether the actor may sign off (or decline) the decision whose full status is `state`.

    `state` is the rule's judgement on everything (not a reader's redacted view), as
    the D4 check sees it.
    """
    if actor is None:
        return False
    return may_sign_on(db, actor, initiative, audience) and signs_for(db, actor, state, orgs) is not None


def may_delegate(actor: User | None, department: Organisation) -> bool:
    """Who may name (or revoke) a delegate for a department's sign-off.

    The department's own people with sign-off rights, and admins of its government.
    """
    if actor is None:
        return True
    if actor.organisation_id == department.id:
        return actor.role in SIGNER_ROLES
    return actor.role == "admin" and actor.government == department.government_key


def may_confirm_dismissal(actor: User | None, government: str, dismissed_by_org_id: int | None) -> bool:
    """Who confirms a government's dismissal of a high-severity alert.

    Someone with sign-off rights in a second department of that government: not the
    department that dismissed it.
    """
    if actor is None:
        return False
    org = actor.organisation
    return (
        actor.role in SIGNER_ROLES
        and org.kind == "department"
        and org.government_key == government
        and actor.organisation_id != dismissed_by_org_id
    )


def require_role(actor: User | None, *roles: str) -> None:
    if actor is not None and actor.role not in roles:
        raise NotAllowed("Your role does not allow this")
