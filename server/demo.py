"""The demo workspace: fictional states, crises and people, with a login per role.

Nothing here describes a real conflict, government or person: the states (Varnia,
Ostmark, Tessaly, Karstia, Halvia), the crises, the parties, the places and the people
are invented.

Three governments (Varnia and its allies Ostmark and Tessaly) with their departments,
a humanitarian organisation and a local network, two multilateral bodies; four crises;
about sixty tracks with their resources, leverage, metrics and field reports; a
decision log of a few hundred entries over six months. Most tracks are run well and
raise nothing. A few are not, so that every principle has at least one true alert
(`TRUE_ALERTS`), and a few come close without crossing the line (`NEAR_MISSES`).

The document is the same for the same `today`: dates are offsets from it, and what
varies from track to track (the decisions' words and dates) is drawn from a random
generator seeded with the track's key.
"""

from __future__ import annotations

import random
import zlib
from datetime import date, timedelta
from typing import Any

DEMO_PASSWORD = "accord-demo-2026"
NAME = "Inland Seas coordination (demo)"


class Day(int):
    """A date as days from the demo's today (negative: in the past)."""


def _org(key: str, name: str, kind: str, government: str | None) -> dict[str, Any]:
    return {"key": key, "name": name, "kind": kind, "government": government}


ORGANISATIONS = [
    # Varnia: the lead government of the demo.
    _org("varnia", "Republic of Varnia", "state", "varnia"),
    _org("varnia-mfa", "Varnia, Ministry of Foreign Affairs", "department", "varnia"),
    _org("varnia-dev", "Varnia, Development Cooperation Agency", "department", "varnia"),
    _org("varnia-fin", "Varnia, Ministry of Finance and Trade", "department", "varnia"),
    _org("varnia-def", "Varnia, Ministry of Defence", "department", "varnia"),
    _org("varnia-intel", "Varnia, Office of Intelligence Assessment", "department", "varnia"),
    # Ostmark and Tessaly: allied states.
    _org("ostmark", "Kingdom of Ostmark", "state", "ostmark"),
    _org("ostmark-fo", "Ostmark, Foreign Office", "department", "ostmark"),
    _org("ostmark-aid", "Ostmark, Aid Directorate", "department", "ostmark"),
    _org("ostmark-treasury", "Ostmark, Treasury", "department", "ostmark"),
    _org("ostmark-def", "Ostmark, Defence Staff", "department", "ostmark"),
    _org("tessaly", "Commonwealth of Tessaly", "state", "tessaly"),
    _org("tessaly-mer", "Tessaly, Ministry of External Relations", "department", "tessaly"),
    _org("tessaly-relief", "Tessaly, Relief and Recovery Office", "department", "tessaly"),
    # Outside any government.
    _org("relief-net", "Relief Network", "humanitarian_org", None),
    _org("meridian-medics", "Meridian Medical Corps", "humanitarian_org", None),
    _org("delta-women", "Delta Women's Network", "humanitarian_org", None),
    _org("lakes-forum", "Forum of the Inland Lakes", "multilateral", None),
    _org("seas-refugee-office", "Inland Seas Refugee Office", "multilateral", None),
]

CRISES = [
    {"key": "corridor", "name": "Eastern Corridor crisis", "region": "Eastern Corridor"},
    {"key": "delta", "name": "Saltmarsh Delta crisis", "region": "Saltmarsh Delta"},
    {"key": "highlands", "name": "Karst Highlands displacement", "region": "Karst Highlands"},
    {"key": "sundermere", "name": "Sundermere coastal siege", "region": "Sundermere Coast"},
]

PARTIES = [
    {"key": "lfa", "name": "Lowland Freedom Army", "kind": "armed_group"},
    {"key": "corridor-gov", "name": "Government of the Corridor Union", "kind": "state"},
    {"key": "delta-council", "name": "Delta Provisional Council", "kind": "de_facto_authority"},
    {"key": "reed-brigades", "name": "Reed Brigades", "kind": "armed_group"},
    {"key": "karst-front", "name": "Karst Liberation Front", "kind": "armed_group"},
    {"key": "karst-state", "name": "State of Karstia", "kind": "state"},
    {"key": "sunder-authority", "name": "Sundermere Interim Authority", "kind": "de_facto_authority"},
    {"key": "tide-militia", "name": "Tidewater Militia", "kind": "armed_group"},
    {"key": "halvia", "name": "Republic of Halvia", "kind": "state"},
]

# The Karst Liberation Front has no interlocutor mapped: D5's true alert.
INTERLOCUTORS = [
    {"key": "river-elders", "name": "Council of River Elders", "influences": ["lfa"]},
    {"key": "saltmarsh-clerics", "name": "Saltmarsh Clerical Assembly", "influences": ["delta-council"]},
    {"key": "reedland-coops", "name": "Reedland Fishing Cooperatives", "influences": ["reed-brigades"]},
    {
        "key": "lakes-envoy",
        "name": "Special Envoy of the Inland Lakes",
        "influences": ["corridor-gov", "karst-state", "sunder-authority"],
    },
    {"key": "halvia-merchants", "name": "Halvian Chamber of Merchants", "influences": ["halvia"]},
    {
        "key": "mott-harbourmasters",
        "name": "Harbourmasters of the Isle of Mott",
        "influences": ["tide-militia"],
    },
]

# (email, name, organisation, role): a login for every role, and for every kind of
# organisation (department, state, humanitarian organisation, multilateral body).
PEOPLE = [
    ("admin@varnia.example", "Ilka Moravec", "varnia-mfa", "admin"),
    ("coordinator@varnia.example", "Teodor Anselm", "varnia", "coordinator"),
    ("desk.mfa@varnia.example", "Alia Terzi", "varnia-mfa", "desk_officer"),
    ("desk.dev@varnia.example", "Ruben Kallas", "varnia-dev", "desk_officer"),
    ("desk.fin@varnia.example", "Marta Sorel", "varnia-fin", "desk_officer"),
    ("desk.def@varnia.example", "Jonah Brecht", "varnia-def", "desk_officer"),
    ("desk.fo@ostmark.example", "Helle Varga", "ostmark-fo", "desk_officer"),
    ("coordinator@ostmark.example", "Oskar Lindqvist", "ostmark", "coordinator"),
    ("reviewer@tessaly.example", "Nadia Quell", "tessaly", "partner_reviewer"),
    ("field@relief-net.example", "Samir Oduya", "relief-net", "field_contributor"),
    ("desk.aid@ostmark.example", "Ansgar Holm", "ostmark-aid", "desk_officer"),
    ("admin@ostmark.example", "Frida Nyholm", "ostmark-fo", "admin"),
    ("desk.mer@tessaly.example", "Corin Aldane", "tessaly-mer", "desk_officer"),
    ("envoy@lakes-forum.example", "Tobiah Renn", "lakes-forum", "desk_officer"),
    ("field@seas-refugee.example", "Dalia Fenwick", "seas-refugee-office", "field_contributor"),
    ("field@meridian.example", "Ines Marlow", "meridian-medics", "field_contributor"),
]

# Who signs for each organisation in the decision log (a state signs through its
# foreign ministry's desk).
SIGNERS = {
    "varnia": "Teodor Anselm",
    "varnia-mfa": "Alia Terzi",
    "varnia-dev": "Ruben Kallas",
    "varnia-fin": "Marta Sorel",
    "varnia-def": "Jonah Brecht",
    "varnia-intel": "Pella Varo",
    "ostmark": "Oskar Lindqvist",
    "ostmark-fo": "Helle Varga",
    "ostmark-aid": "Ansgar Holm",
    "ostmark-treasury": "Britt Solberg",
    "ostmark-def": "Edvin Rask",
    "tessaly": "Nadia Quell",
    "tessaly-mer": "Corin Aldane",
    "tessaly-relief": "Mira Castell",
    "lakes-forum": "Tobiah Renn",
    "seas-refugee-office": "Dalia Fenwick",
}
_SIGNS_FOR_STATE = {"varnia": "varnia-mfa", "ostmark": "ostmark-fo", "tessaly": "tessaly-mer"}

