"""Comments on a track: its own government and partners with a comment grant.

A comment marked internal stays home: only the track's own government writes and
reads it, and a partner's reads never return it.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col

from server import events
from server.models import Comment, User
from server.services import audience, policy
from server.services.errors import Invalid, NotAllowed
from server.services.pages import Window
from server.services.validation import Bounded, parse, text


class CommentData(Bounded):
    text: str = text("comment", 1)
    internal: bool = False


def listing(
    db: Session, actor: User | None, initiative_id: int, window: Window | None = None
) -> list[Comment]:
    """The comments on a visible track that the actor may read, oldest first (or one page of them)."""
    aud = audience.of(actor)
    initiative = aud.track(db, initiative_id)
    q = aud.comments(initiative_id, aud.is_home(db, initiative))
    return list(db.exec(window.apply(q, col(Comment.id)) if window else q).all())


def add(db: Session, actor: User, initiative_id: int, data: CommentData | dict[str, Any]) -> Comment:
    """Comment on a track: its home, or a partner holding a comment or sign-off grant."""
    aud = audience.of(actor)
    initiative = aud.track(db, initiative_id)
    data = parse(CommentData, data)
    policy.require_comment(db, actor, initiative, aud)
    if data.internal and not policy.may_keep_internal(db, actor, initiative, aud):
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
    events.publish(
        db,
        "comment.added",
        "comments",
        initiative_id=initiative_id,
        home_only=row.internal,
        comment_id=row.id,
    )
    return row


def remove(db: Session, actor: User, comment_id: int) -> None:
    """Take back one's own comment (or, for the track's editors, any comment on it)."""
    aud = audience.of(actor)
    row, initiative = aud.comment(db, comment_id)
    if row.author_id != actor.id and not policy.may_edit(db, actor, initiative, aud):
        raise NotAllowed("Only its author or the track's editors may remove a comment")
    db.delete(row)
    db.flush()
    events.publish(
        db,
        "comment.removed",
        "comments",
        initiative_id=row.initiative_id,
        home_only=row.internal,
        comment_id=comment_id,
    )
