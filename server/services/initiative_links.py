"""Coordination links between tracks, and the tracks one depends on."""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import Session, col, select

from server import generation
from server.models import CoordinationLink, Dependency, User
from server.services import audience
from server.services.errors import Invalid
from server.services.initiative_common import bump, editable, touched


def link_coordinated(
    db: Session, actor: User | None, a_id: int, b_id: int, accepted_request: bool = False
) -> CoordinationLink:
    """Record that two tracks are coordinated; the actor must be able to edit the first.

    The second must be visible to the actor, unless the link comes from an accepted
    coordination request, where the two owners agreed without seeing each other's track.
    """
    if a_id == b_id:
        raise Invalid.field("other_id", "a track cannot be coordinated with itself")
    a = editable(db, actor, a_id)
    b = audience.of(None if accepted_request else actor).track(db, b_id)
    lo, hi = sorted((a_id, b_id))
    existing = db.exec(
        select(CoordinationLink).where(CoordinationLink.a_id == lo, CoordinationLink.b_id == hi)
    ).first()
    if existing:
        return existing
    row = CoordinationLink(a_id=lo, b_id=hi, created_by_id=actor.id if actor else None)
    db.add(row)
    db.flush()
    touched(db, a, "initiative.coordinated")
    touched(db, b, "initiative.coordinated")
    return row


def unlink_coordinated(db: Session, actor: User | None, a_id: int, b_id: int) -> None:
    """Undo a link between one's own track and another the actor may see.

    A track the actor may not see is `NotFound`, and nothing is written for it; with
    no link between the two there is nothing to undo and nothing is written either.
    """
    a = editable(db, actor, a_id)
    b = audience.of(actor).track(db, b_id)
    lo, hi = sorted((a_id, b_id))
    link = db.exec(
        select(CoordinationLink).where(CoordinationLink.a_id == lo, CoordinationLink.b_id == hi)
    ).first()
    if link is None:
        return
    db.execute(
        delete(CoordinationLink)
        .where(col(CoordinationLink.a_id) == lo, col(CoordinationLink.b_id) == hi)
        .execution_options(**{generation.SCOPES: (lo, hi)})
    )
    touched(db, a, "initiative.coordinated")
    touched(db, b, "initiative.coordinated")


def set_dependencies(db: Session, actor: User | None, initiative_id: int, depends_on: list[int]) -> None:
    initiative = editable(db, actor, initiative_id)
    db.execute(delete(Dependency).where(col(Dependency.initiative_id) == initiative_id))
    visible = audience.of(actor).visible_ids(db, depends_on)
    for other in dict.fromkeys(depends_on):
        if other == initiative_id or other not in visible:
            raise Invalid.field("depends_on", "unknown initiative")
        db.add(Dependency(initiative_id=initiative_id, depends_on_id=other))
    bump(db, initiative, actor)
    db.flush()
    touched(db, initiative, "initiative.dependencies")
