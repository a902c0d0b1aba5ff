"""Everything one initiative's page shows, gathered in one read for one person.

It composes the services that own each rule (`initiatives.view`, the decision log as
the reader may read it, the sign-off states as the reader may see them, the policy's
answer to "may this person sign?") and adds the names a page needs to print. An
alert that concerns a track the reader may not see is shown through that track's own
view of it (the other organisation and the crisis, never the hidden track's content).

A fragment request names its block; only what that block shows is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from server.domain import signoffs
from server.models import Initiative, LogEntry, Organisation, User
from server.services import audience, decisions, initiatives, memo, metric_chart, policy
from server.services import delegations as delegation_service
from server.services.decisions import LogFilters

LIVE_ALERTS = ("open", "acknowledged")

# What each block of the page reads beyond the track itself; None is the whole page.
BLOCK_PARTS: dict[str, tuple[str, ...]] = {
    "initiative": ("lines", "links", "grants"),
    "alerts": (),
    "decision_log": (),
    "decision_form": (),
    "comments": ("comments",),
    "comment_form": (),
    "reports": ("reports",),
    "report_form": (),
}


@dataclass
class AlertView:
    """An alert as one reader may see it."""

    alert: Any  # the alert service's view: id, principle, status, severity, words, version, ...
    message: str
    evidence: list[str]
    remedy: str
    subjects: list[Initiative]  # the concerned tracks the reader may see
    hidden_others: int = 0  # 1 when the alert also concerns a track not shared with the reader


# A track's page shows its newest decisions, each with its sign-offs, and its newest other
# entries (sharing, coordination, dismissals): what a page costs stays the same however
# long the track's history grows, and the decision log filtered by the track has the rest.
DECISIONS_SHOWN = 20
OTHERS_SHOWN = 50
DECISION_TYPES = ("decision", "signoff", "decline")


@dataclass
class DecisionView:
    entry: LogEntry
    status: signoffs.SignoffStatus | None
    supersedes: LogEntry | None = None
    initiative: Initiative | None = None
    can_sign: bool = False
    # Delegations under which the reader may sign now: (delegation id, department's name).
    delegated: list[tuple[int, str]] = field(default_factory=list)
    # For the home government: a delegation's key -> "for <department>, delegated by <person>".
    delegation_notes: dict[str, str] = field(default_factory=dict)


@dataclass
class InitiativePage:
    view: initiatives.InitiativeView
    orgs: dict[int, Organisation]
    people: dict[int, str]
    decisions: list[DecisionView]
    other_entries: list[LogEntry]
    alerts: list[AlertView]
    # Whether the track has decisions older than those shown (the decision log has them all).
    older_decisions: bool = False
    older_others: bool = False
    proposed: list[Organisation] = field(default_factory=list)
    departments: list[Organisation] = field(default_factory=list)
    coordinate_with: list[Initiative] = field(default_factory=list)
    # Each shown metric's chart (None: nothing measured yet), by metric id.
    charts: dict[int, metric_chart.Chart | None] = field(default_factory=dict)


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
    """Decisions with where their sign-offs stand (as the reader may see it), the entry each
    supersedes, and whether the reader may sign it now (the policy's answer)."""
    by_id = {e.id: e for e in entries}
    states, offers = decisions.sign_states(db, actor, entries)
    wanted = [e for e in entries if e.entry_type == "decision"]
    track_ids = {e.initiative_id for e in wanted}
    tracks = (
        {t.id: t for t in db.exec(select(Initiative).where(col(Initiative.id).in_(track_ids))).all()}
        if track_ids
        else {}
    )
    missing = {e.supersedes_id for e in wanted if e.supersedes_id and e.supersedes_id not in by_id}
    if missing:
        by_id.update({e.id: e for e in db.exec(select(LogEntry).where(col(LogEntry.id).in_(missing))).all()})
    delegated = decisions.delegated_offers(db, actor, wanted)
    notes = delegation_service.notes(db, actor, {t.id for t in tracks.values()})
    out = []
    for e in wanted:
        assert e.id is not None
        sup = by_id.get(e.supersedes_id) if e.supersedes_id else None
        out.append(
            DecisionView(
                e,
                states.get(e.id),
                sup,
                tracks.get(e.initiative_id),
                offers.get(e.id, False),
                delegated.get(e.id, []),
                notes.get(e.initiative_id or 0, {}),
            )
        )
    return out


def names(
    db: Session, org_ids: set[int] | None = None, people_ids: set[int] | None = None
) -> tuple[dict[int, Organisation], dict[int, str]]:
    """Organisations (all of them, reference data) and the names of the people named."""
    orgs = {o.id: o for o in memo.organisations(db) if o.id is not None}
    q = select(User.id, User.name)
    if people_ids is not None:
        if not people_ids:
            return orgs, {}
        q = q.where(col(User.id).in_(people_ids))
    people = {uid: name for uid, name in db.exec(q).all() if uid is not None}
    return orgs, people


def _people_named(view: initiatives.InitiativeView) -> set[int]:
    ids = {view.changed_by_id} | {c.author_id for c in view.comments} | {g.user_id for g in view.grants}
    return {i for i in ids if i is not None}


def page(db: Session, actor: User | None, initiative_id: int, block: str | None = None) -> InitiativePage:
    """One initiative's page for the actor, or only what `block` shows; `NotFound` if hidden."""
    parts = BLOCK_PARTS.get(block) if block is not None else None
    view = initiatives.view(db, actor, initiative_id, parts)
    whole = block is None
    shown: list[LogEntry] = []
    others: list[LogEntry] = []
    if whole or block == "decision_log":
        shown = decisions.entries(
            db, actor, LogFilters(initiative_id=initiative_id, entry_type="decision"), DECISIONS_SHOWN + 1
        )
        others = decisions.entries(
            db, actor, LogFilters(initiative_id=initiative_id, other_than=DECISION_TYPES), OTHERS_SHOWN + 1
        )
    orgs, people = names(db, people_ids=_people_named(view))
    out = InitiativePage(
        view=view,
        orgs=orgs,
        people=people,
        decisions=decision_views(db, actor, shown[:DECISIONS_SHOWN]),
        older_decisions=len(shown) > DECISIONS_SHOWN,
        other_entries=others[:OTHERS_SHOWN],
        older_others=len(others) > OTHERS_SHOWN,
        alerts=alerts_on(db, actor, [initiative_id]) if whole or block == "alerts" else [],
        charts={
            m.id: metric_chart.chart(m, view.actuals.get(m.id, [])) for m in view.lines.get("metrics", [])
        },
    )
    if view.can_edit and actor is not None and (whole or block in ("decision_form", "initiative")):
        if whole or block == "decision_form":
            out.proposed = decisions.proposed_departments(db, initiative_id, actor)
            out.departments = decisions.government_departments(db, actor)
        if whole or block == "initiative":
            linked = {t.id for t in view.coordinated} | {initiative_id}
            out.coordinate_with = [
                t
                for t in initiatives.listing(
                    db, actor, initiatives.Filters(crisis_id=view.initiative.crisis_id)
                )
                if t.id not in linked
            ]
    return out


def decision_form(db: Session, actor: User, initiative_id: int) -> dict[str, Any]:
    """What the decision form offers: proposed departments pre-checked among the government's."""
    return {
        "initiative": initiatives.editable(db, actor, initiative_id),
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
    initiative = initiatives.editable(db, actor, initiative_id)
    return EditForm(initiative, initiatives.snapshot_fields(db, initiative), True)


def edit_conflict(
    db: Session, actor: User | None, initiative_id: int, data: dict[str, Any]
) -> tuple[EditForm, list[str]]:
    """After a lost save: the fields as saved now, and which of them differ from `data`."""
    from server.services.errors import Invalid
    from server.services.validation import parse

    current = edit_form(db, actor, initiative_id)
    try:
        typed = parse(initiatives.InitiativeData, data).model_dump()
    except Invalid:
        return current, []
    typed["party_ids"] = sorted(typed.get("party_ids") or [])
    return current, sorted(k for k, v in typed.items() if current.values.get(k) != v)


@dataclass
class LineForm:
    initiative: Initiative
    choices: Any
    can_edit: bool


def line_form(db: Session, actor: User | None, initiative_id: int, part: str) -> LineForm:
    """What the form for an item behind an initiative needs, for a person who may edit it."""
    from server.services import crises

    initiative = initiatives.editable(db, actor, initiative_id)
    return LineForm(initiative, crises.choices(db, actor), True)


def line(db: Session, actor: User | None, initiative_id: int, part: str, line_id: int) -> Any:
    """One item behind an initiative, for a person who may edit it; `NotFound` if not visible."""
    initiative, row = initiatives.get_line(db, actor, initiative_id, part, line_id)
    policy.require_edit(db, actor, initiative)
    return row


def file_report(db: Session, actor: User, initiative_id: int, data: dict[str, Any]) -> Any:
    """File a field report from a track's page: the track must be visible first (else 404)."""
    from server.services import field_reports

    audience.of(actor).track(db, initiative_id)
    return field_reports.file(db, actor, {**data, "initiative_id": initiative_id})
