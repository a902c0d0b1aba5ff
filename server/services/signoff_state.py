"""Where decisions' sign-offs stand, read from the neighbourhood of the tracks concerned.

The rule is `server.domain.signoffs`; this module feeds it the few rows it judges
(the tracks, their staff, resources, leverage tools and grants, their decisions with
sign-offs, and the organisations), in a fixed number of queries whatever the size of
the workspace.

A status is judged either on everything (the system's view: who must sign, and
whether the actor may, exactly as the D4 check sees it) or as one reader may see it:
on the tracks the reader does not call home, what stays home (internal items,
decisions and sign-offs) is left out before the rule runs, so that no reason, name
or count a partner reads is derived from it, and the unresolved notes (which speak of
grants) are not shown.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field, replace

from sqlalchemy import ColumnElement, or_
from sqlmodel import Session, col, select

from server.domain import signoffs
from server.domain import snapshot as doc
from server.models import (
    Crisis,
    Delegation,
    Initiative,
    LeverageTool,
    LogEntry,
    Party,
    ResourceLine,
    SharingGrant,
    StaffLine,
)
from server.services import audience as visibility
from server.services import memo


@dataclass
class Judged:
    """The rule's inputs for some tracks, and the entry ids behind decision keys."""

    orgs: dict[str, doc.Organisation]
    initiatives: dict[str, doc.Initiative]
    decisions: list[doc.Decision]
    entry_ids: dict[str, int]
    track_ids: dict[str, int]
    delegations: dict[str, doc.Delegation] = field(default_factory=dict)
    # The parties' names: what a decision's words give to a party is not ours.
    parties: list[str] = field(default_factory=list)


def load(db: Session, initiative_ids: Collection[int], around: Collection[int] | None = None) -> Judged:
    """The rule's inputs for these tracks, in the system's view (everything), once per unit of work.

    With `around` (decision entry ids), of the tracks' log only those decisions, their
    neighbours (the entry each corrects, the entries that correct it) and the sign-offs
    of all of them: what the rule reads to judge those decisions, so that `judge` gives
    them the status the whole log gives, at a cost that does not grow with the tracks'
    history. A load of the whole log already made in the unit of work serves it too.
    """
    tracks = frozenset(initiative_ids)
    whole = ("signoff_state", tracks, None)
    if around is not None:
        if around:
            found = memo.held(db, whole)
        else:
            # No decision wanted (a new decision's proposal): the tracks' own inputs, which
            # any load of them holds, the whole log's included (a page judges its decisions
            # before it proposes).
            found = memo.held_any(db, lambda k: isinstance(k, tuple) and k[:2] == ("signoff_state", tracks))
        if found is not None:
            return found  # type: ignore[no-any-return]
    key = whole if around is None else ("signoff_state", tracks, frozenset(around))
    return memo.once(db, key, lambda: _load(db, tracks, around))


