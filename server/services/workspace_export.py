"""The workspace (or some tracks) as a document, as one reader may see it.

Export reads in a few bulk queries, so that the sweep can load a whole workspace; with
an actor it goes through the visibility layer and leaves out what stays home.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlmodel import Session, col, select

from server.domain import snapshot as doc
from server.models import (
    CoordinationLink,
    Crisis,
    Dependency,
    FieldReport,
    Influence,
    Initiative,
    InitiativeParty,
    Interlocutor,
    LeverageTool,
    LogEntry,
    Metric,
    MetricActual,
    Organisation,
    Party,
    RedLine,
    ResourceLine,
    SharingGrant,
    StaffLine,
    User,
)
from server.services import audience, signoff_state
from server.services import delegations as delegation_service
from server.services.workspace_meta import judging_date


def _chunks(ids: list[int], size: int = 20000) -> Iterable[list[int]]:
    for n in range(0, len(ids), size):
        yield ids[n : n + size]


def _by_initiative(db: Session, model: Any, ids: list[int], home: set[int] | None) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = defaultdict(list)
    for chunk in _chunks(ids):
        for row in db.exec(select(model).where(col(model.initiative_id).in_(chunk)).order_by(model.id)).all():
            if home is None or row.initiative_id in home or not getattr(row, "internal", False):
                out[row.initiative_id].append(row)
    return out


def export_document(
    db: Session,
    actor: User | None = None,
    initiative_ids: set[int] | None = None,
    today: Any = None,
) -> doc.Workspace:
    """The workspace (or the given initiatives) as the actor may see it; `None` sees all.

    `today` defaults to the workspace's judging date, so that an exported document is
    judged as the workspace is.
    """
    if today is None:
        today = judging_date(db)
    aud = audience.of(actor)
    q = select(Initiative).where(aud.tracks())
    if initiative_ids is not None:
        q = q.where(col(Initiative.id).in_(initiative_ids)) if initiative_ids else q.where(False)
    initiatives = list(db.exec(q.order_by(col(Initiative.id))).all())
    ids = [i.id for i in initiatives if i.id is not None]
    id_set = set(ids)
    orgs = {o.id: o for o in db.exec(select(Organisation).order_by(col(Organisation.id))).all()}
    crises = {c.id: c for c in db.exec(select(Crisis).order_by(col(Crisis.id))).all()}
    parties = {p.id: p for p in db.exec(select(Party).order_by(col(Party.id))).all()}
    keys = {iid: key for iid, key in db.exec(select(col(Initiative.id), Initiative.key)).all()}
    home: set[int] | None = None
    if actor is not None:
        home = aud.home_ids(db, ids)

    party_links: dict[int, list[int]] = defaultdict(list)
    for chunk in _chunks(ids):
        for link in db.exec(
            select(InitiativeParty).where(col(InitiativeParty.initiative_id).in_(chunk))
        ).all():
            party_links[link.initiative_id].append(link.party_id)
    lines = {
        name: _by_initiative(db, model, ids, home)
        for name, model in (
            ("red_lines", RedLine),
            ("staff", StaffLine),
            ("resources", ResourceLine),
            ("leverage", LeverageTool),
            ("metrics", Metric),
        )
    }
    actuals: dict[int, list[MetricActual]] = defaultdict(list)
    metric_ids = [m.id for rows in lines["metrics"].values() for m in rows]
    for chunk in _chunks(metric_ids):
        for a in db.exec(
            select(MetricActual)
            .where(col(MetricActual.metric_id).in_(chunk))
            .order_by(col(MetricActual.date))
        ).all():
            actuals[a.metric_id].append(a)
    coordinated: dict[int, list[int]] = defaultdict(list)
    for pair in db.exec(select(CoordinationLink).order_by(col(CoordinationLink.id))).all():
        if pair.a_id in id_set and pair.b_id in id_set:
            coordinated[pair.a_id].append(pair.b_id)
    depends: dict[int, list[int]] = defaultdict(list)
    for dep in db.exec(select(Dependency)).all():
        if dep.initiative_id in id_set and dep.depends_on_id in id_set:
            depends[dep.initiative_id].append(dep.depends_on_id)
    grants: dict[int, list[SharingGrant]] = defaultdict(list)
    emails = {u.id: u.email for u in db.exec(select(User)).all()}
    for g in db.exec(
        select(SharingGrant).where(col(SharingGrant.withdrawn_at).is_(None)).order_by(col(SharingGrant.id))
    ).all():
        if g.initiative_id in id_set and (home is None or g.initiative_id in home):
            grants[g.initiative_id].append(g)

    def org_key(oid: int | None) -> str | None:
        return orgs[oid].key if oid is not None else None

    def grant_out(g: SharingGrant) -> str | doc.Grant:
        if g.org_id is not None and g.level == "view":
            return orgs[g.org_id].key
        return doc.Grant(
            org=org_key(g.org_id),
            government=g.government,
            person=emails.get(g.user_id) if g.user_id else None,
            level=g.level,
        )

    out_inits = []
    for i in initiatives:
        assert i.id is not None
        out_inits.append(
            doc.Initiative(
                key=i.key,
                owner=orgs[i.owner_id].key,
                title=i.title,
                description=i.description,
                kind=i.kind,
                crisis=crises[i.crisis_id].key,
                parties=[parties[p].key for p in party_links[i.id]],
                aims=list(i.aims),
                start=i.start,
                end=i.end,
                status=i.status,
                shared_with=[grant_out(g) for g in grants[i.id]],
                coordinated_with=[keys[o] for o in coordinated[i.id]]
                + (list(i.external_links) if home is None or i.id in home else []),
                depends_on=[keys[o] for o in depends[i.id]],
                objectives=list(i.objectives),
                red_lines=[
                    doc.RedLine(text=r.text, trigger=r.trigger, internal=r.internal)
                    for r in lines["red_lines"][i.id]
                ],
                staff=[
                    doc.Staff(
                        org=orgs[s.org_id].key,
                        fte=s.fte,
                        until=s.until,
                        dedicated=s.dedicated,
                        internal=s.internal,
                    )
                    for s in lines["staff"][i.id]
                ],
                resources=[
                    doc.Resource(
                        kind=r.kind,
                        amount=r.amount,
                        currency=r.currency,
                        until=r.until,
                        dedicated=r.dedicated,
                        org=org_key(r.org_id),
                        internal=r.internal,
                    )
                    for r in lines["resources"][i.id]
                ],
                leverage=[
                    doc.Leverage(
                        kind=lv.kind,
                        description=lv.description,
                        status=lv.status,
                        do_no_harm_assessment=lv.do_no_harm_assessment,
                        org=org_key(lv.org_id),
                        party=parties[lv.party_id].key if lv.party_id is not None else None,
                        start=lv.start,
                        end=lv.end,
                        internal=lv.internal,
                    )
                    for lv in lines["leverage"][i.id]
                ],
                metrics=[_metric(m, actuals[m.id]) for m in lines["metrics"][i.id]],
                impact_assessment=i.impact_assessment,
                compliance_monitoring=i.compliance_monitoring,
            )
        )

    used_parties = {p for links in party_links.values() for p in links}
    used_parties |= {lv.party_id for rows in lines["leverage"].values() for lv in rows if lv.party_id}
    influences: dict[int, list[int]] = defaultdict(list)
    for inf in db.exec(select(Influence)).all():
        influences[inf.interlocutor_id].append(inf.party_id)
    interlocutors = []
    for x in db.exec(select(Interlocutor).order_by(col(Interlocutor.id))).all():
        assert x.id is not None
        targets = [p for p in influences[x.id] if actor is None or p in used_parties]
        if actor is None or targets:
            interlocutors.append(
                doc.Interlocutor(key=x.key, name=x.name, influences=[parties[p].key for p in targets])
            )

    reports = []
    rq = select(FieldReport).order_by(col(FieldReport.id))
    if initiative_ids is not None:
        # Some tracks' export keeps only their own reports (below): read no others, so a
        # worker's one-track check does not load every report of the workspace.
        rq = rq.where(col(FieldReport.initiative_id).in_(ids))
    for r in db.exec(rq).all():
        if r.initiative_id is not None and r.initiative_id not in id_set:
            continue
        if r.initiative_id is None and actor is not None:
            # A report on a crisis alone is for its filer and the crisis's governments' own people.
            if actor.role == "field_contributor" and r.org_id != actor.organisation_id:
                continue
            if initiative_ids is not None:
                continue
        if initiative_ids is not None and r.initiative_id is None:
            continue
        reports.append(
            doc.FieldReport(
                key=r.key,
                initiative=keys.get(r.initiative_id) if r.initiative_id else None,
                # A report on a track lies on that track's crisis; only a crisis-wide one names it.
                crisis=None if r.initiative_id else crises[r.crisis_id].key,
                org=org_key(r.org_id),
                date=r.date,
                source_kind=r.source_kind,
                text=r.text,
                red_line_breached=r.red_line_breached,
            )
        )

    owners = {i.id: i.owner_id for i in initiatives}
    decisions = _export_decisions(db, owners, keys, orgs, home)
    used_crises = {i.crisis_id for i in initiatives} | {r.crisis for r in reports}
    delegations = _export_delegations(db, actor, decisions, id_set, used_crises, orgs, crises, keys)
    return doc.Workspace(
        today=today,
        organisations=[
            doc.Organisation(key=o.key, name=o.name, kind=o.kind, government=o.government)
            for o in orgs.values()
        ],
        crises=[
            doc.Crisis(key=c.key, name=c.name, region=c.region)
            for c in crises.values()
            if c.id in used_crises
        ],
        parties=[
            doc.Party(key=p.key, name=p.name, kind=p.kind)
            for p in parties.values()
            if actor is None or p.id in used_parties
        ],
        interlocutors=interlocutors,
        initiatives=out_inits,
        field_reports=reports,
        decisions=decisions,
        delegations=delegations,
    )


def _export_delegations(
    db: Session,
    actor: User | None,
    decisions: list[doc.Decision],
    id_set: set[int],
    used_crises: set[Any],
    orgs: dict[Any, Organisation],
    crises: dict[Any, Crisis],
    keys: dict[Any, str],
) -> list[doc.Delegation]:
    """The reader's own government's delegations that cover the exported tracks, or that an
    exported sign-off names; a partner's export has none of another government's."""
    named = {so.delegation for d in decisions for so in d.signoffs if so.delegation}
    rows = [r.row for r in delegation_service.listing(db, actor)]
    org_keys: dict[int | None, str] = {k: o.key for k, o in orgs.items()}
    crisis_keys: dict[int | None, str] = {k: c.key for k, c in crises.items()}
    out = []
    for r in rows:
        covers = (r.scope_initiative_id is None or r.scope_initiative_id in id_set) and (
            r.scope_crisis_id is None or r.scope_crisis_id in used_crises
        )
        if covers or r.key in named:
            out.append(signoff_state.as_document(r, org_keys, crisis_keys, keys))
    return sorted(out, key=lambda d: (d.start, d.key))


def _metric(m: Metric, actuals: list[MetricActual]) -> doc.Metric:
    baseline = None
    if m.baseline_value is not None and m.baseline_date is not None:
        baseline = doc.Measure(date=m.baseline_date, value=m.baseline_value)
    return doc.Metric(
        name=m.name,
        kind=m.kind,
        kind_inferred=m.kind_inferred,
        target=m.target,
        baseline=baseline,
        target_value=m.target_value,
        target_date=m.target_date,
        direction="down" if m.direction == "down" else "up",
        actuals=[doc.Measure(date=a.date, value=a.value) for a in actuals],
        internal=m.internal,
    )


def _export_decisions(
    db: Session,
    owners: dict[Any, int],
    keys: dict[Any, str],
    orgs: dict[Any, Organisation],
    home: set[int] | None,
) -> list[doc.Decision]:
    """The decisions of the exported tracks; internal ones and internal sign-offs at home only."""
    # Only the exported tracks' entries (a correction and its sign-offs stay on the decision's
    # track): a one-track export for the worker must not read the whole workspace's log.
    entries: list[LogEntry] = []
    for chunk in _chunks([iid for iid in owners if iid is not None]):
        entries += db.exec(
            select(LogEntry).where(
                col(LogEntry.entry_type).in_(("decision", "signoff", "decline")),
                col(LogEntry.initiative_id).in_(chunk),
            )
        ).all()
    entries.sort(key=lambda e: e.id or 0)
    by_id = {e.id: e for e in entries}
    signoffs: dict[int, list[doc.Signoff]] = defaultdict(list)
    for e in entries:
        if e.internal and home is not None and e.initiative_id not in home:
            continue
        if e.entry_type in ("signoff", "decline") and e.decision_id is not None:
            signoffs[e.decision_id].append(
                doc.Signoff(
                    org=orgs[e.org_id].key,
                    by=e.actor_name or None,
                    date=e.date,
                    declined=e.entry_type == "decline",
                    reason=e.text or None,
                    internal=e.internal,
                    # Which delegation a sign-off was made under is the home government's to read.
                    delegation=(e.payload or {}).get("delegation")
                    if home is None or e.initiative_id in home
                    else None,
                )
            )
    out = []
    for e in entries:
        if e.entry_type != "decision" or e.initiative_id not in owners or e.key is None:
            continue
        abroad = home is not None and e.initiative_id not in home
        if e.internal and abroad:
            continue
        assert e.id is not None
        superseded = by_id.get(e.supersedes_id) if e.supersedes_id else None
        if superseded is not None and superseded.internal and abroad:
            superseded = None
        owner_id = owners[e.initiative_id]
        out.append(
            doc.Decision(
                key=e.key,
                initiative=keys[e.initiative_id],
                date=e.date,
                text=e.text,
                kind=e.kind or "other",
                proposed_by=orgs[e.org_id].key if e.org_id is not None and e.org_id != owner_id else None,
                touches_departments=list(e.touches),
                signoffs=signoffs[e.id],
                supersedes=superseded.key if superseded else None,
                internal=e.internal,
            )
        )
    return out
