"""The one visibility filter and the permission rules every service asks.

An initiative is visible to the people of its owner's government (except field
contributors, who see only what is shared with them) and to whoever holds a live
sharing grant: to their organisation, their government or themselves. What a person
may not see is `NotFound`, never `NotAllowed`, so that its existence does not leak.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, func, or_, select, true
from sqlmodel import Session, col
from sqlmodel import select as select_one

from server.models import Initiative, Organisation, SharingGrant, User
from server.services.errors import NotAllowed, NotFound

LEVELS = {"view": 1, "comment": 2, "sign-off": 3}
EDITOR_ROLES = {"admin", "coordinator", "desk_officer"}
GOVERNMENT_WIDE_ROLES = {"admin", "coordinator"}


def _gov_of_org() -> Any:
    return func.coalesce(Organisation.government, Organisation.key)


def _live_grant_to(actor: User) -> ColumnElement[bool]:
    """A sharing grant that is not withdrawn and names the actor, their organisation or government."""
    return and_(
        col(SharingGrant.withdrawn_at).is_(None),
        or_(
            col(SharingGrant.org_id) == actor.organisation_id,
            col(SharingGrant.government) == actor.government,
            col(SharingGrant.user_id) == actor.id,
        ),
    )


def grant_clause(actor: User, initiative_id: Any = Initiative.id) -> ColumnElement[bool]:
    """True where a live grant shares the initiative with the actor."""
    return exists(
        select(col(SharingGrant.id)).where(
            col(SharingGrant.initiative_id) == initiative_id, _live_grant_to(actor)
        )
    )


def home_clause(actor: User, owner_id: Any = Initiative.owner_id) -> ColumnElement[bool]:
    """True where the initiative belongs to the actor's own government."""
    if actor.role == "field_contributor":
        return false()
    own = select(col(Organisation.id)).where(_gov_of_org() == actor.government)
    clause: ColumnElement[bool] = owner_id.in_(own)
    return clause


def visible_clause(actor: User | None) -> ColumnElement[bool]:
    """The visibility filter for `Initiative` rows; `None` is the system, which sees all."""
    if actor is None:
        return true()
    if not actor.active:
        return false()
    return or_(home_clause(actor), grant_clause(actor))


def is_home(actor: User | None, initiative: Initiative, db: Session) -> bool:
    """Whether the actor works in the initiative's own government (sees internal items)."""
    if actor is None:
        return True
    if actor.role == "field_contributor":
        return False
    owner = db.get(Organisation, initiative.owner_id)
    return owner is not None and owner.government_key == actor.government


def grant_level(db: Session, actor: User, initiative_id: int) -> int:
    """The highest live grant level the actor holds on the initiative (0 for none)."""
    levels = db.exec(
        select_one(SharingGrant.level).where(
            col(SharingGrant.initiative_id) == initiative_id, _live_grant_to(actor)
        )
    ).all()
    return max((LEVELS.get(str(level), 0) for level in levels), default=0)


def get_initiative(db: Session, actor: User | None, initiative_id: int) -> Initiative:
    """The initiative if the actor may see it; `NotFound` otherwise."""
    initiative = db.exec(
        select_one(Initiative).where(col(Initiative.id) == initiative_id, visible_clause(actor))
    ).first()
    if initiative is None:
        raise NotFound("No such initiative")
    return initiative


def get_initiative_by_key(db: Session, actor: User | None, key: str) -> Initiative:
    initiative = db.exec(
        select_one(Initiative).where(col(Initiative.key) == key, visible_clause(actor))
    ).first()
    if initiative is None:
        raise NotFound("No such initiative")
    return initiative


def can_edit(db: Session, actor: User | None, initiative: Initiative) -> bool:
    """Desk officers of the owner, and coordinators and admins of its government."""
    if actor is None:
        return True
    if actor.role not in EDITOR_ROLES or not is_home(actor, initiative, db):
        return False
    return actor.organisation_id == initiative.owner_id or actor.role in GOVERNMENT_WIDE_ROLES


def require_edit(db: Session, actor: User | None, initiative: Initiative) -> None:
    if not can_edit(db, actor, initiative):
        raise NotAllowed("Only the owner's desk officers and their government's coordinators may change this")


def can_comment(db: Session, actor: User | None, initiative: Initiative) -> bool:
    if actor is None or is_home(actor, initiative, db):
        return True
    assert initiative.id is not None
    return grant_level(db, actor, initiative.id) >= LEVELS["comment"]


def require_role(actor: User | None, *roles: str) -> None:
    if actor is not None and actor.role not in roles:
        raise NotAllowed("Your role does not allow this")
