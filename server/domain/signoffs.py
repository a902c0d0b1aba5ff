"""The sign-off rule: which departments must approve a decision, and who has.

This is the one home of the rule. The D4 check judges by it, and the server calls it
to show on a decision's page, before any worker has run, which sign-offs are still
missing. It is pure: plain data in (the document models of
`server.domain.snapshot`), a structured status out; no database, no clock.

Who must sign off a decision (its *required* organisations), each with its reasons:

- ``proposer``: the proposing department (``decision.proposed_by``, else the one
  department the entry names, the owner left out, whose name its words open on as
  acting, else the initiative's owner). It counts once, however many other reasons it
  also has. Where the words name another as acting and the entry leaves the owner out,
  the owner's own staff and resource lines on the track do not make it required.
- ``named``: every organisation named in ``touches_departments`` when the decision
  was logged.
- ``partner``: a named organisation of another government: the decision names the
  partner's equities, so its sign-off is needed too. A partner is never required
  merely because the track is shared. Where it may not sign yet (the track is not
  shared with it at level ``sign-off``, or only to view or comment), it is still
  required and its sign-off shows as missing, with the reason: leaving an ally out of
  the grant must not be a way to take a decision that names it without its backing
  (the paper's do #4: engagements "coordinated across state departments and
  functions to ensure outcomes have political backing"). The same holds for a named
  department the workspace does not hold yet.
- ``staff`` / ``resource`` / ``leverage``: a department of the owner's government
  that owns a staff line, a resource line or a leverage tool of the initiative.
- ``leverage_kind``: the department of the owner's government responsible for a kind
  of leverage the initiative uses (any tool not lifted) or the decision's text names
  as put to work: not where its words deny it ("no sanctions are proposed"), give it to
  another side, or say the decision leaves it as it is ("the sanctions review is not
  affected by this decision").
  See `LEVERAGE_AREAS` and `AREA_WORDS` for the mapping; the department is found by
  the words of its name and key among the government's departments.
  The decision's words engage a department too (`touched_by_text`), whether or not
  the entry names it: its assets put to work ("air force to fly airdrop rotations",
  "unfreeze the envoys' accounts", "share our intelligence assessments"), or the
  department named as acting ("the Treasury will release the tranche", "Finance releases
  EUR 1m"), or a body of a
  ministry named by what it is ("the Coast Guard", "an engineering battalion", "the
  Customs Service") or the ministry's means named by its area ("the defence budget"),
  which engage that ministry, or the body itself where the workspace holds it; not what
  the words give to another side ("their air force"), deny ("no sign-off from Treasury
  needed", "the Treasury is not asked", "Interior has no role"), only ask of someone
  ("press the border police to"), only tell or consult ("brief the coast guard", "Finance
  was informed", "discuss with Defence"), name as a place or a person ("the Ministry of
  Finance building"), or say the decision leaves as it is ("the airlift schedule stays
  unchanged").
- ``named`` (or ``partner``) again, for a correction: every organisation named on the
  entry it replaces. Dropping a department from the list does not take its assets or
  its stake out of the arrangement.
- ``partner``, declined: anyone who may sign on the track (a department of the owner's
  government, a partner with a sign-off grant) and refused, though not listed: its
  refusal says the decision lacks its backing, so it blocks the decision.

What counts as a sign-off:

- Sign-offs belong to the decision entry they approve. A correction is a new entry
  (``supersedes``) and starts with none: nothing carries over from the entry it
  replaces. A sign-off dated before its own entry is not counted either, but for the
  day before an entry that corrects nothing (`EARLY_SIGNOFF_DAYS`): a decision agreed and
  signed at a meeting is often logged the next day, and there is no earlier entry its
  sign-off could have been given to.
- A required state (a partner such as ``ostmark``) is satisfied by the state or any
  department of its government; a required department by itself or the department it
  is part of, not by a directorate or unit that is part of it (`parent_department`: a
  unit whose ``government`` names the department, or whose name continues the
  department's), but where the department is engaged only by the means the decision's
  words or tools put to work: then the part of it that commands them answers for them.
  Such a unit belongs to the department's government, and a ministry answers for its
  area before any unit of it.
- A sign-off with ``declined: true`` blocks the decision; only a new entry that
  supersedes it lifts the block.
- A superseded entry is no longer judged: its status says by whom it was superseded.
- A sign-off made under a delegation (``signoff.delegation``) counts for the
  department signed for (``signoff.org``) only when the delegation holds for it: it is
  that department's, its scope covers the decision's initiative (the initiative, its
  crisis, or everything), the sign-off's date (else the decision's) is within its
  from..to, it was not revoked on or before that date (a later revocation does not
  undo a sign-off made while it held), and, when the delegate is a person, the
  sign-off is by that person. One that does not hold is not counted, and says why.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

from server.domain.snapshot import (
    Decision,
    Delegation,
    Grant,
    Initiative,
    Organisation,
    Signoff,
    Snapshot,
    government_key,
    parent_department,
)

ReasonCode = Literal["proposer", "named", "partner", "staff", "resource", "leverage", "leverage_kind"]
State = Literal["signed", "missing", "declined"]
Area = Literal["finance", "trade", "defence", "development", "intelligence", "interior", "health", "foreign"]

# Which department answers for which kind of leverage. "security_guarantee" is not a
# leverage kind of the schema; it is read from a tool's description or the decision's
# text. Incentives and suspensions have no single responsible department: the owner
# and whoever owns the tool answer for them.
LEVERAGE_AREAS: dict[str, Area] = {
    "sanction": "finance",
    "conditionality": "finance",
    "security_guarantee": "defence",
    "aid_offer": "development",
}

# Words that identify a department of an area, by its name or key, best first: a
# government with both a finance and a trade ministry gets finance for sanctions and
# trade for tariffs; one with only either gets it for both.
AREA_WORDS: dict[Area, tuple[tuple[str, ...], ...]] = {
    "finance": (
        ("finance", "treasury", "fin", "mof", "fiscal", "budget", "revenue", "exchequer"),
        ("trade", "commerce", "economy", "economic"),
    ),
    "trade": (("trade", "commerce", "economy", "economic", "export"), ("finance", "treasury", "fin", "mof")),
    "defence": (
        ("defence", "defense", "mod", "def"),
        ("military", "army", "armed", "forces", "navy", "naval", "war"),
    ),
    "development": (("development", "dev"), ("cooperation", "aid", "assistance")),
    "intelligence": (("intelligence",), ("geospatial", "reconnaissance", "signals")),
    "interior": (
        ("interior", "home"),
        ("internal", "homeland", "police", "gendarmerie", "immigration", "migration", "border", "frontier"),
        ("security",),
    ),
    "health": (("health",), ("medical", "medicines")),
    "foreign": (("foreign", "mfa", "mofa"), ("external",)),
}

# Phrases in a leverage tool's description or a decision's text that name a kind of
# leverage. Kept specific: "aid" alone is in nearly every humanitarian decision.
_TEXT_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("sanction", re.compile(r"\bsanction", re.I)),
    ("conditionality", re.compile(r"\bconditional(?:ity)?\b|\bconditions? on\b", re.I)),
    ("security_guarantee", re.compile(r"\bsecurity (?:guarantee|assurance)s?\b", re.I)),
    (
        "aid_offer",
        re.compile(
            r"\baid offers?\b|\boffers? (?:of )?(?:aid|development|reconstruction)\b|"
            r"\breconstruction (?:fund|aid|package)",
            re.I,
        ),
    ),
)

_REASON_TEXT: dict[ReasonCode, str] = {
    "proposer": "proposed the decision",
    "named": "named when the decision was logged",
    "partner": "partner on this shared track whose equities the decision names",
    "staff": "owns a staff line of the initiative",
    "resource": "owns a resource of the initiative",
    "leverage": "owns a leverage tool of the initiative",
    "leverage_kind": "responsible for a kind of leverage involved",
}


@dataclass(frozen=True)
class Reason:
    """Why an organisation must sign off: a code for programs, a detail for people."""

    code: ReasonCode
    detail: str

    def __str__(self) -> str:
        return self.detail


@dataclass(frozen=True)
class Requirement:
    """One organisation whose sign-off the decision needs, and where that stands."""

    org: str
    name: str
    reasons: tuple[Reason, ...]
    state: State
    # The sign-off that settled it (the earliest approval, or the decline).
    signoff: Signoff | None = None
    # For a missing sign-off: since when it is awaited (the decision's date).
    missing_since: dt.date | None = None

    @property
    def reason_codes(self) -> tuple[ReasonCode, ...]:
        return tuple(r.code for r in self.reasons)


@dataclass(frozen=True)
class IgnoredSignoff:
    """A sign-off on the entry that does not count, and why."""

    signoff: Signoff
    why: str


@dataclass(frozen=True)
class SignoffStatus:
    """Where a decision's sign-offs stand."""

    decision: str
    initiative: str
    date: dt.date
    proposer: str
    requirements: tuple[Requirement, ...]
    supersedes: str | None = None
    superseded_by: str | None = None
    # Approvals by organisations the rule does not require: kept, but they change nothing.
    extra: tuple[Signoff, ...] = ()
    ignored: tuple[IgnoredSignoff, ...] = ()
    # Leverage areas with no department to answer for them in the owner's government.
    unresolved: tuple[str, ...] = ()

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(r.org for r in self.requirements)

    @property
    def signed(self) -> tuple[Requirement, ...]:
        return tuple(r for r in self.requirements if r.state == "signed")

    @property
    def missing(self) -> tuple[Requirement, ...]:
        return tuple(r for r in self.requirements if r.state == "missing")

    @property
    def declined(self) -> tuple[Requirement, ...]:
        return tuple(r for r in self.requirements if r.state == "declined")

    @property
    def complete(self) -> bool:
        """Every required organisation signed and none declined."""
        return not self.missing and not self.declined

    @property
    def judged(self) -> bool:
        """Whether the entry still stands (a superseded entry is no longer judged)."""
        return self.superseded_by is None

    @property
    def open(self) -> bool:
        """A standing entry that still waits for, or is blocked by, a sign-off."""
        return self.judged and not self.complete

    def days_outstanding(self, today: dt.date) -> int:
        """Days since the decision was logged (how long missing sign-offs have waited)."""
        return (today - self.date).days


