"""D4: dedicated, sustained resources, and decisions signed off across departments.

Two halves of the paper's do #4. Decisions: every department whose equities a
decision touches must sign it off, and a refusal by anyone who may sign on the track
blocks it. The rule itself lives in `server.domain.signoffs`, so that the server shows
the same thing on a decision's page before this check runs: it reads "equities touched"
from the departments the entry names, the lines and tools they own, the entry a
correction replaces, and the decision's own words (a department's assets put to work,
or the department named as acting). Resources: an active track needs dedicated staff (at least
half a post: a tenth of someone's desk is not dedicated), resources that last as long
as it does, and something of its own when it runs long; a draft's lines that end before
it does are a lapse already. One cause gives one alert: a
decision has one, of its gravest kind (acted on, then blocked, then waiting), and so
has a track's resourcing (staff that has gone is not also a lapse).
"""

from __future__ import annotations

import datetime as dt

from server.domain import signoffs
from server.domain.checks._common import decision_label, label, planned_or_running_tracks, worst
from server.domain.signoffs import Requirement, SignoffStatus
from server.domain.snapshot import Decision, Finding, Initiative, Severity, Signoff, Snapshot

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
    return ", ".join(r.name for r in reqs)


def _org_name(snapshot: Snapshot, key: str) -> str:
    org = snapshot.organisations.get(key)
    return org.name if org else key


def _evidence(
    snapshot: Snapshot, st: SignoffStatus, decision: Decision, reqs: tuple[Requirement, ...]
) -> list[str]:
    out = [f"{decision_label(decision)}: {decision.text}"]
    if st.supersedes and st.supersedes in snapshot.decisions:
        out.append(
            f"it corrects {decision_label(snapshot.decisions[st.supersedes])}; sign-offs given to that entry "
            "do not carry over"
        )
    for r in reqs:
        why = "; ".join(str(x) for x in r.reasons)
        if r.state == "signed" and r.signoff is not None:
            by = f" by {r.signoff.by}" if r.signoff.by else ""
            on = f" on {r.signoff.date.isoformat()}" if r.signoff.date else ""
            under = _delegated(snapshot, r.signoff)
            out.append(f"{r.name} signed{by}{under}{on} (required: {why})")
        elif r.state == "declined" and r.signoff is not None:
            because = f": {r.signoff.reason}" if r.signoff.reason else ""
            out.append(f"{r.name} declined{because} ({why})")
        else:
            out.append(f"{r.name} has not signed (required: {why})")
    out.extend(
        f"not counted: {_org_name(snapshot, i.signoff.org)}'s sign-off, {i.why}"
        for i in st.ignored
        if not i.signoff.declined
    )
    out.extend(st.unresolved)
    return out


def _delegated(snapshot: Snapshot, so: Signoff) -> str:
    """ ", for <department>, delegated by <person>" for a sign-off made under a delegation."""
    dl = snapshot.delegations.get(so.delegation) if so.delegation else None
    if dl is None:
        return ""
    return f", for {_org_name(snapshot, dl.department)}, delegated by {dl.by}"


def _government(snapshot: Snapshot, key: str) -> str:
    return snapshot.government_of(key)