# What each principle's true alert is in the demo: (principle, finding kind, a subject).
TRUE_ALERTS = [
    ("D1", "single_source", "sunder-port-access"),  # Sundermere is reported on by NGOs only
    ("D2", "aid_as_leverage", "delta-aid-offer"),  # food aid offered for shipping-lane access
    ("D2", "depends_on_political_track", "sunder-evacuation"),  # evacuations wait on the envoy's talks
    ("D3", "agreement_without_monitoring", "delta-protection"),
    ("D3", "red_line_breach_unanswered", "delta-shelters"),
    ("D3", "no_red_lines", "corridor-ceasefire"),
    ("D4", "missing_signoff", "d-corridor-fund"),  # Finance has not signed for three weeks
    ("D4", "missing_signoff", "d-delta-protect"),  # Ostmark, a partner for sign-off, has not
    ("D4", "signoff_declined", "d-karst-grants"),
    ("D4", "acted_without_signoff", "d-karst-detention-visits"),
    ("D4", "resources_lapse", "karst-conference"),
    ("D4", "borrowed_resources", "karst-front-access"),
    ("D4", "no_dedicated_staff", "sunder-halvia"),
    ("D5", "no_interlocutor", "karst-front-access"),  # nobody mapped with influence on the Front
    ("N1", "humanitarian_ceasefire_wording", "corridor-ceasefire"),
    ("N2", "disengagement_without_impact_assessment", "karst-disengage"),
    ("N3", "symbolic_only", "ostmark-valleys"),
    ("N3", "symbolic_only", "karst-conference"),
    ("N4", "parallel_tracks", "corridor-access"),  # with Ostmark's ostmark-valleys
    ("N4", "parallel_tracks", "karst-front-access"),  # with Ostmark's karst-ostmark-access
    ("N5", "punitive_leverage_without_do_no_harm", "corridor-sanctions"),
]

# Near misses: tracks that come close to a principle's line without crossing it, so
# raise no alert of that principle. (principle, track, what makes it a near miss)
NEAR_MISSES = [
    (
        "D1",
        "delta-clinic-supplies",
        "its own reports all come from one NGO, but reports on its crisis come from UN "
        "agencies and local actors too, so it is informed by more than one kind of source",
    ),
    (
        "D2",
        "corridor-water",
        "a humanitarian track that waits on another humanitarian track (the mobile clinics), "
        "not on a political, security or economic one",
    ),
    (
        "D2",
        "delta-port-customs",
        "an economic track whose aid offer was lifted: a lifted offer is no longer leverage",
    ),
    (
        "D3",
        "delta-water",
        "a red line reported breached at Kessel Bay, answered two days later by a decision on the track",
    ),
    (
        "D3",
        "corridor-lakes-observers",
        "an agreement logged on a track that has compliance monitoring (the observers' monthly report)",
    ),
    (
        "D4",
        "corridor-water",
        "staff and funding lines that end on the track's last day: they last as long as it does",
    ),
    (
        "D4",
        "delta-mine-action",
        "a track on borrowed resources only, but short (150 days): only long tracks need their own",
    ),
    (
        "D4",
        "corridor-detainees",
        "every decision signed by every department it touches, including Finance for the sanctions it names",
    ),
    (
        "D5",
        "corridor-detainees",
        "engages the Lowland Freedom Army, an armed group, with the Council of River Elders "
        "mapped as having influence over it",
    ),
    (
        "N1",
        "corridor-line-monitoring",
        "a security track that monitors the Lowmoor ceasefire line: a ceasefire on its own, "
        "not access made to wait for one",
    ),
    (
        "N1",
        "sunder-port-access",
        "says access for relief ships is not conditional on any truce: the framing is denied",
    ),
    (
        "N2",
        "delta-council-review",
        "suspends ministerial contacts with the Delta Provisional Council after a humanitarian "
        "impact assessment, keeping the humanitarian channel open",
    ),
    (
        "N3",
        "corridor-cash",
        "counts ministerial visits, a symbolic metric, but also an outcome with a target "
        "(families receiving monthly cash)",
    ),
    (
        "N4",
        "sunder-fuel",
        "Ostmark's fuel track and Varnia's port-access track engage the same authority on "
        "the same aims at the same time, and are linked as coordinated",
    ),
    (
        "N4",
        "corridor-contact-group",
        "an earlier contact group on the Lowland Freedom Army, closed before the current access talks began",
    ),
    (
        "N5",
        "sunder-financiers",
        "active sanctions on the militia's financiers, with a do-no-harm analysis recorded",
    ),
    (
        "N5",
        "corridor-budget-support",
        "budget support proposed with conditions, with a do-no-harm analysis recorded",
    ),
]


# --------------------------------------------------------------------------- tracks


def _funding(org: str, amount: int, until: int | None, dedicated: bool = True) -> dict[str, Any]:
    return {
        "kind": "funding",
        "amount": amount,
        "currency": "EUR",
        "until": None if until is None else Day(until),
        "dedicated": dedicated,
        "org": org,
    }


def _staff(org: str, until: int | None, fte: float = 1.0, dedicated: bool = True) -> dict[str, Any]:
    return {"org": org, "fte": fte, "until": None if until is None else Day(until), "dedicated": dedicated}


def _outcome(name: str, target: str) -> dict[str, Any]:
    return {"name": name, "kind": "outcome", "target": target}


def _output(name: str) -> dict[str, Any]:
    return {"name": name, "kind": "output"}


def _symbolic(name: str) -> dict[str, Any]:
    return {"name": name, "kind": "symbolic"}


def _red(text: str, trigger: str | None = "pause", internal: bool = False) -> dict[str, Any]:
    line: dict[str, Any] = {"text": text, "trigger": trigger}
    if internal:
        line["internal"] = True
    return line


def _gov(government: str, level: str = "view") -> dict[str, Any]:
    return {"government": government, "level": level}


def _to(org: str, level: str = "view") -> dict[str, Any]:
    return {"org": org, "level": level}


# Where a track's decisions take place, and with whom: used by the decision texts.
_PLACE: dict[str, str] = {}


def _t(
    key: str,
    owner: str,
    title: str,
    crisis: str,
    kind: str = "humanitarian",
    *,
    place: str,
    parties: list[str],
    aims: list[str],
    objectives: list[str],
    start: int,
    end: int | None,
    metrics: list[dict[str, Any]],
    red_lines: list[dict[str, Any]] | None = None,
    staff: list[dict[str, Any]] | None = None,
    resources: list[dict[str, Any]] | None = None,
    budget: int = 300_000,
    **more: Any,
) -> dict[str, Any]:
    """A track, run well unless told otherwise.

    By default it has dedicated staff and funding of its owner that last exactly as long
    as it does, red lines with a trigger and the metrics given.
    """
    _PLACE[key] = place
    track: dict[str, Any] = {
        "key": key,
        "owner": owner,
        "title": title,
        "kind": kind,
        "crisis": crisis,
        "status": "active",
        "parties": parties,
        "aims": aims,
        "objectives": objectives,
        "start": Day(start),
        "end": None if end is None else Day(end),
        "red_lines": red_lines if red_lines is not None else [_red("no armed escorts for relief teams")],
        "staff": staff if staff is not None else [_staff(owner, end)],
        "resources": resources if resources is not None else [_funding(owner, budget, end)],
        "metrics": metrics,
    }
    track.update(more)
    return track


