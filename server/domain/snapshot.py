"""The workspace document and the plain snapshot that every check judges.

One schema serves `accord import`, `accord export`, `accord checks run` and the
tests: a check never sees the database, only a `Snapshot` built from a document.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from server.domain.limits import CAPS, ITEMS_MAX, find_problems

FORMAT: Final = "accord-workspace/1"

OrgKind = Literal["department", "state", "humanitarian_org", "multilateral"]
PartyKind = Literal["state", "armed_group", "de_facto_authority"]
InitiativeKind = Literal["humanitarian", "political", "security", "economic"]
InitiativeStatus = Literal["draft", "active", "paused", "closed"]
Trigger = Literal["pause", "recalibrate", "withdraw"]
ResourceKind = Literal["funding", "staff", "logistics"]
LeverageKind = Literal["incentive", "sanction", "conditionality", "suspension", "aid_offer"]
LeverageStatus = Literal["proposed", "active", "lifted"]
MetricKind = Literal["outcome", "output", "symbolic"]
Direction = Literal["up", "down"]
SourceKind = Literal["ngo", "un", "local_actor", "embassy"]
DecisionKind = Literal["agreement", "disengagement", "leverage", "other"]
GrantLevel = Literal["view", "comment", "sign-off"]


def _capped(cap: str, min_length: int = 0) -> Any:
    return Field(min_length=min_length, max_length=CAPS[cap])


class _Item(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="after")
    @classmethod
    def _in_bounds(cls, value: Any) -> Any:
        # The same bounds as a form or the API: no NUL, integers and dates in range, finite numbers.
        found = find_problems(value)
        if found:
            raise ValueError(found[0][1])
        return value


class Organisation(_Item):
    key: str = _capped("key", 1)
    name: str = _capped("name", 1)
    kind: OrgKind
    government: str | None = None


class Crisis(_Item):
    key: str = _capped("key", 1)
    name: str = _capped("name", 1)
    region: str | None = Field(default=None, max_length=CAPS["short"])


class Party(_Item):
    key: str = _capped("key", 1)
    name: str = _capped("name", 1)
    kind: PartyKind


class Interlocutor(_Item):
    key: str = _capped("key", 1)
    name: str = _capped("name", 1)
    influences: list[str] = []


class RedLine(_Item):
    text: str = _capped("item", 1)
    trigger: Trigger | None = None
    internal: bool = False


class Staff(_Item):
    org: str
    fte: float = Field(ge=0, allow_inf_nan=False)
    until: dt.date | None = None
    dedicated: bool = True
    internal: bool = False


class Resource(_Item):
    kind: ResourceKind
    amount: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    currency: str | None = Field(default=None, max_length=10)
    until: dt.date | None = None
    dedicated: bool = False
    org: str | None = None
    internal: bool = False


class Leverage(_Item):
    kind: LeverageKind
    description: str = Field(default="", max_length=CAPS["description"])
    status: LeverageStatus = "proposed"
    do_no_harm_assessment: bool = False
    org: str | None = None
    # The party the tool is aimed at (None: every party of the track), and the dates it
    # is proposed or applied for (None: the track's own start and end).
    party: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    internal: bool = False


class Measure(_Item):
    """A value of a metric, dated at the end of the period it measures."""

    date: dt.date
    value: float


class Metric(_Item):
    name: str = _capped("name", 1)
    kind: MetricKind | None = None
    kind_inferred: bool = False
    target: str | None = Field(default=None, max_length=CAPS["short"])
    # The value before the track began, the value aimed at and by when, which way is
    # better, and the values measured since (IATI's baseline, target and actual).
    baseline: Measure | None = None
    target_value: float | None = None
    target_date: dt.date | None = None
    direction: Direction = "up"
    actuals: list[Measure] = []
    internal: bool = False


class Grant(_Item):
    """A sharing grant written out in full; a bare key in `shared_with` means view."""

    org: str | None = None
    government: str | None = None
    person: str | None = None
    level: GrantLevel = "view"


class Initiative(_Item):
    key: str = _capped("key", 1)
    owner: str
    title: str = _capped("title", 1)
    description: str = Field(default="", max_length=CAPS["description"])
    kind: InitiativeKind
    crisis: str
    parties: list[str] = []
    aims: list[Annotated[str, Field(max_length=CAPS["item"])]] = Field(default=[], max_length=ITEMS_MAX)
    start: dt.date | None = None
    end: dt.date | None = None
    status: InitiativeStatus = "active"
    shared_with: list[str | Grant] = []
    coordinated_with: list[str] = []
    depends_on: list[str] = []
    objectives: list[Annotated[str, Field(max_length=CAPS["item"])]] = Field(default=[], max_length=ITEMS_MAX)
    red_lines: list[RedLine] = []
    staff: list[Staff] = []
    resources: list[Resource] = []
    leverage: list[Leverage] = []
    metrics: list[Metric] = []
    impact_assessment: bool = False
    # True, or a sentence naming the mechanism ("joint monitoring cell reports monthly"):
    # either says one exists; a blank sentence says none does.
    compliance_monitoring: bool = False

    @field_validator("compliance_monitoring", mode="before")
    @classmethod
    def _mechanism_named(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip().lower() not in ("true", "false"):
            return bool(value.strip())
        return value


class FieldReport(_Item):
    key: str | None = None
    initiative: str | None = None
    crisis: str | None = None
    org: str | None = None
    date: dt.date
    source_kind: SourceKind
    text: str = _capped("report", 1)
    red_line_breached: str | None = Field(default=None, max_length=CAPS["item"])


class Signoff(_Item):
    org: str
    by: str | None = None
    date: dt.date | None = None
    declined: bool = False
    reason: str | None = Field(default=None, max_length=CAPS["reason"])
    # Kept within the track's own government; partners never read it.
    internal: bool = False
    # The delegation under which `by` signed for `org` (the department signed for).
    delegation: str | None = None


class Decision(_Item):
    key: str = _capped("key", 1)
    initiative: str
    date: dt.date
    text: str = _capped("decision", 1)
    kind: DecisionKind = "other"
    proposed_by: str | None = None
    touches_departments: list[str] = []
    signoffs: list[Signoff] = []
    supersedes: str | None = None
    # Kept within the track's own government, with its sign-offs; partners never read it.
    internal: bool = False


class Delegate(_Item):
    """Who signs for the department: one person (by name) or another organisation."""

    person: str | None = None
    org: str | None = None


class DelegationScope(_Item):
    """What a delegation covers: one initiative, one crisis, or (neither) everything."""

    initiative: str | None = None
    crisis: str | None = None


class Delegation(_Item):
    """A department's sign-off handed to a delegate for a scope, from a date to a date."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    key: str = Field(min_length=1)
    department: str
    delegate: Delegate
    scope: DelegationScope = DelegationScope()
    start: dt.date = Field(alias="from")
    end: dt.date = Field(alias="to")
    by: str = Field(min_length=1)
    revoked: dt.date | None = None