def _decision_findings(snapshot: Snapshot) -> list[Finding]:
    findings: list[Finding] = []
    escalate = snapshot.settings.signoff_escalate_days
    # A decision of a closed track, or of one past its end, can no longer be acted on:
    # its missing word changes nothing now. A draft's decisions are judged (they will be).
    live = {i.key for i in planned_or_running_tracks(snapshot)}
    for st in signoffs.statuses(snapshot):
        if not st.judged or st.initiative not in live:
            continue
        decision = snapshot.decisions[st.decision]
        declined, missing = st.declined, st.missing
        if not declined and not missing:
            continue
        name = decision_label(decision)
        evidence = tuple(_evidence(snapshot, st, decision, st.requirements))
        age = st.days_outstanding(snapshot.today)
        track = label(snapshot.initiatives[st.initiative])
        # One alert per decision, of its gravest kind: acted on without every sign-off, then
        # blocked by a refusal, then waiting for sign-offs; the others' evidence goes with it.
        acts = _acted_on(snapshot, decision)
        severity: Severity
        settled = ""
        also = f"; it also lacks the sign-off of {_who(missing)}" if declined and missing else ""
        if acts:
            pending = missing + declined
            kind, severity = "acted_without_signoff", "high"
            message = (
                f"{name[0].upper()}{name[1:]} on track {track} was acted on by "
                f"{', '.join(decision_label(a) for a in acts)} without the sign-off of {_who(pending)}."
            )
            evidence += tuple(f"acted on by the {a.kind} {decision_label(a)}: {a.text}" for a in acts)
            remedy = (
                "Obtain the missing sign-offs now, and review with those departments whether "
                "the action taken since stands; log a superseding entry if it does not."
            )
        elif declined:
            kind, severity = "signoff_declined", "high"
            message = (
                f"{name[0].upper()}{name[1:]} on track {track} is blocked: {_who(declined)} declined to "
                f"sign it off{also}."
            )
            remedy = (
                "Take up the objection with the declining department and log a new entry that "
                "supersedes this decision; the block lifts only then."
            )
        else:
            kind, severity = "missing_signoff", "high" if age > escalate else "medium"
            message = (
                f"{name[0].upper()}{name[1:]} on track {track} still lacks the sign-off of {_who(missing)}, "
                f"awaited since {st.date.isoformat()} ({age} days)."
            )
            # A day more of waiting is not new evidence; the escalation to high severity is.
            settled = "\n".join((severity, message.replace(f" ({age} days)", ""), *evidence))
            evidence += (f"escalates after {escalate} days without every sign-off; {age} have passed",)
            remedy = (
                "Ask each missing department to sign off (or to decline with a reason) "
                "before the decision is acted on."
            )
            remedy += _cannot_sign_yet(snapshot, st.initiative, missing)
        findings.append(
            Finding(
                principle=ID,
                kind=kind,
                subjects=(st.decision,),
                severity=severity,
                message=message,
                evidence=evidence,
                remedy=remedy,
                words=WORDS,
                initiatives=(st.initiative,),
                settled=settled,
            )
        )
    return findings


def _cannot_sign_yet(snapshot: Snapshot, initiative_key: str, missing: tuple[Requirement, ...]) -> str:
    """What lets a named organisation that cannot sign yet give its word: a grant, or its record."""
    initiative = snapshot.initiatives[initiative_key]
    absent = [r.name for r in missing if r.org not in snapshot.organisations]
    unshared = [
        r.name
        for r in missing
        if r.org in snapshot.organisations
        and not signoffs.can_be_signed(initiative, snapshot.organisations, r.org)
    ]
    out = ""
    if unshared:
        out += f" Share the track with {', '.join(unshared)} at level sign-off so that it can sign."
    if absent:
        out += f" Add {', '.join(absent)} to the workspace so that it can sign."
    return out


def _acted_on(snapshot: Snapshot, decision: Decision) -> list[Decision]:
    """Agreements and leverage decisions on the same track logged after `decision`."""
    return [
        d
        for d in snapshot.decisions_by_initiative[decision.initiative]
        if d.key != decision.key and d.kind in _ACTING_KINDS and d.date > decision.date
    ]


# --------------------------------------------------------------------------- resources


# Less than half a person's time is a share of someone's desk, not staff dedicated to the track.
MIN_DEDICATED_FTE = 0.5


def _dedicated_staff(i: Initiative, today: dt.date) -> bool:
    current = [s for s in i.staff if s.dedicated and s.fte > 0 and (s.until is None or s.until >= today)]
    staff_lines = [
        r for r in i.resources if r.kind == "staff" and r.dedicated and (r.until is None or r.until >= today)
    ]
    return bool(staff_lines) or sum(s.fte for s in current) >= MIN_DEDICATED_FTE