def _corridor() -> list[dict[str, Any]]:
    return [
        _t(
            "corridor-access",
            "varnia-mfa",
            "Access talks for the northern valleys",
            "corridor",
            place="Vell",
            description="Negotiate regular convoy access through the Lowland Freedom Army's checkpoints.",
            parties=["lfa"],
            aims=["humanitarian access to the northern valleys", "reopen checkpoints for aid convoys"],
            objectives=["weekly convoys reach Vell and Ostra"],
            start=-190,
            end=180,
            shared_with=[_gov("ostmark", "comment"), _to("relief-net")],
            red_lines=[
                _red("no armed escorts by parties"),
                _red("no fallback offer of a second negotiator before the partners agree", None, True),
            ],
            staff=[_staff("varnia-mfa", 180)],
            resources=[_funding("varnia-dev", 400_000, 180)],
            leverage=[
                {
                    "kind": "incentive",
                    "description": "Reconstruction fund access",
                    "status": "proposed",
                    "do_no_harm_assessment": True,
                    "org": "varnia-dev",
                }
            ],
            metrics=[_outcome("checkpoints reopened for aid convoys", "4 by September")],
        ),
        _t(
            "ostmark-valleys",
            "ostmark-fo",
            "Northern valleys humanitarian corridor initiative",
            "corridor",
            place="Ostra",
            description="Ostmark-led dialogue with the LFA to open a corridor for relief convoys to the valleys.",
            parties=["lfa"],
            aims=[
                "open a humanitarian corridor to the northern valleys",
                "convoy passage through checkpoints",
            ],
            objectives=["relief convoys pass LFA checkpoints"],
            start=-60,
            end=240,
            red_lines=[_red("no diversion of aid to fighters", "withdraw")],
            resources=[_funding("ostmark-aid", 350_000, 240)],
            metrics=[_symbolic("high-level visits to the region"), _symbolic("press statements issued")],
        ),
        _t(
            "corridor-ceasefire",
            "varnia-def",
            "Humanitarian truce for the corridor",
            "corridor",
            "security",
            place="Lowmoor",
            description="Broker a humanitarian truce so that aid can move.",
            parties=["lfa", "corridor-gov"],
            aims=["a humanitarian truce along the corridor"],
            objectives=["truce agreed by both sides"],
            start=-30,
            end=120,
            red_lines=[],
            staff=[_staff("varnia-def", 120)],
            resources=[_funding("varnia-def", 150_000, 120)],
            metrics=[{"name": "rounds of talks held", "kind": "output", "kind_inferred": True}],
        ),
        _t(
            "corridor-sanctions",
            "varnia-fin",
            "Targeted sanctions on corridor checkpoint commanders",
            "corridor",
            "economic",
            place="Brennick",
            description="Asset freezes on commanders obstructing aid.",
            parties=["lfa"],
            aims=["pressure commanders to stop obstructing aid"],
            objectives=["obstruction incidents fall"],
            start=-120,
            end=270,
            red_lines=[_red("sanctions must not block humanitarian payments", "recalibrate")],
            leverage=[
                {
                    "kind": "sanction",
                    "description": "Asset freezes on three commanders",
                    "status": "active",
                    "org": "varnia-fin",
                }
            ],
            metrics=[
                _outcome("obstruction incidents reported by humanitarian partners", "halved by year end")
            ],
        ),
        _t(
            "corridor-cash",
            "varnia-dev",
            "Cash assistance for displaced families in the corridor",
            "corridor",
            place="Lowmoor",
            parties=["corridor-gov"],
            aims=["cash programmes running for displaced families"],
            objectives=["20,000 families receive monthly cash"],
            start=-200,
            end=300,
            shared_with=[_to("relief-net", "comment")],
            red_lines=[_red("no registration data shared with parties", "withdraw")],
            budget=2_400_000,
            metrics=[
                _outcome("families receiving monthly cash transfers", "20,000"),
                _symbolic("ministerial visits to distribution sites"),
            ],
        ),
        _t(
            "corridor-returns",
            "tessaly-mer",
            "Tessalian good offices with the Corridor Union on returns",
            "corridor",
            "political",
            place="Tamsk",
            parties=["corridor-gov"],
            aims=["political dialogue on voluntary returns"],
            objectives=["returns framework agreed"],
            start=-110,
            end=200,
            shared_with=[_gov("varnia")],
            red_lines=[_red("no forced returns", "withdraw")],
            metrics=[_outcome("families returning voluntarily with assistance", "5,000")],
        ),
        _t(
            "corridor-contact-group",
            "varnia-mfa",
            "Earlier corridor contact group",
            "corridor",
            "political",
            place="Vell",
            parties=["lfa"],
            aims=["contact group on the corridor"],
            objectives=["a standing contact group"],
            start=-600,
            end=-200,
            status="closed",
            metrics=[],
        ),
        _t(
            "corridor-line-monitoring",
            "ostmark-def",
            "Monitoring of the Lowmoor ceasefire line",
            "corridor",
            "security",
            place="Lowmoor",
            description="Military observers report violations of the Lowmoor ceasefire line agreed last spring.",
            parties=["corridor-gov", "lfa"],
            aims=["the ceasefire line is respected", "violations are reported within a day"],
            objectives=["observer teams cover the whole line"],
            start=-150,
            end=210,
            red_lines=[_red("observers never escort relief convoys", "recalibrate")],
            coordinated_with=["corridor-ceasefire"],
            metrics=[_outcome("civilian casualties near the line", "fewer each quarter")],
        ),
        _t(
            "corridor-detainees",
            "varnia-mfa",
            "Release of detained aid workers held at Brennick",
            "corridor",
            place="Brennick",
            description="Quiet talks with the Lowland Freedom Army for the release of three detained aid workers.",
            parties=["lfa"],
            aims=["release of detained aid workers", "safe return to their organisations"],
            objectives=["all three aid workers released unharmed"],
            start=-95,
            end=160,
            coordinated_with=["corridor-access", "corridor-sanctions"],
            red_lines=[_red("no ransom paid", "withdraw")],
            metrics=[_outcome("detained aid workers released", "3 of 3")],
        ),
        _t(
            "corridor-clinics",
            "ostmark-aid",
            "Mobile clinics for the Tamsk valley",
            "corridor",
            place="Tamsk",
            parties=["corridor-gov"],
            aims=["mobile clinics reach the displaced in the Tamsk valley"],
            objectives=["six mobile clinics running every week"],
            start=-130,
            end=230,
            shared_with=[_gov("varnia", "comment")],
            red_lines=[_red("no patient data shared with the authorities", "withdraw")],
            metrics=[_outcome("consultations given by mobile clinics", "2,000 a month")],
        ),
        _t(
            "corridor-water",
            "varnia-dev",
            "Water network repairs in Ostra",
            "corridor",
            place="Ostra",
            parties=["corridor-gov"],
            aims=["safe water for Ostra's displaced households"],
            objectives=["the Ostra network pumps again"],
            start=-80,
            end=190,
            depends_on=["corridor-clinics"],
            coordinated_with=["corridor-clinics"],
            red_lines=[_red("no water points used as military positions")],
            metrics=[_outcome("households with safe water in Ostra", "6,000")],
        ),
        _t(
            "corridor-notification",
            "varnia-def",
            "Humanitarian notification system with the Corridor Union forces",
            "corridor",
            "security",
            place="Vell",
            parties=["corridor-gov"],
            aims=["relief movements notified to the forces and deconflicted"],
            objectives=["every notified movement acknowledged within 24 hours"],
            start=-160,
            end=220,
            red_lines=[_red("notification never turns into a request for permission", "recalibrate")],
            metrics=[_outcome("notified relief movements that passed unharmed", "all")],
        ),
        _t(
            "corridor-grain",
            "varnia-fin",
            "Reopening of the Vell grain market",
            "corridor",
            "economic",
            place="Vell",
            parties=["corridor-gov"],
            aims=["grain traders return to the Vell market"],
            objectives=["the market opens three days a week"],
            start=-70,
            end=250,
            red_lines=[_red("no exclusive licences for traders linked to the parties", "recalibrate")],
            leverage=[
                {
                    "kind": "incentive",
                    "description": "Trade credit line for grain traders",
                    "status": "active",
                    "do_no_harm_assessment": True,
                    "org": "varnia-fin",
                }
            ],
            metrics=[_outcome("price of a sack of grain in Vell", "back to last year's level")],
        ),
        _t(
            "corridor-lakes-observers",
            "lakes-forum",
            "Inland Lakes observers for the corridor access arrangement",
            "corridor",
            "political",
            place="Brennick",
            parties=["lfa", "corridor-gov"],
            aims=["an agreed arrangement for relief movements, observed by the Forum"],
            objectives=["observers at every crossing"],
            start=-175,
            end=200,
            shared_with=[_gov("varnia"), _gov("ostmark")],
            coordinated_with=["corridor-access", "ostmark-valleys", "corridor-notification"],
            compliance_monitoring="the observers' mission reports monthly to both parties",
            red_lines=[_red("no observer posts at military positions", "withdraw")],
            metrics=[_outcome("crossings open to relief movements", "5 of 6")],
        ),
        _t(
            "corridor-protection",
            "tessaly-relief",
            "Protection of displaced women in the Lowmoor camps",
            "corridor",
            place="Lowmoor",
            parties=["corridor-gov"],
            aims=["safe spaces and case management for women in the camps"],
            objectives=["a safe space in each of the four camps"],
            start=-140,
            end=260,
            shared_with=[_gov("varnia", "comment")],
            coordinated_with=["corridor-cash"],
            red_lines=[_red("no survivor data leaves the case workers", "withdraw")],
            metrics=[_outcome("women reached by case management", "1,500")],
        ),
        _t(
            "corridor-budget-support",
            "ostmark-treasury",
            "Budget support to the Corridor Union's health ministry",
            "corridor",
            "economic",
            place="Tamsk",
            parties=["corridor-gov"],
            aims=["health workers in the corridor paid on time"],
            objectives=["salaries paid each month"],
            start=-100,
            end=280,
            red_lines=[_red("no support that frees funds for the armed forces", "withdraw")],
            leverage=[
                {
                    "kind": "conditionality",
                    "description": "Second tranche conditional on published health payrolls",
                    "status": "proposed",
                    "do_no_harm_assessment": True,
                    "org": "ostmark-treasury",
                }
            ],
            metrics=[_outcome("health workers paid on time", "95% each month")],
        ),
        _t(
            "corridor-incident-analysis",
            "varnia-intel",
            "Shared analysis of checkpoint incidents for the access talks",
            "corridor",
            "security",
            place="Brennick",
            description="A monthly picture of incidents at the checkpoints, shared with the access negotiators.",
            parties=["lfa"],
            aims=["negotiators know where and why relief movements are stopped"],
            objectives=["a monthly incident picture before every round of talks"],
            start=-150,
            end=240,
            red_lines=[_red("no sources among humanitarian staff", "withdraw")],
            metrics=[_outcome("incident pictures delivered before a round of talks", "every round")],
        ),
        _t(
            "corridor-shelter",
            "ostmark-aid",
            "Winter shelter in the Lowmoor camps",
            "corridor",
            place="Lowmoor",
            parties=["corridor-gov"],
            aims=["insulated shelter for camp families before winter"],
            objectives=["3,000 shelters insulated"],
            start=-90,
            end=150,
            coordinated_with=["corridor-protection", "corridor-cash"],
            red_lines=[_red("no relocation of families without consent", "pause")],
            metrics=[_outcome("families in insulated shelter", "3,000")],
        ),
    ]


