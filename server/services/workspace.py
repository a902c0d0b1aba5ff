"""The workspace document in and out of the database: import, export, snapshots.

Import is all or nothing and names the JSON path of every error. Export reads in a
few bulk queries, so that the sweep can load a whole workspace; with an actor it goes
through the visibility filter and leaves out what stays home.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, Protocol

from sqlmodel import Session, col, select

from server import events
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
    Organisation,
    Party,
    RedLine,
    ResourceLine,
    SharingGrant,
    StaffLine,
    User,
    WorkspaceMeta,
)
from server.services import audience, ledger
from server.services.initiative_common import new_key
from server.services.initiative_lines import infer_metric_kind

# ---------------------------------------------------------------- name


def get_name(db: Session) -> str | None:
    """The workspace's own name, if one was set (the demo sets one)."""
    row = db.get(WorkspaceMeta, "name")
    return row.value if row else None


def read_name() -> str | None:
    """The workspace's own name from a short session of its own; None before migrations."""
    from server.db import get_engine

    try:
        with Session(get_engine()) as db:
            return get_name(db)
    except Exception:  # a missing table before migrations: the caller falls back to the setting
        return None


def judging_date(db: Session) -> dt.date | None:
    """The date the checks judge against, when the workspace fixes one (its document's `today`)."""
    row = db.get(WorkspaceMeta, "today")
    return dt.date.fromisoformat(row.value) if row and row.value else None


def today(db: Session) -> dt.date:
    """The workspace's judging date if it fixes one, else the real date."""
    return judging_date(db) or dt.date.today()


def set_judging_date(db: Session, day: dt.date | None) -> None:
    """Fix (or, with None, release) the date the checks judge against."""
    row = db.get(WorkspaceMeta, "today")
    if day is None:
        if row is not None:
            db.delete(row)
        return
    row = row or WorkspaceMeta(key="today", value="")
    row.value = day.isoformat()
    db.add(row)


def set_name(db: Session, name: str) -> None:
    row = db.get(WorkspaceMeta, "name") or WorkspaceMeta(key="name", value=name)
    row.value = name
    db.add(row)


# ---------------------------------------------------------------- import


class _Stored(Protocol):
    @property
    def id(self) -> int | None: ...


def _id(row: _Stored) -> int:
    """The primary key of a row that is stored (loaded or flushed), so has one."""
    assert row.id is not None
    return row.id


def _existing(db: Session, model: Any, keys: list[str]) -> set[str]:
    if not keys:
        return set()
    return set(db.exec(select(model.key).where(col(model.key).in_(keys))).all())