# --------------------------------------------------------------------------- look-ups


def _government(orgs: Mapping[str, Organisation], key: str) -> str:
    """An organisation's government; where it names as its government a ministry the workspace
    does not hold ("varnia-int"), the government that key is of, if another organisation
    belongs to it ("varnia"): a unit of a ministry not added yet is still of its government."""
    gov = government_key(orgs, key)
    if gov in orgs or "-" not in gov:
        return gov
    head = gov.split("-", 1)[0]
    if any(o.government == head or o.key == head for o in orgs.values()):
        return head
    return gov


def _tokens(org: Organisation) -> set[str]:
    return set(re.split(r"[^a-z0-9]+", f"{org.name} {org.key}".lower())) - {""}


def responsible_department(orgs: Mapping[str, Organisation], government: str, area: Area) -> str | None:
    """The department of `government` that answers for `area`, found by its words; None if none.

    A ministry before a directorate or unit that is part of it (`parent_department`): the
    ministry answers for its area, and a part of it signs only for itself.
    """
    return _DEPARTMENTS.remember(
        (_orgs_key(orgs), government, area), lambda: _responsible_department(orgs, government, area)
    )


def _responsible_department(orgs: Mapping[str, Organisation], government: str, area: Area) -> str | None:
    departments = sorted(
        (o for o in orgs.values() if o.kind == "department" and _government(orgs, o.key) == government),
        key=lambda o: (parent_department(orgs, o.key) is not None, o.key),
    )
    for words in AREA_WORDS[area]:
        for dept in departments:
            if _tokens(dept) & set(words):
                return dept.key
    return None


def leverage_kinds_in_text(text: str) -> list[str]:
    """Kinds of leverage a piece of prose names ("sanctions", "a security guarantee", ...)."""
    return [kind for kind, pattern in _TEXT_KINDS if pattern.search(text)]


def satisfies(orgs: Mapping[str, Organisation], required: str, signer: str) -> bool:
    """Whether a sign-off by `signer` counts for the required organisation.

    A required department by itself, or by the department it is part of (a ministry
    answers for its directorates and services, while a unit does not sign for its
    ministry); a required state by itself or any organisation of its government (a
    partner state speaks through its departments).
    """
    if signer == required:
        return True
    if parent_department(orgs, required) == signer:
        return True
    org = orgs.get(required)
    return (
        org is not None and org.kind == "state" and _government(orgs, signer) == _government(orgs, required)
    )


SIGN_OFF_LEVEL = "sign-off"


def _grant_level(grant: str | Grant) -> str:
    return "view" if isinstance(grant, str) else grant.level


def shared_for_signoff(initiative: Initiative, orgs: Mapping[str, Organisation], org: str) -> bool:
    """Whether the people of `org` may sign off on the initiative through a grant.

    A grant at level ``sign-off`` to the organisation itself or to its whole government
    (as the visibility rule reads grants: a grant to another organisation of the same
    government does not reach it, but one to the state's own organisation stands for
    the whole government). Grants to one person are that person's, not the
    organisation's, and make no organisation required.
    """
    gov = _government(orgs, org)
    for grant in initiative.shared_with:
        if _grant_level(grant) != SIGN_OFF_LEVEL or isinstance(grant, str):
            continue
        if grant.org == org or grant.government == gov:
            return True
        named = orgs.get(grant.org) if grant.org else None
        if named is not None and named.kind == "state" and _government(orgs, named.key) == gov:
            return True
    return False


def may_sign_on(initiative: Initiative, orgs: Mapping[str, Organisation], org: str) -> bool:
    """Whether people of `org` may sign off decisions on the initiative at all.

    The owner's own government always may; another organisation only with a grant at
    level ``sign-off`` (see `shared_for_signoff`).
    """
    if _government(orgs, org) == _government(orgs, initiative.owner):
        return True
    return shared_for_signoff(initiative, orgs, org)


def can_be_signed(initiative: Initiative, orgs: Mapping[str, Organisation], required: str) -> bool:
    """Whether anyone whose sign-off counts for `required` may sign on the initiative."""
    if may_sign_on(initiative, orgs, required):
        return True
    org = orgs.get(required)
    if org is None or org.kind != "state":
        return False
    gov = _government(orgs, required)
    return any(
        may_sign_on(initiative, orgs, other.key)
        for other in orgs.values()
        if _government(orgs, other.key) == gov
    )


def named_reason(
    initiative: Initiative,
    orgs: Mapping[str, Organisation],
    org: str,
    on: str = "when the decision was logged",
) -> tuple[ReasonCode, str]:
    """Why an organisation named as touched must sign, and what stands in its way, if anything.

    Naming it is the decision's own word that its equities are touched, so it is required
    whether or not it can sign yet: a department the workspace does not hold, or another
    government's organisation on a track not shared with it for sign-off, is missing
    until it is added or the track is shared with it at level ``sign-off``.
    """
    known = orgs.get(org)
    if known is None:
        return "named", f"named {on}; not in the workspace yet, so no one can sign for it until it is added"
    if _government(orgs, org) == _government(orgs, initiative.owner):
        return "named", f"named {on}"
    if can_be_signed(initiative, orgs, org):
        return "partner", _REASON_TEXT["partner"]
    return "partner", (
        f"named {on}; the track is not shared with it for sign-off, so it cannot sign until it is"
    )


def superseded_by(decisions: Iterable[Decision]) -> dict[str, str]:
    """For each superseded entry, the entry that replaced it (the latest, if several did)."""
    out: dict[str, str] = {}
    for d in sorted(decisions, key=lambda d: d.date):  # stable: log order breaks ties
        if d.supersedes:
            out[d.supersedes] = d.key
    return out


def delegation_fault(
    signoff: Signoff,
    decision: Decision,
    initiative: Initiative,
    delegations: Mapping[str, Delegation],
) -> str | None:
    """Why a sign-off made under a delegation does not count; None when it holds (or names none)."""
    if signoff.delegation is None:
        return None
    dl = delegations.get(signoff.delegation)
    if dl is None:
        return f"made under delegation '{signoff.delegation}', which is not on record"
    if dl.department != signoff.org:
        return f"made under a delegation of {dl.department}, not of {signoff.org}"
    scope = dl.scope
    if scope.initiative is not None and scope.initiative != decision.initiative:
        return "made under a delegation for another initiative"
    if scope.crisis is not None and scope.crisis != initiative.crisis:
        return "made under a delegation for another crisis"
    when = signoff.date or decision.date
    if when < dl.start:
        return f"dated {when.isoformat()}, before the delegation began ({dl.start.isoformat()})"
    if when > dl.end:
        return f"dated {when.isoformat()}, after the delegation ended ({dl.end.isoformat()})"
    if dl.revoked is not None and dl.revoked <= when:
        return f"dated {when.isoformat()}, after the delegation was revoked ({dl.revoked.isoformat()})"
    if dl.delegate.person is not None and (signoff.by or "").strip() != dl.delegate.person.strip():
        who = signoff.by or "someone unnamed"
        return f"signed by {who}, but the delegation names {dl.delegate.person}"
    return None


# How many days before its entry a sign-off may be dated and still count, where the entry
# corrects nothing (a correction's sign-offs are its own: none dated before it counts).
EARLY_SIGNOFF_DAYS = 1


def too_early(signoff: Signoff, decision: Decision) -> bool:
    """Whether the sign-off is dated too long before its entry to be given to it."""
    if signoff.date is None:
        return False
    grace = 0 if decision.supersedes else EARLY_SIGNOFF_DAYS
    return (decision.date - signoff.date).days > grace


def counts(
    signoff: Signoff,
    decision: Decision,
    initiative: Initiative,
    delegations: Mapping[str, Delegation] | None = None,
) -> bool:
    """Whether a sign-off on the entry counts at all (its date, its delegation)."""
    if too_early(signoff, decision):
        return False
    return delegation_fault(signoff, decision, initiative, delegations or {}) is None


# --------------------------------------------------------------------------- the decision's words