def _delta() -> list[dict[str, Any]]:
    return [
        _t(
            "delta-protection",
            "varnia-mfa",
            "Protection of civilians dialogue with the Delta Council",
            "delta",
            place="Marsh Point",
            parties=["delta-council"],
            aims=["protection of civilians in the delta", "end attacks on clinics"],
            objectives=["clinics reopen safely"],
            start=-100,
            end=200,
            shared_with=[_gov("ostmark", "sign-off")],
            red_lines=[
                _red("no attacks on clinics", "pause"),
                _red("no public attribution of strikes before the families are told", None, True),
            ],
            metrics=[_outcome("clinics operating safely", "12")],
        ),
        _t(
            "delta-ostmark-protection",
            "ostmark-fo",
            "Safeguarding delta health facilities",
            "delta",
            place="Marsh Point",
            description="Engage the Provisional Council on protection of health care and clinics.",
            parties=["delta-council"],
            aims=["protect clinics and health workers in the delta"],
            objectives=["health workers can reach clinics"],
            start=-50,
            end=150,
            red_lines=[_red("no military use of clinics", "pause")],
            metrics=[_outcome("health facilities functioning", "10")],
        ),
        _t(
            "delta-fisheries",
            "varnia-fin",
            "Delta fisheries trade talks",
            "delta",
            "economic",
            place="Port Avel",
            parties=["delta-council"],
            aims=["restore fisheries exports"],
            objectives=["export licences issued"],
            start=-20,
            end=300,
            red_lines=[_red("no licences for boats used by armed groups", "recalibrate")],
            leverage=[
                {
                    "kind": "conditionality",
                    "description": "Export licences conditional on port access",
                    "status": "proposed",
                    "org": "varnia-fin",
                }
            ],
            metrics=[_symbolic("trade conference held")],
        ),
        _t(
            "delta-aid-offer",
            "varnia-def",
            "Maritime security cooperation with the delta",
            "delta",
            "security",
            place="Kessel Bay",
            parties=["reed-brigades"],
            aims=["secure shipping lanes"],
            objectives=["shipping lanes patrolled"],
            start=-10,
            end=200,
            red_lines=[],
            staff=[_staff("varnia-def", 200)],
            resources=[_funding("varnia-def", 250_000, 200)],
            leverage=[
                {
                    "kind": "aid_offer",
                    "description": "Food aid offered in return for shipping lane access",
                    "status": "proposed",
                    "org": "varnia-dev",
                }
            ],
            metrics=[_output("patrols conducted")],
        ),
        _t(
            "delta-reed-contact",
            "varnia-mfa",
            "Contacts with the Reed Brigades",
            "delta",
            "political",
            place="Linden Reach",
            parties=["reed-brigades"],
            aims=["maintain a channel to the brigades"],
            objectives=["channel kept open"],
            start=-300,
            end=100,
            red_lines=[_red("no payments to armed groups", "withdraw")],
            metrics=[_outcome("aid worker detentions resolved through the channel", "all within 14 days")],
        ),
        _t(
            "delta-lakes",
            "lakes-forum",
            "Inland Lakes mediation on the delta",
            "delta",
            "political",
            place="Port Avel",
            parties=["delta-council", "reed-brigades"],
            aims=["a local access agreement"],
            objectives=["local access agreement signed"],
            start=-80,
            end=150,
            shared_with=[_gov("varnia"), _gov("ostmark")],
            coordinated_with=["delta-protection", "delta-reed-contact"],
            red_lines=[_red("no exclusion of local actors", "recalibrate")],
            metrics=[_outcome("villages reached under the access agreement", "30")],
        ),
        _t(
            "delta-livelihoods",
            "varnia-dev",
            "Delta livelihoods recovery (draft)",
            "delta",
            place="Linden Reach",
            parties=["delta-council"],
            aims=["livelihoods recovery"],
            objectives=[],
            start=30,
            end=400,
            status="draft",
            red_lines=[],
            metrics=[],
        ),
        _t(
            "delta-clinic-supplies",
            "ostmark-aid",
            "Medical supply line to Marsh Point",
            "delta",
            place="Marsh Point",
            parties=["delta-council"],
            aims=["medicines reach the Marsh Point clinics every fortnight"],
            objectives=["no clinic runs out of essential medicines"],
            start=-120,
            end=200,
            coordinated_with=["delta-protection", "delta-ostmark-protection"],
            red_lines=[_red("no medicines handed to armed men", "pause")],
            metrics=[_outcome("clinics with essential medicines in stock", "all 12")],
        ),
        _t(
            "delta-water",
            "varnia-dev",
            "Safe water for Kessel Bay",
            "delta",
            place="Kessel Bay",
            parties=["delta-council"],
            aims=["repair the Kessel Bay water points"],
            objectives=["nine water points running"],
            start=-150,
            end=180,
            shared_with=[_to("relief-net")],
            red_lines=[_red("no water points used as military positions", "pause")],
            metrics=[_outcome("people with safe water within 500 metres", "18,000")],
        ),
        _t(
            "delta-shelters",
            "varnia-dev",
            "Collective shelters in Linden Reach",
            "delta",
            place="Linden Reach",
            parties=["reed-brigades", "delta-council"],
            aims=["safe collective shelter for families who fled the dykes"],
            objectives=["four shelters run by the community"],
            start=-110,
            end=210,
            shared_with=[_to("relief-net")],
            red_lines=[_red("no armed presence in shelters", "pause")],
            metrics=[_outcome("families sheltered safely", "800")],
        ),
        _t(
            "delta-schools",
            "tessaly-relief",
            "Schools back in Port Avel",
            "delta",
            place="Port Avel",
            parties=["delta-council"],
            aims=["children back in school in Port Avel"],
            objectives=["twelve schools reopened"],
            start=-90,
            end=300,
            shared_with=[_gov("varnia")],
            red_lines=[_red("no schools used as shelters or barracks", "recalibrate")],
            metrics=[_outcome("children attending school", "4,000")],
        ),
        _t(
            "delta-mine-action",
            "ostmark-def",
            "Mine clearance along the Linden Reach dykes",
            "delta",
            "security",
            place="Linden Reach",
            parties=["delta-council"],
            aims=["clear mines from the dykes so families can return"],
            objectives=["the dyke road cleared"],
            start=-60,
            end=90,
            staff=[_staff("ostmark-def", 90)],
            resources=[_funding("ostmark-def", 180_000, 90, dedicated=False)],
            red_lines=[_red("no clearance that serves a military advance", "withdraw")],
            metrics=[_outcome("kilometres of dyke road cleared", "14")],
        ),
        _t(
            "delta-port-customs",
            "varnia-fin",
            "Port Avel customs arrangement for relief cargo",
            "delta",
            "economic",
            place="Port Avel",
            parties=["delta-council"],
            aims=["relief cargo cleared at Port Avel within two days"],
            objectives=["a customs window for relief cargo"],
            start=-130,
            end=220,
            coordinated_with=["delta-fisheries"],
            red_lines=[_red("no fees on relief cargo", "recalibrate")],
            leverage=[
                {
                    "kind": "aid_offer",
                    "description": "Port equipment offered to the council",
                    "status": "lifted",
                    "org": "varnia-dev",
                }
            ],
            metrics=[_outcome("days to clear relief cargo", "2 or fewer")],
        ),
        _t(
            "delta-council-review",
            "ostmark-fo",
            "Review of contacts with the Delta Provisional Council",
            "delta",
            "political",
            place="Port Avel",
            parties=["delta-council"],
            aims=["a stance on the council after the clinic strikes"],
            objectives=["a reviewed contact policy"],
            start=-40,
            end=120,
            impact_assessment=True,
            coordinated_with=["delta-ostmark-protection"],
            red_lines=[_red("keep the humanitarian channel open", "recalibrate")],
            metrics=[_outcome("humanitarian notifications answered by the council", "within 48 hours")],
        ),
        _t(
            "delta-radio",
            "tessaly-mer",
            "Community radio on safe routes in the delta",
            "delta",
            place="Linden Reach",
            parties=["delta-council", "reed-brigades"],
            aims=["families know which routes and services are safe"],
            objectives=["a daily broadcast in the two local languages"],
            start=-105,
            end=200,
            red_lines=[_red("no broadcast content approved by a party", "recalibrate")],
            metrics=[
                _outcome("listeners who used a route or service they heard about", "half of households")
            ],
        ),
        _t(
            "delta-women-leaders",
            "tessaly-mer",
            "Women's voices in the delta talks",
            "delta",
            "political",
            place="Marsh Point",
            parties=["delta-council"],
            aims=["women's organisations take part in the local talks"],
            objectives=["a seat for the Delta Women's Network at the table"],
            start=-75,
            end=240,
            shared_with=[_to("delta-women", "comment")],
            coordinated_with=["delta-lakes"],
            red_lines=[_red("no talks that exclude local women's organisations", "recalibrate")],
            metrics=[_outcome("local agreements negotiated with women's organisations present", "all")],
        ),
    ]