def import_document(db: Session, ws: doc.Workspace, actor: User | None = None) -> dict[str, int]:
    """Store a parsed document; raise `DocumentInvalid` (nothing written) on any clash.

    The caller owns the transaction: on error it rolls back, so nothing of a rejected
    document is stored.
    """
    clashes: list[doc.DocumentError] = []
    for kind, model, keys in (
        ("organisations", Organisation, [o.key for o in ws.organisations]),
        ("crises", Crisis, [c.key for c in ws.crises]),
        ("parties", Party, [p.key for p in ws.parties]),
        ("interlocutors", Interlocutor, [x.key for x in ws.interlocutors]),
        ("initiatives", Initiative, [i.key for i in ws.initiatives]),
        ("decisions", LogEntry, [d.key for d in ws.decisions]),
    ):
        taken = _existing(db, model, keys)
        for n, key in enumerate(keys):
            if key in taken:
                clashes.append(doc.DocumentError(f"{kind}[{n}].key", f"'{key}' already exists"))
    if clashes:
        raise doc.DocumentInvalid(clashes)

    orgs = {o.key: o for o in db.exec(select(Organisation)).all()}
    for o in ws.organisations:
        orgs[o.key] = Organisation(key=o.key, name=o.name, kind=o.kind, government=o.government)
        db.add(orgs[o.key])
    crises = {c.key: c for c in db.exec(select(Crisis)).all()}
    for c in ws.crises:
        crises[c.key] = Crisis(key=c.key, name=c.name, region=c.region)
        db.add(crises[c.key])
    parties = {p.key: p for p in db.exec(select(Party)).all()}
    for p in ws.parties:
        parties[p.key] = Party(key=p.key, name=p.name, kind=p.kind)
        db.add(parties[p.key])
    db.flush()
    for x in ws.interlocutors:
        interlocutor = Interlocutor(key=x.key, name=x.name)
        db.add(interlocutor)
        db.flush()
        for pk in dict.fromkeys(x.influences):
            db.add(Influence(interlocutor_id=_id(interlocutor), party_id=_id(parties[pk])))

    inits = {i.key: i for i in db.exec(select(Initiative)).all()}
    for i in ws.initiatives:
        row = Initiative(
            key=i.key,
            owner_id=_id(orgs[i.owner]),
            title=i.title,
            description=i.description,
            kind=i.kind,
            crisis_id=_id(crises[i.crisis]),
            start=i.start,
            end=i.end,
            status=i.status,
            aims=list(i.aims),
            objectives=list(i.objectives),
            impact_assessment=i.impact_assessment,
            compliance_monitoring=i.compliance_monitoring,
            created_by_id=actor.id if actor else None,
        )
        db.add(row)
        inits[i.key] = row
    db.flush()
    people = {u.email: u for u in db.exec(select(User)).all()}
    for i in ws.initiatives:
        iid = _id(inits[i.key])
        for pk in dict.fromkeys(i.parties):
            db.add(InitiativeParty(initiative_id=iid, party_id=_id(parties[pk])))
        for r in i.red_lines:
            db.add(RedLine(initiative_id=iid, text=r.text, trigger=r.trigger, internal=r.internal))
        for s in i.staff:
            db.add(
                StaffLine(
                    initiative_id=iid,
                    org_id=_id(orgs[s.org]),
                    fte=s.fte,
                    until=s.until,
                    dedicated=s.dedicated,
                    internal=s.internal,
                )
            )
        for res in i.resources:
            db.add(
                ResourceLine(
                    initiative_id=iid,
                    kind=res.kind,
                    amount=res.amount,
                    currency=res.currency,
                    until=res.until,
                    dedicated=res.dedicated,
                    org_id=orgs[res.org].id if res.org else None,
                    internal=res.internal,
                )
            )
        for lv in i.leverage:
            db.add(
                LeverageTool(
                    initiative_id=iid,
                    kind=lv.kind,
                    description=lv.description,
                    status=lv.status,
                    do_no_harm_assessment=lv.do_no_harm_assessment,
                    org_id=orgs[lv.org].id if lv.org else None,
                    internal=lv.internal,
                )
            )
        for m in i.metrics:
            kind, inferred = (m.kind, m.kind_inferred) if m.kind else (infer_metric_kind(m.name), True)
            db.add(
                Metric(
                    initiative_id=iid,
                    name=m.name,
                    kind=kind,
                    kind_inferred=inferred,
                    target=m.target,
                    internal=m.internal,
                )
            )
        external = [k for k in dict.fromkeys(i.coordinated_with) if k not in inits]
        if external:
            inits[i.key].external_links = external
        for other in dict.fromkeys(k for k in i.coordinated_with if k in inits):
            a, b = sorted((iid, _id(inits[other])))
            exists = db.exec(
                select(CoordinationLink).where(CoordinationLink.a_id == a, CoordinationLink.b_id == b)
            ).first()
            if exists is None:
                db.add(CoordinationLink(a_id=a, b_id=b))
                db.flush()
        for other in dict.fromkeys(i.depends_on):
            db.add(Dependency(initiative_id=iid, depends_on_id=_id(inits[other])))
        for g in i.shared_with:
            grant = doc.Grant(org=g) if isinstance(g, str) else g
            user = people.get(grant.person) if grant.person else None
            db.add(
                SharingGrant(
                    initiative_id=iid,
                    org_id=orgs[grant.org].id if grant.org else None,
                    government=grant.government,
                    user_id=user.id if user else None,
                    level=grant.level,
                )
            )
    for n, report in enumerate(ws.field_reports):
        initiative = inits[report.initiative] if report.initiative else None
        if report.crisis:
            crisis_id = _id(crises[report.crisis])
        else:
            # The document names an initiative or a crisis (checked when it was parsed).
            assert initiative is not None
            crisis_id = initiative.crisis_id
        db.add(
            FieldReport(
                key=report.key or new_key("fr", str(n)),
                initiative_id=initiative.id if initiative else None,
                crisis_id=crisis_id,
                org_id=orgs[report.org].id if report.org else None,
                date=report.date,
                source_kind=report.source_kind,
                text=report.text,
                red_line_breached=report.red_line_breached,
            )
        )
    db.flush()
    _import_decisions(db, ws.decisions, inits, orgs)
    if ws.today is not None:
        # The document fixes the date its checks judge against; the workspace keeps it.
        set_judging_date(db, ws.today)
    imported = {i.key for i in ws.initiatives}
    for stored in inits.values():
        if stored.key in imported:
            events.check_initiative(db, stored.id)
    events.publish(db, "workspace.imported", "all")
    return {
        "organisations": len(ws.organisations),
        "crises": len(ws.crises),
        "parties": len(ws.parties),
        "interlocutors": len(ws.interlocutors),
        "initiatives": len(ws.initiatives),
        "field_reports": len(ws.field_reports),
        "decisions": len(ws.decisions),
    }


