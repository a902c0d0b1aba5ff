"""A person's dashboard: their open alerts, decisions waiting for their sign-off, recent activity."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from server.domain import signoffs
from server.models import (
    Alert,
    AlertDismissal,
    AlertInitiative,
    Event,
    Initiative,
    LogEntry,
    Organisation,
    User,
)
from server.models.base import utcnow
from server.services import audience, decisions, initiative_page, policy
from server.services.alerts import Filters
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
    "alert.reopened": "Alert reopened",
    "alert.updated": "Alert's evidence changed",
    "alert.acknowledged": "Alert acknowledged",
    "alert.dismissed": "Alert dismissed",
}


FIELD_WORDS = {
    "crisis_id": "crisis",
    "start": "start date",
    "end": "end date",
    "impact_assessment": "do-no-harm assessment",
    "compliance_monitoring": "compliance monitoring",
}
ALERT_WORDS = {
    "alert.raised": ("alert raised", "alerts raised"),
    "alert.resolved": ("alert cleared", "alerts cleared"),
    "alert.reopened": ("alert reopened", "alerts reopened"),
    "alert.updated": ("alert's evidence changed", "alerts' evidence changed"),
    "alert.acknowledged": ("alert acknowledged", "alerts acknowledged"),
    "alert.dismissed": ("alert dismissed", "alerts dismissed"),
}


@dataclass
class Activity:
    """What happened on one track of one kind lately: how often, and what changed."""

    at: datetime
    what: str
    initiative: Initiative
    count: int = 1
    # What changed, in words: the principles of the alerts, the fields edited, the status set.
    details: list[str] = field(default_factory=list)


@dataclass
class ChartWeek:
    """The open alerts by principle at the end of one week."""

    day: date
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class AlertChart:
    """Open alerts of the reader's own by principle, week by week (the dashboard draws it)."""

    weeks: list[ChartWeek]
    principles: list[str]

    @property
    def step(self) -> int:
        """The axis' step: the smallest of 1, 2, 5, 10, 20, 50, ... whose four steps reach the highest week."""
        high = max((w.total for w in self.weeks), default=0)
        unit = 1
        while True:
            for m in (1, 2, 5):
                if 4 * unit * m >= high:
                    return unit * m
            unit *= 10

    @property
    def top(self) -> int:
        return 4 * self.step

    @property
    def ticks(self) -> list[int]:
        return [self.step * n for n in range(5)]

    @property
    def now(self) -> dict[str, int]:
        return self.weeks[-1].counts if self.weeks else {}


@dataclass
class Dashboard:
    my_tracks: list[Initiative]
    # The first of the reader's own open alerts, and how many there are (`alerts.count`).
    alerts: list[AlertView]
    open_alerts: int
    waiting: list[tuple[LogEntry, signoffs.SignoffStatus, Initiative | None]]
    activity: list[Activity]
    chart: AlertChart


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


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one}" if n == 1 else f"{n} {many}"


def _grouped(events: list[Event], by_id: dict[int | None, Initiative], limit: int) -> list[Activity]:
    """Events (newest first) as one row per track and kind, with what changed."""
    rows: dict[tuple[int, str], Activity] = {}
    for e in events:
        track = by_id.get(e.initiative_id)
        if track is None or track.id is None:
            continue
        row = rows.get((track.id, e.kind))
        if row is None:
            row = rows[track.id, e.kind] = Activity(e.created_at, words(e.kind), track, 0)
        row.count += 1
        payload = e.payload or {}
        detail = ""
        if e.kind.startswith("alert.") and payload.get("principle"):
            detail = str(payload["principle"])
        elif e.kind == "initiative.updated":
            for name in payload.get("fields") or []:
                text = FIELD_WORDS.get(str(name), str(name).replace("_", " "))
                if text not in row.details:
                    row.details.append(text)
        elif e.kind == "initiative.status" and payload.get("status") and not row.details:
            detail = f"now {payload['status']}"
        if detail and detail not in row.details:
            row.details.append(detail)
    out = sorted(rows.values(), key=lambda a: a.at, reverse=True)[:limit]
    for a in out:
        kind = next((k for k, v in ACTIVITY_WORDS.items() if v == a.what), "")
        if kind in ALERT_WORDS:
            a.what = _plural(a.count, *ALERT_WORDS[kind])
            a.details.sort(key=lambda p: PRINCIPLE_RANK.get(p, 99))
        elif a.count > 1:
            a.what = f"{a.what} ({a.count} times)"
    return out