def _highlands() -> list[dict[str, Any]]:
    return [
        _t(
            "karst-returns",
            "varnia-dev",
            "Safe returns to the Karst Highlands",
            "highlands",
            place="Dorn",
            parties=["karst-state"],
            aims=["voluntary safe returns", "restore services in return areas"],
            objectives=["returnees have water and schooling"],
            start=-150,
            end=400,
            shared_with=[_gov("ostmark"), _gov("tessaly", "comment")],
            red_lines=[_red("no forced returns", "withdraw")],
            metrics=[_outcome("returnee households with water access", "3,000")],
        ),
        _t(
            "karst-front-access",
            "varnia-mfa",
            "Access negotiations with the Karst Liberation Front",
            "highlands",
            place="Upper Vask",
            parties=["karst-front"],
            aims=["humanitarian access to front-held valleys"],
            objectives=["monthly missions reach front-held valleys"],
            start=-70,
            end=210,
            red_lines=[_red("no taxation of aid at checkpoints", "pause")],
            resources=[_funding("varnia-mfa", 120_000, 210, dedicated=False)],
            metrics=[_outcome("relief missions that reached front-held valleys", "1 a month")],
        ),
        _t(
            "karst-ostmark-access",
            "ostmark-aid",
            "Relief access to highland valleys held by the Front",
            "highlands",
            place="Upper Vask",
            description="Negotiate humanitarian access with the Karst Liberation Front for relief missions.",
            parties=["karst-front"],
            aims=["relief missions reach valleys held by the front"],
            objectives=["relief missions reach the valleys"],
            start=-40,
            end=250,
            red_lines=[_red("no armed escorts", "pause")],
            metrics=[_outcome("relief missions completed in front-held valleys", "2 per month")],
        ),
        _t(
            "karst-tessaly",
            "tessaly-mer",
            "Tessalian dialogue with the Karst Front",
            "highlands",
            "political",
            place="Kell Pass",
            parties=["karst-front"],
            aims=["a channel to the front's leadership on detained aid workers"],
            objectives=["channel established"],
            start=-30,
            end=180,
            coordinated_with=["karst-front-access"],
            red_lines=[_red("no recognition of front administration", "recalibrate")],
            metrics=[_outcome("detained aid workers released", "all")],
        ),
        _t(
            "karst-disengage",
            "varnia-mfa",
            "Review of contacts with the State of Karstia",
            "highlands",
            "political",
            place="Dorn",
            parties=["karst-state"],
            aims=["review diplomatic contacts"],
            objectives=["decision on contacts"],
            start=-15,
            end=120,
            red_lines=[_red("keep a humanitarian channel", "recalibrate")],
            metrics=[_outcome("humanitarian notifications acknowledged by Karstia", "within 48 hours")],
        ),
        _t(
            "karst-conference",
            "varnia-mfa",
            "Highlands pledging conference",
            "highlands",
            place="Dorn",
            parties=["karst-state"],
            aims=["raise funds for the highlands response"],
            objectives=["pledges secured"],
            start=-60,
            end=90,
            red_lines=[],
            staff=[_staff("varnia-mfa", 30)],
            metrics=[_symbolic("pledging conference held"), _symbolic("announcements of new pledges")],
        ),
        _t(
            "karst-winter",
            "ostmark-aid",
            "Winter shelter for Tallow camp",
            "highlands",
            place="Tallow camp",
            parties=["karst-state"],
            aims=["families in Tallow camp sheltered through the winter"],
            objectives=["every family in a winterised tent or a room"],
            start=-100,
            end=160,
            shared_with=[_gov("varnia", "comment")],
            coordinated_with=["karst-returns"],
            red_lines=[_red("no camp closures during winter", "pause")],
            metrics=[_outcome("families in winterised shelter", "2,200")],
        ),
        _t(
            "karst-schools",
            "tessaly-relief",
            "Schools in the return areas of Dorn",
            "highlands",
            place="Dorn",
            parties=["karst-state"],
            aims=["schools open for returning children"],
            objectives=["eight schools with teachers paid"],
            start=-120,
            end=330,
            shared_with=[_gov("varnia")],
            coordinated_with=["karst-returns"],
            red_lines=[_red("no schools used for military purposes", "recalibrate")],
            metrics=[_outcome("returning children in school", "1,800")],
        ),
        _t(
            "karst-mine-risk",
            "varnia-def",
            "Mine risk education and clearance at Kell Pass",
            "highlands",
            "security",
            place="Kell Pass",
            parties=["karst-state"],
            aims=["safe passage through Kell Pass for returning families"],
            objectives=["the pass cleared and marked"],
            start=-85,
            end=200,
            red_lines=[_red("no clearance escorted by the Karstian army", "recalibrate")],
            metrics=[_outcome("mine incidents among returnees", "none")],
        ),
        _t(
            "karst-grants",
            "varnia-dev",
            "Livelihood grants in Upper Vask",
            "highlands",
            place="Upper Vask",
            parties=["karst-state"],
            aims=["returning farmers restart their holdings"],
            objectives=["1,000 grants paid before the sowing season"],
            start=-65,
            end=230,
            red_lines=[_red("no grants channelled through local officials", "recalibrate")],
            metrics=[_outcome("farming households back on their land", "1,000")],
        ),
        _t(
            "karst-detention",
            "varnia-mfa",
            "Detention monitoring with Karstia",
            "highlands",
            "political",
            place="Dorn",
            parties=["karst-state"],
            aims=["independent visits to people detained after the displacement"],
            objectives=["monthly visits to every detention site"],
            start=-95,
            end=260,
            compliance_monitoring="the visiting teams report to both governments after each visit",
            red_lines=[_red("no visits without private interviews", "withdraw")],
            metrics=[_outcome("detention sites visited each month", "all 9")],
        ),
        _t(
            "karst-registration",
            "seas-refugee-office",
            "Registration of returnees to the Karst Highlands",
            "highlands",
            place="Tallow camp",
            parties=["karst-state"],
            aims=["every returnee registered and documented"],
            objectives=["registration points in Dorn and Tallow camp"],
            start=-160,
            end=360,
            shared_with=[_gov("varnia"), _gov("ostmark")],
            coordinated_with=["karst-returns"],
            red_lines=[_red("no registration data shared with security services", "withdraw")],
            metrics=[_outcome("returnees holding civil documents", "9,000")],
        ),
        _t(
            "karst-property",
            "ostmark-fo",
            "Talks with Karstia on returnees' property",
            "highlands",
            "political",
            place="Upper Vask",
            parties=["karst-state"],
            aims=["returnees recover their homes and land"],
            objectives=["a property commission with returnee members"],
            start=-115,
            end=300,
            red_lines=[_red("no restitution that requires returnees to renounce claims", "withdraw")],
            metrics=[_outcome("property claims settled", "2,000")],
        ),
        _t(
            "karst-legal-aid",
            "tessaly-relief",
            "Legal aid for returnees' property claims",
            "highlands",
            place="Upper Vask",
            parties=["karst-state"],
            aims=["returnees can file and follow their claims"],
            objectives=["legal aid desks in three towns"],
            start=-90,
            end=300,
            red_lines=[_red("no claimant files shared with the authorities", "withdraw")],
            metrics=[_outcome("claims filed with legal aid", "3,000")],
        ),
        _t(
            "karst-health",
            "ostmark-aid",
            "Primary health care in the return areas",
            "highlands",
            place="Dorn",
            parties=["karst-state"],
            aims=["clinics open in every return village"],
            objectives=["ten clinics staffed"],
            start=-140,
            end=280,
            coordinated_with=["karst-returns", "karst-registration"],
            red_lines=[_red("no clinics inside military compounds", "pause")],
            metrics=[_outcome("return villages within an hour of a clinic", "all")],
        ),
    ]