def _load(db: Session, initiative_ids: Collection[int], around: Collection[int] | None) -> Judged:
    ids = sorted(set(initiative_ids))
    rows = memo.organisations(db)
    orgs = {
        o.key: doc.Organisation(key=o.key, name=o.name, kind=o.kind, government=o.government) for o in rows
    }
    if not ids:
        return Judged(orgs, {}, [], {}, {})
    by_id: dict[int | None, str] = {o.id: o.key for o in rows}
    crisis_keys = _crisis_keys(db)
    tracks = list(db.exec(select(Initiative).where(col(Initiative.id).in_(ids))).all())
    staff: dict[int, list[doc.Staff]] = defaultdict(list)
    for s in db.exec(
        select(StaffLine).where(col(StaffLine.initiative_id).in_(ids)).order_by(col(StaffLine.id))
    ):
        staff[s.initiative_id].append(
            doc.Staff(
                org=by_id[s.org_id], fte=s.fte, until=s.until, dedicated=s.dedicated, internal=s.internal
            )
        )
    resources: dict[int, list[doc.Resource]] = defaultdict(list)
    for r in db.exec(
        select(ResourceLine).where(col(ResourceLine.initiative_id).in_(ids)).order_by(col(ResourceLine.id))
    ):
        resources[r.initiative_id].append(
            doc.Resource(
                kind=r.kind,
                amount=r.amount,
                currency=r.currency,
                until=r.until,
                dedicated=r.dedicated,
                org=by_id.get(r.org_id) if r.org_id is not None else None,
                internal=r.internal,
            )
        )
    leverage: dict[int, list[doc.Leverage]] = defaultdict(list)
    for lv in db.exec(
        select(LeverageTool).where(col(LeverageTool.initiative_id).in_(ids)).order_by(col(LeverageTool.id))
    ):
        leverage[lv.initiative_id].append(
            doc.Leverage(
                kind=lv.kind,
                description=lv.description,
                status=lv.status,
                do_no_harm_assessment=lv.do_no_harm_assessment,
                org=by_id.get(lv.org_id) if lv.org_id is not None else None,
                internal=lv.internal,
            )
        )
    grants: dict[int, list[str | doc.Grant]] = defaultdict(list)
    for g in db.exec(
        select(SharingGrant).where(
            col(SharingGrant.initiative_id).in_(ids),
            col(SharingGrant.withdrawn_at).is_(None),
            col(SharingGrant.user_id).is_(None),  # a person's grant makes no organisation required
        )
    ):
        grants[g.initiative_id].append(
            doc.Grant(
                org=by_id.get(g.org_id) if g.org_id is not None else None,
                government=g.government,
                level=g.level,
            )
        )
    initiatives: dict[str, doc.Initiative] = {}
    keys: dict[int, str] = {}
    owners: dict[int, int] = {}
    for t in tracks:
        assert t.id is not None
        keys[t.id] = t.key
        owners[t.id] = t.owner_id
        initiatives[t.key] = doc.Initiative.model_construct(
            key=t.key,
            owner=by_id[t.owner_id],
            title=t.title,
            kind=t.kind,  # type: ignore[arg-type]
            crisis=crisis_keys.get(t.crisis_id, ""),
            status=t.status,  # type: ignore[arg-type]
            start=t.start,
            end=t.end,
            shared_with=grants[t.id],
            staff=staff[t.id],
            resources=resources[t.id],
            leverage=leverage[t.id],
        )
    decisions, entry_ids = _decisions(db, ids, keys, owners, by_id, around)
    return Judged(
        orgs,
        initiatives,
        decisions,
        entry_ids,
        {v: k for k, v in keys.items()},
        memo.shared(db, "delegations", lambda: delegations(db, by_id, crisis_keys)),
        memo.shared(
            db, "party names", lambda: list(db.exec(select(Party.name).order_by(col(Party.id))).all())
        ),
    )


def _crisis_keys(db: Session) -> dict[int | None, str]:
    return memo.shared(db, "crisis keys", lambda: {c.id: c.key for c in db.exec(select(Crisis)).all()})


def delegations(
    db: Session, org_keys: dict[int | None, str], crisis_keys: dict[int | None, str] | None = None
) -> dict[str, doc.Delegation]:
    """Every delegation as the rule reads it (a few rows per department)."""
    rows = list(db.exec(select(Delegation).order_by(col(Delegation.id))).all())
    if not rows:
        return {}
    if crisis_keys is None:
        crisis_keys = _crisis_keys(db)
    scoped = {r.scope_initiative_id for r in rows if r.scope_initiative_id is not None}
    track_keys = (
        dict(db.exec(select(Initiative.id, Initiative.key).where(col(Initiative.id).in_(scoped))).all())
        if scoped
        else {}
    )
    return {r.key: as_document(r, org_keys, crisis_keys, track_keys) for r in rows}


def as_document(
    row: Delegation,
    org_keys: dict[int | None, str],
    crisis_keys: dict[int | None, str],
    track_keys: dict[int | None, str],
) -> doc.Delegation:
    """A stored delegation in the workspace document's terms."""
    return doc.Delegation(
        key=row.key,
        department=org_keys[row.department_id],
        delegate=doc.Delegate(
            person=row.delegate_person if row.delegate_org_id is None else None,
            org=org_keys[row.delegate_org_id] if row.delegate_org_id is not None else None,
        ),
        scope=doc.DelegationScope(
            initiative=track_keys.get(row.scope_initiative_id) if row.scope_initiative_id else None,
            crisis=crisis_keys.get(row.scope_crisis_id) if row.scope_crisis_id else None,
        ),
        start=row.starts_on,
        end=row.ends_on,
        by=row.granted_by,
        revoked=row.revoked_on,
    )