def alert_chart(db: Session, actor: User, weeks: int = 12, today: date | None = None) -> AlertChart:
    """The reader's own alerts (the dashboard's count's), open at the end of each of the last
    `weeks` weeks, by principle: raised by then, and neither cleared nor set aside by the
    reader's government by then. The last week ends today, so its total is the count now."""
    from server.services import alerts

    aud = audience.of(actor)
    ids = alerts.filtered(aud, Filters(status="all", department=alerts.mine(actor)))
    rows = db.execute(
        sa_select(
            col(Alert.principle),
            col(Alert.created_at),
            col(Alert.resolved_at),
            col(Alert.updated_at),
            col(Alert.status),
            col(AlertDismissal.created_at),
        )
        .outerjoin(AlertDismissal, alerts.holds_clause(aud))
        .where(col(Alert.id).in_(ids))
    ).all()
    end = today or utcnow().date()
    days = [end - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    out = [ChartWeek(d, {}) for d in days]
    for principle, created, resolved, updated, status, dismissed in rows:
        if status == "resolved" and resolved is None:
            resolved = updated
        for week in out:
            if created.date() > week.day:
                continue
            if resolved is not None and resolved.date() <= week.day:
                continue
            if dismissed is not None and dismissed.date() <= week.day:
                continue
            week.counts[principle] = week.counts.get(principle, 0) + 1
    seen = {p for w in out for p in w.counts}
    return AlertChart(out, [p for p in PRINCIPLES if p in seen])


def summary(db: Session, actor: User, activity_limit: int = 12) -> Dashboard:
    tracks = my_tracks(db, actor)
    ids = [t.id for t in tracks if t.id is not None]
    by_id: dict[int | None, Initiative] = {t.id: t for t in tracks}
    # Enough of the latest events to fill the rows once alike ones are grouped.
    events = (
        list(
            db.exec(
                select(Event)
                .where(col(Event.initiative_id).in_(ids), audience.of(actor).events())
                .order_by(col(Event.id).desc())
                .limit(activity_limit * 20)
            ).all()
        )
        if ids
        else []
    )
    activity = _grouped(events, by_id, activity_limit)
    found = decisions.waiting_for(db, actor)
    track_ids = {e.initiative_id for e, _ in found}
    waiting_tracks = (
        {t.id: t for t in db.exec(select(Initiative).where(col(Initiative.id).in_(track_ids))).all()}
        if track_ids
        else {}
    )
    waiting = [(entry, state, waiting_tracks.get(entry.initiative_id)) for entry, state in found]
    from server.services import alerts

    own = Filters(department=alerts.mine(actor))
    return Dashboard(
        my_tracks=tracks,
        alerts=initiative_page.present(db, alerts.page(db, actor, own, limit=8, severe_first=True)),
        open_alerts=alerts.count(db, actor, own),
        waiting=waiting,
        activity=activity,
        chart=alert_chart(db, actor),
    )


PRINCIPLES: dict[str, str] = {
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


PAGE_SIZE = 20
STATUSES = (
    ("live", "Open and acknowledged"),
    ("open", "Open"),
    ("acknowledged", "Acknowledged"),
    ("dismissed", "Dismissed"),
    ("resolved", "Cleared"),
    ("all", "Any status"),
)
SEVERITIES = (("high", "High"), ("medium", "Medium"), ("low", "Low"))

PRINCIPLE_RANK = {p: n for n, p in enumerate(PRINCIPLES)}


@dataclass
class Repeats:
    """Alerts of one principle and kind on one page: the first shown in full, the rest folded."""

    kind: str
    items: list[AlertView]


@dataclass
class Inbox:
    groups: list[tuple[str, str, list[Repeats]]]
    # The one count (`alerts.count`) of everything the filters keep, over all pages.
    total: int
    filters: Filters
    page: int
    pages: int
    # The choices the filters offer: the reader's government's departments and its tracks
    # with alerts, by name.
    departments: list[tuple[int, str]]
    tracks: list[tuple[int, str]]
    # The department whose alerts are the reader's own (None: the whole government).
    mine: int | None
    # Some tracks are shared with the reader from abroad: their alerts stay with their owners.
    shared_only: bool

    @property
    def status(self) -> str:
        return self.filters.status

    @property
    def department_name(self) -> str:
        return dict(self.departments).get(self.filters.department or 0, "that department")

    def query(self, **change: object) -> str:
        """The inbox's address with these filters changed (a page of 1 and empty values dropped)."""
        wanted: dict[str, object] = {
            "status": self.filters.status,
            "department": "all" if self.filters.department is None else self.filters.department,
            "initiative_id": self.filters.initiative_id,
            "principle": self.filters.principle,
            "severity": self.filters.severity,
            "page": self.page,
        }
        wanted.update(change)
        if wanted.get("department") == self.mine or (self.mine is None and wanted.get("department") == "all"):
            wanted.pop("department")
        if wanted.get("status") == "live":
            wanted.pop("status")
        if wanted.get("page") == 1:
            wanted.pop("page")
        return "/alerts" + (
            "?" + urlencode({k: v for k, v in wanted.items() if v not in (None, "")})
            if any(v not in (None, "") for v in wanted.values())
            else ""
        )


def _choices(db: Session, actor: User) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The departments of the reader's government, and its tracks that alerts concern."""
    aud = audience.of(actor)
    if aud.home_government is None:
        return [], []
    orgs = db.exec(select(Organisation).order_by(col(Organisation.name))).all()
    departments = [
        (o.id, o.name) for o in orgs if o.id is not None and o.government_key == aud.home_government
    ]
    tracks = db.exec(
        select(Initiative.id, Initiative.title)
        .where(aud.home(), col(Initiative.id).in_(select(AlertInitiative.initiative_id).distinct()))
        .order_by(col(Initiative.title))
    ).all()
    return departments, [(i, t) for i, t in tracks if i is not None]


def inbox(db: Session, actor: User, filters: Filters | None = None, page: int = 1) -> Inbox:
    """One page of the alerts the actor reads that pass the filters (by default its own
    department's, open or acknowledged), grouped by principle, an alert's repeats together."""
    from server.services import alerts

    f = filters or Filters(department=alerts.mine(actor))
    total = alerts.count(db, actor, f)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    views = alerts.page(db, actor, f, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    shown = initiative_page.present(db, views)
    groups: dict[str, list[Repeats]] = {}
    for av in shown:
        runs = groups.setdefault(av.alert.principle, [])
        if runs and runs[-1].kind == av.alert.kind:
            runs[-1].items.append(av)
        else:
            runs.append(Repeats(av.alert.kind, [av]))
    departments, tracks = _choices(db, actor)
    aud = audience.of(actor)
    shared_only = (
        db.exec(select(Initiative.id).where(aud.granted(), ~aud.home()).limit(1)).first() is not None
    )
    return Inbox(
        groups=[(p, PRINCIPLES.get(p, p), runs) for p, runs in groups.items()],
        total=total,
        filters=f,
        page=page,
        pages=pages,
        departments=departments,
        tracks=tracks,
        mine=alerts.mine(actor),
        shared_only=shared_only,
    )