def _sundermere() -> list[dict[str, Any]]:
    return [
        _t(
            "sunder-port-access",
            "varnia-mfa",
            "Sea access for relief ships to Port Sunder",
            "sundermere",
            place="Port Sunder",
            description=(
                "Talks with the Interim Authority on berths for relief ships. Access for relief ships "
                "is owed under international humanitarian law and is not conditional on any truce."
            ),
            parties=["sunder-authority"],
            aims=["relief ships berth at Port Sunder every week"],
            objectives=["a weekly berth for relief ships"],
            start=-120,
            end=240,
            shared_with=[_gov("ostmark", "comment"), _to("lakes-forum")],
            coordinated_with=["sunder-fuel"],
            red_lines=[_red("no inspection of relief cargo by armed men", "pause")],
            metrics=[_outcome("relief ships unloaded at Port Sunder", "1 a week")],
        ),
        _t(
            "sunder-fuel",
            "ostmark-aid",
            "Fuel for Port Sunder's desalination plant",
            "sundermere",
            place="Port Sunder",
            parties=["sunder-authority"],
            aims=["relief fuel reaches Port Sunder for the desalination plant"],
            objectives=["the plant runs every day"],
            start=-100,
            end=220,
            shared_with=[_gov("varnia", "comment")],
            red_lines=[_red("no fuel diverted to the authority's vehicles", "withdraw")],
            metrics=[_outcome("litres of drinking water produced a day", "2 million")],
        ),
        _t(
            "sunder-halvia",
            "varnia-mfa",
            "Dialogue with Halvia on the Saltstone crossing",
            "sundermere",
            "political",
            place="Saltstone",
            parties=["halvia"],
            aims=["the Saltstone crossing opens for people fleeing the coast"],
            objectives=["a crossing open every day"],
            start=-55,
            end=200,
            staff=[_staff("varnia-mfa", -5, 0.5)],
            red_lines=[_red("no returns of people who crossed", "withdraw")],
            metrics=[_outcome("people crossing at Saltstone in safety", "all who seek to")],
        ),
        _t(
            "sunder-militia",
            "tessaly-mer",
            "A channel to the Tidewater Militia",
            "sundermere",
            "political",
            place="Isle of Mott",
            parties=["tide-militia"],
            aims=["a channel for humanitarian notifications to the militia"],
            objectives=["a named focal point in the militia"],
            start=-70,
            end=190,
            shared_with=[_gov("varnia")],
            red_lines=[_red("no legitimacy lent to the militia's administration", "recalibrate")],
            metrics=[_outcome("notifications acknowledged by the militia", "within a day")],
        ),
        _t(
            "sunder-evacuation",
            "ostmark-fo",
            "Medical evacuations from the Isle of Mott",
            "sundermere",
            place="Isle of Mott",
            parties=["tide-militia", "sunder-authority"],
            aims=["the sick and wounded leave the island for treatment"],
            objectives=["an evacuation boat every week"],
            start=-45,
            end=170,
            depends_on=["sunder-lakes"],
            coordinated_with=["sunder-lakes"],
            red_lines=[_red("no evacuee handed over to a party", "withdraw")],
            metrics=[_outcome("patients evacuated for treatment", "40 a month")],
        ),
        _t(
            "sunder-lakes",
            "lakes-forum",
            "Inland Lakes envoy on the Sundermere siege",
            "sundermere",
            "political",
            place="Greyhaven",
            parties=["sunder-authority", "tide-militia", "halvia"],
            aims=["talks between the authority and the militia on the siege"],
            objectives=["a first direct meeting"],
            start=-130,
            end=260,
            shared_with=[_gov("varnia"), _gov("ostmark"), _gov("tessaly")],
            coordinated_with=["sunder-militia", "sunder-halvia"],
            red_lines=[_red("no talks that trade away civilians' freedom of movement", "withdraw")],
            metrics=[_outcome("weeks without shelling of Greyhaven", "8 in a row")],
        ),
        _t(
            "sunder-financiers",
            "varnia-fin",
            "Targeted measures on the Tidewater Militia's financiers",
            "sundermere",
            "economic",
            place="Greyhaven",
            parties=["tide-militia"],
            aims=["cut the militia's income from the fuel trade"],
            objectives=["the main financiers' assets frozen"],
            start=-90,
            end=270,
            coordinated_with=["sunder-militia"],
            red_lines=[_red("no measure that stops fuel for the desalination plant", "recalibrate")],
            leverage=[
                {
                    "kind": "sanction",
                    "description": "Asset freezes on four financiers of the militia",
                    "status": "active",
                    "do_no_harm_assessment": True,
                    "org": "varnia-fin",
                }
            ],
            metrics=[_outcome("militia checkpoints taxing relief goods", "none")],
        ),
        _t(
            "sunder-cash",
            "varnia-dev",
            "Cash for fishing families in Greyhaven",
            "sundermere",
            place="Greyhaven",
            parties=["sunder-authority"],
            aims=["fishing families who lost their boats meet their needs"],
            objectives=["monthly cash for 4,000 families"],
            start=-80,
            end=260,
            shared_with=[_to("relief-net", "comment")],
            coordinated_with=["sunder-port-access"],
            red_lines=[_red("no lists of recipients given to the authority", "withdraw")],
            metrics=[_outcome("families receiving monthly cash", "4,000")],
        ),
        _t(
            "sunder-boats",
            "ostmark-treasury",
            "Insurance for fishing boats returning to Greyhaven",
            "sundermere",
            "economic",
            place="Greyhaven",
            parties=["sunder-authority"],
            aims=["fishing families can put to sea again"],
            objectives=["an insurance scheme for small boats"],
            start=-75,
            end=280,
            red_lines=[_red("no scheme that pays fees to the authority", "recalibrate")],
            metrics=[_outcome("boats back at sea with insurance", "600")],
        ),
        _t(
            "sunder-ship-notification",
            "varnia-def",
            "Deconfliction of relief ships off Port Sunder",
            "sundermere",
            "security",
            place="Port Sunder",
            parties=["sunder-authority", "tide-militia"],
            aims=["relief ships notified to both sides and left unharmed"],
            objectives=["every relief ship notified 48 hours ahead"],
            start=-100,
            end=240,
            red_lines=[_red("no naval escort of relief ships", "recalibrate")],
            metrics=[_outcome("relief ships that arrived unharmed", "all")],
        ),
        _t(
            "sunder-hospital",
            "tessaly-relief",
            "Keeping Greyhaven hospital running",
            "sundermere",
            place="Greyhaven",
            parties=["sunder-authority"],
            aims=["the hospital keeps its power, staff and medicines"],
            objectives=["the hospital never closes"],
            start=-60,
            end=210,
            shared_with=[_gov("varnia")],
            coordinated_with=["sunder-fuel"],
            red_lines=[_red("no armed men inside the hospital", "pause")],
            metrics=[_outcome("days the hospital's surgery ran", "every day")],
        ),
    ]


# --------------------------------------------------------------------------- decisions

# Texts of routine decisions, by the track's kind: {place} and {party} are filled in.
_ROUTINE = {
    "humanitarian": [
        "Agree the monthly access plan for {place} with the humanitarian organisations on the ground.",
        "Send the access negotiator to {place} for a second round with {party}.",
        "Share the field picture from {place} with the other desks before the next round.",
        "Raise the detention of two local aid workers with {party}.",
        "Fund a local interpreter team for the talks on {place}.",
        "Ask {party} for written guarantees for health workers travelling to {place}.",
        "Adopt the joint access monitoring grid proposed by the Relief Network for {place}.",
        "Brief the allied missions on the state of access to {place}.",
        "Extend the negotiator's posting in {place} to the end of the track.",
        "Put the access constraints reported in {place} on the agenda of the next meeting with {party}.",
        "Hire two community liaison officers from {place}.",
        "Invite the local relief committees of {place} to the next planning meeting.",
    ],
    "political": [
        "Hold the next round with {party} near {place}.",
        "Name a deputy envoy for the talks with {party}.",
        "Share the talking points on the protection of civilians with the allied missions.",
        "Put the treatment of displaced families in {place} on the agenda with {party}.",
        "Ask {party} to name a focal point for humanitarian notifications.",
        "Brief the humanitarian organisations on the outcome of the last round in {place}.",
        "Invite the Forum of the Inland Lakes as an observer to the next round with {party}.",
    ],
    "security": [
        "Post two liaison officers to the notification cell for {place}.",
        "Share the deconfliction map of {place} with the humanitarian organisations.",
        "Train the units deployed near {place} on the protection of civilians.",
        "Review the rules on escorts near {place} with the humanitarian organisations.",
        "Report the observers' findings from {place} to the allied missions every month.",
    ],
    "economic": [
        "Open a customs window for relief cargo at {place}.",
        "Ask the central bank for a payment channel for relief salaries in {place}.",
        "Review the price of staple food in {place} with the traders' association.",
        "Exempt humanitarian payments to {place} from the new banking rules.",
        "Commission a market study of {place} from the development agency.",
    ],
}
_AGREEMENTS = [
    "Agreement with {party} on regular passage of relief teams to {place}.",
    "Sign the local arrangement on the movement of health workers around {place}.",
]

