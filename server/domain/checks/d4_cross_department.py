"""D4: dedicated, sustained resources, and decisions signed off across departments.

Two halves of the paper's do #4. Decisions: every department whose equities a
decision touches must sign it off (the rule itself lives in `server.domain.signoffs`, so
that the server shows the same thing before this check runs). Resources: an active
track needs dedicated staff, resources that last as long as it does, and something
of its own when it runs long.
"""

from __future__ import annotations

import datetime as dt

from server.domain import signoffs
from server.domain.signoffs import Requirement, SignoffStatus
from server.domain.snapshot import Decision, Finding, Initiative, Severity, Snapshot

ID = "D4"
TITLE = "Dedicate and sustain resources; work across government departments"
WORDS = (
    "Do dedicate and sustain adequate resources to humanitarian diplomacy initiatives and work "
    "across government departments. [...] Resources should be sustained and include dedicated, "
    "trained staff with humanitarian and diplomatic expertise as well as authority to make decisions "
    "and act. [...] Diplomatic engagements must be coordinated across state departments and "
    "functions to ensure outcomes have political backing and result in concrete action."
)

# Decisions that put a commitment into effect: acting on an earlier decision.
_ACTING_KINDS = ("agreement", "leverage")


def _who(reqs: tuple[Requirement, ...]) -> str:
    return ", ".join(f"{r.name} ({r.org})" for r in reqs)


def _evidence(st: SignoffStatus, decision: Decision) -> list[str]:
    out = [f"decision {st.decision} of {st.date.isoformat()}: {decision.text}"]
    if st.supersedes:
        out.append(f"it corrects decision {st.supersedes}; sign-offs given to that entry do not carry over")
    for r in st.requirements:
        why = "; ".join(str(x) for x in r.reasons)
        if r.state == "signed" and r.signoff is not None:
            by = f" by {r.signoff.by}" if r.signoff.by else ""
            on = f" on {r.signoff.date.isoformat()}" if r.signoff.date else ""
            out.append(f"{r.org} signed{by}{on} (required: {why})")
        elif r.state == "declined" and r.signoff is not None:
            because = f": {r.signoff.reason}" if r.signoff.reason else ""
            out.append(f"{r.org} declined{because} (required: {why})")
        else:
            out.append(f"{r.org} has not signed (required: {why})")
    out.extend(f"not counted: {i.signoff.org}'s sign-off, {i.why}" for i in st.ignored)
    out.extend(st.unresolved)
    return out


def _decision_findings(snapshot: Snapshot) -> list[Finding]:
    findings: list[Finding] = []
    escalate = snapshot.settings.signoff_escalate_days
    for st in signoffs.statuses(snapshot):
        if not st.open or not snapshot.in_focus(st.initiative):
            continue
        decision = snapshot.decisions[st.decision]
        evidence = tuple(_evidence(st, decision))
        age = st.days_outstanding(snapshot.today)
        if st.declined:
            findings.append(
                Finding(
                    principle=ID,
                    kind="signoff_declined",
                    subjects=(st.decision,),
                    severity="high",
                    message=(
                        f"Decision {st.decision} is blocked: {_who(st.declined)} declined to sign it off."
                    ),
                    evidence=evidence,
                    remedy=(
                        "Take up the objection with the declining department and log a new entry that "
                        "supersedes this decision; the block lifts only then."
                    ),
                    words=WORDS,
                    initiatives=(st.initiative,),
                )
            )
        if st.missing:
            severity: Severity = "high" if age > escalate else "medium"
            findings.append(
                Finding(
                    principle=ID,
                    kind="missing_signoff",
                    subjects=(st.decision,),
                    severity=severity,
                    message=(
                        f"Decision {st.decision} still lacks the sign-off of {_who(st.missing)}, "
                        f"awaited since {st.date.isoformat()} ({age} days)."
                    ),
                    evidence=(
                        *evidence,
                        f"escalates after {escalate} days without every sign-off; {age} have passed",
                    ),
                    remedy=(
                        "Ask each missing department to sign off (or to decline with a reason) "
                        "before the decision is acted on."
                    ),
                    words=WORDS,
                    initiatives=(st.initiative,),
                )
            )
        acts = _acted_on(snapshot, decision)
        if acts:
            pending = st.missing + st.declined
            findings.append(
                Finding(
                    principle=ID,
                    kind="acted_without_signoff",
                    subjects=(st.decision,),
                    severity="high",
                    message=(
                        f"Decision {st.decision} was acted on by {', '.join(a.key for a in acts)} "
                        f"without the sign-off of {_who(pending)}."
                    ),
                    evidence=(
                        *evidence,
                        *(
                            f"acted on by {a.kind} decision {a.key} of {a.date.isoformat()}: {a.text}"
                            for a in acts
                        ),
                    ),
                    remedy=(
                        "Obtain the missing sign-offs now, and review with those departments whether "
                        "the action taken since stands; log a superseding entry if it does not."
                    ),
                    words=WORDS,
                    initiatives=(st.initiative,),
                )
            )
    return findings


