"""Blind overlap notices and requests to coordinate across what is not shared.

When two tracks overlap (an N4 alert) and the owner of one may not see the other,
the owner learns only the other organisation and the crisis, from the alert's
per-track view. From there the owner asks to coordinate; the other side accepts
(the two tracks are linked as coordinated, and its own track may be shared back)
or declines with a reason. Neither side ever reads the other's title, description,
parties or dates through a notice or a request: every answer here is built from the
viewer's own track, the other organisation's name and the crisis.

A request joins two owners about one overlap: it goes from the asking department's
own track (the page's track when asked from a track's page) to one track of the other
owner, once per pair of owners and alert while it waits or holds. Whether it came in or
went out is read from the reader's organisation: the department asked reads it as
incoming even when both departments serve the same government.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from sqlmodel import Session, col, select

from server import events
from server.models import (
    Alert,
    AlertInitiative,
    CoordinationRequest,
    Crisis,
    Initiative,
    LogEntry,
    Organisation,
    User,
)
from server.models.base import utcnow
from server.services import audience, initiatives, ledger, policy, sharing
from server.services.errors import Conflict, Invalid, NotAllowed, NotFound
from server.services.pages import Window
from server.services.validation import Bounded, Id, OptionalId, parse, text

LIVE = ("open", "acknowledged")
N4_KINDS = ("parallel_tracks", "forum_shopping", "contradictory_leverage")


@dataclass
class Notice:
    """An overlap with a track the viewer may not see: only the other side's name and the crisis."""

    alert_id: int
    kind: str
    initiative_id: int
    initiative_key: str
    initiative_title: str
    message: str
    evidence: list[str]
    remedy: str
    other_organisations: list[str]
    crisis: str
    requests: list[int]


@dataclass
class RequestView:
    """A coordination request as one side sees it."""

    id: int
    # "between": two other departments of the reader's own government.
    direction: Literal["outgoing", "incoming", "between"]
    status: str
    reason: str | None
    initiative_id: int
    initiative_key: str
    other_organisation: str
    crisis: str
    created_at: datetime
    # Who asked and who was asked, by name (for "between" requests, which are neither the reader's).
    from_organisation: str
    to_organisation: str
    answered_at: datetime | None
    can_answer: bool
    alert_id: int | None = None


class RequestData(Bounded):
    alert_id: Id
    initiative_id: OptionalId = None


class AcceptData(Bounded):
    share_level: Literal["view", "comment", "sign-off"] | None = None


class DeclineData(Bounded):
    reason: str = text("reason", 3)


def _visible_ids(db: Session, actor: User | None, ids: list[int]) -> set[int]:
    return audience.of(actor).visible_ids(db, ids)


def _home_ids(db: Session, actor: User | None, ids: list[int]) -> set[int]:
    """The actor's own government's tracks among these: notices and requests are read at home."""
    return audience.of(actor).home_ids(db, ids)


def _concerned(db: Session, alert_id: int) -> list[int]:
    return sorted(
        db.exec(select(AlertInitiative.initiative_id).where(AlertInitiative.alert_id == alert_id)).all()
    )


def _org_name(db: Session, org_id: int) -> str:
    org = db.get(Organisation, org_id)
    return org.name if org else "another organisation"


def _crisis_name(db: Session, initiative: Initiative) -> str:
    crisis = db.get(Crisis, initiative.crisis_id)
    return crisis.name if crisis else ""


def _owners(db: Session, ids: Iterable[int]) -> dict[int, int]:
    """Each track's owning organisation."""
    wanted = set(ids)
    if not wanted:
        return {}
    rows = db.exec(select(Initiative.id, Initiative.owner_id).where(col(Initiative.id).in_(wanted))).all()
    return {i: o for i, o in rows if i is not None}


def _own_track(
    db: Session, actor: User | None, seen: set[int], owners: dict[int, int], aud: audience.Audience
) -> int:
    """The track a request of the actor's starts from when no page names one: one of its own
    organisation's tracks it may change, else any it may change, else the first."""
    org = actor.organisation_id if actor else None
    tracks = {t.id: t for t in db.exec(select(Initiative).where(col(Initiative.id).in_(seen))).all()}
    editable = [i for i in sorted(seen) if i in tracks and policy.may_edit(db, actor, tracks[i], aud)]
    for pool in (
        [i for i in editable if owners.get(i) == org],
        [i for i in sorted(seen) if owners.get(i) == org],
    ):
        if pool:
            return pool[0]
    return editable[0] if editable else min(seen)


