"""The decision log as people use it: log a decision, correct it, sign off or decline.

Who must sign off comes from `server.domain.signoffs`, the one home of that rule, judged on
the same snapshot the D4 check sees; so a page shows what is missing before any worker
has run, and the alert agrees with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import or_
from sqlmodel import Session, col, select

from server import events
from server.domain import signoffs
from server.domain import snapshot as doc
from server.models import Initiative, LogEntry, Organisation, User
from server.services import access, ledger
from server.services.errors import Conflict, Invalid, NotAllowed, NotFound
from server.services.initiatives import new_key
from server.services.validation import parse


class DecisionData(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    text: str = Field(min_length=5, max_length=5000)
    kind: Literal["agreement", "disengagement", "leverage", "other"] = "other"
    date: date
    touches: list[int] = []

    @field_validator("touches", mode="before")
    @classmethod
    def _ints(cls, v: Any) -> Any:
        if isinstance(v, (str, int)):
            v = [v]
        return [int(x) for x in v if str(x).strip()]


def _snapshot(db: Session, initiative: Initiative) -> doc.Snapshot:
    from server.services.workspace import export_document

    assert initiative.id is not None
    return doc.Snapshot(export_document(db, None, {initiative.id}))


def _decision(db: Session, actor: User | None, decision_id: int) -> tuple[LogEntry, Initiative]:
    entry = db.get(LogEntry, decision_id)
    if entry is None or entry.entry_type != "decision" or entry.initiative_id is None:
        raise NotFound("No such decision")
    initiative = access.get_initiative(db, actor, entry.initiative_id)
    return entry, initiative


def proposed_departments(db: Session, initiative_id: int, actor: User | None = None) -> list[Organisation]:
    """The departments Accord proposes for a new decision on this initiative.

    The owner, whoever owns its staff, resources and leverage, the departments that
    answer for its kinds of leverage, ordered so: the sign-off rule's own reasons.
    """
    initiative = access.get_initiative(db, actor, initiative_id)
    snap = _snapshot(db, initiative)
    probe = doc.Decision(key="_probe", initiative=initiative.key, date=date.today(), text="probe")
    required = signoffs.required_departments(probe, snap.initiatives[initiative.key], snap.organisations)
    orgs = {
        o.key: o for o in db.exec(select(Organisation).where(col(Organisation.key).in_(list(required)))).all()
    }
    return [orgs[k] for k in required if k in orgs]


def government_departments(db: Session, actor: User) -> list[Organisation]:
    """Every department of the actor's own government, to name as touched."""
    return [
        o
        for o in db.exec(select(Organisation).order_by(Organisation.name)).all()
        if o.government_key == actor.government and o.kind in ("department", "state")
    ]


def log(
    db: Session,
    actor: User | None,
    initiative_id: int,
    data: DecisionData | dict[str, Any],
    supersedes_id: int | None = None,
) -> LogEntry:
    """Append a decision (or a correction of one) to the log."""
    data = parse(DecisionData, data)
    initiative = access.get_initiative(db, actor, initiative_id)
    access.require_edit(db, actor, initiative)
    touched: list[str] = []
    for n, oid in enumerate(data.touches):
        org = db.get(Organisation, oid)
        if org is None:
            raise Invalid.field(f"touches[{n}]", "unknown organisation")
        touched.append(org.key)
    superseded: LogEntry | None = None
    if supersedes_id is not None:
        superseded, _ = _decision(db, actor, supersedes_id)
        if superseded.initiative_id != initiative_id:
            raise Invalid.field("supersedes", "a correction stays on the same initiative")
        ledger.lock(db)
        later = db.exec(select(LogEntry).where(LogEntry.supersedes_id == supersedes_id)).first()
        if later is not None:
            raise Conflict("This decision was already corrected; correct the newest entry")
    entry = ledger.append(
        db,
        LogEntry(
            entry_type="decision",
            key=new_key("d"),
            initiative_id=initiative_id,
            supersedes_id=supersedes_id,
            date=data.date,
            kind=data.kind,
            text=data.text,
            touches=list(dict.fromkeys(touched)),
            org_id=actor.organisation_id if actor else initiative.owner_id,
            actor_id=actor.id if actor else None,
            actor_name=actor.name if actor else "",
            prev_hash="",
            entry_hash="",
        ),
    )
    if actor is not None:
        # Whoever logs a decision approves it for their own department, which counts once.
        _append_signoff(db, actor, entry)
    events.publish(db, "decision.logged", "decision_log", initiative_id=initiative_id, decision_id=entry.id)
    events.check_initiative(db, initiative_id)
    return entry


def _append_signoff(
    db: Session, actor: User, decision: LogEntry, declined: bool = False, reason: str = ""
) -> LogEntry:
    """A sign-off (or decline) entry for the actor's organisation, bound to the decision's hash."""
    return ledger.append(
        db,
        LogEntry(
            entry_type="decline" if declined else "signoff",
            initiative_id=decision.initiative_id,
            decision_id=decision.id,
            decision_hash=decision.entry_hash,
            date=date.today(),
            org_id=actor.organisation_id,
            actor_id=actor.id,
            actor_name=actor.name,
            text=reason,
            prev_hash="",
            entry_hash="",
        ),
    )


def status(db: Session, actor: User | None, decision_id: int) -> signoffs.SignoffStatus:
    """Where the decision's sign-offs stand, by the same rule the D4 check uses."""
    entry, initiative = _decision(db, actor, decision_id)
    assert entry.key is not None
    return signoffs.status(_snapshot(db, initiative), entry.key)


