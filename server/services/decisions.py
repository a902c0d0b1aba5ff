"""The decision log as people use it: log a decision, correct it, sign off or decline.

Who must sign off comes from `server.domain.signoffs`, the one home of that rule, judged
on the same data the D4 check sees (`server.services.signoff_state`); who may sign for
whom is `server.services.policy`. So a page shows what is missing before any worker
has run, offers the Sign button exactly when this service accepts the sign-off, and
the alert agrees with both.

A decision, sign-off or decline may be kept internal: it stays within the track's own
government (a sign-off of an internal decision is internal too).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from pydantic import Field, field_validator
from sqlalchemy import String
from sqlmodel import Session, col, select

from server import events
from server.domain import signoffs
from server.models import Delegation, Initiative, LogEntry, Organisation, User
from server.services import audience, delegations, ledger, policy, signoff_state
from server.services.audience import HOME_ONLY_ENTRIES
from server.services.errors import Conflict, Invalid, NotAllowed, NotFound
from server.services.initiative_common import new_key
from server.services.validation import ITEMS_MAX, Bounded, Day, Id, as_db_int, check_text, parse, text


class DecisionData(Bounded):
    text: str = text("decision", 5)
    kind: Literal["agreement", "disengagement", "leverage", "other"] = "other"
    date: Day
    touches: list[Id] = Field(default=[], max_length=ITEMS_MAX)
    internal: bool = False

    @field_validator("touches", mode="before")
    @classmethod
    def _ints(cls, v: Any) -> Any:
        if isinstance(v, (str, int)):
            v = [v]
        if not isinstance(v, list):
            return v
        # A number the database cannot hold is left as it came, for the `Id` check to name.
        return [as_db_int(x) if as_db_int(x) is not None else x for x in v if str(x).strip()]


def get_decision(db: Session, actor: User | None, decision_id: int) -> tuple[LogEntry, Initiative]:
    """A decision entry the actor may read, with its track; `NotFound` otherwise."""
    entry = db.get(LogEntry, decision_id)
    if entry is None or entry.entry_type != "decision" or entry.initiative_id is None:
        raise NotFound("No such decision")
    aud = audience.of(actor)
    initiative = aud.track(db, entry.initiative_id)
    if not aud.entry_visible_at(entry, aud.is_home(db, initiative)):
        raise NotFound("No such decision")
    return entry, initiative


def proposed_departments(db: Session, initiative_id: int, actor: User | None = None) -> list[Organisation]:
    """The departments Accord proposes for a new decision on this initiative.

    The owner, whoever owns its staff, resources and leverage, the departments that
    answer for its kinds of leverage, ordered so: the sign-off rule's own reasons.
    """
    initiative = audience.of(actor).track(db, initiative_id)
    judged = signoff_state.load(db, {initiative_id}, around=())
    required = signoff_state.required_for_new(judged, initiative.key, date.today())
    orgs = {o.key: o for o in db.exec(select(Organisation).where(col(Organisation.key).in_(required))).all()}
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
    aud = audience.of(actor)
    initiative = aud.track(db, initiative_id)
    policy.require_edit(db, actor, initiative, aud)
    owner = db.get(Organisation, initiative.owner_id)
    assert owner is not None
    touched: list[str] = []
    for n, oid in enumerate(data.touches):
        org = db.get(Organisation, oid)
        if org is None:
            raise Invalid.field(f"touches[{n}]", "unknown organisation")
        if data.internal and org.government_key != owner.government_key:
            raise Invalid.field(
                "internal", "an internal decision stays home, so it cannot ask another government's sign-off"
            )
        touched.append(org.key)
    if supersedes_id is not None:
        superseded, _ = get_decision(db, actor, supersedes_id)
        if superseded.initiative_id != initiative_id:
            raise Invalid.field("supersedes", "a correction stays on the same initiative")
        ledger.lock_entry(db, supersedes_id)
        later = db.exec(select(LogEntry).where(LogEntry.supersedes_id == supersedes_id)).first()
        if later is not None:
            raise Conflict("This decision was already corrected; correct the newest entry")
    # The re-check is written before the chain's head is taken (see `sign_off`).
    events.check_initiative(db, initiative_id)
    db.flush()
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
            internal=data.internal,
            prev_hash="",
            entry_hash="",
        ),
    )
    if actor is not None:
        # Whoever logs a decision approves it for their own department, which counts once.
        _append_signoff(db, actor, entry, internal=data.internal)
    events.publish(
        db,
        "decision.logged",
        "decision_log",
        initiative_id=initiative_id,
        home_only=data.internal,
        decision_id=entry.id,
    )
    return entry


def _append_signoff(
    db: Session,
    actor: User,
    decision: LogEntry,
    declined: bool = False,
    reason: str = "",
    internal: bool = False,
    delegation: Delegation | None = None,
) -> LogEntry:
    """A sign-off (or decline) entry for the actor's organisation, bound to the decision's hash.

    Under a delegation it is for the delegating department, and names the delegation.
    """
    return ledger.append(
        db,
        LogEntry(
            entry_type="decline" if declined else "signoff",
            initiative_id=decision.initiative_id,
            decision_id=decision.id,
            decision_hash=decision.entry_hash,
            date=date.today(),
            org_id=delegation.department_id if delegation else actor.organisation_id,
            actor_id=actor.id,
            actor_name=actor.name,
            text=reason,
            payload={"delegation": delegation.key} if delegation else {},
            internal=internal or decision.internal,
            prev_hash="",
            entry_hash="",
        ),
    )


def status(db: Session, actor: User | None, decision_id: int) -> signoffs.SignoffStatus:
    """Where the decision's sign-offs stand, as the actor may see it.

    At the track's home: the rule's whole judgement. Abroad: the rule judged on what
    the reader may see (internal items and sign-offs left out), so no reason, name or
    date it shows comes from what stays home.
    """
    entry, initiative = get_decision(db, actor, decision_id)
    return statuses(db, actor, [entry])[decision_id]


def sign_off(
    db: Session,
    actor: User,
    decision_id: int,
    declined: bool = False,
    reason: str | None = None,
    internal: bool = False,
    delegation_id: int | None = None,
) -> LogEntry:
    """Sign off (or decline) a decision for the actor's organisation, bound to its hash.

    Accepted exactly when `policy.may_sign` holds, which is what the pages ask before
    they offer the button. With `delegation_id`, for the department that delegated its
    sign-off to the actor, when `delegations.usable` offers that delegation.
    """
    entry, initiative = get_decision(db, actor, decision_id)
    aud = audience.of(actor)
    reason = check_text("reason", reason, "reason") or None
    if declined and not reason:
        raise Invalid.field("reason", "say why your department declines")
    if internal and not policy.may_keep_internal(db, actor, initiative, aud):
        raise Invalid.field("internal", "only the track's own government keeps a sign-off internal")
    if not policy.may_sign_on(db, actor, initiative, aud):
        if actor.role not in policy.SIGNER_ROLES:
            raise NotAllowed("Your role does not sign off decisions")
        raise NotAllowed("This track is not shared with you for sign-off")
    # Serialise with other sign-offs of this decision (and its correction): two people of one
    # department at the same moment make one. The chain's head is taken only to append.
    ledger.lock_entry(db, decision_id)
    assert initiative.id is not None
    judged = signoff_state.load(db, {initiative.id}, around={decision_id})
    state = signoff_state.judge(judged, only={decision_id})[decision_id]
    if not state.judged:
        raise Conflict("This decision was corrected; sign off the newest entry")
    delegation: Delegation | None = None
    if delegation_id is not None:
        offered = {d.id: d for d, _ in delegations.usable(db, actor, initiative, state, judged)}
        if delegation_id not in offered:
            raise NotAllowed("This delegation does not let you sign off this decision now")
        delegation = offered[delegation_id]
    else:
        req = policy.requirement_of(state, judged.orgs, actor.organisation.key)
        if req is None:
            raise NotAllowed("Your organisation's sign-off is not required on this decision")
        if req.state != "missing":
            raise Conflict(
                f"{req.name} has already {'declined' if req.state == 'declined' else 'signed off'}"
            )
    # The re-check is written first: the chain's head, which every save in every process
    # waits for, is then held only to append, tell of it and commit. (The event follows
    # the entry: it names the newest sign-off made before it.)
    events.check_initiative(db, initiative.id)
    db.flush()
    row = _append_signoff(db, actor, entry, declined, (reason or "").strip(), internal, delegation)
    events.publish(
        db,
        "decision.signoff",
        "decision_log",
        initiative_id=initiative.id,
        home_only=row.internal,
        decision_id=entry.id,
    )
    return row


@dataclass
class LogFilters:
    initiative_id: int | None = None
    org_id: int | None = None
    kind: str | None = None
    entry_type: str | None = None
    # Entries of every type but these.
    other_than: tuple[str, ...] = ()


def entries(
    db: Session,
    actor: User | None,
    filters: LogFilters | None = None,
    limit: int = 300,
    before: int | None = None,
) -> list[LogEntry]:
    """The log entries the actor may read, newest first (and, with `before`, older than that id).

    Entries of visible tracks; those about sharing, coordination and dismissals, and
    internal decisions and sign-offs, only at the track's home.
    """
    f = filters or LogFilters()
    q = select(LogEntry).where(audience.of(actor).log_entries())
    if f.initiative_id:
        q = q.where(LogEntry.initiative_id == f.initiative_id)
    if f.org_id:
        org = db.get(Organisation, f.org_id)
        key = org.key if org else ""
        q = q.where(
            (LogEntry.org_id == f.org_id) | col(LogEntry.touches).cast(String).contains(f'"{key}"')  # type: ignore[attr-defined]
        )
    if f.kind:
        q = q.where(LogEntry.kind == f.kind)
    if f.entry_type:
        q = q.where(LogEntry.entry_type == f.entry_type)
    if f.other_than:
        q = q.where(col(LogEntry.entry_type).not_in(f.other_than))
    if before is not None:
        q = q.where(col(LogEntry.id) < before)
    return list(db.exec(q.order_by(col(LogEntry.id).desc()).limit(limit)).all())


def statuses(db: Session, actor: User | None, rows: list[LogEntry]) -> dict[int, signoffs.SignoffStatus]:
    """Where the sign-offs of these decision entries stand, as the actor may see them.

    The caller has read the entries through the visibility layer. One load of their
    tracks' neighbourhood serves them all.
    """
    return sign_states(db, actor, rows)[0]


def sign_offers(db: Session, actor: User | None, rows: list[LogEntry]) -> dict[int, bool]:
    """For each decision entry, whether the actor may sign it off now (`policy.may_sign`)."""
    return sign_states(db, actor, rows, with_states=False)[1]


def sign_states(
    db: Session, actor: User | None, rows: list[LogEntry], with_states: bool = True
) -> tuple[dict[int, signoffs.SignoffStatus], dict[int, bool]]:
    """For these decision entries: their status as the actor sees it, and whether the actor
    may sign each now, from one load of their tracks' neighbourhood.

    The offer is judged on the rule's whole judgement (as the gate in `sign_off` is);
    the status shown is the rule judged on what the actor may see.
    """
    wanted = [
        e for e in rows if e.entry_type == "decision" and e.initiative_id is not None and e.id is not None
    ]
    if not wanted:
        return {}, {}
    tracks = {e.initiative_id for e in wanted if e.initiative_id is not None}
    ids = {e.id for e in wanted if e.id is not None}
    judged = signoff_state.load(db, tracks, around=ids)
    aud = audience.of(actor)
    home_ids = aud.home_ids(db, tracks) if actor is not None else set(tracks)
    full = signoff_state.judge(judged, only=ids)
    states: dict[int, signoffs.SignoffStatus] = {}
    if with_states:
        if actor is None or home_ids == tracks:
            states = full
        else:
            home = {k for k, i in judged.track_ids.items() if i in home_ids}
            states = signoff_state.judge(judged, home, only=ids)
    offers: dict[int, bool] = {}
    if actor is not None:
        by_id = {t.id: t for t in db.exec(select(Initiative).where(col(Initiative.id).in_(tracks))).all()}
        for e in wanted:
            assert e.id is not None and e.initiative_id is not None
            state = full.get(e.id)
            offers[e.id] = state is not None and policy.may_sign(
                db, actor, by_id[e.initiative_id], state, aud, judged.orgs
            )
    return {k: v for k, v in states.items() if k in ids}, offers


def home_track_ids(db: Session, actor: User | None, rows: list[LogEntry]) -> set[int | None]:
    """The tracks of these entries that are the reader's home (all of them for the system)."""
    ids = {e.initiative_id for e in rows if e.initiative_id is not None}
    aud = audience.of(actor)
    return set(ids) if aud.system else set(aud.home_ids(db, ids))