def _pair_requests(
    db: Session, alert_id: int, owner_id: int, owners: dict[int, int]
) -> list[CoordinationRequest]:
    """The requests of one alert that join `owner_id` with another owner, newest first."""
    mine = [i for i, o in owners.items() if o == owner_id]
    if not mine:
        return []
    return list(
        db.exec(
            select(CoordinationRequest)
            .where(
                CoordinationRequest.alert_id == alert_id,
                col(CoordinationRequest.from_initiative_id).in_(mine)
                | col(CoordinationRequest.to_initiative_id).in_(mine),
            )
            .order_by(col(CoordinationRequest.id).desc())
        ).all()
    )


def notices(
    db: Session, actor: User | None, alert_id: int | None = None, initiative_id: int | None = None
) -> list[Notice]:
    """The live N4 alerts on the actor's own tracks that involve a track the actor may not see.

    One notice per alert, for one of the actor's tracks: `initiative_id` (the page's track)
    when it is one of the alert's home tracks, else the actor's own organisation's track.
    It names every other owner of the overlap, whom a request would reach. A notice is read
    at home, as its alert is: a partner to whom one of the tracks is merely shared gets
    none (the third organisations it names are the owner's business).
    """
    aud = audience.of(actor)
    q = select(Alert).where(
        Alert.principle == "N4",
        col(Alert.kind).in_(N4_KINDS),
        col(Alert.status).in_(LIVE),
        col(Alert.id).in_(aud.alert_ids()),
    )
    if alert_id is not None:
        q = q.where(Alert.id == alert_id)
    alerts = db.exec(q.order_by(col(Alert.id))).all()
    out: list[Notice] = []
    for alert in alerts:
        assert alert.id is not None
        concerned = _concerned(db, alert.id)
        seen = _home_ids(db, actor, concerned)
        visible = _visible_ids(db, actor, concerned)
        hidden = [i for i in concerned if i not in visible]
        if not seen or not hidden:
            continue
        owners = _owners(db, concerned)
        iid = initiative_id if initiative_id in seen else _own_track(db, actor, seen, owners, aud)
        mine = db.get(Initiative, iid)
        assert mine is not None and mine.id is not None
        home_keys = {t.key for t in _tracks(db, seen)}
        view: dict[str, Any] = alert.views.get(mine.key) or next(
            (alert.views[k] for k in sorted(alert.views) if k in home_keys), {}
        )
        others = sorted({_org_name(db, o) for o in set(owners.values()) if o != mine.owner_id})
        reqs = _pair_requests(db, alert.id, mine.owner_id, owners)
        out.append(
            Notice(
                alert_id=alert.id,
                kind=alert.kind,
                initiative_id=mine.id,
                initiative_key=mine.key,
                initiative_title=mine.title,
                message=str(view.get("message", "")),
                evidence=[str(e) for e in view.get("evidence", [])],
                remedy=str(view.get("remedy", "")),
                other_organisations=others,
                crisis=_crisis_name(db, mine),
                requests=[r.id for r in reqs if r.id is not None],
            )
        )
    return out


def _tracks(db: Session, ids: Iterable[int]) -> list[Initiative]:
    return list(db.exec(select(Initiative).where(col(Initiative.id).in_(set(ids)))).all())


def _log(db: Session, actor: User | None, initiative: Initiative, text: str, **payload: Any) -> None:
    ledger.append(
        db,
        LogEntry(
            entry_type="coordination",
            initiative_id=initiative.id,
            date=date.today(),
            text=text,
            org_id=actor.organisation_id if actor else None,
            actor_id=actor.id if actor else None,
            actor_name=actor.name if actor else "",
            payload=payload,
            prev_hash="",
            entry_hash="",
        ),
    )