# Decisions written for the demo's stories; their sign-offs are given here, not computed.
# (key, track, day, kind, text, touches, sign-offs as (org, day) or (org, day, declined reason))
_STORY: list[dict[str, Any]] = [
    {
        # The first entry of the log, signed by both departments it touches.
        "key": "d-corridor-desk",
        "initiative": "corridor-access",
        "date": Day(-182),
        "text": "Open a joint access desk for the Eastern Corridor with the development agency.",
        "kind": "other",
        "touches_departments": ["varnia-mfa", "varnia-dev"],
        "signoffs": [("varnia-mfa", -182), ("varnia-dev", -181)],
    },
    {
        # D4, true alert: Finance, responsible for a reconstruction fund, has not signed.
        "key": "d-corridor-fund",
        "initiative": "corridor-access",
        "date": Day(-20),
        "text": "Offer the reconstruction fund in exchange for convoy access.",
        "kind": "leverage",
        "touches_departments": ["varnia-mfa", "varnia-dev", "varnia-fin"],
        "signoffs": [("varnia-mfa", -20), ("varnia-dev", -18)],
    },
    {
        # Kept within Varnia: its partners on the track never read it.
        "key": "d-corridor-fallback",
        "initiative": "corridor-access",
        "date": Day(-16),
        "text": "Keep the fallback of a second negotiator within Varnia until the partners agree.",
        "kind": "other",
        "touches_departments": ["varnia-mfa"],
        "internal": True,
        "signoffs": [("varnia-mfa", -16), ("varnia-dev", -15)],
    },
    {
        # D4, true alert: the foreign ministry has not signed the extension.
        "key": "d-sanctions-extend",
        "initiative": "corridor-sanctions",
        "date": Day(-6),
        "text": "Extend the asset freezes to two more commanders.",
        "kind": "leverage",
        "touches_departments": ["varnia-fin", "varnia-mfa"],
        "signoffs": [("varnia-fin", -6)],
    },
    {
        # D3 and D4, true alerts: an agreement with no compliance monitoring, and Ostmark
        # (a partner for sign-off on this track) has not signed.
        "key": "d-delta-protect",
        "initiative": "delta-protection",
        "date": Day(-3),
        "text": "Agreement with the Delta Council on safe passage for health workers to the Marsh Point clinics.",
        "kind": "agreement",
        "touches_departments": ["varnia-mfa", "ostmark"],
        "signoffs": [("varnia-mfa", -3)],
    },
    {
        # N2, true alert: contacts suspended with no humanitarian impact assessment.
        "key": "d-karst-suspend",
        "initiative": "karst-disengage",
        "date": Day(-2),
        "text": "Suspend high-level contacts with Karstia pending review.",
        "kind": "disengagement",
        "touches_departments": ["varnia-mfa"],
        "signoffs": [("varnia-mfa", -2)],
    },
    {
        # N2, near miss: the same step, taken after an impact assessment.
        "key": "d-delta-council-contacts",
        "initiative": "delta-council-review",
        "date": Day(-12),
        "text": (
            "Suspend ministerial contacts with the Delta Provisional Council; the working-level "
            "humanitarian channel stays open."
        ),
        "kind": "disengagement",
        "touches_departments": ["ostmark-fo"],
        "signoffs": [("ostmark-fo", -12)],
    },
    {
        # D3, near miss: the breach reported at Kessel Bay is answered two days later.
        "key": "d-delta-water-breach",
        "initiative": "delta-water",
        "date": Day(-38),
        "text": "Move the Kessel Bay repair teams to the northern water points while the council removes its post.",
        "kind": "other",
        "touches_departments": ["varnia-dev"],
        "signoffs": [("varnia-dev", -38)],
    },
    {
        # D3, near miss: an agreement on a track whose observers monitor compliance.
        "key": "d-corridor-crossings",
        "initiative": "corridor-lakes-observers",
        "date": Day(-45),
        "text": "Agreement with both parties on the opening hours of the Brennick crossing, observed by the Forum.",
        "kind": "agreement",
        "touches_departments": ["lakes-forum"],
        "signoffs": [("lakes-forum", -45)],
    },
    {
        # D4, true alert: Finance declined to sign off the grants' payment route.
        "key": "d-karst-grants",
        "initiative": "karst-grants",
        "date": Day(-25),
        "text": "Pay the livelihood grants through the Upper Vask cooperative bank.",
        "kind": "other",
        "touches_departments": ["varnia-dev", "varnia-fin"],
        "signoffs": [
            ("varnia-dev", -25),
            ("varnia-fin", -22, "The cooperative bank is under review by the regulator; use mobile money."),
        ],
    },
    {
        # D4, true alert: an offer of reconstruction aid (Development answers for aid offers)
        # naming Defence, signed by neither, and then acted on by the agreement below.
        "key": "d-karst-detention-visits",
        "initiative": "karst-detention",
        "date": Day(-34),
        "text": "Offer reconstruction aid for the Dorn courthouse alongside the visits programme.",
        "kind": "other",
        "touches_departments": ["varnia-mfa", "varnia-def"],
        "signoffs": [("varnia-mfa", -34)],
    },
    {
        "key": "d-karst-detention-agreed",
        "initiative": "karst-detention",
        "date": Day(-19),
        "text": "Agreement with Karstia on monthly visits to the nine detention sites.",
        "kind": "agreement",
        "touches_departments": ["varnia-mfa"],
        "signoffs": [("varnia-mfa", -19)],
    },
]


def _rng(key: str) -> random.Random:
    return random.Random(zlib.crc32(key.encode()))


