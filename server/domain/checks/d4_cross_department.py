"""D4: dedicated, sustained resources, and decisions signed off across departments.

Two halves of the paper's do #4. Decisions: every department whose equities a
decision touches must sign it off (the rule itself lives in `server.domain.signoffs`, so
that the server shows the same thing before this check runs). The check reads three
things more into "equities touched": a correction still needs the departments the entry
it corrects named; a decision whose own words put a department's assets to work ("air
force to fly airdrop rotations", "unfreeze the envoys' accounts") needs that department;
and a refusal by any organisation that may sign on the track (a department of the
owner's government, or a partner with a sign-off grant) blocks the decision; its words
naming a department's instruments (arms exports, tariffs, the development programme),
or the department itself as acting ("the Treasury will release the tranche"), touch
that department too. Resources: an active track needs dedicated staff (at least
half a post: a tenth of someone's desk is not dedicated), resources that last as long
as it does, and something of its own when it runs long. One cause gives one alert: a
decision has one, of its gravest kind (acted on, then blocked, then waiting), and so
has a track's resourcing (staff that has gone is not also a lapse).
"""

from __future__ import annotations

import datetime as dt
import re

from server.domain import signoffs
from server.domain.checks._common import decision_label, label, planned_or_running_tracks, worst
from server.domain.signoffs import Reason, Requirement, SignoffStatus
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


def _counts_for(snapshot: Snapshot, required: str, signer: str) -> bool:
    """Whether `signer`'s word counts for `required` (the sign-off rule's `satisfies`)."""
    return signoffs.satisfies(snapshot.organisations, required, signer)


def _may_sign(snapshot: Snapshot, initiative: Initiative, org: str) -> bool:
    """Whether `org` may sign on the track (the sign-off rule's `may_sign_on`)."""
    return signoffs.may_sign_on(initiative, snapshot.organisations, org)


def _entitled_declines(snapshot: Snapshot, st: SignoffStatus, decision: Decision) -> tuple[Requirement, ...]:
    """Refusals by organisations the rule did not list but who may sign on the track.

    A department of the owner's government, or a partner holding a sign-off grant, that
    answers a decision with a refusal has said the decision lacks its backing: the
    paper's coordination across departments ("outcomes have political backing") is
    missing whether or not the entry named it.
    """
    initiative = snapshot.initiatives[decision.initiative]
    out: list[Requirement] = []
    for ig in st.ignored:
        so = ig.signoff
        if not so.declined or not signoffs.counts(so, decision, initiative, snapshot.delegations):
            continue
        if any(_counts_for(snapshot, r.org, so.org) for r in st.requirements):
            continue
        if _may_sign(snapshot, initiative, so.org) and all(o.org != so.org for o in out):
            why = Reason("partner", "may sign off on this track, and declined")
            out.append(Requirement(so.org, _org_name(snapshot, so.org), (why,), "declined", so))
    return tuple(out)


def _unmet(snapshot: Snapshot, decision: Decision, org: str, why: Reason) -> Requirement | None:
    """`org`'s requirement on the decision when its word is not there: declined, or missing; None if it signed."""
    initiative = snapshot.initiatives[decision.initiative]
    mine = [
        so
        for so in decision.signoffs
        if _counts_for(snapshot, org, so.org)
        and signoffs.counts(so, decision, initiative, snapshot.delegations)
    ]
    declines = [so for so in mine if so.declined]
    if declines:
        return Requirement(org, _org_name(snapshot, org), (why,), "declined", declines[0])
    if not mine:
        return Requirement(org, _org_name(snapshot, org), (why,), "missing", missing_since=decision.date)
    return None


def _inherited(snapshot: Snapshot, st: SignoffStatus, decision: Decision) -> tuple[Requirement, ...]:
    """Departments named on the entry a correction replaces, whose equities the correction still engages.

    A correction starts with no sign-offs and may list fewer departments than the entry
    it amends; dropping a department from the list does not take its assets or its
    stake out of the arrangement, so its sign-off is still needed on the new entry.
    """
    if not decision.supersedes or decision.supersedes not in snapshot.decisions:
        return ()
    before = snapshot.decisions[decision.supersedes]
    initiative = snapshot.initiatives[decision.initiative]
    out: list[Requirement] = []
    for org in before.touches_departments:
        if org in st.required:
            continue
        why = Reason(
            *signoffs.named_reason(
                initiative,
                snapshot.organisations,
                org,
                f"on {decision_label(before)}, which this entry corrects",
            )
        )
        req = _unmet(snapshot, decision, org, why)
        if req is not None:
            out.append(req)
    return tuple(out)