def request(db: Session, actor: User | None, data: RequestData | dict[str, Any]) -> list[CoordinationRequest]:
    """Ask every other owner of the tracks an N4 alert pairs with one's own to coordinate.

    One request per other owner (to the first of its tracks the alert names), from the
    track `initiative_id` names (the page's) or else the actor's own organisation's; an
    owner already asked about this overlap, or who asked, is not asked again while that
    request waits or holds.
    """
    data = parse(RequestData, data)
    aud = audience.of(actor)
    alert = db.exec(
        select(Alert).where(Alert.id == data.alert_id, col(Alert.id).in_(aud.alert_ids()))
    ).first()
    if alert is None or alert.principle != "N4" or alert.kind not in N4_KINDS:
        raise NotFound("No such overlap notice")
    assert alert.id is not None
    concerned = _concerned(db, data.alert_id)
    seen = _home_ids(db, actor, concerned)
    if not seen:
        raise NotFound("No such overlap notice")
    owners = _owners(db, concerned)
    if data.initiative_id is not None:
        if data.initiative_id not in seen:
            raise NotFound("No such initiative")
        mine_id = data.initiative_id
    else:
        mine_id = _own_track(db, actor, seen, owners, aud)
    mine = aud.track(db, mine_id)
    policy.require_edit(db, actor, mine, aud)
    if alert.status not in LIVE:
        raise Conflict("This overlap is no longer open")
    standing = [
        r for r in _pair_requests(db, alert.id, mine.owner_id, owners) if r.status in ("pending", "accepted")
    ]
    asked = {owners.get(r.to_initiative_id) for r in standing} | {
        owners.get(r.from_initiative_id) for r in standing
    }
    made: list[CoordinationRequest] = []
    others: dict[int, int] = {}
    for other_id in concerned:
        owner = owners.get(other_id)
        if owner is not None and owner != mine.owner_id:
            others.setdefault(owner, other_id)
    for owner, other_id in sorted(others.items(), key=lambda kv: kv[1]):
        if owner in asked:
            made.extend(
                r
                for r in standing
                if owner in (owners.get(r.to_initiative_id), owners.get(r.from_initiative_id))
            )
            continue
        row = CoordinationRequest(
            alert_id=alert.id,
            from_initiative_id=mine_id,
            to_initiative_id=other_id,
            created_by_id=actor.id if actor else None,
        )
        db.add(row)
        db.flush()
        _log(db, actor, mine, f"Asked {_org_name(db, owner)} to coordinate", request_id=row.id)
        # Each event goes to its own track's audience and names only the request.
        for iid in (other_id, mine_id):
            events.publish(
                db,
                "coordination.requested",
                "coordination",
                initiative_id=iid,
                home_only=True,
                request_id=row.id,
            )
        made.append(row)
    if not made:
        raise Invalid.field("alert_id", "this notice names no track of another organisation")
    return made


def _direction(
    actor: User | None, row: CoordinationRequest, owners: dict[int, int], seen: set[int]
) -> Literal["outgoing", "incoming", "between"]:
    """Which way the request runs for the actor (`seen`: the actor's home tracks of the two).

    The actor's own organisation decides first: the department asked reads it as incoming,
    the department that asked as outgoing. A coordinator or admin, who speaks for the
    government, reads a request across governments by government (one from abroad comes
    in); anything else of its government that is no request of the reader's organisation
    is "between" (others', read but not answered).
    Once a track was shared back on acceptance the requester may see both tracks; the
    request stays outgoing for it, because it owns the sender.
    """
    org = actor.organisation_id if actor else None
    src, dst = owners.get(row.from_initiative_id), owners.get(row.to_initiative_id)
    if org is not None and dst == org and src != org:
        return "incoming"
    if org is not None and src == org:
        return "outgoing"
    if actor is not None and actor.role not in policy.GOVERNMENT_WIDE_ROLES:
        return "between"
    if row.to_initiative_id in seen and row.from_initiative_id not in seen:
        return "incoming"
    if row.from_initiative_id in seen and row.to_initiative_id not in seen:
        return "outgoing"
    return "between"


def _view(db: Session, actor: User | None, row: CoordinationRequest, seen: set[int]) -> RequestView:
    owners = _owners(db, [row.from_initiative_id, row.to_initiative_id])
    direction = _direction(actor, row, owners, seen)
    # The reader's side: the track asked when it came in, or (between others) the home one.
    to_mine = direction == "incoming" or (direction == "between" and row.from_initiative_id not in seen)
    mine_id, other_id = (
        (row.to_initiative_id, row.from_initiative_id)
        if to_mine
        else (row.from_initiative_id, row.to_initiative_id)
    )
    mine = db.get(Initiative, mine_id)
    other = db.get(Initiative, other_id)
    assert mine is not None and other is not None and row.id is not None
    names = {o: _org_name(db, o) for o in set(owners.values())}
    return RequestView(
        id=row.id,
        direction=direction,
        status=row.status,
        reason=row.reason,
        initiative_id=mine_id,
        initiative_key=mine.key,
        other_organisation=_org_name(db, other.owner_id),
        crisis=_crisis_name(db, mine),
        created_at=row.created_at,
        from_organisation=names.get(owners.get(row.from_initiative_id, 0), ""),
        to_organisation=names.get(owners.get(row.to_initiative_id, 0), ""),
        answered_at=row.answered_at,
        can_answer=direction == "incoming" and row.status == "pending" and policy.may_edit(db, actor, mine),
        alert_id=row.alert_id,
    )


