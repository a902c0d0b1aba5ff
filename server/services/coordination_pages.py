"""What the coordination pages read: one alert's blind notices with their requests, and the
requests page (what came in, what went out, what is now coordinated).

Built, like every answer about coordination, from the reader's own tracks, the other
organisation's name and the crisis (`server.services.coordination`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from server.models import CoordinationLink, CoordinationRequest, Initiative, User
from server.services import policy
from server.services.coordination import Notice, RequestView, _home_ids, _view, _visible_ids, listing, notices


@dataclass
class NoticeItem:
    """One blind notice with what became of the requests it started, for one of the actor's tracks."""

    notice: Notice
    requests: list[RequestView]
    # The actor may change the track, and no request of it waits or was accepted.
    can_request: bool


@dataclass
class Coordinated:
    """One of the actor's tracks, linked as coordinated through an accepted request."""

    initiative_id: int
    initiative_title: str
    other_organisation: str
    # Set only when the actor may see the other track (it was shared back).
    other_id: int | None
    other_title: str | None


@dataclass
class Overview:
    """The coordination requests page: what came in, what went out, what is now coordinated."""

    incoming: list[RequestView]
    outgoing: list[RequestView]
    # Between two other departments of the reader's government (for its coordinators).
    between: list[RequestView]
    # Titles of the actor's own tracks that the requests name (never the other side's).
    titles: dict[int, str]
    coordinated: list[Coordinated]

    @property
    def pending_incoming(self) -> int:
        return sum(1 for r in self.incoming if r.status == "pending")


def notice_items(
    db: Session, actor: User | None, alert_id: int, initiative_id: int | None = None
) -> list[NoticeItem]:
    """The actor's blind notice of one alert (one at most), with its requests.

    `initiative_id` is the page's track: the notice speaks for it when it is one of the
    alert's tracks at the actor's home. `NotFound` for an alert the actor may not read
    (the alert service's rule: alerts of the actor's own government's tracks); an alert
    it reads that is no blind notice for it (every track seen, or another principle)
    has none.
    """
    from server.services import alerts

    alerts.get(db, actor, alert_id)
    out: list[NoticeItem] = []
    for n in notices(db, actor, alert_id=alert_id, initiative_id=initiative_id):
        rows = [db.get(CoordinationRequest, rid) for rid in n.requests]
        views = [
            _view(db, actor, r, _home_ids(db, actor, [r.from_initiative_id, r.to_initiative_id]))
            for r in rows
            if r is not None
        ]
        mine = db.get(Initiative, n.initiative_id)
        editable = mine is not None and policy.may_edit(db, actor, mine)
        # One may ask again after a decline, not while every other owner's request waits
        # or was accepted.
        standing = {v.other_organisation for v in views if v.status in ("pending", "accepted")}
        unasked = [o for o in n.other_organisations if o not in standing]
        out.append(NoticeItem(notice=n, requests=views, can_request=editable and bool(unasked)))
    return out


def _linked(db: Session, a: int, b: int) -> bool:
    lo, hi = sorted((a, b))
    return (
        db.exec(
            select(CoordinationLink.a_id).where(CoordinationLink.a_id == lo, CoordinationLink.b_id == hi)
        ).first()
        is not None
    )


def overview(db: Session, actor: User | None) -> Overview:
    """Every request the actor may see, split by direction, and the links they made."""
    views = listing(db, actor)
    titles: dict[int, str] = {}
    for v in views:
        if v.initiative_id not in titles:
            mine = db.get(Initiative, v.initiative_id)
            titles[v.initiative_id] = mine.title if mine is not None else v.initiative_key
    coordinated: list[Coordinated] = []
    done: set[tuple[int, int]] = set()
    for v in views:
        if v.status != "accepted":
            continue
        row = db.get(CoordinationRequest, v.id)
        assert row is not None
        if v.direction == "between":
            continue
        other_id = row.from_initiative_id if v.direction == "incoming" else row.to_initiative_id
        pair = (v.initiative_id, other_id)
        if pair in done or not _linked(db, *pair):
            continue
        done.add(pair)
        other = db.get(Initiative, other_id) if other_id in _visible_ids(db, actor, [other_id]) else None
        coordinated.append(
            Coordinated(
                initiative_id=v.initiative_id,
                initiative_title=titles[v.initiative_id],
                other_organisation=v.other_organisation,
                other_id=other.id if other is not None else None,
                other_title=other.title if other is not None else None,
            )
        )
    return Overview(
        incoming=[v for v in views if v.direction == "incoming"],
        outgoing=[v for v in views if v.direction == "outgoing"],
        between=[v for v in views if v.direction == "between"],
        titles=titles,
        coordinated=coordinated,
    )