def _acted_on(snapshot: Snapshot, decision: Decision) -> list[Decision]:
    """Agreements and leverage decisions on the same track logged after `decision`."""
    return [
        d
        for d in snapshot.decisions_by_initiative[decision.initiative]
        if d.key != decision.key and d.kind in _ACTING_KINDS and d.date > decision.date
    ]


# --------------------------------------------------------------------------- resources


def _dedicated_staff(i: Initiative, today: dt.date) -> bool:
    current = [s for s in i.staff if s.dedicated and s.fte > 0 and (s.until is None or s.until >= today)]
    staff_lines = [
        r for r in i.resources if r.kind == "staff" and r.dedicated and (r.until is None or r.until >= today)
    ]
    return bool(current or staff_lines)


def _lapses(i: Initiative, today: dt.date) -> list[tuple[dt.date, str]]:
    """Staff and funding lines that run out before the track does (or have run out)."""
    # A track with no end outlives every dated line; only lines already gone count then.
    horizon = i.end or today
    out: list[tuple[dt.date, str]] = []
    for s in i.staff:
        if s.until is not None and s.until < horizon and s.fte > 0:
            out.append((s.until, f"staff line of {s.org} ({s.fte:g} FTE)"))
    for r in i.resources:
        if r.kind in ("funding", "staff") and r.until is not None and r.until < horizon:
            amount = f" {r.amount:,.0f} {r.currency or ''}".rstrip() if r.amount is not None else ""
            owner = f" of {r.org}" if r.org else ""
            out.append((r.until, f"{r.kind} line{owner}{amount}"))
    return sorted(out)


def _resource_findings(snapshot: Snapshot) -> list[Finding]:
    findings: list[Finding] = []
    today = snapshot.today
    max_days = snapshot.settings.borrowed_resources_max_days
    for i in snapshot.ws.initiatives:
        if i.status != "active" or (i.end is not None and i.end < today) or not snapshot.in_focus(i.key):
            continue
        span = f"{i.start.isoformat() if i.start else 'an open start'} to {i.end.isoformat() if i.end else 'no set end'}"
        if not _dedicated_staff(i, today):
            gone = [
                f"{s.org}: {s.fte:g} FTE until {s.until.isoformat()}"
                for s in i.staff
                if s.until and s.until < today
            ]
            borrowed = [f"{s.org}: {s.fte:g} FTE, not dedicated" for s in i.staff if not s.dedicated]
            findings.append(
                Finding(
                    principle=ID,
                    kind="no_dedicated_staff",
                    subjects=(i.key,),
                    severity="high",
                    message=f"Active track {i.key} ('{i.title}') has no dedicated staff.",
                    evidence=(
                        f"track runs {span}",
                        f"staff lines: {len(i.staff)}",
                        *(f"lapsed staff line {g}" for g in gone),
                        *(f"borrowed staff line {b}" for b in borrowed),
                    ),
                    remedy=(
                        "Assign dedicated, trained staff with humanitarian and diplomatic expertise and "
                        "the authority to act, for the track's whole duration (an envoy or a secondment)."
                    ),
                    words=WORDS,
                    initiatives=(i.key,),
                )
            )
        lapses = _lapses(i, today)
        if lapses:
            first_date, first_line = lapses[0]
            lapsed = first_date < today
            verb = "lapsed on" if lapsed else "lapses on"
            end = f"the track's end on {i.end.isoformat()}" if i.end else "the track, which has no set end"
            findings.append(
                Finding(
                    principle=ID,
                    kind="resources_lapse",
                    subjects=(i.key,),
                    severity="high" if lapsed else "medium",
                    message=(
                        f"On track {i.key} the {first_line} {verb} {first_date.isoformat()}, before {end}."
                    ),
                    evidence=tuple(f"{line} until {d.isoformat()}" for d, line in lapses),
                    remedy=(
                        "Extend the lapsing lines to the track's end, or shorten and plan the track's "
                        "hand-over to match the resources it has."
                    ),
                    words=WORDS,
                    initiatives=(i.key,),
                )
            )
        if i.start is not None and not any(r.dedicated for r in i.resources):
            length = ((i.end or today) - i.start).days
            if length > max_days:
                what = (
                    "only borrowed resources ("
                    + ", ".join(f"{r.kind}{f' of {r.org}' if r.org else ''}" for r in i.resources)
                    + ")"
                    if i.resources
                    else "no resources of its own"
                )
                findings.append(
                    Finding(
                        principle=ID,
                        kind="borrowed_resources",
                        subjects=(i.key,),
                        severity="medium",
                        message=f"Track {i.key} runs {length} days on {what}.",
                        evidence=(
                            f"track runs {span} ({length} days)",
                            f"no resource is marked dedicated; tracks over {max_days} days need one",
                        ),
                        remedy=(
                            "Give the track dedicated funding or secretariat capacity of its own, so that "
                            "it does not depend on what other work can spare."
                        ),
                        words=WORDS,
                        initiatives=(i.key,),
                    )
                )
    return findings


def run(snapshot: Snapshot) -> list[Finding]:
    """Judge every standing decision's sign-offs and every active track's resources."""
    return _decision_findings(snapshot) + _resource_findings(snapshot)