# A decision that puts a department's own assets to work touches that department's
# equities, whether or not the entry names it ("air force to fly airdrop rotations",
# "unfreeze the envoys' accounts"). Kept to assets no other department commands.
_ASSET_AREAS: tuple[tuple[signoffs.Area, re.Pattern[str]], ...] = (
    (
        "defence",
        re.compile(
            r"\b(?:air\s+force|navy|naval|airdrops?|(?:our|national|own)\s+(?:army|armed\s+forces|troops|soldiers|helicopters|"
            r"peacekeep\w*|contingents?|battalions?)|"
            r"military\s+(?:aircraft|assets|escorts?|flights?|engineers|logistics|bases?|convoys?|transport|planes?|"
            r"vessels?|personnel|units?|medical\s+teams?)|defence\s+(?:assets|staff|attach[ée]s?))\b",
            re.IGNORECASE,
        ),
    ),
    (
        # Money: sanctions administration, banking, budgets and debt.
        "finance",
        re.compile(
            r"\b(?:asset\s+freezes?|unfreez\w*|frozen\s+(?:assets|accounts|funds)|sanctions?\s+(?:relief|waivers?|exemptions?)|"
            r"correspondent\s+(?:account|bank\w*)|central\s+bank|treasury\s+(?:licen[cs]es?|guarantees?)|"
            r"(?:general|specific|humanitarian)\s+licen[cs]es?|humanitarian\s+(?:exemptions?|carve-?outs?)|"
            r"(?:payment|banking)\s+channels?\s+for|budget\s+support|export\s+credits?|investment\s+guarantees?|"
            r"debt\s+(?:relief|restructuring|rescheduling|cancellation|swaps?))\b",
            re.IGNORECASE,
        ),
    ),
    (
        # Trade: what crosses the border and on what terms (finance where there is no trade ministry).
        "trade",
        re.compile(
            r"\b(?:export\s+(?:licen[cs]es?|controls?|bans?)|import\s+(?:bans?|quotas?|licen[cs]es?)|tariff[\w-]*|"
            r"trade\s+(?:preferences|agreements?|deals?|concessions?|embargo(?:es)?)|customs\s+(?:duties|waivers?))\b",
            re.IGNORECASE,
        ),
    ),
    (
        "defence",
        re.compile(
            r"\b(?:arms\s+(?:sales|exports|deliveries|transfers|supplies)|(?:military|defence|defense|security)\s+"
            r"(?:cooperation|assistance|training|aid|sales)|training\s+of\s+(?:their|its|the)\s+(?:army|forces|troops))\b",
            re.IGNORECASE,
        ),
    ),
    (
        "development",
        re.compile(
            r"\b(?:(?:our|the|its|bilateral)\s+(?:development|aid)\s+(?:programmes?|programs?|funds?|budgets?|portfolio|"
            r"projects?|cooperation|allocations?)|development\s+(?:aid|assistance|cooperation|funding|grants?|loans?)|"
            r"reconstruction\s+(?:funds?|grants?|loans?|programmes?)|(?:reallocat|redirect|divert|repurpos)\w*\s+"
            r"(?:\w+\s+){0,3}?(?:aid|development)\s+(?:funds?|budgets?|money|allocations?))\b",
            re.IGNORECASE,
        ),
    ),
    (
        # The paper names "intelligence information" among the tools a state has.
        "intelligence",
        re.compile(
            r"\b(?:intelligence\s+(?:assessments?|reports?|reporting|information|products?|picture|briefings?|"
            r"findings|sharing)|(?:share|shares|sharing|shared|pass|passing|provide|providing|release|releasing)\s+"
            r"(?:(?:our|the|its|relevant|some)\s+)?intelligence|satellite\s+(?:imagery|images|photographs))\b",
            re.IGNORECASE,
        ),
    ),
)


# Words of a department's name that say nothing of which one it is.
_OFFICE_WORDS = {
    "ministry",
    "minister",
    "of",
    "for",
    "the",
    "and",
    "office",
    "department",
    "unit",
    "affairs",
    "general",
    "directorate",
    "secretariat",
    "agency",
    "state",
    "federal",
    "national",
    "royal",
    "humanitarian",
    "foreign",
    "international",
    "cooperation",
    "diplomacy",
    "relations",
    "policy",
    "staff",
    "service",
    "services",
    "division",
    "bureau",
    "desk",
}