def listing(db: Session, actor: User | None, window: Window | None = None) -> list[RequestView]:
    """Requests sent from or to one of the actor's own government's tracks, newest first (or one page)."""
    visible = audience.of(actor).home_track_ids()
    q = select(CoordinationRequest).where(
        col(CoordinationRequest.from_initiative_id).in_(visible)
        | col(CoordinationRequest.to_initiative_id).in_(visible)
    )
    q = (
        window.apply(q, col(CoordinationRequest.id))
        if window
        else q.order_by(col(CoordinationRequest.id).desc())
    )
    rows = db.exec(q).all()
    out = []
    for row in rows:
        seen = _home_ids(db, actor, [row.from_initiative_id, row.to_initiative_id])
        out.append(_view(db, actor, row, seen))
    return out


def _request(db: Session, actor: User | None, request_id: int) -> tuple[CoordinationRequest, set[int]]:
    row = db.get(CoordinationRequest, request_id)
    if row is None:
        raise NotFound("No such coordination request")
    seen = _home_ids(db, actor, [row.from_initiative_id, row.to_initiative_id])
    if not seen:
        raise NotFound("No such coordination request")
    return row, seen


def get(db: Session, actor: User | None, request_id: int) -> RequestView:
    row, seen = _request(db, actor, request_id)
    return _view(db, actor, row, seen)


def _answerable(db: Session, actor: User | None, request_id: int) -> tuple[CoordinationRequest, Initiative]:
    row, seen = _request(db, actor, request_id)
    owners = _owners(db, [row.from_initiative_id, row.to_initiative_id])
    direction = _direction(actor, row, owners, seen)
    if direction == "outgoing" or row.to_initiative_id not in seen:
        # The requester's side sees the request but may not answer it.
        raise NotFound("No such incoming coordination request")
    if direction == "between":
        # Read at home, answered by the department asked.
        raise NotAllowed("Only the department asked answers this request")
    aud = audience.of(actor)
    mine = aud.track(db, row.to_initiative_id)
    policy.require_edit(db, actor, mine, aud)
    if row.status != "pending":
        raise Conflict(f"This request was already {row.status}")
    return row, mine


def accept(
    db: Session, actor: User | None, request_id: int, data: AcceptData | dict[str, Any] | None = None
) -> RequestView:
    """Agree to coordinate: link the two tracks, and share one's own back if asked."""
    data = parse(AcceptData, data or {})
    row, mine = _answerable(db, actor, request_id)
    other = db.get(Initiative, row.from_initiative_id)
    assert other is not None and other.id is not None and mine.id is not None
    initiatives.link_coordinated(db, actor, mine.id, other.id, accepted_request=True)
    if data.share_level is not None:
        sharing.grant(db, actor, mine.id, {"org_id": other.owner_id, "level": data.share_level})
    row.status = "accepted"
    row.answered_at = utcnow()
    row.answered_by_id = actor.id if actor else None
    db.add(row)
    db.flush()
    _log(db, actor, mine, f"Agreed to coordinate with {_org_name(db, other.owner_id)}", request_id=row.id)
    _log(db, actor, other, f"{_org_name(db, mine.owner_id)} agreed to coordinate", request_id=row.id)
    for iid in (mine.id, other.id):
        events.publish(
            db, "coordination.accepted", "coordination", initiative_id=iid, home_only=True, request_id=row.id
        )
    return _view(db, actor, row, _home_ids(db, actor, [row.from_initiative_id, row.to_initiative_id]))


def decline(
    db: Session, actor: User | None, request_id: int, data: DeclineData | dict[str, Any]
) -> RequestView:
    """Decline to coordinate, with the reason the requester will read."""
    data = parse(DeclineData, data)
    row, mine = _answerable(db, actor, request_id)
    other = db.get(Initiative, row.from_initiative_id)
    assert other is not None and mine.id is not None
    row.status = "declined"
    row.reason = data.reason
    row.answered_at = utcnow()
    row.answered_by_id = actor.id if actor else None
    db.add(row)
    db.flush()
    _log(db, actor, mine, f"Declined to coordinate with {_org_name(db, other.owner_id)}", request_id=row.id)
    _log(
        db,
        actor,
        other,
        f"{_org_name(db, mine.owner_id)} declined to coordinate: {data.reason}",
        request_id=row.id,
    )
    for iid in (mine.id, other.id):
        events.publish(
            db, "coordination.declined", "coordination", initiative_id=iid, home_only=True, request_id=row.id
        )
    return _view(db, actor, row, _home_ids(db, actor, [row.from_initiative_id, row.to_initiative_id]))


__all__ = [
    "AcceptData",
    "DeclineData",
    "Notice",
    "RequestData",
    "RequestView",
    "accept",
    "decline",
    "get",
    "listing",
    "notices",
    "request",
]
