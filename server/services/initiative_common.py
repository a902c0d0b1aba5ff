"""What the initiative services share: keys, optimistic locking, and telling others of a change."""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from typing import Any

from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from server import events
from server.db import add_first
from server.models import Initiative, InitiativeHomeChange, User
from server.models.base import utcnow
from server.services import audience, policy
from server.services.errors import Conflict


def new_key(prefix: str, text: str = "") -> str:
    """A readable, unique external reference for a record made in the app."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40].strip("-")
    return f"{prefix}-{slug + '-' if slug else ''}{secrets.token_hex(3)}"


def split_lines(value: Any) -> Any:
    """A list from a list or from text with one entry per line, blanks dropped (else `value` as it came)."""
    if value is None:
        return []
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, (list, tuple)):
        return value  # neither text nor a list: the field's own type refuses it by name
    return [str(v).strip() for v in value if str(v).strip()]


def flush_versioned(db: Session) -> None:
    """Flush, turning a lost optimistic-lock race into a `Conflict`.

    The version read before the write can be overtaken by a concurrent save between the
    check and the UPDATE; the UPDATE's `WHERE version = ...` then matches no row.
    """
    try:
        db.flush()
    except StaleDataError:
        raise Conflict("Someone else saved this at the same moment; reload and try again") from None


def touched(db: Session, initiative: Initiative, kind: str, home_only: bool = False, **payload: Any) -> None:
    """Record the change for the live streams and ask the workers to re-check.

    `home_only` keeps the event within the track's government: a change to something
    internal is not news a partner may have.
    """
    events.publish(
        db,
        kind,
        "initiative",
        initiative_id=initiative.id,
        home_only=home_only,
        key=initiative.key,
        **payload,
    )
    events.check_initiative(db, initiative.id)


def bump(db: Session, initiative: Initiative, actor: User | None, internal: bool = False) -> None:
    """A change behind an initiative is a change of it: others' stale edits must see it.

    A change only to what stays home (`internal`) is stamped apart, for the home to read:
    it moves neither the track's version nor the last change partners see.
    """
    if internal:
        assert initiative.id is not None
        actor_id = actor.id if actor else None
        stamp = db.get(InitiativeHomeChange, initiative.id)
        if stamp is None:
            first = InitiativeHomeChange(
                initiative_id=initiative.id, updated_at=utcnow(), updated_by_id=actor_id
            )
            if add_first(db, first):
                return
            # Another request stamped this track first: its row is there now; stamp over it.
            stamp = db.get(InitiativeHomeChange, initiative.id, populate_existing=True)
            assert stamp is not None
        stamp.updated_at = utcnow()
        stamp.updated_by_id = actor_id
        db.add(stamp)
        return
    initiative.updated_at = utcnow()
    initiative.updated_by_id = actor.id if actor else None
    db.add(initiative)


def last_change(db: Session, initiative: Initiative, home: bool) -> tuple[datetime, int | None]:
    """When the track last changed and by whom, as a reader sees it: with its internal items at home."""
    if home and initiative.id is not None:
        stamp = db.get(InitiativeHomeChange, initiative.id)
        if stamp is not None and stamp.updated_at > initiative.updated_at:
            return stamp.updated_at, stamp.updated_by_id
    return initiative.updated_at, initiative.updated_by_id


def editable(db: Session, actor: User | None, initiative_id: int) -> Initiative:
    """A track the actor may see and change: `NotFound`, then `NotAllowed`."""
    aud = audience.of(actor)
    initiative = aud.track(db, initiative_id)
    policy.require_edit(db, actor, initiative, aud)
    return initiative