def _import_decisions(
    db: Session,
    decisions: Iterable[doc.Decision],
    inits: dict[str, Initiative],
    orgs: dict[str, Organisation],
) -> None:
    """Append decisions in an order where what a correction supersedes comes first."""
    pending = list(decisions)
    entries: dict[str, LogEntry] = {
        e.key: e for e in db.exec(select(LogEntry).where(LogEntry.entry_type == "decision")).all() if e.key
    }
    while pending:
        ready = [d for d in pending if d.supersedes is None or d.supersedes in entries]
        if not ready:
            raise doc.DocumentInvalid(
                [doc.DocumentError("decisions", "corrections supersede each other in a cycle")]
            )
        for d in sorted(ready, key=lambda d: (d.date, d.key)):
            initiative = inits[d.initiative]
            proposer = orgs[d.proposed_by].id if d.proposed_by else initiative.owner_id
            entry = ledger.append(
                db,
                LogEntry(
                    entry_type="decision",
                    key=d.key,
                    initiative_id=initiative.id,
                    supersedes_id=entries[d.supersedes].id if d.supersedes else None,
                    date=d.date,
                    kind=d.kind,
                    text=d.text,
                    touches=list(dict.fromkeys(d.touches_departments)),
                    org_id=proposer,
                    internal=d.internal,
                    prev_hash="",
                    entry_hash="",
                ),
            )
            entries[d.key] = entry
            for s in d.signoffs:
                ledger.append(
                    db,
                    LogEntry(
                        entry_type="decline" if s.declined else "signoff",
                        initiative_id=initiative.id,
                        decision_id=entry.id,
                        decision_hash=entry.entry_hash,
                        date=s.date or d.date,
                        org_id=orgs[s.org].id,
                        actor_name=s.by or "",
                        text=s.reason or "",
                        internal=s.internal or d.internal,
                        prev_hash="",
                        entry_hash="",
                    ),
                )
        # By identity: comparing the documents' decisions by value made a large import quadratic.
        done = {id(d) for d in ready}
        pending = [d for d in pending if id(d) not in done]


# ---------------------------------------------------------------- export


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
                        internal=lv.internal,
                    )
                    for lv in lines["leverage"][i.id]
                ],
                metrics=[
                    doc.Metric(
                        name=m.name,
                        kind=m.kind,
                        kind_inferred=m.kind_inferred,
                        target=m.target,
                        internal=m.internal,
                    )
                    for m in lines["metrics"][i.id]
                ],
                impact_assessment=i.impact_assessment,
                compliance_monitoring=i.compliance_monitoring,
            )
        )

    used_parties = {p for links in party_links.values() for p in links}
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