def _lapses(snapshot: Snapshot, i: Initiative, today: dt.date) -> list[tuple[dt.date, str]]:
    """Staff, funding and logistics that run out before the track does (or have run out).

    Resources lapse when the track is left without them, not when one line ends while
    another carries on: an officer whose posting ends in June while a successor's line
    runs past the track's end is a hand-over, not a lapse. So each kind (staff, funding,
    logistics) lapses at the latest date any of its lines runs to, if that comes before
    the end. Only a dedicated line carries a kind on where the track has one: money or
    staff borrowed from other work is not the sustained resource the paper asks for
    ("resources should be sustained"), so a dedicated grant that ends in June lapses
    even if a pooled line runs on. Staff or funding with no dedicated line at all is
    judged on what it has (and the track's borrowed resources are a finding of their
    own); logistics only on its dedicated lines: a borrowed airlift or loaned vehicles
    are help for a while, while a charter taken for the track is part of its means.
    Staff capacity bought as a resource line (a secretariat, a contract) is a kind of its
    own beside the track's staff: the paper asks for dedicated staff and, apart, for
    "secretariat capacity to collect the evidence base", so an officer staying on does
    not carry a secretariat whose contract ends.
    """
    # A track with no end outlives every dated line; only lines already gone count then.
    horizon = i.end or today
    kinds: dict[str, list[tuple[dt.date | None, str, bool]]] = {
        "staff": [],
        "staff capacity": [],
        "funding": [],
        "logistics": [],
    }
    kinds["staff"] += [
        (s.until, f"staff line of {_org_name(snapshot, s.org)} ({s.fte:g} FTE)", s.dedicated)
        for s in i.staff
        if s.fte > 0
    ]
    for r in i.resources:
        amount = f" {r.amount:,.0f} {r.currency or ''}".rstrip() if r.amount is not None else ""
        owner = f" of {_org_name(snapshot, r.org)}" if r.org else ""
        line_kind: str = "staff capacity" if r.kind == "staff" else r.kind
        kinds.setdefault(line_kind, []).append((r.until, f"{r.kind} line{owner}{amount}", r.dedicated))
    out: list[tuple[dt.date, str]] = []
    for kind, every in kinds.items():
        lines = [(d, what) for d, what, dedicated in every if dedicated]
        if not lines and kind != "logistics":
            lines = [(d, what) for d, what, _ in every]
        dated = sorted((d, what) for d, what in lines if d is not None)
        if not lines or len(dated) < len(lines):
            continue  # none of this kind, or one line open-ended
        if dated[-1][0] < horizon:
            # The last line to end says when the track is left without; the others precede it.
            out.append(dated[-1])
    return sorted(out)


def _resource_findings(snapshot: Snapshot) -> list[Finding]:
    findings: list[Finding] = []
    today = snapshot.today
    max_days = snapshot.settings.borrowed_resources_max_days
    for i in snapshot.ws.initiatives:
        mine = len(findings)
        # A draft is not staffed yet, but money or staff planned to end before it does is
        # already a lapse in its design.
        planned = i.status == "draft"
        if (
            (i.status != "active" and not planned)
            or (i.end is not None and i.end < today)
            or not snapshot.in_focus(i.key)
        ):
            continue
        span = f"{i.start.isoformat() if i.start else 'an open start'} to {i.end.isoformat() if i.end else 'no set end'}"
        if not planned and not _dedicated_staff(i, today):
            gone = [
                f"{_org_name(snapshot, s.org)}: {s.fte:g} FTE until {s.until.isoformat()}"
                for s in i.staff
                if s.until and s.until < today
            ]
            borrowed = [
                f"{_org_name(snapshot, s.org)}: {s.fte:g} FTE, not dedicated"
                for s in i.staff
                if not s.dedicated
            ]
            findings.append(
                Finding(
                    principle=ID,
                    kind="no_dedicated_staff",
                    subjects=(i.key,),
                    severity="high",
                    message=f"Active track {label(i)} has no dedicated staff.",
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
        lapses = _lapses(snapshot, i, today)
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
                        f"On track {label(i)} the {first_line} {verb} {first_date.isoformat()}, before {end}."
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
        if not planned and i.start is not None and not any(r.dedicated for r in i.resources):
            length = ((i.end or today) - i.start).days
            if length > max_days:
                what = (
                    "only borrowed resources ("
                    + ", ".join(
                        f"{r.kind}{f' of {_org_name(snapshot, r.org)}' if r.org else ''}" for r in i.resources
                    )
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
                        message=f"Track {label(i)} runs {length} days on {what}.",
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
        findings[mine:] = _one_per_track(findings[mine:])
    return findings


def _one_per_track(found: list[Finding]) -> list[Finding]:
    """A track's resourcing problems as one alert, of its gravest kind, with every problem's evidence.

    Staff that has gone is both "no dedicated staff" and "a lapse": one cause, one alert.
    """
    if len(found) < 2:
        return found
    first = found[0]
    rest = found[1:]
    return [
        Finding(
            principle=first.principle,
            kind=first.kind,
            subjects=first.subjects,
            severity=worst([f.severity for f in found]),
            message=" ".join(f.message for f in found),
            evidence=tuple(dict.fromkeys(e for f in found for e in f.evidence)),
            remedy=" ".join(dict.fromkeys(f.remedy for f in [first, *rest])),
            words=first.words,
            initiatives=first.initiatives,
        )
    ]


def run(snapshot: Snapshot) -> list[Finding]:
    """Judge every standing decision's sign-offs and every active track's resources."""
    return _decision_findings(snapshot) + _resource_findings(snapshot)
