"""Sharing grants: who outside a track's own government may see it, and how far.

A grant shares one initiative with an organisation, a whole government or one
person, at a level (`view`, `comment`, `sign-off`). Only those who may edit the
track (its owner's desk officers, its government's coordinators and admins) grant
and withdraw. Every grant and withdrawal is an entry of the decision log. A
withdrawal takes effect at once: every read goes through the visibility layer (`server.services.audience`),
which counts only live grants, and the published event wakes the open streams so
that they drop the track.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field, model_validator
from sqlmodel import Session, col, select

from server import events
from server.models import Initiative, LogEntry, Organisation, SharingGrant, User
from server.models.base import utcnow
from server.services import audience, ledger, policy
from server.services.errors import Conflict, Invalid, NotFound
from server.services.validation import CAPS, Bounded, OptionalId, parse


class GrantData(Bounded):
    """Whom to share a track with: exactly one of an organisation, a government, a person."""

    org_id: OptionalId = None
    government: str | None = Field(default=None, max_length=CAPS["key"])
    user_id: OptionalId = None
    level: Literal["view", "comment", "sign-off"] = "view"

    @model_validator(mode="after")
    def _one_target(self) -> GrantData:
        named = [x for x in (self.org_id, self.government or None, self.user_id) if x is not None]
        if len(named) != 1:
            raise ValueError("name exactly one organisation, government or person")
        return self


def _target_name(db: Session, grant: SharingGrant) -> str:
    """Whom a grant names, in words, for the log and the page."""
    if grant.org_id is not None:
        org = db.get(Organisation, grant.org_id)
        return org.name if org else f"organisation {grant.org_id}"
    if grant.user_id is not None:
        user = db.get(User, grant.user_id)
        return user.name if user else f"person {grant.user_id}"
    return _government_name(db, grant.government or "")


def _government_name(db: Session, government: str) -> str:
    """A government in words: its state's name ("Kingdom of Ostmark"), else its key's."""
    state = db.exec(
        select(Organisation).where(Organisation.key == government, Organisation.kind == "state")
    ).first()
    return f"{state.name} (the whole government)" if state else f"the government of {government.capitalize()}"


def _log(db: Session, actor: User | None, grant: SharingGrant, entry_type: str, text: str) -> LogEntry:
    return ledger.append(
        db,
        LogEntry(
            entry_type=entry_type,
            initiative_id=grant.initiative_id,
            date=date.today(),
            text=text,
            org_id=actor.organisation_id if actor else None,
            actor_id=actor.id if actor else None,
            actor_name=actor.name if actor else "",
            payload={
                "grant_id": grant.id,
                "org_id": grant.org_id,
                "government": grant.government,
                "user_id": grant.user_id,
                "level": grant.level,
            },
            prev_hash="",
            entry_hash="",
        ),
    )


def _editable(db: Session, actor: User | None, initiative_id: int) -> Initiative:
    aud = audience.of(actor)
    initiative = aud.track(db, initiative_id)
    policy.require_edit(db, actor, initiative, aud)
    return initiative


def grants(db: Session, actor: User | None, initiative_id: int) -> list[SharingGrant]:
    """The live grants of a track, for its own government; a partner sees none of them.

    Whom else a track is shared with is the owner's business, not a partner's.
    """
    aud = audience.of(actor)
    return aud.grants(db, aud.track(db, initiative_id))


def grant(
    db: Session, actor: User | None, initiative_id: int, data: GrantData | dict[str, Any]
) -> SharingGrant:
    """Share a track; a live grant to the same target is raised or lowered to the new level."""
    initiative = _editable(db, actor, initiative_id)
    data = parse(GrantData, data)
    government = data.government or None
    if data.org_id is not None and db.get(Organisation, data.org_id) is None:
        raise Invalid.field("org_id", "unknown organisation")
    if data.user_id is not None and db.get(User, data.user_id) is None:
        raise Invalid.field("user_id", "unknown person")
    if government is not None:
        known = {o.government_key for o in db.exec(select(Organisation)).all()}
        if government not in known:
            raise Invalid.field("government", "unknown government")
    home = db.get(Organisation, initiative.owner_id)
    assert home is not None
    if government == home.government_key:
        raise Invalid.field("government", "the track's own government sees it already")
    existing = db.exec(
        select(SharingGrant).where(
            SharingGrant.initiative_id == initiative_id,
            col(SharingGrant.withdrawn_at).is_(None),
            SharingGrant.org_id == data.org_id,
            SharingGrant.government == government,
            SharingGrant.user_id == data.user_id,
        )
    ).first()
    if existing is not None:
        if existing.level == data.level:
            return existing
        # A change of level is a withdrawal and a new grant, so the log says both.
        _withdraw_row(db, actor, existing)
    row = SharingGrant(
        initiative_id=initiative_id,
        org_id=data.org_id,
        government=government,
        user_id=data.user_id,
        level=data.level,
        created_by_id=actor.id if actor else None,
    )
    db.add(row)
    db.flush()
    _log(db, actor, row, "grant", f"Shared with {_target_name(db, row)} at level {row.level}")
    _published(db, initiative, "sharing.granted", row)
    return row


def _withdraw_row(db: Session, actor: User | None, row: SharingGrant) -> None:
    row.withdrawn_at = utcnow()
    row.withdrawn_by_id = actor.id if actor else None
    db.add(row)
    db.flush()
    _log(db, actor, row, "withdrawal", f"No longer shared with {_target_name(db, row)}")


def withdraw(db: Session, actor: User | None, grant_id: int) -> SharingGrant:
    """End a grant now; the partner's next read no longer finds the track."""
    row = db.get(SharingGrant, grant_id)
    if row is None:
        raise NotFound("No such sharing grant")
    # A grant is as visible as its track, and only its home sees grants at all.
    aud = audience.of(actor)
    initiative = aud.track(db, row.initiative_id)
    if not aud.is_home(db, initiative):
        raise NotFound("No such sharing grant")
    policy.require_edit(db, actor, initiative, aud)
    if row.withdrawn_at is not None:
        raise Conflict("This grant was already withdrawn")
    _withdraw_row(db, actor, row)
    _published(db, initiative, "sharing.withdrawn", row)
    return row


def _reached(db: Session, org_id: int) -> list[int]:
    """The organisations a grant to `org_id` reaches: itself, or every one of a state's government."""
    org = db.get(Organisation, org_id)
    if org is None or org.kind != "state":
        return [org_id]
    return [
        o.id
        for o in db.exec(select(Organisation).order_by(col(Organisation.id))).all()
        if o.id is not None and o.government_key == org.government_key
    ]


def _published(db: Session, initiative: Initiative, kind: str, row: SharingGrant) -> None:
    # The event carries the track's id so that streams re-judge who may see it; the
    # stream filters by the live grants when it reads, so the partner whose grant went
    # gets nothing more of this track.
    # Whom a track is shared with is its home's business: only the home hears of a grant.
    events.publish(db, kind, "sharing", initiative_id=initiative.id, home_only=True, grant_id=row.id)
    if kind == "sharing.withdrawn" and row.org_id is not None:
        # The partner no longer sees the track, so the event above never reaches it; this
        # one, addressed to its organisation, tells its open pages to refresh (and 404).
        # A state's own organisation stood for its government: each of its organisations hears.
        for org_id in _reached(db, row.org_id):
            events.publish(db, kind, "sharing", org_id=org_id, track=initiative.id)
    events.check_initiative(db, initiative.id)
