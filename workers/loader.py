"""From the database to the plain `Snapshot` the checks judge.

A check of one initiative needs that initiative and its neighbours: every track on the
same crisis (or on a crisis of the same region, which the overlap search blocks
together), and every track that engages one of the same parties. The sweep loads the
whole workspace. Both read as the system (actor `None`): checks see everything, and
what each person may see of an alert is decided when it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_
from sqlmodel import Session, col, select

from server.models import Crisis, FieldReport, Initiative, InitiativeParty, Organisation
from server.services.workspace import export_document
from server.settings import get_settings
from workers.checks import snapshot as doc
from workers.checks.snapshot import CheckSettings, Snapshot


def check_settings() -> CheckSettings:
    """The checks' thresholds, from Accord's settings."""
    s = get_settings()
    return CheckSettings(
        signoff_escalate_days=s.signoff_escalate_days,
        borrowed_resources_max_days=s.borrowed_resources_max_days,
        field_report_stale_days=s.field_report_stale_days,
        forum_shopping_min_tracks=s.forum_shopping_min_tracks,
    )


@dataclass(frozen=True)
class Loaded:
    """A snapshot and the ids behind its keys, for the reconciler."""

    snapshot: Snapshot
    # initiative key -> id, for every initiative in the snapshot
    ids: dict[str, int]
    # the focus as ids; None for the whole workspace
    focus_ids: set[int] | None


def neighbour_ids(db: Session, initiative: Initiative) -> set[int]:
    """The initiative and every track it may be judged together with."""
    assert initiative.id is not None
    crisis = db.get(Crisis, initiative.crisis_id)
    crisis_ids = {initiative.crisis_id}
    if crisis is not None and crisis.region:
        crisis_ids |= set(db.exec(select(Crisis.id).where(Crisis.region == crisis.region)).all())  # type: ignore[arg-type]
    party_ids = select(InitiativeParty.party_id).where(InitiativeParty.initiative_id == initiative.id)
    sharing = select(InitiativeParty.initiative_id).where(col(InitiativeParty.party_id).in_(party_ids))
    rows = db.exec(
        select(Initiative.id).where(
            or_(col(Initiative.crisis_id).in_(crisis_ids), col(Initiative.id).in_(sharing))
        )
    ).all()
    return {i for i in rows if i is not None} | {initiative.id}


def _crisis_reports(db: Session, ws: doc.Workspace) -> list[doc.FieldReport]:
    """Reports filed on a crisis alone, which a partial export leaves out.

    Checks judge a track by the reports on its crisis too, so a focused run must see
    them, or it would clear an alert the sweep raises again.
    """
    keys = {i.crisis for i in ws.initiatives}
    if not keys:
        return []
    crises = {c.id: c.key for c in db.exec(select(Crisis).where(col(Crisis.key).in_(keys))).all()}
    orgs = {o.id: o.key for o in db.exec(select(Organisation)).all()}
    out = []
    for r in db.exec(
        select(FieldReport)
        .where(col(FieldReport.initiative_id).is_(None), col(FieldReport.crisis_id).in_(crises))
        .order_by(col(FieldReport.id))
    ).all():
        out.append(
            doc.FieldReport(
                key=r.key,
                crisis=crises[r.crisis_id],
                org=orgs.get(r.org_id) if r.org_id is not None else None,
                date=r.date,
                source_kind=r.source_kind,  # type: ignore[arg-type]
                text=r.text,
                red_line_breached=r.red_line_breached,
            )
        )
    return out


def load_initiative(db: Session, initiative_id: int) -> Loaded | None:
    """The snapshot for checking one initiative, focused on it; None if it is gone."""
    initiative = db.get(Initiative, initiative_id)
    if initiative is None:
        return None
    ids = neighbour_ids(db, initiative)
    ws = export_document(db, actor=None, initiative_ids=ids)
    present = {r.key for r in ws.field_reports if r.key}
    extra = [r for r in _crisis_reports(db, ws) if r.key not in present]
    if extra:
        ws = ws.model_copy(update={"field_reports": [*ws.field_reports, *extra]})
    keys = _keys(db, ids)
    snapshot = Snapshot(ws, focus={initiative.key}, settings=check_settings())
    return Loaded(snapshot, keys, {initiative_id})


def load_all(db: Session) -> Loaded:
    """The snapshot of the whole workspace, with no focus (the sweep, `checks run`)."""
    ws = export_document(db, actor=None)
    return Loaded(Snapshot(ws, settings=check_settings()), _keys(db, None), None)


def load_keys(db: Session, keys: set[str]) -> Loaded:
    """The whole workspace focused on the named initiatives (`checks run --initiative`)."""
    loaded = load_all(db)
    snapshot = Snapshot(loaded.snapshot.ws, focus=keys, settings=check_settings())
    return Loaded(snapshot, loaded.ids, {loaded.ids[k] for k in keys if k in loaded.ids})


def _keys(db: Session, ids: set[int] | None) -> dict[str, int]:
    q = select(Initiative.key, Initiative.id)
    if ids is not None:
        q = q.where(col(Initiative.id).in_(ids))
    return {k: i for k, i in db.exec(q).all() if i is not None}