def sign_off(
    db: Session,
    actor: User,
    decision_id: int,
    declined: bool = False,
    reason: str | None = None,
) -> LogEntry:
    """Sign off (or decline) a decision for the actor's organisation, bound to its hash."""
    entry, initiative = _decision(db, actor, decision_id)
    if declined and not (reason or "").strip():
        raise Invalid.field("reason", "say why your department declines")
    if actor.role == "field_contributor":
        raise NotAllowed("Field contributors do not sign off decisions")
    if not access.is_home(actor, initiative, db):
        assert initiative.id is not None
        if access.grant_level(db, actor, initiative.id) < access.LEVELS["sign-off"]:
            raise NotAllowed("This track is not shared with you for sign-off")
    # Serialise with other sign-offs: two people of one department at the same moment make one.
    ledger.lock(db)
    assert entry.key is not None
    state = signoffs.status(_snapshot(db, initiative), entry.key)
    if not state.judged:
        raise Conflict("This decision was corrected; sign off the newest entry")
    by_key = _orgs_by_key(db)
    mine = own_organisation(db, actor)
    req = next((r for r in state.requirements if answers_for(by_key, r.org, mine)), None)
    if req is None:
        raise NotAllowed("Your organisation's sign-off is not required on this decision")
    if req.state != "missing":
        raise Conflict(f"{req.name} has already {'declined' if req.state == 'declined' else 'signed off'}")
    row = _append_signoff(db, actor, entry, declined, (reason or "").strip())
    events.publish(db, "decision.signoff", "decision_log", initiative_id=initiative.id, decision_id=entry.id)
    events.check_initiative(db, initiative.id)
    return row


HOME_ONLY_ENTRIES = ("grant", "withdrawal", "coordination", "dismissal")


@dataclass
class LogFilters:
    initiative_id: int | None = None
    org_id: int | None = None
    kind: str | None = None
    entry_type: str | None = None


def entries(
    db: Session, actor: User | None, filters: LogFilters | None = None, limit: int = 300
) -> list[LogEntry]:
    """The log entries the actor may see (those of visible initiatives), newest first."""
    f = filters or LogFilters()
    visible = select(col(Initiative.id)).where(access.visible_clause(actor))
    q = select(LogEntry).where(col(LogEntry.initiative_id).in_(visible))
    if actor is not None:
        # Whom a track is shared with, with whom its owner talks and which alerts it set
        # aside stay with the owner's government: a partner reads decisions and sign-offs.
        home = select(col(Initiative.id)).where(access.home_clause(actor))
        q = q.where(
            or_(col(LogEntry.entry_type).not_in(HOME_ONLY_ENTRIES), col(LogEntry.initiative_id).in_(home))
        )
    if f.initiative_id:
        q = q.where(LogEntry.initiative_id == f.initiative_id)
    if f.org_id:
        org = db.get(Organisation, f.org_id)
        key = org.key if org else ""
        q = q.where(
            (LogEntry.org_id == f.org_id) | col(LogEntry.touches).cast(str).contains(f'"{key}"')  # type: ignore[attr-defined]
        )
    if f.kind:
        q = q.where(LogEntry.kind == f.kind)
    if f.entry_type:
        q = q.where(LogEntry.entry_type == f.entry_type)
    return list(db.exec(q.order_by(col(LogEntry.id).desc()).limit(limit)).all())


def waiting_for(db: Session, actor: User) -> list[tuple[LogEntry, signoffs.SignoffStatus]]:
    """Standing decisions on visible tracks that still wait for the actor's organisation."""
    found = entries(db, actor, LogFilters(entry_type="decision"), limit=1000)
    states = statuses(db, found)
    by_key = _orgs_by_key(db)
    mine = own_organisation(db, actor)
    out = []
    for e in found:
        state = states.get(e.id or 0)
        if (
            state is not None
            and state.judged
            and any(r.state == "missing" and answers_for(by_key, r.org, mine) for r in state.requirements)
        ):
            out.append((e, state))
    return out


def statuses(db: Session, rows: list[LogEntry]) -> dict[int, signoffs.SignoffStatus]:
    """Where the sign-offs of these decision entries stand, from one snapshot of their tracks.

    The caller has read the entries through the visibility filter; the rule itself judges
    on the full tracks, as the D4 check does.
    """
    from server.services.workspace import export_document

    wanted = {e.key: e.id for e in rows if e.entry_type == "decision" and e.key and e.id is not None}
    tracks = {e.initiative_id for e in rows if e.entry_type == "decision" and e.initiative_id is not None}
    if not wanted:
        return {}
    snap = doc.Snapshot(export_document(db, None, tracks))
    return {wanted[st.decision]: st for st in signoffs.statuses(snap) if st.decision in wanted}


def _orgs_by_key(db: Session) -> dict[str, Organisation]:
    return {o.key: o for o in db.exec(select(Organisation)).all()}


def own_organisation(db: Session, actor: User) -> Organisation:
    """The actor's own organisation."""
    mine = db.get(Organisation, actor.organisation_id)
    assert mine is not None
    return mine


def answers_for(by_key: dict[str, Organisation], required: str, mine: Organisation) -> bool:
    """Whether `mine` may sign for the required organisation: itself, or, for a required
    state, any department of that state's government."""
    org = by_key.get(required)
    return required == mine.key or (
        org is not None and org.kind == "state" and org.government_key == mine.government_key
    )