def _decisions(
    db: Session,
    ids: list[int],
    keys: dict[int, str],
    owners: dict[int, int],
    by_id: dict[int | None, str],
    around: Collection[int] | None = None,
) -> tuple[list[doc.Decision], dict[str, int]]:
    where: list[ColumnElement[bool]] = [
        col(LogEntry.initiative_id).in_(ids),
        col(LogEntry.entry_type).in_(("decision", "signoff", "decline")),
    ]
    if around is not None:
        near = sorted(around)
        corrected = select(col(LogEntry.supersedes_id)).where(col(LogEntry.id).in_(near))
        chain = select(col(LogEntry.id)).where(
            or_(
                col(LogEntry.id).in_(near),
                col(LogEntry.supersedes_id).in_(near),
                col(LogEntry.id).in_(corrected),
            )
        )
        where.append(or_(col(LogEntry.id).in_(chain), col(LogEntry.decision_id).in_(chain)))
    entries = list(db.exec(select(LogEntry).where(*where).order_by(col(LogEntry.id))).all())
    decision_keys = {e.id: e.key for e in entries if e.entry_type == "decision"}
    answers: dict[int, list[doc.Signoff]] = defaultdict(list)
    for e in entries:
        if e.entry_type != "decision" and e.decision_id is not None and e.org_id is not None:
            answers[e.decision_id].append(
                doc.Signoff(
                    org=by_id[e.org_id],
                    by=e.actor_name or None,
                    date=e.date,
                    declined=e.entry_type == "decline",
                    reason=e.text or None,
                    internal=e.internal,
                    delegation=(e.payload or {}).get("delegation"),
                )
            )
    out: list[doc.Decision] = []
    entry_ids: dict[str, int] = {}
    for e in entries:
        if e.entry_type != "decision" or e.key is None or e.initiative_id is None:
            continue
        assert e.id is not None
        entry_ids[e.key] = e.id
        owner = owners[e.initiative_id]
        out.append(
            doc.Decision.model_construct(
                key=e.key,
                initiative=keys[e.initiative_id],
                date=e.date,
                text=e.text,
                kind=e.kind or "other",  # type: ignore[arg-type]
                proposed_by=by_id[e.org_id] if e.org_id is not None and e.org_id != owner else None,
                touches_departments=list(e.touches),
                signoffs=answers[e.id],
                supersedes=decision_keys.get(e.supersedes_id) if e.supersedes_id else None,
                internal=e.internal,
            )
        )
    return out, entry_ids


def judge(
    judged: Judged, home: Collection[str] | None = None, only: Collection[int] | None = None
) -> dict[int, signoffs.SignoffStatus]:
    """Each decision's status by entry id; with `home` (track keys), as a reader sees it.

    Decisions a reader may not see (internal ones abroad) have no status. With `only`
    (entry ids), just those decisions are judged: each status is judged on its own, from
    the same corrections and the same data, so it is the one the whole judgement gives.
    """
    decisions = judged.decisions
    initiatives = judged.initiatives
    if home is not None:
        ws = visibility.without_internal(
            doc.Workspace.model_construct(initiatives=list(initiatives.values()), decisions=decisions),
            set(home),
        )
        decisions = ws.decisions
        initiatives = {t.key: t for t in ws.initiatives}
    replaced = signoffs.superseded_by(decisions)
    by_key = {d.key: d for d in decisions}
    out: dict[int, signoffs.SignoffStatus] = {}
    for d in decisions:
        if only is not None and judged.entry_ids[d.key] not in only:
            continue
        state = signoffs.signoff_status(
            d,
            initiatives[d.initiative],
            judged.orgs,
            replaced.get(d.key),
            judged.delegations,
            by_key.get(d.supersedes) if d.supersedes else None,
            judged.parties,
        )
        if home is not None and d.initiative not in home:
            state = _abroad(replace(state, unresolved=()))
        out[judged.entry_ids[d.key]] = state
    return out


def _abroad(state: signoffs.SignoffStatus) -> signoffs.SignoffStatus:
    """A status for a reader abroad: which delegation a sign-off was made under stays home."""

    def bare(so: doc.Signoff | None) -> doc.Signoff | None:
        return so.model_copy(update={"delegation": None}) if so is not None and so.delegation else so

    return replace(
        state,
        requirements=tuple(replace(r, signoff=bare(r.signoff)) for r in state.requirements),
        extra=tuple(bare(so) or so for so in state.extra),
        ignored=tuple(
            signoffs.IgnoredSignoff(bare(i.signoff) or i.signoff, "not counted")
            if i.signoff.delegation
            else i
            for i in state.ignored
        ),
    )


def required_for_new(judged: Judged, initiative_key: str, today: dt.date) -> list[str]:
    """The organisations the rule would require for a new decision on the track, proposer first."""
    probe = doc.Decision(key="_probe", initiative=initiative_key, date=today, text="probe")
    return list(signoffs.required_departments(probe, judged.initiatives[initiative_key], judged.orgs))
