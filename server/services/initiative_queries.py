"""Reading tracks: one track as a person may see it, and the list of those they may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from server.models import (
    Alert,
    AlertInitiative,
    Comment,
    Crisis,
    Dependency,
    FieldReport,
    Initiative,
    InitiativeParty,
    MetricActual,
    Organisation,
    Party,
    SharingGrant,
    User,
)
from server.models.initiatives import LINE_MODELS
from server.services import audience, metric_actuals, policy
from server.services.errors import NotFound
from server.services.initiative_common import last_change


@dataclass
class InitiativeView:
    """An initiative as one person may see it: what stays home only for its own government."""

    initiative: Initiative
    owner: Organisation
    crisis: Crisis
    parties: list[Party]
    home: bool
    can_edit: bool
    can_comment: bool
    lines: dict[str, list[Any]] = field(default_factory=dict)
    coordinated: list[Initiative] = field(default_factory=list)
    external_links: list[str] = field(default_factory=list)
    depends_on: list[Initiative] = field(default_factory=list)
    grants: list[SharingGrant] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    reports: list[FieldReport] = field(default_factory=list)
    # The last change as this reader sees it (at home, changes to internal items count).
    changed_at: datetime | None = None
    changed_by_id: int | None = None
    # The values measured of each metric shown, by metric id, in date order.
    actuals: dict[int, list[MetricActual]] = field(default_factory=dict)
    # The parties the leverage tools shown aim at, by id.
    leverage_parties: dict[int, Party] = field(default_factory=dict)

    @property
    def can_keep_internal(self) -> bool:
        return self.home


def view(
    db: Session, actor: User | None, initiative_id: int, parts: tuple[str, ...] | None = None
) -> InitiativeView:
    """Everything about one initiative that the actor may see.

    `parts` names what to read beyond the track itself (`lines`, `links`, `grants`,
    `comments`, `reports`); None reads all of it.
    """
    aud = audience.of(actor)
    initiative = aud.track(db, initiative_id)
    home = aud.is_home(db, initiative)
    owner = db.get(Organisation, initiative.owner_id)
    crisis = db.get(Crisis, initiative.crisis_id)
    assert owner is not None and crisis is not None and initiative.id is not None
    want = set(parts) if parts is not None else {"lines", "links", "grants", "comments", "reports"}
    parties = list(
        db.exec(
            select(Party)
            .join(InitiativeParty, col(InitiativeParty.party_id) == Party.id)
            .where(InitiativeParty.initiative_id == initiative_id)
            .order_by(Party.name)
        ).all()
    )
    out = InitiativeView(
        initiative=initiative,
        owner=owner,
        crisis=crisis,
        parties=parties,
        home=home,
        can_edit=policy.may_edit(db, actor, initiative, aud),
        can_comment=policy.may_comment(db, actor, initiative, aud),
    )
    out.changed_at, out.changed_by_id = last_change(db, initiative, home)
    if "lines" in want:
        for part, model in LINE_MODELS.items():
            out.lines[part] = list(db.exec(aud.lines(model, initiative_id, home)).all())
        out.actuals = dict(metric_actuals.of_metrics(db, [m.id for m in out.lines["metrics"]]))
        aimed = {t.party_id for t in out.lines["leverage"] if t.party_id is not None}
        if aimed:
            out.leverage_parties = {
                p.id: p
                for p in db.exec(select(Party).where(col(Party.id).in_(aimed))).all()
                if p.id is not None
            }
    if "links" in want:
        out.coordinated = aud.linked(db, initiative_id)
        out.external_links = aud.external_links(db, initiative)
        dep_ids = select(Dependency.depends_on_id).where(Dependency.initiative_id == initiative_id)
        out.depends_on = list(
            db.exec(select(Initiative).where(col(Initiative.id).in_(dep_ids), aud.tracks())).all()
        )
    if "grants" in want:
        out.grants = aud.grants(db, initiative)
    if "comments" in want:
        out.comments = list(db.exec(aud.comments(initiative_id, home)).all())
    if "reports" in want:
        rq = select(FieldReport).where(FieldReport.initiative_id == initiative_id)
        out.reports = list(db.exec(rq.order_by(col(FieldReport.date).desc())).all())
    return out


@dataclass
class Filters:
    crisis_id: int | None = None
    owner_id: int | None = None
    kind: str | None = None
    status: str | None = None
    has_alerts: bool | None = None
    q: str | None = None
    shared_with_us: bool = False


def listing(
    db: Session,
    actor: User | None,
    filters: Filters | None = None,
    limit: int = 500,
    after: int | None = None,
    by_id: bool = False,
) -> list[Initiative]:
    """The initiatives the actor may see, filtered and searched, newest change first.

    With `by_id`, in the order of their ids instead (and with `after`, past that id): the
    stable order in which the API pages through them.
    """
    f = filters or Filters()
    aud = audience.of(actor)
    q = select(Initiative).where(aud.tracks())
    if f.crisis_id:
        q = q.where(Initiative.crisis_id == f.crisis_id)
    if f.owner_id:
        q = q.where(Initiative.owner_id == f.owner_id)
    if f.kind:
        q = q.where(Initiative.kind == f.kind)
    if f.status:
        q = q.where(Initiative.status == f.status)
    if f.q:
        like = f"%{f.q.lower()}%"
        q = q.where(
            or_(func.lower(Initiative.title).like(like), func.lower(Initiative.description).like(like))
        )
    if f.shared_with_us and actor is not None:
        q = q.where(aud.granted(), ~aud.home())
    if f.has_alerts is not None:
        # Alerts are read at home: abroad, a track "has" none the reader may see.
        open_alert = (
            select(AlertInitiative.initiative_id)
            .join(Alert, col(Alert.id) == AlertInitiative.alert_id)
            .where(col(Alert.status).in_(("open", "acknowledged")), col(Alert.id).in_(aud.alert_ids()))
        )
        cond = col(Initiative.id).in_(open_alert) & aud.home()
        q = q.where(cond if f.has_alerts else ~cond)
    if after is not None:
        q = q.where(col(Initiative.id) > after)
    order = col(Initiative.id).asc() if by_id else col(Initiative.updated_at).desc()
    return list(db.exec(q.order_by(order).limit(limit)).all())


def get_by_key(db: Session, actor: User | None, key: str) -> Initiative:
    return audience.of(actor).track_by_key(db, key)


def require_visible_ids(db: Session, actor: User | None, ids: list[int]) -> list[Initiative]:
    rows = list(
        db.exec(select(Initiative).where(col(Initiative.id).in_(ids), audience.of(actor).tracks())).all()
    )
    if len(rows) != len(set(ids)):
        raise NotFound("No such initiative")
    return rows