class Workspace(_Item):
    format: Literal["accord-workspace/1"] = FORMAT
    today: dt.date | None = None
    organisations: list[Organisation] = []
    crises: list[Crisis] = []
    parties: list[Party] = []
    interlocutors: list[Interlocutor] = []
    initiatives: list[Initiative] = []
    field_reports: list[FieldReport] = []
    decisions: list[Decision] = []
    delegations: list[Delegation] = []


# --------------------------------------------------------------------------- errors


@dataclass(frozen=True)
class DocumentError:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class DocumentInvalid(Exception):
    """A workspace document that cannot be loaded; every error names its JSON path."""

    def __init__(self, errors: list[DocumentError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


def _path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("str", "Grant") or (isinstance(part, str) and part.startswith("function-")):
            continue  # pydantic's union branch names are not part of the document
        else:
            out += f".{part}" if out else str(part)
    return out or "$"


def _list(data: Any, name: str) -> list[Any]:
    value = data.get(name) if isinstance(data, dict) else None
    return value if isinstance(value, list) else []


def _dangling(data: dict[str, Any]) -> list[DocumentError]:
    """Keys that name nothing, and duplicate keys, read off the raw document.

    It works on the raw data so that a document with a bad value elsewhere still
    gets every dangling key reported at once.
    """
    errs: list[DocumentError] = []

    def keys(kind: str) -> set[str]:
        seen: set[str] = set()
        for n, item in enumerate(_list(data, kind)):
            k = item.get("key") if isinstance(item, dict) else None
            if isinstance(k, str):
                if k in seen:
                    errs.append(DocumentError(f"{kind}[{n}].key", f"duplicate key '{k}'"))
                seen.add(k)
        return seen

    orgs, crises, parties = keys("organisations"), keys("crises"), keys("parties")
    keys("interlocutors")
    inits, decisions = keys("initiatives"), keys("decisions")
    delegations = keys("delegations")
    governments = {
        o.get("government") or o.get("key") for o in _list(data, "organisations") if isinstance(o, dict)
    }

    def ref(path: str, value: Any, known: set[Any], what: str) -> None:
        if isinstance(value, str) and value not in known:
            errs.append(DocumentError(path, f"unknown {what} '{value}'"))

    def refs(path: str, item: dict[str, Any], name: str, known: set[Any], what: str) -> None:
        for m, v in enumerate(_list(item, name)):
            ref(f"{path}.{name}[{m}]", v, known, what)

    def each(kind: str) -> list[tuple[str, dict[str, Any]]]:
        return [(f"{kind}[{n}]", x) for n, x in enumerate(_list(data, kind)) if isinstance(x, dict)]

    for at, x in each("interlocutors"):
        refs(at, x, "influences", parties, "party")
    for at, i in each("initiatives"):
        ref(f"{at}.owner", i.get("owner"), orgs, "organisation")
        ref(f"{at}.crisis", i.get("crisis"), crises, "crisis")
        refs(at, i, "parties", parties, "party")
        # coordinated_with may name a track outside this workspace (a partner's process
        # known by its key); it is kept as an external link.
        refs(at, i, "depends_on", inits, "initiative")
        for m, g in enumerate(_list(i, "shared_with")):
            if isinstance(g, str):
                ref(f"{at}.shared_with[{m}]", g, orgs, "organisation")
            elif isinstance(g, dict):
                if sum(g.get(k) is not None for k in ("org", "government", "person")) != 1:
                    errs.append(
                        DocumentError(f"{at}.shared_with[{m}]", "name exactly one of org, government, person")
                    )
                ref(f"{at}.shared_with[{m}].org", g.get("org"), orgs, "organisation")
                ref(f"{at}.shared_with[{m}].government", g.get("government"), governments, "government")
        for part in ("staff", "resources", "leverage"):
            for m, line in enumerate(_list(i, part)):
                if isinstance(line, dict):
                    ref(f"{at}.{part}[{m}].org", line.get("org"), orgs, "organisation")
        for m, line in enumerate(_list(i, "leverage")):
            if isinstance(line, dict):
                ref(f"{at}.leverage[{m}].party", line.get("party"), parties, "party")
                lstart, lend = line.get("start"), line.get("end")
                if isinstance(lstart, str) and isinstance(lend, str) and lend < lstart:
                    errs.append(DocumentError(f"{at}.leverage[{m}].end", "ends before it starts"))
        for m, metric in enumerate(_list(i, "metrics")):
            if isinstance(metric, dict):
                dates = [a.get("date") for a in _list(metric, "actuals") if isinstance(a, dict)]
                for n, day in enumerate(dates):
                    if isinstance(day, str) and day in dates[:n]:
                        errs.append(
                            DocumentError(f"{at}.metrics[{m}].actuals[{n}].date", f"a second value for {day}")
                        )
        start, end = i.get("start"), i.get("end")
        if isinstance(start, str) and isinstance(end, str) and end < start:
            errs.append(DocumentError(f"{at}.end", "ends before it starts"))
    for at, r in each("field_reports"):
        ref(f"{at}.initiative", r.get("initiative"), inits, "initiative")
        ref(f"{at}.crisis", r.get("crisis"), crises, "crisis")
        ref(f"{at}.org", r.get("org"), orgs, "organisation")
        if r.get("initiative") is None and r.get("crisis") is None:
            errs.append(DocumentError(at, "name an initiative or a crisis"))
    for at, d in each("decisions"):
        ref(f"{at}.initiative", d.get("initiative"), inits, "initiative")
        ref(f"{at}.proposed_by", d.get("proposed_by"), orgs, "organisation")
        ref(f"{at}.supersedes", d.get("supersedes"), decisions, "decision")
        # touches_departments may name a department the workspace does not hold yet: the
        # key is kept; the sign-off rule notes it as unresolved (no one can sign for it)
        # until an organisation of that key exists.
        for m, so in enumerate(_list(d, "signoffs")):
            if isinstance(so, dict):
                ref(f"{at}.signoffs[{m}].org", so.get("org"), orgs, "organisation")
                ref(f"{at}.signoffs[{m}].delegation", so.get("delegation"), delegations, "delegation")
    for at, dl in each("delegations"):
        ref(f"{at}.department", dl.get("department"), orgs, "organisation")
        delegate, scope = dl.get("delegate"), dl.get("scope")
        if isinstance(delegate, dict):
            if sum(delegate.get(k) is not None for k in ("person", "org")) != 1:
                errs.append(DocumentError(f"{at}.delegate", "name exactly one of person, org"))
            ref(f"{at}.delegate.org", delegate.get("org"), orgs, "organisation")
            if delegate.get("org") is not None and delegate.get("org") == dl.get("department"):
                errs.append(DocumentError(f"{at}.delegate.org", "a department cannot delegate to itself"))
        if isinstance(scope, dict):
            if sum(scope.get(k) is not None for k in ("initiative", "crisis")) > 1:
                errs.append(DocumentError(f"{at}.scope", "name at most one of initiative, crisis"))
            ref(f"{at}.scope.initiative", scope.get("initiative"), inits, "initiative")
            ref(f"{at}.scope.crisis", scope.get("crisis"), crises, "crisis")
        start, end = dl.get("from"), dl.get("to")
        if isinstance(start, str) and isinstance(end, str) and end < start:
            errs.append(DocumentError(f"{at}.to", "ends before it starts"))
    return errs


def parse_document(data: Any) -> Workspace:
    """Validate a workspace document (already decoded JSON); raise `DocumentInvalid`."""
    if not isinstance(data, dict):
        raise DocumentInvalid([DocumentError("$", "a workspace document is a JSON object")])
    errors: list[DocumentError] = []
    ws: Workspace | None = None
    try:
        ws = Workspace.model_validate(data)
    except ValidationError as exc:
        seen: set[str] = set()
        for e in exc.errors():
            path = _path(tuple(e["loc"]))
            if path in seen:
                continue  # a union reports once per branch; one line per path is enough
            seen.add(path)
            msg = (
                "unknown field" if e["type"] == "extra_forbidden" else e["msg"].removeprefix("Value error, ")
            )
            errors.append(DocumentError(path, msg))
    errors.extend(_dangling(data))
    if errors or ws is None:
        raise DocumentInvalid(errors)
    return ws


def load_text(text: str) -> Workspace:
    """Parse a document from JSON text."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DocumentInvalid([DocumentError("$", f"not JSON: {exc.msg} at line {exc.lineno}")]) from None
    return parse_document(data)


def dump_document(ws: Workspace) -> dict[str, Any]:
    """The document as JSON-ready data, with defaults left out for a short file."""
    return ws.model_dump(mode="json", exclude_defaults=True, by_alias=True, exclude={"format"}) | {
        "format": FORMAT
    }


# --------------------------------------------------------------------------- snapshot


Severity = Literal["low", "medium", "high"]


@dataclass(frozen=True)
class FindingView:
    """What a finding says to someone who may see only one of its tracks."""

    message: str
    evidence: tuple[str, ...] = ()
    remedy: str = ""


@dataclass(frozen=True)
class Finding:
    """One thing a check found: the alert's content, before it is stored."""

    principle: str
    kind: str
    subjects: tuple[str, ...]
    severity: Severity
    message: str
    evidence: tuple[str, ...] = ()
    remedy: str = ""
    words: str = ""
    # The tracks the finding concerns: who may see one of them may see the finding.
    initiatives: tuple[str, ...] = ()
    # For a viewer who sees only some of `initiatives`: the view keyed by a track they see.
    views: dict[str, FindingView] = field(default_factory=dict)
    # What the evidence comes to leaving out the time that has merely passed ("awaited 12
    # days"), for a check whose text counts days; empty: the message and evidence are it.
    # A dismissal holds while this stays the same.
    settled: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "subjects", tuple(sorted(set(self.subjects))))
        object.__setattr__(self, "initiatives", tuple(sorted(set(self.initiatives))))

    @property
    def fingerprint(self) -> str:
        return f"{self.principle}:{self.kind}:{','.join(self.subjects)}"

    def to_json(self) -> dict[str, Any]:
        return {
            "principle": self.principle,
            "kind": self.kind,
            "subjects": list(self.subjects),
            "severity": self.severity,
            "message": self.message,
            "evidence": list(self.evidence),
            "remedy": self.remedy,
            "words": self.words,
        }


@dataclass(frozen=True)
class CheckSettings:
    """The thresholds checks judge by; the server fills them from its settings."""

    signoff_escalate_days: int = 14
    borrowed_resources_max_days: int = 180
    field_report_stale_days: int = 60
    forum_shopping_min_tracks: int = 3


def government_key(orgs: Mapping[str, Organisation], key: str) -> str:
    """The government an organisation belongs to: its `government`, read through any parent it names.

    A directorate may give as its `government` the key of the ministry it belongs to
    (`"government": "varnia-mfa"`): it is part of that ministry, and so of the ministry's
    government. An organisation without one is a government of its own (its key).
    """
    seen = {key}
    org = orgs.get(key)
    gov = (org.government if org and org.government else None) or key
    while gov not in seen:
        parent = orgs.get(gov)
        if parent is None or not parent.government or parent.government == gov:
            break
        seen.add(gov)
        gov = parent.government
    return gov


def parent_department(orgs: Mapping[str, Organisation], key: str) -> str | None:
    """The department an organisation is part of, as the workspace says it; None if none.

    Said by its `government` naming the department (`"government": "varnia-mod"`), or by
    its name continuing the department's ("Varnia, Ministry of Defence, Logistics
    Directorate" under "Varnia, Ministry of Defence").
    """
    org = orgs.get(key)
    if org is None:
        return None
    named = orgs.get(org.government) if org.government and org.government != key else None
    if named is not None and named.kind == "department":
        return named.key
    for other in orgs.values():
        if other.key != key and other.kind == "department" and org.name.startswith(f"{other.name},"):
            return other.key
    return None


class Snapshot:
    """A workspace as plain data, with the look-ups checks need.

    `focus`, when set, names the initiatives whose change is being checked; checks may
    skip findings that touch none of them (the sweep sets no focus and sees all).
    """

    def __init__(
        self,
        ws: Workspace,
        today: dt.date | None = None,
        focus: set[str] | None = None,
        settings: CheckSettings | None = None,
    ):
        self.ws = ws
        self.settings = settings or CheckSettings()
        self.today: dt.date = today or ws.today or dt.date.today()
        self.focus: frozenset[str] | None = frozenset(focus) if focus is not None else None
        self.organisations = {o.key: o for o in ws.organisations}
        self.crises = {c.key: c for c in ws.crises}
        self.parties = {p.key: p for p in ws.parties}
        self.interlocutors = {x.key: x for x in ws.interlocutors}
        self.initiatives = {i.key: i for i in ws.initiatives}
        self.decisions = {d.key: d for d in ws.decisions}
        self.delegations = {d.key: d for d in ws.delegations}
        self.reports_by_initiative: dict[str, list[FieldReport]] = defaultdict(list)
        self.reports_by_crisis: dict[str, list[FieldReport]] = defaultdict(list)
        for r in ws.field_reports:
            crisis: str | None
            if r.initiative:
                self.reports_by_initiative[r.initiative].append(r)
                crisis = r.crisis or self.initiatives[r.initiative].crisis
            else:
                crisis = r.crisis
            if crisis:
                self.reports_by_crisis[crisis].append(r)
        self.decisions_by_initiative: dict[str, list[Decision]] = defaultdict(list)
        for d in ws.decisions:
            self.decisions_by_initiative[d.initiative].append(d)
        self.influencers: dict[str, list[Interlocutor]] = defaultdict(list)
        for x in ws.interlocutors:
            for p in x.influences:
                self.influencers[p].append(x)
        # Coordination links count both ways, whichever side recorded them.
        self.coordinated: dict[str, set[str]] = defaultdict(set)
        for i in ws.initiatives:
            for other in i.coordinated_with:
                self.coordinated[i.key].add(other)
                self.coordinated[other].add(i.key)

    @classmethod
    def from_document(cls, data: Any, focus: set[str] | None = None) -> Snapshot:
        return cls(parse_document(data), focus=focus)

    def government_of(self, org_key: str) -> str:
        return government_key(self.organisations, org_key)

    def departments_of(self, government: str) -> list[str]:
        return sorted(
            o.key
            for o in self.ws.organisations
            if o.kind == "department" and self.government_of(o.key) == government
        )

    def in_focus(self, *initiative_keys: str) -> bool:
        return self.focus is None or any(k in self.focus for k in initiative_keys)

    def is_running(self, i: Initiative) -> bool:
        """Active or paused and not past its end: a track that still commits its owner."""
        return i.status in ("active", "paused") and (i.end is None or i.end >= self.today)

    def superseded(self) -> set[str]:
        return {d.supersedes for d in self.ws.decisions if d.supersedes}