def _named_departments(snapshot: Snapshot, gov: str, text: str, others: set[str]) -> list[tuple[str, str]]:
    """Departments of the owner's government that a decision's text names as acting
    ("the Treasury releases the tranche", "Interior issues the visas").

    A department is named by a distinctive word of its name (its government's name and
    office words left out), written with its capital inside the sentence, or in any case
    beside an office word ("the health ministry", "the ministry of health"); or by a name
    its office goes by (`_ALIASES`: "the Treasury" for a ministry of finance); not where
    the words around it give the office to another side ("the Brigades' health ministry").
    """
    gov_words = {w.casefold() for w in re.findall(r"[\w'-]+", gov)}
    names: list[tuple[str, str]] = []
    for o in snapshot.ws.organisations:
        if o.kind != "department" or _government(snapshot, o.key) != gov:
            continue
        own = o.name.split(",", 1)[-1] if "," in o.name else o.name
        names += [
            (o.key, w)
            for w in re.findall(r"[A-Z][\w'-]+", own)
            if w.casefold() not in _OFFICE_WORDS and w.casefold() not in gov_words and len(w) > 3
        ]
    for area, aliases in _ALIASES.items():
        dept = signoffs.responsible_department(snapshot.organisations, gov, area)
        if dept is not None:
            names += [(dept, a) for a in aliases]
    out: list[tuple[str, str]] = []
    for key, w in names:
        if any(k == key for k, _ in out):
            continue
        word = r"\s+".join(re.escape(part) for part in w.split())
        found = [
            *re.finditer(rf"(?<![.!?]\s)(?<!^)\b{word}\b", text),
            *re.finditer(
                rf"(?:^|[.!?]\s+)(?:The\s+)?{word}(?:'s)?\s+(?:to|will|shall|must|is|has|and)\b", text
            ),
            *re.finditer(
                rf"\b{word}\s+{_OFFICE}\b|\b{_OFFICE}\s+(?:of|for)\s+(?:the\s+)?{word}\b", text, re.I
            ),
        ]
        if any(not _not_put_to_work(text, m.start(), m.end(), others) for m in found):
            out.append((key, w))
    return out


# Names a department goes by other than its own, by the area it answers for: "the Treasury"
# is the finance ministry's, "the Home Office" the interior ministry's, whatever their names.
_ALIASES: dict[signoffs.Area, tuple[str, ...]] = {
    "finance": ("Treasury", "Exchequer"),
    "interior": ("Home Office", "Home Affairs", "Interior"),
}


# Words that call a body an office of government ("the health ministry", "the ministry of health").
_OFFICE = r"(?:ministry|ministries|minister|department|agency|office|service|secretariat|directorate)"

# What a party's name is read as in a decision's text.
_PARTY = "Party"

# Words that give what follows to someone else ("their air force", "the rebels' helicopters").
_OTHERS_POSSESSIVES = {"their", "his", "her", "enemy", "rebel", "rebels", "opposing", "hostile"}


def _other_holders(snapshot: Snapshot, gov: str) -> set[str]:
    """Words that name an actor other than the owner's government: the parties and other governments."""
    names = [p.name for p in snapshot.ws.parties] + [
        o.name for o in snapshot.ws.organisations if _government(snapshot, o.key) != gov
    ]
    ours = [o.name for o in snapshot.ws.organisations if _government(snapshot, o.key) == gov]

    def words(of: list[str]) -> set[str]:
        return {w.casefold() for n in of for w in re.findall(r"[A-Z][\w-]+", n) if len(w) > 2}

    return (words(names) - words(ours) - _OFFICE_WORDS) | _OTHERS_POSSESSIVES


# Words that deny what follows them in the clause ("no sign-off from Treasury or Trade
# needed", "without military escorts"): what they deny is not put to work.
_DENIALS = re.compile(r"\b(?:no|not|never|neither|nor|without|none)\b", re.IGNORECASE)
# How far back in its clause a denial reaches.
_DENIAL_WORDS = 6


def _denied(text: str, start: int) -> bool:
    """Whether the words just before text[start:] in its clause deny it."""
    clause = re.split(r"[.;:!?,()]", text[:start])[-1]
    return bool(_DENIALS.search(" ".join(clause.split()[-_DENIAL_WORDS:])))


