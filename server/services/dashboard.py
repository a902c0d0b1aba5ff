"""A person's dashboard: their open alerts, decisions waiting for their sign-off, recent activity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from server.domain import signoffs
from server.models import Event, Initiative, LogEntry, User
from server.services import audience, decisions, initiative_page, policy
from server.services.initiative_page import AlertView

ACTIVITY_WORDS = {
    "initiative.created": "Initiative recorded",
    "initiative.updated": "Initiative edited",
    "initiative.status": "Status changed",
    "initiative.coordinated": "Coordination link changed",
    "initiative.dependencies": "Dependencies changed",
    "decision.logged": "Decision logged",
    "decision.signoff": "Sign-off or decline recorded",
    "comment.added": "Comment added",
    "comment.removed": "Comment removed",
    "report.filed": "Field report filed",
    "sharing.granted": "Shared with a partner",
    "sharing.withdrawn": "Sharing withdrawn",
    "coordination.requested": "Coordination requested",
    "coordination.accepted": "Coordination agreed",
    "coordination.declined": "Coordination declined",
    "alert.raised": "Alert raised",
    "alert.resolved": "Alert cleared",
}


@dataclass
class Activity:
    at: datetime
    what: str
    initiative: Initiative


@dataclass
class Dashboard:
    my_tracks: list[Initiative]
    alerts: list[AlertView]
    waiting: list[tuple[LogEntry, signoffs.SignoffStatus, Initiative | None]]
    activity: list[Activity]


def words(kind: str) -> str:
    if kind in ACTIVITY_WORDS:
        return ACTIVITY_WORDS[kind]
    if kind.startswith("initiative.") and kind.count(".") == 2:
        _, part, verb = kind.split(".")
        return f"{part.replace('_', ' ').capitalize()} {verb}"
    return kind.replace(".", " ").capitalize()


def my_tracks(db: Session, actor: User) -> list[Initiative]:
    """The tracks the actor's organisation owns; for coordinators and admins, their government's."""
    aud = audience.of(actor)
    q = select(Initiative).where(aud.tracks())
    if actor.role in policy.GOVERNMENT_WIDE_ROLES:
        q = q.where(aud.home())
    else:
        q = q.where(Initiative.owner_id == actor.organisation_id)
    return list(db.exec(q.order_by(col(Initiative.updated_at).desc())).all())


def summary(db: Session, actor: User, activity_limit: int = 15) -> Dashboard:
    tracks = my_tracks(db, actor)
    ids = [t.id for t in tracks if t.id is not None]
    by_id = {t.id: t for t in tracks}
    events = (
        db.exec(
            select(Event)
            .where(col(Event.initiative_id).in_(ids), audience.of(actor).events())
            .order_by(col(Event.id).desc())
            .limit(activity_limit)
        ).all()
        if ids
        else []
    )
    activity = [
        Activity(e.created_at, words(e.kind), by_id[e.initiative_id])
        for e in events
        if e.initiative_id in by_id
    ]
    found = decisions.waiting_for(db, actor)
    track_ids = {e.initiative_id for e, _ in found}
    waiting_tracks = (
        {t.id: t for t in db.exec(select(Initiative).where(col(Initiative.id).in_(track_ids))).all()}
        if track_ids
        else {}
    )
    waiting = [(entry, state, waiting_tracks.get(entry.initiative_id)) for entry, state in found]
    return Dashboard(
        my_tracks=tracks,
        alerts=initiative_page.alerts_on(db, actor, ids, live_only=True),
        waiting=waiting,
        activity=activity,
    )


PRINCIPLES = {
    "D1": "Ground diplomacy in realities on the ground",
    "D2": "Keep humanitarian objectives apart from political and military agendas",
    "D3": "Clear objectives, red lines and accountability",
    "D4": "Dedicated, sustained resources; work across departments",
    "D5": "Work with those who can influence the parties",
    "N1": "Don't treat international humanitarian law as negotiable",
    "N2": "Don't disengage without weighing the humanitarian impact",
    "N3": "Don't put visibility and symbolic gains over outcomes",
    "N4": "Don't run parallel, uncoordinated processes",
    "N5": "Don't skip the do-no-harm analysis",
}


@dataclass
class Inbox:
    groups: list[tuple[str, str, list[AlertView]]]
    total: int
    status: str


def inbox(db: Session, actor: User, status: str = "live") -> Inbox:
    """Every alert the actor may see, grouped by principle (live ones unless asked otherwise)."""
    from server.services import alerts

    statuses: tuple[str, ...] | None = initiative_page.LIVE_ALERTS
    if status in ("open", "acknowledged", "dismissed", "resolved"):
        statuses = (status,)
    elif status == "all":
        statuses = None
    views = alerts.list_visible(db, actor, statuses=statuses)
    groups = alerts.grouped_by_principle(views)
    return Inbox(
        [(p, PRINCIPLES.get(p, p), initiative_page.present(db, items)) for p, items in groups.items()],
        len(views),
        status,
    )
