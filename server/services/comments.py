"""Comments on a track: its own government and partners with a comment grant.

A comment marked internal stays home: only the track's own government writes and
reads it, and a partner's reads never return it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session, col, select

from server import events
from server.models import Comment, User
from server.services import access
from server.services.errors import Invalid, NotAllowed, NotFound
from server.services.validation import parse


class CommentData(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    text: str = Field(min_length=1, max_length=5000)
    internal: bool = False


def listing(db: Session, actor: User | None, initiative_id: int) -> list[Comment]:
    """The comments on a visible track that the actor may read, oldest first."""
    initiative = access.get_initiative(db, actor, initiative_id)
    q = select(Comment).where(Comment.initiative_id == initiative_id)
    if not access.is_home(actor, initiative, db):
        q = q.where(Comment.internal == False)  # noqa: E712
    return list(db.exec(q.order_by(col(Comment.id))).all())


def add(db: Session, actor: User, initiative_id: int, data: CommentData | dict[str, Any]) -> Comment:
    """Comment on a track: its home, or a partner holding a comment or sign-off grant."""
    initiative = access.get_initiative(db, actor, initiative_id)
    data = parse(CommentData, data)
    if not access.can_comment(db, actor, initiative):
        raise NotAllowed("This track is shared with you for reading only")
    if data.internal and not access.is_home(actor, initiative, db):
        raise Invalid.field("internal", "only the track's own government keeps internal comments")
    assert actor.id is not None
    row = Comment(
        initiative_id=initiative_id,
        author_id=actor.id,
        org_id=actor.organisation_id,
        text=data.text,
        internal=data.internal,
    )
    db.add(row)
    db.flush()
    events.publish(db, "comment.added", "comments", initiative_id=initiative_id, comment_id=row.id)
    return row


def remove(db: Session, actor: User, comment_id: int) -> None:
    """Take back one's own comment (or, for the track's editors, any comment on it)."""
    row = db.get(Comment, comment_id)
    if row is None:
        raise NotFound("No such comment")
    initiative = access.get_initiative(db, actor, row.initiative_id)
    if row.internal and not access.is_home(actor, initiative, db):
        raise NotFound("No such comment")
    if row.author_id != actor.id and not access.can_edit(db, actor, initiative):
        raise NotAllowed("Only its author or the track's editors may remove a comment")
    db.delete(row)
    db.flush()
    events.publish(db, "comment.removed", "comments", initiative_id=row.initiative_id, comment_id=comment_id)