def _routine(track: dict[str, Any], parties: dict[str, str]) -> list[dict[str, Any]]:
    """A track's routine decisions over the last six months, without sign-offs."""
    if track["status"] not in ("active", "paused"):
        return []
    rng = _rng(track["key"])
    first = max(int(track["start"]), -178)
    last = min(int(track["end"]) if track["end"] is not None else -1, -1)
    if last - first < 10:
        return []
    count = max(1, min(6, (last - first) // 35 + rng.randint(0, 1)))
    days = sorted(rng.sample(range(first + 2, last + 1), count))
    texts = _ROUTINE[track["kind"]][:]
    rng.shuffle(texts)
    party = parties[track["parties"][0]] if track["parties"] else "the parties"
    out = []
    for n, day in enumerate(days):
        text = texts[n % len(texts)]
        kind = "other"
        if track.get("compliance_monitoring") and n == len(days) // 2:
            text, kind = _AGREEMENTS[rng.randrange(len(_AGREEMENTS))], "agreement"
        out.append(
            {
                "key": f"d-{track['key']}-{n + 1}",
                "initiative": track["key"],
                "date": Day(day),
                "text": text.format(place=_PLACE[track["key"]], party=party),
                "kind": kind,
                "touches_departments": [track["owner"], *_also(track["owner"], rng)],
                "signoffs": [],
            }
        )
    return out


def _also(owner: str, rng: random.Random) -> list[str]:
    """Now and then, another department of the owner's government whose equities a decision touches."""
    government = next(o["government"] for o in ORGANISATIONS if o["key"] == owner)
    others = [
        o["key"]
        for o in ORGANISATIONS
        if o["government"] == government and o["kind"] == "department" and o["key"] != owner
    ]
    return [rng.choice(others)] if others and rng.random() < 0.35 else []


def _sign_all(decisions: list[dict[str, Any]], ws: dict[str, Any]) -> None:
    """Give each routine decision the sign-off of every organisation the rule requires."""
    from server.domain import signoffs
    from server.domain.snapshot import Decision, Initiative, Organisation

    orgs = {o["key"]: Organisation.model_validate(o) for o in ws["organisations"]}
    tracks = {t["key"]: Initiative.model_validate(_dated(t, date(2000, 1, 1))) for t in ws["initiatives"]}
    for d in decisions:
        rng = _rng(d["key"])
        decision = Decision.model_validate(_dated({**d, "signoffs": []}, date(2000, 1, 1)))
        required = signoffs.required_departments(decision, tracks[d["initiative"]], orgs)
        d["signoffs"] = [
            (_SIGNS_FOR_STATE.get(org, org), min(int(d["date"]) + rng.randint(0, 4), 0)) for org in required
        ]


def _signoff(entry: tuple[Any, ...]) -> dict[str, Any]:
    org, day, *declined = entry
    out: dict[str, Any] = {"org": org, "by": SIGNERS.get(org, ""), "date": Day(day)}
    if declined:
        out.update(declined=True, reason=declined[0])
    return out


# --------------------------------------------------------------------------- field reports


def _report(
    day: int, source: str, text: str, *, crisis: str | None = None, track: str | None = None, **more: Any
) -> dict[str, Any]:
    out: dict[str, Any] = {"date": Day(day), "source_kind": source, "text": text}
    if crisis:
        out["crisis"] = crisis
    if track:
        out["initiative"] = track
    out.update(more)
    return out


def _field_reports() -> list[dict[str, Any]]:
    rn, mm, dw, ro = "relief-net", "meridian-medics", "delta-women", "seas-refugee-office"
    return [
        # Eastern Corridor: NGOs, UN agencies, local actors and embassies, all through the six months.
        _report(
            -170,
            "ngo",
            "Checkpoints at Brennick closed for four days; 30 trucks turned back.",
            crisis="corridor",
            org=rn,
        ),
        _report(
            -140, "un", "Displacement to the Lowmoor camps passes 60,000 people.", crisis="corridor", org=ro
        ),
        _report(
            -118,
            "local_actor",
            "Traders in Vell report grain prices doubled since spring.",
            crisis="corridor",
        ),
        _report(
            -96,
            "embassy",
            "The Corridor Union's interior ministry signals openness to notification talks.",
            crisis="corridor",
            org="varnia-mfa",
        ),
        _report(
            -71,
            "ngo",
            "Mobile clinic team held for six hours at the Tamsk bridge, then released.",
            crisis="corridor",
            org=mm,
        ),
        _report(
            -52,
            "un",
            "Water trucking to Ostra covers a third of needs; pumps need spare parts.",
            crisis="corridor",
            org=ro,
        ),
        _report(
            -33,
            "local_actor",
            "Camp committees in Lowmoor ask for lighting near latrines.",
            crisis="corridor",
        ),
        _report(-12, "ngo", "Two checkpoints closed again after shelling.", track="corridor-access", org=rn),
        _report(
            -9,
            "un",
            "Cash distribution in Lowmoor reached 18,400 families this month.",
            crisis="corridor",
            org=ro,
        ),
        _report(-5, "local_actor", "Convoy reached Vell after a six-hour delay.", track="corridor-access"),
        # Saltmarsh Delta.
        _report(
            -160,
            "un",
            "Flooding along the Linden Reach dykes displaces 12,000 people.",
            crisis="delta",
            org=ro,
        ),
        _report(
            -125,
            "local_actor",
            "Women's groups in Marsh Point report clinics turning patients away for lack of medicines.",
            crisis="delta",
            org=dw,
        ),
        _report(
            -90,
            "ngo",
            "Medicine stocks at three Marsh Point clinics below two weeks.",
            track="delta-clinic-supplies",
            org=mm,
        ),
        _report(
            -61, "ngo", "Cold chain restored at the Marsh Point depot.", track="delta-clinic-supplies", org=mm
        ),
        _report(
            -40,
            "local_actor",
            "Council fighters set up a post at the northern Kessel Bay water point.",
            track="delta-water",
            org=dw,
            red_line_breached="no water points used as military positions",
        ),
        _report(
            -27,
            "un",
            "Port Avel customs clearing relief cargo in three days on average.",
            crisis="delta",
            org=ro,
        ),
        _report(
            -9,
            "ngo",
            "Reed Brigades fighters occupied the Linden Reach shelter for two nights.",
            track="delta-shelters",
            org=rn,
            red_line_breached="no armed presence in shelters",
        ),
        _report(
            -8,
            "un",
            "Clinic in Marsh Point struck; staff withdrawn.",
            crisis="delta",
            org=ro,
            red_line_breached="no attacks on clinics",
        ),
        _report(
            -6,
            "local_actor",
            "Fishing boats back at sea in Kessel Bay for the first time since the floods.",
            crisis="delta",
            org=dw,
        ),
        _report(
            -3,
            "ngo",
            "Medicines delivered to all twelve Marsh Point clinics.",
            track="delta-clinic-supplies",
            org=mm,
        ),
        # Karst Highlands.
        _report(
            -175, "un", "Returns to Dorn begin; 1,200 households registered.", crisis="highlands", org=ro
        ),
        _report(-131, "ngo", "Water points repaired in two return villages.", track="karst-returns", org=rn),
        _report(
            -99,
            "embassy",
            "Karstian officials ask for help with school reconstruction in Dorn.",
            crisis="highlands",
            org="varnia-mfa",
        ),
        _report(-64, "ngo", "Front checkpoints tax relief goods at Upper Vask.", crisis="highlands", org=rn),
        _report(
            -41,
            "un",
            "Tallow camp population stable at 9,000; winter kits short by a third.",
            crisis="highlands",
            org=ro,
        ),
        _report(
            -20, "ngo", "Water points repaired in two more return villages.", track="karst-returns", org=rn
        ),
        _report(
            -11,
            "local_actor",
            "Village councils in Dorn report teachers unpaid for two months.",
            crisis="highlands",
        ),
        _report(
            -4, "un", "Mine incident on the Kell Pass road; one returnee injured.", crisis="highlands", org=ro
        ),
        # Sundermere: only NGOs report (D1's true alert); the UN report is too old to count.
        _report(
            -95,
            "un",
            "First assessment of the siege: Greyhaven's water supply at a fifth of normal.",
            crisis="sundermere",
            org=ro,
        ),
        _report(
            -50,
            "ngo",
            "Relief ship turned away from Port Sunder for lack of a berth.",
            crisis="sundermere",
            org=rn,
        ),
        _report(
            -29,
            "ngo",
            "Greyhaven hospital on generator power for the tenth day.",
            crisis="sundermere",
            org=mm,
        ),
        _report(
            -14,
            "ngo",
            "Patients on the Isle of Mott waiting for evacuation now number 60.",
            crisis="sundermere",
            org=mm,
        ),
        _report(
            -2,
            "ngo",
            "Desalination plant at Port Sunder ran all week on relief fuel.",
            crisis="sundermere",
            org=rn,
        ),
    ]


# --------------------------------------------------------------------------- the document


def _dated(value: Any, today: date) -> Any:
    """The value with every `Day` turned into an ISO date, and sign-off tuples into objects."""
    if isinstance(value, Day):
        return (today + timedelta(days=int(value))).isoformat()
    if isinstance(value, dict):
        return {k: _dated(v, today) for k, v in value.items()}
    if isinstance(value, list):
        return [_dated(v, today) for v in value]
    return value


# The demo's parallel, uncoordinated processes (N4's true alerts): two owners on the same
# party and aims, at the same time, and no link between them. With Defence's truce track,
# the corridor pair also engages the LFA three times over: forum shopping.
_UNCOORDINATED = [
    ("corridor-access", "ostmark-valleys"),
    ("corridor-access", "corridor-ceasefire"),
    ("corridor-ceasefire", "ostmark-valleys"),
    ("delta-protection", "delta-ostmark-protection"),
    ("karst-front-access", "karst-ostmark-access"),
]


def _coordination_cells(initiatives: list[dict[str, Any]]) -> None:
    """Link the tracks of each crisis that engage a common party, as its coordination cell does.

    Most tracks on a crisis engage the same authorities at the same time; what keeps them
    from being parallel processes is that their owners coordinate them. Closed tracks
    are left out, and so are the pairs of `_UNCOORDINATED`.
    """
    apart = {frozenset(pair) for pair in _UNCOORDINATED}
    for crisis in CRISES:
        cell = [t for t in initiatives if t["crisis"] == crisis["key"] and t["status"] != "closed"]
        for n, track in enumerate(cell):
            linked = list(track.get("coordinated_with", []))
            for other in cell[n + 1 :]:
                if (
                    set(track["parties"]) & set(other["parties"])
                    and frozenset((track["key"], other["key"])) not in apart
                    and other["key"] not in linked
                    and track["key"] not in other.get("coordinated_with", [])
                ):
                    linked.append(other["key"])
            track["coordinated_with"] = linked


def document(today: date | None = None) -> dict[str, Any]:
    """The demo workspace document, dated around `today` (the real today by default).

    The document carries no `today` of its own: the checks judge it against the real
    date, so that what people add while trying the demo counts as it would at work.
    """
    t = today or date.today()
    initiatives = [*_corridor(), *_delta(), *_highlands(), *_sundermere()]
    _coordination_cells(initiatives)
    ws: dict[str, Any] = {
        "format": "accord-workspace/1",
        "organisations": ORGANISATIONS,
        "crises": CRISES,
        "parties": PARTIES,
        "interlocutors": INTERLOCUTORS,
        "initiatives": initiatives,
    }
    parties = {p["key"]: p["name"] for p in PARTIES}
    routine = [d for track in initiatives for d in _routine(track, parties)]
    _sign_all(routine, ws)
    decisions = sorted([*_STORY, *routine], key=lambda d: (int(d["date"]), d["key"]))
    decisions = [{**d, "signoffs": [_signoff(s) for s in d["signoffs"]]} for d in decisions]
    ws["field_reports"] = _field_reports()
    ws["decisions"] = decisions
    return _dated(ws, t)