def _not_put_to_work(text: str, start: int, end: int, others: set[str]) -> bool:
    """Whether a mention is another actor's, or denied, so that it gives our department no part."""
    return _held_by_others(text, start, end, others) or _denied(text, start)


def _held_by_others(text: str, start: int, end: int, others: set[str]) -> bool:
    """Whether the words around text[start:end] give it to another actor.

    Just before ("their air force", "the Brigades' health ministry") or in a phrase just
    after ("the ministry of health of the Sovrin Republic", "the air force in Orlavia").
    """
    before = re.findall(r"[\w'’-]+", text[:start])[-2:]
    after = re.match(r"\s+(?:of|in|from)\s+(?:the\s+)?([\w'’-]+)(?:\s+([\w'’-]+))?", text[end:])
    words = before + ([w for w in after.groups() if w] if after else [])
    return any(re.sub(r"(?:'s|’s|'|’)$", "", w).casefold() in others for w in words)


def _touched_by_text(snapshot: Snapshot, st: SignoffStatus, decision: Decision) -> tuple[Requirement, ...]:
    """Departments whose assets the decision's own words put to work, when the entry does not require them."""
    initiative = snapshot.initiatives[decision.initiative]
    gov = _government(snapshot, initiative.owner)
    out: list[Requirement] = []
    # A party's own forces ("the Lowland Freedom Army") are not ours: each party's name
    # stands as one word of another side's, so that what it holds is not ours either.
    text = decision.text
    for party in snapshot.ws.parties:
        text = re.sub(re.escape(party.name), _PARTY, text, flags=re.IGNORECASE)
    others = _other_holders(snapshot, gov) | {_PARTY.casefold()}
    touched: list[tuple[str, str]] = []
    for area, pattern in _ASSET_AREAS:
        m = next(
            (m for m in pattern.finditer(text) if not _not_put_to_work(text, m.start(), m.end(), others)),
            None,
        )
        if m is None:
            continue
        dept = signoffs.responsible_department(snapshot.organisations, gov, area)
        if dept is not None:
            touched.append((dept, f"its assets are put to work by the decision's text ({m.group(0)!r})"))
    touched += [
        (dept, f"the decision's text gives it a part ({word!r})")
        for dept, word in _named_departments(snapshot, gov, text, others)
    ]
    for dept, reason in touched:
        if dept in st.required or any(r.org == dept for r in out):
            continue
        req = _unmet(snapshot, decision, dept, Reason("leverage_kind", reason))
        if req is not None:
            out.append(req)
    return tuple(out)


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
        inherited = _inherited(snapshot, st, decision)
        inherited += tuple(
            r for r in _touched_by_text(snapshot, st, decision) if all(r.org != o.org for o in inherited)
        )
        declined = (
            st.declined
            + _entitled_declines(snapshot, st, decision)
            + tuple(r for r in inherited if r.state == "declined")
        )
        missing = st.missing + tuple(r for r in inherited if r.state == "missing")
        if not declined and not missing:
            continue
        name = decision_label(decision)
        evidence = tuple(
            _evidence(snapshot, st, decision, st.requirements + inherited + declined[len(st.declined) :])
        )
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
    """
    # A track with no end outlives every dated line; only lines already gone count then.
    horizon = i.end or today
    kinds: dict[str, list[tuple[dt.date | None, str, bool]]] = {"staff": [], "funding": [], "logistics": []}
    kinds["staff"] += [
        (s.until, f"staff line of {_org_name(snapshot, s.org)} ({s.fte:g} FTE)", s.dedicated)
        for s in i.staff
        if s.fte > 0
    ]
    for r in i.resources:
        amount = f" {r.amount:,.0f} {r.currency or ''}".rstrip() if r.amount is not None else ""
        owner = f" of {_org_name(snapshot, r.org)}" if r.org else ""
        kinds.setdefault(r.kind, []).append((r.until, f"{r.kind} line{owner}{amount}", r.dedicated))
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
        if i.status != "active" or (i.end is not None and i.end < today) or not snapshot.in_focus(i.key):
            continue
        span = f"{i.start.isoformat() if i.start else 'an open start'} to {i.end.isoformat() if i.end else 'no set end'}"
        if not _dedicated_staff(i, today):
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
        if i.start is not None and not any(r.dedicated for r in i.resources):
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