# A decision that puts a department's own assets to work touches that department's
# equities, whether or not the entry names it ("air force to fly airdrop rotations",
# "unfreeze the envoys' accounts"). Kept to assets no other department commands.
_ASSET_AREAS: tuple[tuple[Area, re.Pattern[str]], ...] = (
    (
        "defence",
        re.compile(
            r"\b(?:air\s+force|navy|naval|airdrops?|(?:our|national|own)\s+(?:army|armed\s+forces|troops|soldiers|helicopters|"
            r"peacekeep\w*|contingents?|battalions?)|"
            r"military\s+(?:aircraft|helicopters?|ships?|boats?|trucks?|lorries|doctors|medics|(?:field\s+)?hospitals?|"
            r"airlift|assets|escorts?|flights?|engineers|logistics|bases?|convoys?|transport|planes?|"
            r"vessels?|personnel|units?|medical\s+teams?|liaison\s+officers?)|defence\s+(?:assets|staff|attach[ée]s?))\b",
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
            r"\b(?:export\s+(?:licen[cs]es?|controls?|bans?|restrictions?)|import\s+(?:bans?|quotas?|licen[cs]es?)|tariff[\w-]*|"
            r"trade\s+(?:preferences|agreements?|deals?|concessions?|embargo(?:es)?)|(?:customs|import)\s+(?:duties|waivers?))\b",
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
    (
        # Our own medical capacity: teams, hospitals and stocks the health ministry holds.
        "health",
        re.compile(
            r"\b(?:(?:our|national|own)\s+(?:field\s+hospitals?|(?:emergency\s+)?medical\s+(?:teams?|staff|reserves?|"
            r"stocks?|stockpiles?)|hospitals|doctors|surgeons|epidemiologists|health\s+(?:workers|teams|services?)|"
            r"vaccine\s+(?:stocks?|stockpiles?|reserves?))|(?:national|strategic)\s+(?:medical\s+)?(?:stockpiles?|"
            r"reserves?)\s+of\s+(?:medicines|vaccines?|drugs)|emergency\s+medical\s+teams?\s+from\s+our|"
            r"(?:treat|admit)\w*\s+(?:\w+\s+){0,4}?in\s+our\s+hospitals)\b",
            re.IGNORECASE,
        ),
    ),
    (
        # Our diplomatic network: embassies, consulates and ambassadors answer to the foreign ministry.
        "foreign",
        re.compile(
            r"\b(?:our|national|own)\s+(?:embass(?:y|ies)|consulates?|ambassadors?|diplomatic\s+(?:missions?|network))\b",
            re.IGNORECASE,
        ),
    ),
    (
        # Our police, border and civil protection services, and who enters the country (the
        # resettling is ours wherever the refugees come from: the match stops at the verb).
        "interior",
        re.compile(
            r"\b(?:(?:our|national|own)\s+(?:police|border\s+(?:police|guards?)|civil\s+protection|coast\s*guards?|"
            r"fire\s+(?:brigades?|services?)|search[-\s]+and[-\s]+rescue\s+teams?)|police\s+(?:officers?|contingents?|"
            r"trainers?|advis[eo]rs?|units?)|resettle\w*(?=\s+(?:\w+\s+){0,2}?(?:refugees|families|people|evacuees))|"
            r"refugee\s+(?:admissions?|resettlement|quotas?)|humanitarian\s+(?:visas?|admissions?))\b",
            re.IGNORECASE,
        ),
    ),
)


# Bodies of a ministry named by what they are, not by the ministry's name: its services,
# commands, corps and agencies ("the Coast Guard", "an engineering battalion", "the Customs
# Service", "the Frontier Police"), and what only such a body grants (work and residence
# permits, tax exemptions). Each names the areas whose ministry answers for it, best first:
# a maritime security service is the interior ministry's where there is one, else defence's.
_UNIT = (
    r"(?:corps|brigades?|battalions?|regiments?|units?|compan(?:y|ies)|command|detachments?|squadrons?|"
    r"platoons?|teams?|wing)"
)
_SERVICE = (
    r"(?:service|agency|authority|administration|office|directorate|department|board|bureau|inspectorate)"
)
_PERSONNEL = r"(?:officers?|officials?|staff|personnel|agents?|inspectors?|teams?|units?|escorts?|patrols?)"
_BODIES: tuple[tuple[tuple[Area, ...], re.Pattern[str]], ...] = (
    (
        ("defence",),
        re.compile(
            rf"\b(?:(?:army|military|combat|field|royal|naval)\s+engineer(?:s|ing)?(?:\s+{_UNIT})?|"
            rf"{_UNIT}\s+of\s+(?:military\s+|royal\s+|army\s+)?engineers|engineer(?:ing)?\s+(?:{_UNIT}|troops)|sappers|"
            rf"(?:army|navy|armed\s+forces|defen[cs]e\s+forces|marines|general\s+staff)(?:'s|’s)?\s+"
            rf"(?:{_UNIT}|engineers|helicopters?|aircraft|planes?|ships?|vessels?|boats?|trucks?|lorries|"
            rf"personnel|medics|doctors|(?:field\s+)?hospitals?|logistics|transport|airlift|escorts?)|"
            rf"military\s+police|(?:logistics|transport|airlift|support)\s+command)\b",
            re.IGNORECASE,
        ),
    ),
    (
        ("interior", "defence"),
        re.compile(
            rf"\b(?:coast\s*guards?|coastal\s+(?:guard|security|safety|police|patrol)(?:\s+{_SERVICE}|\s+{_UNIT})?|"
            rf"maritime\s+(?:security|safety|police|guard|patrol)(?:\s+(?:{_SERVICE}|{_UNIT}|force|vessels?|boats?))?|"
            rf"national\s+guard)\b",
            re.IGNORECASE,
        ),
    ),
    (
        ("interior",),
        re.compile(
            rf"\b(?:(?:border|frontier)\s+(?:(?:control|management|security|protection)\s+)?"
            rf"(?:police|guards?|force|corps|troops|{_SERVICE}|{_PERSONNEL})|"
            rf"(?:national|federal|state|civil|riot|mounted)\s+police|gendarmerie|"
            rf"civil\s+(?:protection|defen[cs]e)|fire\s+(?:service|brigades?|and\s+rescue)|"
            rf"(?:immigration|migration|asylum|passport)\s+(?:{_SERVICE}|{_PERSONNEL}|desks?)|"
            rf"(?:emergency|disaster)\s+management\s+{_SERVICE}|"
            rf"(?:work|residence|stay)\s+permits?)\b",
            re.IGNORECASE,
        ),
    ),
    (
        ("finance", "trade"),
        re.compile(
            rf"\b(?:customs\s+(?:{_SERVICE}|{_PERSONNEL}|exemptions?|waivers?|and\s+excise)|"
            rf"(?:tax|revenue|fiscal)\s+(?:{_SERVICE}|exemptions?|waivers?|relief|breaks?|holidays?)|"
            rf"vat\s+(?:exemptions?|waivers?|refunds?|relief)|budget\s+(?:office|directorate|department)|"
            rf"contingency\s+(?:reserve|fund)|supplementary\s+(?:appropriation|budget)|"
            rf"financial\s+intelligence\s+unit|sanctions\s+(?:{_SERVICE}|unit|implementation)|"
            rf"export\s+credit\s+agency|(?:loan|credit)\s+guarantees?)\b",
            re.IGNORECASE,
        ),
    ),
    (
        ("trade", "finance"),
        re.compile(
            rf"\b(?:(?:export|import)\s+(?:control\s+|licen[cs]ing\s+)?{_SERVICE}|export\s+control\s+unit|"
            rf"(?:export|import)\s+permits?|trade\s+(?:{_SERVICE}|commission|licen[cs]es?))\b",
            re.IGNORECASE,
        ),
    ),
    (
        ("health",),
        re.compile(
            rf"\b(?:public\s+health\s+(?:{_SERVICE}|institute|laborator(?:y|ies))|(?:national|state)\s+health\s+service|"
            rf"medicines?\s+(?:{_SERVICE}|regulator)|disease\s+control\s+(?:centre|center|{_SERVICE}))\b",
            re.IGNORECASE,
        ),
    ),
    (
        ("intelligence",),
        re.compile(
            rf"\bintelligence\s+(?:{_SERVICE}|officers?|liaison|analysts?|analysis\s+teams?|personnel)\b",
            re.IGNORECASE,
        ),
    ),
)

# A ministry's own means named by its area ("the defence budget", "Interior staff", "army
# depots"): money, people, stores and premises it commands. People are read only for the
# areas whose word cannot be an NGO's desk ("finance officers" may be anyone's).
_MEANS = (
    r"(?:budgets?|funds?|reserves?|money|allocations?|envelope|stocks?|stores|stockpiles?|warehouses?|depots?|"
    r"facilities|premises|compounds?|land|equipment|vehicles|fuel|assets)"
)
_PEOPLE = (
    r"(?:staff|personnel|officers|officials|experts|specialists|planners|logisticians|engineers|teams?|advis[eo]rs|"
    r"liaison\s+officers|pilots|crews)"
)
# What a department named at the head of a sentence may be followed by and still be the one
# that acts ("Treasury officials will release the tranche"): its people and its money.
_ITS_OWN = r"(?:officials|officers|personnel|experts|engineers|ministry|department|funds?|money|budget)"
# Verbs with which a department named at the head of a sentence commits its own means
# ("Finance releases EUR 1m", "Defence lends two trucks").
_COMMITS = (
    r"(?:releas|provid|fund|cover|lend|lent|send|sent|deploy|grant|issu|pay|paid|suppl|second|commit|"
    r"contribut|underwr|guarante|allocat|transfer|disburs|waiv|finan|donat|dispatch|assign)\w*"
)
# Equipment a ministry lends ("army bulldozers", "military field kitchens").
_EQUIPMENT = (
    r"(?:(?:field\s+)?kitchens|tents|generators|bulldozers|excavators|cranes|ambulances|tankers|drones|"
    r"bridging\s+equipment|bailey\s+bridges?|water\s+(?:purification|treatment)\s+units|mobile\s+clinics|"
    r"landing\s+craft|transport\s+planes|cargo\s+planes)"
)
_EQUITIES: tuple[tuple[Area, re.Pattern[str]], ...] = (
    (
        "defence",
        re.compile(
            rf"\b(?:defen[cs]e|military|army|navy)\s+(?:ministry(?:'s|’s)?\s+)?(?:{_MEANS}|{_PEOPLE}|{_EQUIPMENT}|bases?|barracks|"
            rf"airfields?|airstrips?|hangars?)\b",
            re.IGNORECASE,
        ),
    ),
    (
        # Troops a decision itself sends (the verb opens the clause, or follows "we", "will" or
        # "to") are ours to send: whose else would it deploy?
        "defence",
        re.compile(
            r"(?:^|(?<=[.;:!?] )|\b(?:we|will|shall|to|and)\s+)(?:deploy|dispatch|send|second|station|commit|"
            r"mobili[sz]e|lend|assign)\s+(?:(?:a|an|the|two|three|four|five|six|some|several|\d+)\s+)?"
            r"(?:(?:platoons?|compan(?:y|ies)|sections?|squads?)\s+of\s+)?(?:troops|soldiers|platoons?|battalions?|"
            r"regiments?|brigades?|paratroopers|marines|sappers)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "interior",
        re.compile(
            rf"\b(?:interior|police)\s+(?:ministry(?:'s|’s)?\s+)?(?:{_MEANS}|{_PEOPLE}|helicopters?|aircraft|boats?|"
            rf"vessels?|launches|trucks?|buses)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "finance",
        re.compile(
            rf"\b(?:(?:finance|treasury)\s+(?:ministry(?:'s|’s)?\s+)?{_MEANS}|(?:central|state|national|general)\s+"
            rf"budget(?:\s+reserves?)?|budget\s+reserves?)\b",
            re.IGNORECASE,
        ),
    ),
    (
        # A ministry's area word standing for it as the one that pays or provides ("borne by defence").
        "defence",
        re.compile(
            r"\b(?:borne|paid|funded|covered|met|provided|supplied)\s+by\s+(?:the\s+)?defen[cs]e\b(?!\s+of)",
            re.I,
        ),
    ),
    (
        "interior",
        re.compile(
            r"\b(?:borne|paid|funded|covered|met|provided|supplied)\s+by\s+(?:the\s+)?interior\b", re.I
        ),
    ),
    (
        "finance",
        re.compile(r"\b(?:borne|paid|funded|covered|met|provided)\s+by\s+(?:the\s+)?finance\b", re.I),
    ),
    (
        "health",
        re.compile(r"\bhealth\s+(?:ministry(?:'s|’s)?\s+)?(?:budgets?|reserves?|stockpiles?|stocks)\b", re.I),
    ),
)

# Verbs that address another actor: what follows is asked of them, not ours to commit
# ("press the border police to", "ask the authorities to issue permits").
_ADDRESSING = re.compile(
    r"\b(?:ask|asks|asked|asking|press|presses|pressed|pressing|urg\w+|demand\w*|call(?:s|ed|ing)?\s+on|"
    r"request\w*|protest\w*|lobb\w+|persuad\w+|pressur\w+|encourag\w+|invit\w+|tell|tells|told|negotiat\w+|"
    r"rais\w+|complain\w*|condemn\w*|convinc\w+|approach\w*|appeal\w*|petition\w*|advocat\w+|"
    r"secur(?:e|es|ed|ing)|obtain\w*|seek\w*|sought|win|wins|won|gain\w*|insist\w*|push\w*\s+for)\b",
    re.IGNORECASE,
)
# Words of harm done to the people or the aid: a body in such a clause is the one who did it,
# not our means ("drivers detained by the border police").
_HARM = re.compile(
    r"\b(?:detain\w*|detention|arrest\w*|seiz\w+|confiscat\w+|harass\w*|block\w*|obstruct\w*|turn(?:s|ed|ing)?\s+"
    r"back|fir(?:e|ed|es|ing)\s+on|shoot\w*|shot|attack\w*|shell\w*|loot\w*|extort\w*|abus\w+|kill\w*|raid\w*|"
    r"expel\w*|deport\w*|violat\w+|intimidat\w+|mistreat\w*|beat(?:en|ing)?)\b",
    re.IGNORECASE,
)
# A body named by its own name, whatever it is: words that end on a body's head noun ("Air
# Mobility Command", "Visa and Asylum Directorate", "the tax office"), read for the
# area of the words before it. Words that may also be an NGO's or a town's ("health", "aid")
# count only in a name written with capitals; "air" only before a military head noun.
_HEADS = (
    r"(?:service|agency|command|directorate|department|ministry|authority|corps|guards?|police|force|forces|administration|"
    r"office|bureau|inspectorate|regiment|brigade|battalion|squadron|wing|fleet|flotilla)"
)
_NAMED_BODY = re.compile(rf"((?:[\w-]+\s+(?:(?:and|of)\s+(?:the\s+)?)?){{1,4}}){_HEADS}\b", re.IGNORECASE)
# A body named head first ("the Directorate of Customs", "the Department of Immigration").
_HEAD_FIRST = re.compile(
    rf"\b{_HEADS}(?:-general)?\s+(?:of|for)\s+(?:the\s+)?((?:[\w-]+\s+(?:and\s+)?){{0,2}}[\w-]+)",
    re.IGNORECASE,
)
_MODIFIER_AREAS: dict[str, tuple[Area, ...]] = {
    **dict.fromkeys(
        (
            "military",
            "army",
            "naval",
            "navy",
            "armed",
            "defence",
            "defense",
            "engineers",
            "engineering",
            "marines",
            "artillery",
            "infantry",
            "airborne",
            "airlift",
        ),
        ("defence",),
    ),
    **dict.fromkeys(("coast", "coastal", "maritime"), ("interior", "defence")),
    **dict.fromkeys(
        (
            "border",
            "frontier",
            "police",
            "gendarmerie",
            "immigration",
            "migration",
            "asylum",
            "residence",
            "passport",
            "passports",
            "prison",
            "prisons",
            "correctional",
            "fire",
            "rescue",
            "interior",
        ),
        ("interior",),
    ),
    **dict.fromkeys(
        (
            "customs",
            "tax",
            "taxation",
            "revenue",
            "fiscal",
            "budget",
            "treasury",
            "excise",
            "sanctions",
        ),
        ("finance", "trade"),
    ),
    **dict.fromkeys(
        ("export", "import", "trade", "commerce", "commercial", "investment"), ("trade", "finance")
    ),
    **dict.fromkeys(("intelligence", "geospatial"), ("intelligence",)),
}
_CAPITAL_MODIFIER_AREAS: dict[str, tuple[Area, ...]] = {
    **dict.fromkeys(("health", "medical", "medicines", "disease", "epidemiology", "vaccine"), ("health",)),
    **dict.fromkeys(("development", "aid"), ("development",)),
}
_MILITARY_HEADS = {"command", "wing", "squadron", "force", "forces", "corps", "fleet", "regiment", "brigade"}


def _named_bodies(text: str) -> Iterator[tuple[tuple[Area, ...], int, int]]:
    """Bodies named by words that end on a body's head noun, each with the areas its words say.

    The name runs back from its head over words written with a capital, words that say an
    area, and the "and" or "of the" between them: "Urge the border police" names "border police".
    """
    for m in _NAMED_BODY.finditer(text):
        words = list(re.finditer(r"[\w-]+", m.group(0)))
        head = words[-1].group(0).casefold()
        start = words[-1].start()
        areas: tuple[Area, ...] = ()
        ahead = [w.group(0).casefold() for w in words]
        for n in range(len(words) - 2, -1, -1):
            w = words[n]
            word, key = w.group(0), w.group(0).casefold()
            found = _MODIFIER_AREAS.get(key) or (
                _CAPITAL_MODIFIER_AREAS.get(key) if word[0].isupper() else None
            )
            if key == "air" and head in _MILITARY_HEADS and word[0].isupper():
                found = ("defence",)
            # A capital opening the sentence says nothing of a name; "the" only after "of".
            opening = re.search(r"(?:^|[.!?]\s+)$", text[: m.start() + w.start()]) is not None
            joining = key == "and" or key == "of" or (key == "the" and n > 0 and ahead[n - 1] == "of")
            if found is None and not (word[0].isupper() and not opening) and not (joining and areas):
                break
            if found and not areas:
                areas = found
            if key not in ("and", "of", "the"):
                start = w.start()
        if areas:
            yield areas, m.start() + start, m.end()
    for m in _HEAD_FIRST.finditer(text):
        # Its name's own words after "of": the first that says an area (written with a capital
        # where the word may be anyone's).
        for w in re.finditer(r"[\w-]+", m.group(1)):
            word, key = w.group(0), w.group(0).casefold()
            found = _MODIFIER_AREAS.get(key) or (
                _CAPITAL_MODIFIER_AREAS.get(key) if word[0].isupper() else None
            )
            if found:
                yield found, m.start(), m.start(1) + w.end()
                break


# Verbs that only tell a body or a department something, or take counsel with it: it is
# kept informed or consulted, not put to work ("inform the Treasury", "brief the coast guard").
_TELLING = re.compile(
    r"\b(?:inform|informs|informed|informing|notif\w+|brief|briefs|briefed|briefing|update|updates|updated|"
    r"updating|copy|copied|copying|consult\w*|liais\w*|thank\w*|discuss\w*)\b",
    re.IGNORECASE,
)
# Words after a body that make it the source of what is said, not the actor ("Defence reports").
_SAYING_AFTER = re.compile(
    r"(?:['’]s)?\s+(?:has\s+|have\s+|had\s+)?(?:reported|reports|said|says|warned|warns|noted|notes|assessed|"
    r"assesses|estimated|estimates|believes|believed|fears|feared)\b|"
    # Told, in the passive too ("the Ministry of Finance was informed", "is kept in the loop").
    r"\s+(?:(?:is|are|was|were|be|been|being|will\s+be|has\s+been|have\s+been|had\s+been|to\s+be)\s+)?"
    r"(?:(?:kept|only|merely|just)\s+)?(?:informed|posted|notified|briefed|consulted|copied|in\s+the\s+loop|"
    r"updated|abreast)\b",
    re.IGNORECASE,
)


def _told_only(text: str, start: int, end: int) -> bool:
    """Whether a body or department named at text[start:end] is only told, consulted or quoted:
    an informing verb just before it in its clause, "according to" it, or a verb of saying after it."""
    # The words before it, back to a conjunction that opens another step ("inform the council
    # and ask Defence to fly" gives Defence a step of its own).
    words = re.split(r"[.;:!?,()]", text[:start])[-1].split()[-6:]
    joins = [n for n, w in enumerate(words) if w.casefold() in ("and", "but", "then", "while")]
    before = " ".join(words[joins[-1] + 1 :] if joins else words)
    return (
        bool(_TELLING.search(before))
        or bool(re.search(r"\baccording\s+to(?:\s+the)?\s*$", before, re.IGNORECASE))
        or bool(_SAYING_AFTER.match(text[end:]))
    )


# Nouns after a body's name that make it a place or a person of the body, not its means put
# to work ("the Coast Guard station", "the Frontier Police commander").
_PLACE_OR_PERSON = re.compile(
    r"\s+(?:checkpoints?|stations?|posts?|headquarters|hq|barracks|premises|building|offices|commanders?|chiefs?|"
    r"heads?|directors?|spokes\w+|representatives?|delegation)\b",
    re.IGNORECASE,
)
# Words before a body with which it is only a counterpart ("share the timetable with the coast guard").
_COUNTERPART = re.compile(
    r"\b(?:share\w*|discuss\w*|meet\w*|met|coordinat\w+|talk\w*|speak\w*|spoke|agree\w*|consult\w*|"
    r"liais\w*|rais\w+|exchang\w+|review\w*)\b.*\bwith\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def _place_or_person(text: str, end: int) -> bool:
    """Whether a body's name is followed by a place or a person of it, and the clause's verb does
    not follow (the commander "will" lead is the body acting)."""
    m = _PLACE_OR_PERSON.match(text[end:])
    return m is not None and not re.match(r"\s+(?:will|to|shall|is\s+to|are\s+to)\b", text[end + m.end() :])


def _someone_elses(text: str, start: int, name: str, others: set[str], mine: set[str]) -> bool:
    """Whether a body is another actor's: a word of another side in its name ("the Drevan Frontier
    Police"), a possessive just before it that names no body of ours ("the UN mission's
    engineering company"), or a counterpart met "with" in its clause."""
    telling = [
        w.casefold()
        for w in re.findall(r"[\w-]+", name)
        if w.casefold() not in _MODIFIER_AREAS
        and w.casefold() not in _CAPITAL_MODIFIER_AREAS
        and not re.fullmatch(_HEADS, w, re.IGNORECASE)
    ]
    if any(w in others for w in telling):
        return True
    owner = re.search(r"([\w-]+)(?:'s|’s|'|’)\s+$", text[:start])
    if owner is not None and owner.group(1).casefold() not in mine | _OUR:
        return True
    return _COUNTERPART.search(re.split(r"[.;:!?]", text[:start])[-1]) is not None


# Words that name an international body or mission rather than a government's.
_INTERNATIONAL = {"un", "united", "nations", "nato", "eu", "osce", "unpol", "multinational", "peacekeeping"}

# Words just before a body that make it ours whatever the clause does with it.
_OUR = {"our", "own", "national"}


def _our_words(orgs: Mapping[str, Organisation], gov: str) -> set[str]:
    """Words that name the owner's government: its key's and the leading name of its organisations'."""
    names = [
        gov,
        *(
            o.name.split(",", 1)[0]
            for o in orgs.values()
            if _government(orgs, o.key) == gov and "," in o.name
        ),
    ]
    return {w.casefold() for n in names for w in re.findall(r"[A-Za-z]{4,}", n)} - _OFFICE_WORDS


# Words that make what follows the topic of talk or teaching, not means put to work
# ("train the officers on humanitarian exemptions", "a briefing about export controls").
_TOPIC = re.compile(
    r"\b(?:train\w*|brief\w*|workshops?|seminars?|courses?|guidance|advi[cs]e\w*|papers?|notes?|reports?|"
    r"discussions?|questions?|views?|lessons?)\s+(?:[\w'’-]+\s+){0,4}?(?:on|about|regarding|concerning)\s+"
    r"(?:the\s+|our\s+)?(?:[\w'’-]+\s+){0,3}?(?:(?:and|or)\s+(?:the\s+|our\s+)?)?$",
    re.IGNORECASE,
)


def _topic(text: str, start: int) -> bool:
    """Whether text[start:] is the topic of a briefing, a lesson or a paper in its clause (and
    not the subject of a clause of its own: "...and our air force will fly")."""
    if _TOPIC.search(re.split(r"[.;:!?]", text[:start])[-1]) is None:
        return False
    return re.match(r"[\w'’ -]{0,40}?\s(?:will|shall|is\s+to|are\s+to|to)\s", text[start:]) is None


def _its(text: str, start: int) -> bool:
    """Whether "its" stands just before text[start:]: the means of whoever the clause is about,
    named before them ("ask the UN to lend its air force"); where that is a department of ours,
    its name engages it."""
    return re.search(r"\bits\s+$", text[:start], re.IGNORECASE) is not None


def _clause_of(text: str, start: int, end: int) -> str:
    """The clause text[start:end] stands in (between stops, semicolons and colons)."""
    return (
        re.split(r"[.;:!?]\s", text[:start])[-1]
        + text[start:end]
        + re.split(r"[.;:!?](?:\s|$)", text[end:])[0]
    )


def _addressed(text: str, start: int) -> bool:
    """Whether the clause before text[start:] asks, presses or negotiates with someone."""
    return bool(_ADDRESSING.search(re.split(r"[.;:!?]", text[:start])[-1]))


def _owned_by_us(text: str, start: int, gov_words: set[str]) -> bool:
    """Whether a word just before text[start:] makes what follows ours ("our", "Varnia's")."""
    before = [re.sub(r"(?:'s|’s|'|’)$", "", w).casefold() for w in re.findall(r"[\w'’-]+", text[:start])[-3:]]
    return any(w in _OUR or any(w.startswith(g[: max(5, len(g) - 1)]) for g in gov_words) for w in before)


# Words of a body's name that say only which area it is of, not which body.
_AREA_ADJECTIVES = {
    "military",
    "defence",
    "defense",
    "armed",
    "forces",
    "interior",
    "home",
    "finance",
    "financial",
    "public",
    "security",
    "civil",
    "central",
}


def _stems(words: Iterable[str]) -> set[str]:
    return {w.casefold()[:5] for w in words if len(w) >= 4}


def _unit_named(orgs: Mapping[str, Organisation], gov: str, phrase: str, areas: Sequence[Area]) -> str | None:
    """A department of `gov` other than the areas' ministries whose own name shares a telling word
    with `phrase` ("Coast Guard" in "Varnia, Coast Guard Command"): the body whose means they
    are answers for them, before the ministry it is part of."""
    ministries = {responsible_department(orgs, gov, a) for a in areas}
    gov_words = {w.casefold() for w in re.findall(r"[\w'-]+", gov)}
    wanted = _stems(re.findall(r"[\w'-]+", phrase)) - _stems(_AREA_ADJECTIVES | _OFFICE_WORDS)
    best: tuple[int, str] | None = None
    for o in orgs.values():
        if o.kind != "department" or o.key in ministries or _government(orgs, o.key) != gov:
            continue
        own = {w for w in re.findall(r"[\w'-]+", _own_name(o)) if w.casefold() not in gov_words}
        shared = len(wanted & _stems(own))
        if shared and (best is None or shared > best[0]):
            best = (shared, o.key)
    return best[1] if best else None


def _answering(orgs: Mapping[str, Organisation], gov: str, areas: Sequence[Area], phrase: str) -> str | None:
    """Who answers for means named by `phrase` of these areas: a body of ours the phrase names,
    else the first area's ministry the government has."""
    unit = _unit_named(orgs, gov, phrase, areas)
    if unit is not None:
        return unit
    for area in areas:
        dept = responsible_department(orgs, gov, area)
        if dept is not None:
            return dept
    return None


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


def _named_departments(
    orgs: Mapping[str, Organisation], gov: str, text: str, others: set[str]
) -> list[tuple[str, str]]:
    """Departments of the owner's government that a decision's text names as acting
    ("the Treasury releases the tranche", "Interior issues the visas").

    A department is named by a distinctive word of its name (its government's name and
    office words left out, but for "Foreign", which tells the foreign ministry apart),
    written with its capital inside the sentence, or in any case beside an office word
    ("the health ministry", "the ministry of health", "the Foreign Ministry"); by its
    initials wherever they stand ("MFA", "MoFA", "ADC"), where no other department of the
    government has them; or by a name its office goes by (`_ALIASES`: "the Treasury" for a
    ministry of finance); not where the words around it give the office to another side
    ("the Brigades' health ministry", "the Foreign Ministry of Ostmark").
    """
    gov_words = {w.casefold() for w in re.findall(r"[\w'-]+", gov)}
    names: list[tuple[str, str]] = []
    departments = [o for o in orgs.values() if o.kind == "department" and _government(orgs, o.key) == gov]
    initials = {o.key: _initials(_own_name(o)) for o in departments}
    for o in departments:
        # Its initials ("MFA", "MoFA", "ADC"), where no other department of the government has them.
        names += [
            (o.key, a)
            for a in initials[o.key]
            if len(a) >= 3 and not any(a in initials[k] for k in initials if k != o.key)
        ]
    for o in departments:
        own = o.name.split(",", 1)[-1] if "," in o.name else o.name
        # A word a unit shares with the department it is part of names that department.
        parent = orgs.get(parent_department(orgs, o.key) or "")
        inherited = {w.casefold() for w in re.findall(r"[\w'-]+", parent.name)} if parent else set()
        names += [
            (o.key, w)
            for w in re.findall(r"[A-Z][\w'-]+", own)
            if (w.casefold() not in _OFFICE_WORDS or w.casefold() in _TELLING_OFFICE_WORDS)
            and w.casefold() not in gov_words
            and w.casefold() not in inherited
            and len(w) > 3
        ]
    for area, aliases in _ALIASES.items():
        dept = responsible_department(orgs, gov, area)
        if dept is not None:
            names += [(dept, a) for a in aliases]
    out: list[tuple[str, str]] = []
    for key, w in names:
        if any(k == key for k, _ in out):
            continue
        word = r"\s+".join(re.escape(part) for part in w.split())
        found = [
            *re.finditer(rf"(?<![.!?]\s)(?<!^)\b{word}\b", text),
            # Initials are a name wherever they stand, the head of a sentence too.
            *(re.finditer(rf"\b{word}\b", text) if w in initials.get(key, ()) else ()),
            *re.finditer(
                rf"(?:^|[.!?]\s+)(?:The\s+)?{word}(?:'s)?\s+(?:{_ITS_OWN}\s+)?(?:to|will|shall|must|is|are|has|have|and|"
                rf"{_COMMITS})\b",
                text,
            ),
            *re.finditer(
                rf"\b{word}\s+{_OFFICE}\b|\b{_OFFICE}\s+(?:of|for)\s+(?:the\s+)?{word}\b", text, re.I
            ),
        ]
        if any(
            not _not_put_to_work(text, m.start(), m.end(), others)
            and not _told_only(text, m.start(), m.end())
            and not _place_or_person(text, m.end())
            for m in found
        ):
            out.append((key, w))
    return out


# Office words that still tell one ministry from the others of its government: the foreign
# ministry is the one called "Foreign" (it usually owns the track, but a track a directorate
# or an agency owns needs the ministry named: "the Foreign Ministry will present the offer").
_TELLING_OFFICE_WORDS = {"foreign"}


def _own_name(org: Organisation) -> str:
    """A department's name without its government's ("Varnia, Ministry of Defence" -> "Ministry of
    Defence", "Varnia Coast Guard" -> "Coast Guard")."""
    if "," in org.name:
        return org.name.split(",", 1)[-1].strip()
    first, _, rest = org.name.strip().partition(" ")
    gov = (org.government or "").split("-")[0].casefold()
    return (
        rest.strip() if rest and len(gov) >= 4 and first.casefold().startswith(gov[:5]) else org.name.strip()
    )


def _initials(name: str) -> set[str]:
    """The initials a department goes by: "MFA" and "MoFA" for "Ministry of Foreign Affairs",
    "MoD" for "Ministry of Defence", "ADC" for "Agency for Development Cooperation", and any
    its name gives in brackets ("Office of Budget Planning (OBP)")."""
    given = set(re.findall(r"\(([A-Z][A-Za-z]{1,7})\)", name))
    name = re.sub(r"\([^)]*\)", " ", name)
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", name) if w[0].isupper()]
    if len(words) < 2:
        return given
    out = {"".join(w[0] for w in words), *given}
    if re.match(r"Ministry\s+(?:of|for)\s", name):
        out.add("Mo" + "".join(w[0] for w in words[1:]))
    return out


# Names a department goes by other than its own, by the area it answers for: "the Treasury"
# is the finance ministry's, "the Home Office" the interior ministry's, whatever their names.
_ALIASES: dict[Area, tuple[str, ...]] = {
    "finance": ("Treasury", "Exchequer", "MoF"),
    "interior": ("Home Office", "Home Affairs", "Interior", "MoI"),
    "defence": ("MoD",),
    "health": ("MoH",),
}


# Words that call a body an office of government ("the health ministry", "the ministry of health").
_OFFICE = r"(?:ministry|ministries|minister|department|agency|office|service|secretariat|directorate)"

# What a party's name is read as in a decision's text.
_PARTY = "Party"

# Words that give what follows to someone else ("their air force", "the rebels' helicopters").
_OTHERS_POSSESSIVES = {"their", "his", "her", "enemy", "rebel", "rebels", "opposing", "hostile"}


def _other_holders(orgs: Mapping[str, Organisation], parties: Sequence[str], gov: str) -> set[str]:
    """Words that name an actor other than the owner's government: the parties and other governments."""
    names = [*parties, *(o.name for o in orgs.values() if _government(orgs, o.key) != gov)]
    ours = [o.name for o in orgs.values() if _government(orgs, o.key) == gov]

    def words(of: list[str]) -> set[str]:
        return {w.casefold() for n in of for w in re.findall(r"[A-Z][\w-]+", n) if len(w) > 2}

    return (words(names) - words(ours) - _OFFICE_WORDS) | _OTHERS_POSSESSIVES


# Words that deny what follows them in the clause ("no sign-off from Treasury or Trade
# needed", "without military escorts"): what they deny is not put to work.
_DENIALS = re.compile(
    r"\b(?:no|not|never|neither|nor|without|none|nothing|nobody|declin\w*|refus\w*|reject\w*|forgo\w*|forego\w*|"
    r"turn(?:s|ed|ing)?\s+down|rule[sd]?\s+out|ruling\s+out|instead\s+of|rather\s+than)\b",
    re.IGNORECASE,
)
# How far back in its clause a denial reaches.
_DENIAL_WORDS = 6


def _denied(text: str, start: int) -> bool:
    """Whether the words just before text[start:] in its clause deny it."""
    clause = re.split(r"[.;:!?,()]", text[:start])[-1]
    return bool(_DENIALS.search(" ".join(clause.split()[-_DENIAL_WORDS:])))


def _not_put_to_work(text: str, start: int, end: int, others: set[str]) -> bool:
    """Whether a mention is another actor's, denied, only in a demand turned down, or said to be
    left alone by the decision, so that it gives our department no part."""
    return (
        _held_by_others(text, start, end, others)
        or _denied(text, start)
        or _denied_after(text, end)
        or _turned_down(text, start, end)
        or _left_alone(text, end)
    )


# What the decision leaves as it is: a predicate saying that what its sentence is about is
# not affected, changed or part of it ("the review ... is not affected by this decision",
# "the airlift schedule stays unchanged").
_LEFT_ALONE = re.compile(
    r"\b(?:is|are|was|were|remains?|stays?|will\s+(?:be|remain|stay)|(?:has|have)\s+been)\s+"
    r"(?:(?:not|in\s+no\s+way|never)\s+(?:affected|changed|touched|altered|modified|involved|moved|part\s+of)|"
    r"unaffected|unchanged|untouched|unaltered|outside\s+(?:the\s+scope\s+of\s+)?(?:this|the)\s+decision)\b",
    re.IGNORECASE,
)
# What opens a new clause with a subject of its own between a mention and a predicate.
_NEW_SUBJECT = re.compile(
    r",|\b(?:but|while|whereas|although|though|yet|so)\b|\band\s+(?:the|our|its|their|a|an|we|this|these|those)\b",
    re.IGNORECASE,
)


def _left_alone(text: str, end: int) -> bool:
    """Whether the mention ending at text[:end] is the subject of a predicate, later in its
    sentence, that says the decision leaves it as it is (with no other subject between)."""
    tail = re.split(r"[.;:!?](?:\s|$)", text[end:])[0]
    m = _LEFT_ALONE.search(tail)
    return m is not None and _NEW_SUBJECT.search(tail[: m.start()]) is None


# A denial that follows what it denies ("the Treasury is not asked for anything").
_DENIED_AFTER = re.compile(
    r"\s*(?:not(?!\s+only)|never|no\s+longer)\b|"
    r"\s*(?:[\w'’-]+\s+){0,2}?(?:(?:is|are|was|were|will|shall|would|need|needs|does|do|has|have)\s+(?:not|never)\b|"
    # "has no role": what it is said to have no part in is not its to carry.
    r"(?:has|have|had|plays?|played)\s+no\s+(?:role|part|stake|say|involvement|equities|assets|means)\b|"
    r"(?:is|are|was|were|has\s+been|have\s+been|will\s+be)\s+(?:declined|refused|rejected|ruled\s+out|turned\s+down)\b|"
    r"(?:isn|aren|wasn|weren|won|doesn|don|hasn|haven)['’]t\b)",
    re.IGNORECASE,
)
# Words that report a demand or proposal, and words that turn one down.
_DEMAND = re.compile(r"\b(?:demand|request|call|proposal|insist|suggest|ask)\w*\b|['‘’\"“”]", re.IGNORECASE)
_TURNED_DOWN = re.compile(
    r"\b(?:reject\w*|refus\w*|declin\w*|turn(?:s|ed)?\s+down|dismiss\w*)\b", re.IGNORECASE
)


def _denied_after(text: str, end: int) -> bool:
    """Whether the words just after text[:end] in its clause deny it ("Defence is not involved")."""
    clause = re.split(r"[.;:!?,()]", text[end:])[0]
    return bool(_DENIED_AFTER.match(clause))


def _turned_down(text: str, start: int, end: int) -> bool:
    """Whether a mention is what someone asked for, in a sentence that turns the demand down."""
    head = re.split(r"[.;!?]\s", text[:start])[-1]
    tail = re.split(r"[.;!?](?:\s|$)", text[end:])[0]
    return bool(_DEMAND.search(head)) and bool(_TURNED_DOWN.search(head + " " + tail))


def _held_by_others(text: str, start: int, end: int, others: set[str]) -> bool:
    """Whether the words around text[start:end] give it to another actor.

    Just before ("their air force", "the Brigades' health ministry") or in a phrase just
    after ("the ministry of health of the Sovrin Republic", "the air force in Orlavia", "the
    Foreign Ministry of Ostmark").
    """
    before = re.findall(r"[\w'’-]+", text[:start])[-2:]
    # An office word may come between ("the Foreign Ministry of Ostmark").
    after = re.match(
        rf"(?:\s+{_OFFICE})?\s+(?:of|in|from)\s+(?:the\s+)?([\w'’-]+)(?:\s+([\w'’-]+))?", text[end:], re.I
    )
    words = before + ([w for w in after.groups() if w] if after else [])
    return any(re.sub(r"(?:'s|’s|'|’)$", "", w).casefold() in others for w in words)


V = TypeVar("V")


class _Remembered(Generic[V]):
    """A bounded, thread-safe memory of pure results by their whole input (least recent out)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: Hashable, value: V) -> V:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def remember(self, key: Hashable, make: Callable[[], V]) -> V:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return self.put(key, make())


# What the rule reads from a decision's words and which department answers for an area, by
# everything they read: the same words with the same organisations and parties are read
# once per process (a page judges every decision of its track at each drawing, a sign-off
# its own decision at each save).
_READINGS: _Remembered[tuple[tuple[str, str], ...]] = _Remembered(4096)
_DEPARTMENTS: _Remembered[str | None] = _Remembered(4096)
_LEVERAGE: _Remembered[tuple[str, ...]] = _Remembered(4096)
# The words that name another actor than a government, by government, parties and organisations.
_OTHERS: _Remembered[frozenset[str]] = _Remembered(64)
# Each organisations mapping's key, by its id, with the mapping held so that the id stands.
_ORG_KEYS: _Remembered[tuple[Mapping[str, Organisation], tuple[tuple[str, str], ...]]] = _Remembered(32)


def _orgs_key(orgs: Mapping[str, Organisation]) -> tuple[tuple[str, str], ...]:
    """The organisations' whole content, as a key; taken once per mapping (they are built
    once per judgement and never changed after)."""
    held = _ORG_KEYS.get(id(orgs))
    if held is not None and held[0] is orgs and len(held[1]) == len(orgs):
        return held[1]
    return _ORG_KEYS.put(id(orgs), (orgs, tuple((k, repr(o)) for k, o in sorted(orgs.items()))))[1]


def touched_by_text(
    text: str, government: str, orgs: Mapping[str, Organisation], parties: Sequence[str] = ()
) -> list[tuple[str, str]]:
    """Departments of `government` that a decision's words put to work, each with why.

    Its assets (`_ASSET_AREAS`: "air force to fly airdrop rotations", "unfreeze the
    envoys' accounts") or the department itself named as acting ("the Treasury will
    release the tranche"); not what the words give to another side, nor what they deny.
    `parties` are the names of the parties, whose own forces are not ours.
    """
    key = (text, government, tuple(parties), _orgs_key(orgs))
    return list(_READINGS.remember(key, lambda: tuple(_touched_by_text(text, government, orgs, parties))))


def _parties_as_others(
    text: str, government: str, orgs: Mapping[str, Organisation], parties: Sequence[str]
) -> tuple[str, set[str]]:
    """The text with each party's name read as one word of another side's, and the words that
    name an actor other than `government` (the parties' word among them)."""
    # A party's own forces ("the Lowland Freedom Army") are not ours: each party's name
    # stands as one word of another side's, so that what it holds is not ours either.
    for party in parties:
        text = re.sub(re.escape(party), _PARTY, text, flags=re.IGNORECASE)
    key = (government, tuple(parties), _orgs_key(orgs))
    others = _OTHERS.remember(
        key, lambda: frozenset(_other_holders(orgs, parties, government) | {_PARTY.casefold()})
    )
    return text, set(others)


def _leverage_kinds_in_decision(
    text: str, government: str, orgs: Mapping[str, Organisation], parties: Sequence[str]
) -> list[str]:
    """Kinds of leverage a decision's words bring in: named and put to work, not denied ("no
    sanctions are proposed"), named only in a demand turned down, another side's, or said
    to be left alone by the decision ("the sanctions review is not affected by it")."""
    key = ("leverage", text, government, tuple(parties), _orgs_key(orgs))
    return list(_LEVERAGE.remember(key, lambda: tuple(_read_leverage_kinds(text, government, orgs, parties))))


def _read_leverage_kinds(
    text: str, government: str, orgs: Mapping[str, Organisation], parties: Sequence[str]
) -> list[str]:
    text, others = _parties_as_others(text, government, orgs, parties)
    return [
        kind
        for kind, pattern in _TEXT_KINDS
        if any(not _not_put_to_work(text, m.start(), m.end(), others) for m in pattern.finditer(text))
    ]


def _touched_by_text(
    text: str, government: str, orgs: Mapping[str, Organisation], parties: Sequence[str]
) -> list[tuple[str, str]]:
    text, others = _parties_as_others(text, government, orgs, parties)
    # An international body's words mark means as not ours either ("NATO naval forces").
    international = others | _INTERNATIONAL
    touched: list[tuple[str, str]] = []
    for area, pattern in _ASSET_AREAS:
        m = next(
            (
                m
                for m in pattern.finditer(text)
                if not _not_put_to_work(text, m.start(), m.end(), international)
                and not _told_only(text, m.start(), m.end())
                and not _its(text, m.start())
                and not _topic(text, m.start())
            ),
            None,
        )
        if m is None:
            continue
        dept = _answering(orgs, government, (area,), m.group(0))
        if dept is not None:
            touched.append((dept, f"its assets are put to work by the decision's text ({m.group(0)!r})"))
    # A body or the means of a ministry named by what they are: ours unless the words give it
    # to another side, deny it, or only ask it of someone ("press the border police to").
    ours = _our_words(orgs, government)
    mine = ours | {
        w.casefold()
        for o in orgs.values()
        if _government(orgs, o.key) == government
        for w in re.findall(r"[\w-]+", o.name)
    }
    mentions: list[tuple[tuple[Area, ...], int, int]] = [
        *((areas, m.start(), m.end()) for areas, pattern in _BODIES for m in pattern.finditer(text)),
        *(((area,), m.start(), m.end()) for area, pattern in _EQUITIES for m in pattern.finditer(text)),
        *_named_bodies(text),
    ]
    for areas, start, end in mentions:
        words = text[start:end].strip()
        if (
            _not_put_to_work(text, start, end, international)
            or _told_only(text, start, end)
            or (_addressed(text, start) and not _owned_by_us(text, start, ours))
            or _its(text, start)
            or _topic(text, start)
            or _someone_elses(text, start, words, international, mine)
            or (
                _HARM.search(_clause_of(text, start, end)) is not None and not _owned_by_us(text, start, ours)
            )
            or _place_or_person(text, end)
        ):
            continue
        dept = _answering(orgs, government, areas, words)
        if dept is not None and all(d != dept for d, _ in touched):
            touched.append((dept, f"its means are put to work by the decision's text ({words!r})"))
    touched += [
        (dept, f"the decision's text gives it a part ({word!r})")
        for dept, word in _named_departments(orgs, government, text, others)
    ]
    return touched


# --------------------------------------------------------------------------- the rule


def _entry_label(d: Decision) -> str:
    """How a reason names a decision entry: by its date and its opening words."""
    text = " ".join(d.text.split())
    short = text if len(text) <= 60 else text[:59].rstrip() + "…"
    return f'the decision of {d.date.isoformat()} ("{short}")'


def _acting_in_text(
    decision: Decision, initiative: Initiative, orgs: Mapping[str, Organisation]
) -> str | None:
    """The department an entry names, the owner left out, that its words give the step to
    ("Directorate tops up its grant...", "the development directorate will...", "...within the
    directorate's own budget"): the one named department of the owner's government that the
    text's first word names, else the only department of that government the text names by a
    word no other of them has; None if none or several."""
    if initiative.owner in decision.touches_departments:
        return None
    gov = _government(orgs, initiative.owner)
    named = [
        orgs[k]
        for k in dict.fromkeys(decision.touches_departments)
        if k in orgs and _government(orgs, k) == gov
    ]
    if not named:
        return None
    ours = [o for o in orgs.values() if o.kind == "department" and _government(orgs, o.key) == gov]
    words = {
        o.key: {w.casefold() for w in re.findall(r"[\w-]+", _own_name(o)) if len(w) >= 4}
        | {i.casefold() for i in _initials(_own_name(o))}
        for o in ours
    }
    first = re.match(r"\s*(?:the\s+)?([\w-]+)(?:['’]s)?\s", decision.text, re.IGNORECASE)
    if first is not None:
        fits = [o.key for o in named if first.group(1).casefold() in words.get(o.key, set())]
        if len(fits) == 1:
            return fits[0]
    said = {w.casefold() for w in re.findall(r"[\w-]+", decision.text)}
    told = {
        k
        for k, ws in words.items()
        if any(w in said and all(w not in v for j, v in words.items() if j != k) for w in ws)
    }
    if len(told) == 1 and next(iter(told)) in {o.key for o in named}:
        return next(iter(told))
    return None


def _requirements(
    decision: Decision,
    initiative: Initiative,
    orgs: Mapping[str, Organisation],
    corrects: Decision | None = None,
    parties: Sequence[str] = (),
) -> tuple[dict[str, list[Reason]], list[str]]:
    """Required organisations with their reasons (proposer first), and unresolved areas."""
    gov = _government(orgs, initiative.owner)
    reasons: dict[str, list[Reason]] = {}
    unresolved: list[str] = []

    def need(org: str, code: ReasonCode, detail: str) -> None:
        have = reasons.setdefault(org, [])
        if all(r.detail != detail for r in have):
            have.append(Reason(code, detail))

    def own_government(org: str | None) -> bool:
        return org is not None and _government(orgs, org) == gov

    # Who proposes: the entry's word, else a department the entry names and its words open
    # on as the one acting, else the owner. Where the words name another as acting and the
    # entry leaves the owner out, the owner's own lines on its track are not put to work.
    acting = None if decision.proposed_by else _acting_in_text(decision, initiative, orgs)
    if decision.proposed_by:
        need(decision.proposed_by, "proposer", _REASON_TEXT["proposer"])
    elif acting is not None:
        need(acting, "proposer", "named on the entry, and its words open on it acting")
    else:
        need(initiative.owner, "proposer", "owns the initiative, so proposes its decisions")
    for org in decision.touches_departments:
        need(org, *named_reason(initiative, orgs, org))
    for s in initiative.staff:
        if acting is not None and s.org == initiative.owner:
            continue
        if own_government(s.org):
            until = f" until {s.until.isoformat()}" if s.until else ""
            need(s.org, "staff", f"owns a staff line of the initiative ({s.fte:g} FTE{until})")
    for r in initiative.resources:
        if acting is not None and r.org == initiative.owner:
            continue
        if own_government(r.org):
            assert r.org is not None
            need(r.org, "resource", f"owns a {r.kind} resource of the initiative")
    # A kind of leverage engages its department whether the tool is on the track
    # (and not lifted) or the decision's text brings it in.
    kinds: dict[str, str] = {}
    for lev in initiative.leverage:
        if own_government(lev.org):
            assert lev.org is not None
            need(lev.org, "leverage", f"owns a leverage tool of the initiative ({lev.kind})")
        if lev.status != "lifted":
            for kind in [lev.kind, *leverage_kinds_in_text(lev.description)]:
                kinds.setdefault(kind, f"the initiative's {lev.kind} tool")
    for kind in _leverage_kinds_in_decision(decision.text, gov, orgs, parties):
        kinds.setdefault(kind, "the decision's text")
    for kind, source in kinds.items():
        area = LEVERAGE_AREAS.get(kind)
        if area is None:
            continue
        label = kind.replace("_", " ")
        dept = responsible_department(orgs, gov, area)
        if dept is None:
            unresolved.append(f"no {area} department found in {gov} to answer for {label} ({source})")
        else:
            need(dept, "leverage_kind", f"responsible for {label} in {gov} ({source})")
    # A correction may list fewer departments than the entry it amends; dropping one from
    # the list does not take its assets or its stake out of the arrangement.
    if corrects is not None:
        for org in corrects.touches_departments:
            if org not in reasons:
                need(
                    org,
                    *named_reason(
                        initiative, orgs, org, f"on {_entry_label(corrects)}, which this entry corrects"
                    ),
                )
    for dept, why in touched_by_text(decision.text, gov, orgs, parties):
        if dept not in reasons:
            need(dept, "leverage_kind", why)
    return reasons, unresolved


def required_departments(
    decision: Decision,
    initiative: Initiative,
    orgs: Mapping[str, Organisation],
    corrects: Decision | None = None,
    parties: Sequence[str] = (),
) -> dict[str, tuple[Reason, ...]]:
    """The organisations that must sign off `decision`, each with its reasons, proposer first."""
    reasons, _ = _requirements(decision, initiative, orgs, corrects, parties)
    return {org: tuple(rs) for org, rs in reasons.items()}


def signoff_status(
    decision: Decision,
    initiative: Initiative,
    organisations: Mapping[str, Organisation],
    superseded_by: str | None = None,
    delegations: Mapping[str, Delegation] | None = None,
    corrects: Decision | None = None,
    parties: Sequence[str] = (),
) -> SignoffStatus:
    """Where `decision`'s sign-offs stand, from plain data (no snapshot needed).

    `organisations` maps keys to organisations (every organisation, so that the
    decision's words can name any department of the owner's government); `superseded_by`
    is the key of the entry that replaced this one, if any (see `superseded_by()` to
    compute it from a log); `delegations` maps keys to the delegations sign-offs name;
    `corrects` is the entry this one supersedes, if any; `parties` the parties' names.
    """
    reasons, unresolved = _requirements(decision, initiative, organisations, corrects, parties)
    counted: list[Signoff] = []
    ignored: list[IgnoredSignoff] = []
    for so in decision.signoffs:
        fault = delegation_fault(so, decision, initiative, delegations or {})
        if too_early(so, decision):
            assert so.date is not None
            ignored.append(IgnoredSignoff(so, f"dated {so.date.isoformat()}, before the entry it approves"))
        elif fault is not None:
            ignored.append(IgnoredSignoff(so, fault))
        else:
            counted.append(so)
    requirements: list[Requirement] = []
    used: set[int] = set()
    for org, rs in reasons.items():
        # A ministry engaged only by the means the decision's words or tools put to work is
        # answered for by the part of it that commands them (the command whose aircraft fly):
        # where the entry names it, proposes by it or it owns a line, its own word is asked.
        by_its_parts = all(r.code == "leverage_kind" for r in rs)
        mine = [
            (n, so)
            for n, so in enumerate(counted)
            if satisfies(organisations, org, so.org)
            or (by_its_parts and parent_department(organisations, so.org) == org)
        ]
        used.update(n for n, _ in mine)
        declines = [so for _, so in mine if so.declined]
        approvals = sorted((so for _, so in mine if not so.declined), key=lambda so: so.date or decision.date)
        known = organisations.get(org)
        name = known.name if known else org
        if declines:
            requirements.append(Requirement(org, name, tuple(rs), "declined", declines[0]))
        elif approvals:
            requirements.append(Requirement(org, name, tuple(rs), "signed", approvals[0]))
        else:
            requirements.append(Requirement(org, name, tuple(rs), "missing", missing_since=decision.date))
    # A unit signs for itself only: its word is not its ministry's (say so where the ministry is awaited).
    awaited = {r.org for r in requirements if r.state == "missing"}
    for n, so in enumerate(counted):
        parent = parent_department(organisations, so.org)
        if n not in used and not so.declined and parent in awaited:
            assert parent is not None
            used.add(n)
            known = organisations.get(parent)
            ignored.append(
                IgnoredSignoff(
                    so, f"given by a part of {known.name if known else parent}, which signs for itself only"
                )
            )
    extra = tuple(so for n, so in enumerate(counted) if n not in used and not so.declined)
    # A refusal by anyone who may sign on the track (a department of the owner's
    # government, a partner with a sign-off grant) says the decision lacks its backing,
    # whether or not the rule listed it: it blocks the decision like a required one's.
    for n, so in enumerate(counted):
        if n in used or not so.declined:
            continue
        if may_sign_on(initiative, organisations, so.org) and all(r.org != so.org for r in requirements):
            known = organisations.get(so.org)
            why = Reason("partner", "may sign off on this track, and declined")
            requirements.append(Requirement(so.org, known.name if known else so.org, (why,), "declined", so))
        elif not may_sign_on(initiative, organisations, so.org):
            ignored.append(IgnoredSignoff(so, "declined by an organisation whose sign-off is not required"))
    return SignoffStatus(
        decision=decision.key,
        initiative=decision.initiative,
        date=decision.date,
        proposer=next(
            (org for org, rs in reasons.items() if any(r.code == "proposer" for r in rs)),
            decision.proposed_by or initiative.owner,
        ),
        requirements=tuple(requirements),
        supersedes=decision.supersedes,
        superseded_by=superseded_by,
        extra=extra,
        ignored=tuple(ignored),
        unresolved=tuple(unresolved),
    )


def status(snapshot: Snapshot, decision_key: str) -> SignoffStatus:
    """Where the sign-offs of the decision `decision_key` stand in `snapshot`."""
    decision = snapshot.decisions[decision_key]
    replaced = superseded_by(snapshot.ws.decisions)
    return signoff_status(
        decision,
        snapshot.initiatives[decision.initiative],
        snapshot.organisations,
        replaced.get(decision_key),
        snapshot.delegations,
        snapshot.decisions.get(decision.supersedes) if decision.supersedes else None,
        [p.name for p in snapshot.ws.parties],
    )


def statuses(snapshot: Snapshot, initiative_key: str | None = None) -> list[SignoffStatus]:
    """The sign-off status of every decision (of one initiative, if named), in log order."""
    replaced = superseded_by(snapshot.ws.decisions)
    parties = [p.name for p in snapshot.ws.parties]
    return [
        signoff_status(
            d,
            snapshot.initiatives[d.initiative],
            snapshot.organisations,
            replaced.get(d.key),
            snapshot.delegations,
            snapshot.decisions.get(d.supersedes) if d.supersedes else None,
            parties,
        )
        for d in snapshot.ws.decisions
        if initiative_key is None or d.initiative == initiative_key
    ]