def delegated_offers(
    db: Session, actor: User | None, rows: list[LogEntry]
) -> dict[int, list[tuple[int, str]]]:
    """For each decision entry, the delegations under which the actor may sign it now:
    (delegation id, the name of the department it signs for)."""
    wanted = [
        e for e in rows if e.entry_type == "decision" and e.initiative_id is not None and e.id is not None
    ]
    if actor is None or not wanted or not delegations.delegate_of_any(db, actor):
        return {}
    tracks = {e.initiative_id for e in wanted if e.initiative_id is not None}
    ids = {e.id for e in wanted if e.id is not None}
    judged = signoff_state.load(db, tracks, around=ids)
    full = signoff_state.judge(judged, only=ids)
    by_id = {t.id: t for t in db.exec(select(Initiative).where(col(Initiative.id).in_(tracks))).all()}
    out: dict[int, list[tuple[int, str]]] = {}
    for e in wanted:
        assert e.id is not None and e.initiative_id is not None
        state = full.get(e.id)
        if state is None:
            continue
        found = delegations.usable(db, actor, by_id[e.initiative_id], state, judged)
        if found:
            out[e.id] = [(row.id, req.name) for row, req in found if row.id is not None]
    return out


def waiting_for(db: Session, actor: User) -> list[tuple[LogEntry, signoffs.SignoffStatus]]:
    """Standing decisions the actor may sign now (for their department or under a
    delegation), each with its status as the actor sees it."""
    found = entries(db, actor, LogFilters(entry_type="decision"), limit=1000)
    offers = sign_offers(db, actor, found)
    delegated = delegated_offers(db, actor, found)
    waiting = [e for e in found if offers.get(e.id or 0) or delegated.get(e.id or 0)]
    states = statuses(db, actor, waiting)
    return [(e, states[e.id]) for e in waiting if e.id in states]


__all__ = ["HOME_ONLY_ENTRIES", "DecisionData", "LogFilters"]
