"""A workspace document into the database, all or nothing, naming the JSON path of every clash."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from sqlmodel import Session, col, select

from server import events
from server.domain import snapshot as doc
from server.models import (
    CoordinationLink,
    Crisis,
    Delegation,
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
from server.services import delegations, ledger
from server.services.initiative_common import new_key
from server.services.initiative_lines import infer_metric_kind
from server.services.workspace_meta import set_judging_date


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
        ("delegations", Delegation, [d.key for d in ws.delegations]),
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
                    party_id=parties[lv.party].id if lv.party else None,
                    start=lv.start,
                    end=lv.end,
                    internal=lv.internal,
                )
            )
        for m in i.metrics:
            kind, inferred = (m.kind, m.kind_inferred) if m.kind else (infer_metric_kind(m.name), True)
            metric = Metric(
                initiative_id=iid,
                name=m.name,
                kind=kind,
                kind_inferred=inferred,
                target=m.target,
                baseline_value=m.baseline.value if m.baseline else None,
                baseline_date=m.baseline.date if m.baseline else None,
                target_value=m.target_value,
                target_date=m.target_date,
                direction=m.direction,
                internal=m.internal,
            )
            db.add(metric)
            if m.actuals:
                db.flush()
                for measured in m.actuals:
                    db.add(MetricActual(metric_id=_id(metric), date=measured.date, value=measured.value))
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
    _import_delegations(db, ws.delegations, inits, orgs, crises)
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
        "delegations": len(ws.delegations),
    }


def _import_delegations(
    db: Session,
    items: Iterable[doc.Delegation],
    inits: dict[str, Initiative],
    orgs: dict[str, Organisation],
    crises: dict[str, Crisis],
) -> None:
    """Store the delegations, each logged when made (and revoked); a person delegate is
    tied to their account when it exists (`delegations.link_people`), or later, when it is
    created (`users.create`)."""
    items = list(items)
    if not items:
        return
    for d in sorted(items, key=lambda d: (d.start, d.key)):
        person = d.delegate.person.strip() if d.delegate.person else None
        row = Delegation(
            key=d.key,
            department_id=_id(orgs[d.department]),
            delegate_person=person,
            delegate_org_id=_id(orgs[d.delegate.org]) if d.delegate.org else None,
            scope_initiative_id=_id(inits[d.scope.initiative]) if d.scope.initiative else None,
            scope_crisis_id=_id(crises[d.scope.crisis]) if d.scope.crisis else None,
            starts_on=d.start,
            ends_on=d.end,
            granted_by=d.by,
            revoked_on=d.revoked,
        )
        db.add(row)
        db.flush()
        delegations.record_made(db, row, None)
    delegations.link_people(db)


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
                        payload={"delegation": s.delegation} if s.delegation else {},
                        internal=s.internal or d.internal,
                        prev_hash="",
                        entry_hash="",
                    ),
                )
        # By identity: comparing the documents' decisions by value made a large import quadratic.
        done = {id(d) for d in ready}
        pending = [d for d in pending if id(d) not in done]
