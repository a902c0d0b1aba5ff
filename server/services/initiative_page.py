"""Everything one initiative's page shows, gathered in one read for one person.

It composes the services that own each rule (`initiatives.view`, the partner-aware
decision log, `decisions.status`) and adds the names a page needs to print. An alert
that concerns a track the reader may not see is shown through that track's own view
of it (the other organisation and the crisis, never the hidden track's content).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from server.domain import signoffs
from server.models import Initiative, LogEntry, Organisation, User
from server.services import access, decisions, initiatives
from server.services.decisions import LogFilters

LIVE_ALERTS = ("open", "acknowledged")


@dataclass
class AlertView:
    """An alert as one reader may see it."""

    alert: Any  # the alert service's view: id, principle, status, severity, words, version, ...
    message: str
    evidence: list[str]
    remedy: str
    subjects: list[Initiative]  # the concerned tracks the reader may see
    hidden_others: int = 0  # 1 when the alert also concerns a track not shared with the reader


@dataclass
class DecisionView:
    entry: LogEntry
    status: signoffs.SignoffStatus | None
    supersedes: LogEntry | None = None
    initiative: Initiative | None = None
    can_sign: bool = False


@dataclass
class InitiativePage:
    view: initiatives.InitiativeView
    orgs: dict[int, Organisation]
    people: dict[int, str]
    decisions: list[DecisionView]
    other_entries: list[LogEntry]
    alerts: list[AlertView]
    proposed: list[Organisation] = field(default_factory=list)
    departments: list[Organisation] = field(default_factory=list)
    coordinate_with: list[Initiative] = field(default_factory=list)


def present(db: Session, views: list[Any]) -> list[AlertView]:
    """Alerts from the alert service, with the tracks they name ready for links."""
    ids = {iid for v in views for iid, _ in v.initiatives}
    tracks = (
        {t.id: t for t in db.exec(select(Initiative).where(col(Initiative.id).in_(ids))).all()} if ids else {}
    )
    return [
        AlertView(
            alert=v,
            message=v.message,
            evidence=list(v.evidence),
            remedy=v.remedy,
            subjects=[tracks[iid] for iid, _ in v.initiatives if iid in tracks],
            hidden_others=1 if v.partial else 0,
        )
        for v in views
    ]


def alerts_on(
    db: Session, actor: User | None, initiative_ids: list[int], live_only: bool = True
) -> list[AlertView]:
    """The alerts on these tracks the actor may see, as the alert service presents them."""
    from server.services import alerts

    if not initiative_ids:
        return []
    statuses = LIVE_ALERTS if live_only else None
    views = alerts.list_visible(db, actor, statuses=statuses, initiative_ids=initiative_ids)
    return present(db, alerts.by_severity(views))


def decision_views(db: Session, actor: User | None, entries: list[LogEntry]) -> list[DecisionView]:
    """Decisions with where their sign-offs stand and the entry each supersedes."""
    by_id = {e.id: e for e in entries}
    mine = db.get(Organisation, actor.organisation_id) if actor else None
    by_key = {o.key: o for o in db.exec(select(Organisation)).all()}
    states = decisions.statuses(db, entries)
    out = []
    for e in entries:
        if e.entry_type != "decision":
            continue
        assert e.id is not None
        state = states[e.id]
        sup = None
        if e.supersedes_id:
            sup = by_id.get(e.supersedes_id) or db.get(LogEntry, e.supersedes_id)
        can_sign = bool(
            mine
            and actor is not None
            and actor.role != "field_contributor"
            and state.judged
            and any(
                r.state == "missing" and decisions.answers_for(by_key, r.org, mine)
                for r in state.requirements
            )
        )
        out.append(DecisionView(e, state, sup, db.get(Initiative, e.initiative_id), can_sign))
    return out


def names(db: Session) -> tuple[dict[int, Organisation], dict[int, str]]:
    orgs = {o.id: o for o in db.exec(select(Organisation)).all() if o.id is not None}
    people = {u.id: u.name for u in db.exec(select(User)).all() if u.id is not None}
    return orgs, people


def page(db: Session, actor: User | None, initiative_id: int) -> InitiativePage:
    """One initiative's page for the actor; `NotFound` if the actor may not see it."""
    view = initiatives.view(db, actor, initiative_id)
    entries = decisions.entries(db, actor, LogFilters(initiative_id=initiative_id))
    orgs, people = names(db)
    out = InitiativePage(
        view=view,
        orgs=orgs,
        people=people,
        decisions=decision_views(db, actor, entries),
        other_entries=[e for e in entries if e.entry_type not in ("decision", "signoff", "decline")],
        alerts=alerts_on(db, actor, [initiative_id]),
    )
    if view.can_edit and actor is not None:
        out.proposed = decisions.proposed_departments(db, initiative_id, actor)
        out.departments = decisions.government_departments(db, actor)
        linked = {t.id for t in view.coordinated} | {initiative_id}
        out.coordinate_with = [
            t
            for t in initiatives.listing(db, actor, initiatives.Filters(crisis_id=view.initiative.crisis_id))
            if t.id not in linked
        ]
    return out


def decision_form(db: Session, actor: User, initiative_id: int) -> dict[str, Any]:
    """What the decision form offers: proposed departments pre-checked among the government's."""
    initiative = access.get_initiative(db, actor, initiative_id)
    access.require_edit(db, actor, initiative)
    return {
        "initiative": initiative,
        "proposed": decisions.proposed_departments(db, initiative_id, actor),
        "departments": decisions.government_departments(db, actor),
    }


@dataclass
class EditForm:
    initiative: Initiative
    values: dict[str, Any]
    can_edit: bool


def edit_form(db: Session, actor: User | None, initiative_id: int) -> EditForm:
    """The initiative's editable fields as they stand, for a person who may edit it."""
    initiative = access.get_initiative(db, actor, initiative_id)
    access.require_edit(db, actor, initiative)
    return EditForm(initiative, initiatives.snapshot_fields(db, initiative), True)


@dataclass
class LineForm:
    initiative: Initiative
    choices: Any
    can_edit: bool


def line_form(db: Session, actor: User | None, initiative_id: int, part: str) -> LineForm:
    """What the form for an item behind an initiative needs, for a person who may edit it."""
    from server.services import crises

    initiative = access.get_initiative(db, actor, initiative_id)
    access.require_edit(db, actor, initiative)
    return LineForm(initiative, crises.choices(db, actor), True)


def line(db: Session, actor: User | None, initiative_id: int, part: str, line_id: int) -> Any:
    """One item behind an initiative, for a person who may edit it; `NotFound` if not visible."""
    initiative, row = initiatives.get_line(db, actor, initiative_id, part, line_id)
    access.require_edit(db, actor, initiative)
    return row


def file_report(db: Session, actor: User, initiative_id: int, data: dict[str, Any]) -> Any:
    """File a field report from a track's page: the track must be visible first (else 404)."""
    from server.services import field_reports

    access.get_initiative(db, actor, initiative_id)
    return field_reports.file(db, actor, {**data, "initiative_id": initiative_id})
