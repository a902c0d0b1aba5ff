"""Crises as people browse them: the choices forms offer, and every visible track on a crisis."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select

from server.models import Crisis, Initiative, InitiativeParty, Organisation, Party, User
from server.services import audience
from server.services.errors import NotFound


@dataclass
class Choices:
    """What a form offers to choose from: reference data, never a track's content."""

    crises: list[Crisis]
    parties: list[Party]
    organisations: list[Organisation]
    own_government: list[Organisation]


def choices(db: Session, actor: User | None) -> Choices:
    """Crises, organisations, and the parties a person may know of.

    A party engaged only by tracks the actor may not see stays out: that a track engages
    it is that track's content.
    """
    orgs = list(db.exec(select(Organisation).order_by(Organisation.name)).all())
    gov = actor.government if actor is not None else None
    visible = select(Initiative.id).where(audience.of(actor).tracks())
    engaged = select(InitiativeParty.party_id)
    seen = select(InitiativeParty.party_id).where(col(InitiativeParty.initiative_id).in_(visible))
    parties = db.exec(
        select(Party).where(col(Party.id).in_(seen) | col(Party.id).not_in(engaged)).order_by(Party.name)
    ).all()
    return Choices(
        crises=list(db.exec(select(Crisis).order_by(Crisis.name)).all()),
        parties=list(parties),
        organisations=orgs,
        own_government=[o for o in orgs if gov is None or o.government_key == gov],
    )


@dataclass
class Lane:
    """One track on the crisis timeline."""

    initiative: Initiative
    owner: Organisation
    parties: list[Party]
    offset: float = 0.0  # percent of the timeline's width before the track starts
    width: float = 100.0  # percent of the width the track spans


@dataclass
class CrisisView:
    crisis: Crisis
    lanes: list[Lane]
    start: date | None
    end: date | None
    parties: list[Party] = field(default_factory=list)
    years: list[tuple[int, float]] = field(default_factory=list)


def listing(db: Session, actor: User | None) -> list[tuple[Crisis, int]]:
    """Every crisis with the number of tracks on it the actor may see."""
    visible = list(db.exec(select(Initiative.crisis_id).where(audience.of(actor).tracks())).all())
    counts: dict[int, int] = {}
    for cid in visible:
        counts[cid] = counts.get(cid, 0) + 1
    crises = db.exec(select(Crisis).order_by(Crisis.name)).all()
    return [(c, counts.get(c.id or 0, 0)) for c in crises]


def timeline(db: Session, actor: User | None, crisis_id: int) -> CrisisView:
    """Every visible track on a crisis, its parties and time span, laid side by side."""
    crisis = db.get(Crisis, crisis_id)
    if crisis is None:
        raise NotFound("No such crisis")
    tracks = list(
        db.exec(
            select(Initiative)
            .where(Initiative.crisis_id == crisis_id, audience.of(actor).tracks())
            .order_by(col(Initiative.start), col(Initiative.id))
        ).all()
    )
    ids = [t.id for t in tracks]
    links = (
        db.exec(select(InitiativeParty).where(col(InitiativeParty.initiative_id).in_(ids))).all()
        if ids
        else []
    )
    party_rows = {p.id: p for p in db.exec(select(Party)).all()}
    owners = {o.id: o for o in db.exec(select(Organisation)).all()}
    by_track: dict[int, list[Party]] = {}
    for link in links:
        by_track.setdefault(link.initiative_id, []).append(party_rows[link.party_id])
    starts = [t.start for t in tracks if t.start]
    ends = [t.end for t in tracks if t.end]
    lo = min(starts + ends) if starts or ends else None
    hi = max(starts + ends) if starts or ends else None
    span = max(((hi - lo).days if lo and hi else 0), 1)
    lanes = []
    for t in tracks:
        lane = Lane(t, owners[t.owner_id], sorted(by_track.get(t.id or 0, []), key=lambda p: p.name))
        if lo and hi:
            s = t.start or lo
            e = t.end or hi
            lane.offset = round((s - lo).days / span * 100, 2)
            lane.width = max(round((e - s).days / span * 100, 2), 1.0)
        lanes.append(lane)
    years: list[tuple[int, float]] = []
    if lo and hi:
        for y in range(lo.year + 1, hi.year + 1):
            years.append((y, round((date(y, 1, 1) - lo).days / span * 100, 2)))
    seen: dict[int, Party] = {}
    for lane in lanes:
        for p in lane.parties:
            seen[p.id or 0] = p
    return CrisisView(crisis, lanes, lo, hi, sorted(seen.values(), key=lambda p: p.name), years)
