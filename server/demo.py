"""The demo workspace: fictional states, crises and people, with a login per role.

Nothing here describes a real conflict, government or person.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

DEMO_PASSWORD = "accord-demo-2026"
NAME = "Inland Seas coordination (demo)"


def _org(key: str, name: str, kind: str, government: str | None) -> dict[str, Any]:
    return {"key": key, "name": name, "kind": kind, "government": government}


ORGANISATIONS = [
    _org("varnia", "Republic of Varnia", "state", "varnia"),
    _org("varnia-mfa", "Varnia, Ministry of Foreign Affairs", "department", "varnia"),
    _org("varnia-dev", "Varnia, Development Cooperation Agency", "department", "varnia"),
    _org("varnia-fin", "Varnia, Ministry of Finance and Trade", "department", "varnia"),
    _org("varnia-def", "Varnia, Ministry of Defence", "department", "varnia"),
    _org("ostmark", "Kingdom of Ostmark", "state", "ostmark"),
    _org("ostmark-fo", "Ostmark, Foreign Office", "department", "ostmark"),
    _org("ostmark-aid", "Ostmark, Aid Directorate", "department", "ostmark"),
    _org("ostmark-treasury", "Ostmark, Treasury", "department", "ostmark"),
    _org("ostmark-def", "Ostmark, Defence Staff", "department", "ostmark"),
    _org("tessaly", "Commonwealth of Tessaly", "state", "tessaly"),
    _org("relief-net", "Relief Network", "humanitarian_org", None),
    _org("lakes-forum", "Forum of the Inland Lakes", "multilateral", None),
]

CRISES = [
    {"key": "corridor", "name": "Eastern Corridor crisis", "region": "Eastern Corridor"},
    {"key": "delta", "name": "Saltmarsh Delta crisis", "region": "Saltmarsh Delta"},
    {"key": "highlands", "name": "Karst Highlands displacement", "region": "Karst Highlands"},
]

PARTIES = [
    {"key": "lfa", "name": "Lowland Freedom Army", "kind": "armed_group"},
    {"key": "corridor-gov", "name": "Government of the Corridor Union", "kind": "state"},
    {"key": "delta-council", "name": "Delta Provisional Council", "kind": "de_facto_authority"},
    {"key": "reed-brigades", "name": "Reed Brigades", "kind": "armed_group"},
    {"key": "karst-front", "name": "Karst Liberation Front", "kind": "armed_group"},
    {"key": "karst-state", "name": "State of Karstia", "kind": "state"},
]

INTERLOCUTORS = [
    {"key": "river-elders", "name": "Council of River Elders", "influences": ["lfa"]},
    {"key": "saltmarsh-clerics", "name": "Saltmarsh Clerical Assembly", "influences": ["delta-council"]},
    {
        "key": "lakes-envoy",
        "name": "Special Envoy of the Inland Lakes",
        "influences": ["corridor-gov", "karst-state"],
    },
]

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
]


def _track(key: str, owner: str, title: str, crisis: str, **more: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "key": key,
        "owner": owner,
        "title": title,
        "kind": "humanitarian",
        "crisis": crisis,
        "status": "active",
    }
    base.update(more)
    return base


def document(today: date | None = None) -> dict[str, Any]:
    """The demo workspace document, dated around `today`."""
    t = today or date.today()

    def d(days: int) -> str:
        return (t + timedelta(days=days)).isoformat()

    staff = lambda org, until=400: [{"org": org, "fte": 1.0, "until": d(until)}]  # noqa: E731
    funds = lambda org, until=400, dedicated=True: [  # noqa: E731
        {
            "kind": "funding",
            "amount": 400000,
            "currency": "EUR",
            "until": d(until),
            "dedicated": dedicated,
            "org": org,
        }
    ]
    outcome = lambda name, target: {"name": name, "kind": "outcome", "target": target}  # noqa: E731
    initiatives = [
        _track(
            "corridor-access",
            "varnia-mfa",
            "Access talks for the northern valleys",
            "corridor",
            description="Negotiate regular convoy access through the Lowland Freedom Army's checkpoints.",
            parties=["lfa"],
            aims=["humanitarian access to the northern valleys", "reopen checkpoints for aid convoys"],
            start=d(-140),
            end=d(180),
            shared_with=["ostmark"],
            objectives=["weekly convoys reach Vell and Ostra"],
            red_lines=[{"text": "no armed escorts by parties", "trigger": "pause"}],
            staff=staff("varnia-mfa"),
            resources=funds("varnia-dev"),
            leverage=[
                {
                    "kind": "incentive",
                    "description": "Reconstruction fund access",
                    "status": "proposed",
                    "do_no_harm_assessment": True,
                    "org": "varnia-dev",
                }
            ],
            metrics=[outcome("checkpoints reopened for aid convoys", "4 by September")],
        ),
        _track(
            "ostmark-valleys",
            "ostmark-fo",
            "Northern valleys humanitarian corridor initiative",
            "corridor",
            description="Ostmark-led dialogue with the LFA to open a corridor for relief convoys to the valleys.",
            parties=["lfa"],
            aims=[
                "open a humanitarian corridor to the northern valleys",
                "convoy passage through checkpoints",
            ],
            start=d(-60),
            end=d(240),
            objectives=["relief convoys pass LFA checkpoints"],
            red_lines=[{"text": "no diversion of aid to fighters", "trigger": "withdraw"}],
            staff=staff("ostmark-fo"),
            resources=funds("ostmark-aid"),
            metrics=[
                {"name": "high-level visits to the region", "kind": "symbolic"},
                {"name": "press statements issued", "kind": "symbolic"},
            ],
        ),
        _track(
            "corridor-ceasefire",
            "varnia-def",
            "Humanitarian truce for the corridor",
            "corridor",
            kind="security",
            description="Broker a humanitarian truce so that aid can move.",
            parties=["lfa", "corridor-gov"],
            aims=["a humanitarian truce along the corridor"],
            start=d(-30),
            end=d(120),
            objectives=["truce agreed by both sides"],
            staff=staff("varnia-def", 60),
            metrics=[{"name": "rounds of talks held"}],
        ),
        _track(
            "corridor-sanctions",
            "varnia-fin",
            "Targeted sanctions on corridor checkpoint commanders",
            "corridor",
            kind="economic",
            description="Asset freezes on commanders obstructing aid.",
            parties=["lfa"],
            aims=["pressure commanders to stop obstructing aid"],
            start=d(-90),
            end=d(270),
            objectives=["obstruction incidents fall"],
            red_lines=[{"text": "sanctions must not block humanitarian payments", "trigger": "recalibrate"}],
            staff=staff("varnia-fin"),
            resources=funds("varnia-fin"),
            leverage=[
                {
                    "kind": "sanction",
                    "description": "Asset freezes on three commanders",
                    "status": "active",
                    "org": "varnia-fin",
                }
            ],
            metrics=[
                outcome("obstruction incidents reported by humanitarian partners", "halved by year end")
            ],
        ),
        _track(
            "corridor-cash",
            "varnia-dev",
            "Cash assistance for displaced families in the corridor",
            "corridor",
            parties=["corridor-gov"],
            aims=["cash programmes running for displaced families"],
            start=d(-200),
            end=d(300),
            shared_with=["relief-net"],
            objectives=["20,000 families receive monthly cash"],
            red_lines=[{"text": "no registration data shared with parties", "trigger": "withdraw"}],
            staff=staff("varnia-dev"),
            resources=funds("varnia-dev", 120),
            metrics=[
                outcome("families receiving monthly cash transfers", "20,000"),
                {"name": "ministerial visits to distribution sites", "kind": "symbolic"},
            ],
        ),
        _track(
            "corridor-tessaly",
            "tessaly",
            "Tessalian good offices with the Corridor Union",
            "corridor",
            kind="political",
            parties=["corridor-gov"],
            aims=["political dialogue on returns"],
            start=d(-40),
            end=d(200),
            objectives=["returns framework agreed"],
            staff=staff("tessaly"),
            resources=funds("tessaly"),
            red_lines=[{"text": "no forced returns", "trigger": "withdraw"}],
            metrics=[outcome("families returning voluntarily with assistance", "5,000")],
        ),
        _track(
            "delta-protection",
            "varnia-mfa",
            "Protection of civilians dialogue with the Delta Council",
            "delta",
            parties=["delta-council"],
            aims=["protection of civilians in the delta", "end attacks on clinics"],
            start=d(-100),
            end=d(200),
            shared_with=[{"org": "ostmark", "level": "sign-off"}],
            objectives=["clinics reopen safely"],
            red_lines=[{"text": "no attacks on clinics", "trigger": "pause"}],
            staff=staff("varnia-mfa"),
            resources=funds("varnia-mfa"),
            metrics=[outcome("clinics operating safely", "12")],
        ),
        _track(
            "delta-ostmark-protection",
            "ostmark-fo",
            "Safeguarding delta health facilities",
            "delta",
            description="Engage the Provisional Council on protection of health care and clinics.",
            parties=["delta-council"],
            aims=["protect clinics and health workers in the delta"],
            start=d(-50),
            end=d(150),
            objectives=["health workers can reach clinics"],
            red_lines=[{"text": "no military use of clinics", "trigger": "pause"}],
            staff=staff("ostmark-fo"),
            resources=funds("ostmark-fo"),
            metrics=[outcome("health facilities functioning", "10")],
        ),
        _track(
            "delta-fisheries",
            "varnia-fin",
            "Delta fisheries trade talks",
            "delta",
            kind="economic",
            parties=["delta-council"],
            aims=["restore fisheries exports"],
            start=d(-20),
            end=d(300),
            objectives=["export licences issued"],
            staff=staff("varnia-fin"),
            leverage=[
                {
                    "kind": "conditionality",
                    "description": "Export licences conditional on port access",
                    "status": "proposed",
                    "org": "varnia-fin",
                }
            ],
            metrics=[{"name": "trade conference held", "kind": "symbolic"}],
        ),
        _track(
            "delta-aid-offer",
            "varnia-def",
            "Maritime security cooperation with the delta",
            "delta",
            kind="security",
            parties=["reed-brigades"],
            aims=["secure shipping lanes"],
            start=d(-10),
            end=d(200),
            depends_on=[],
            objectives=["shipping lanes patrolled"],
            staff=staff("varnia-def"),
            leverage=[
                {
                    "kind": "aid_offer",
                    "description": "Food aid offered in return for shipping lane access",
                    "status": "proposed",
                    "org": "varnia-dev",
                }
            ],
            metrics=[{"name": "patrols conducted", "kind": "output"}],
        ),
        _track(
            "delta-reed-contact",
            "varnia-mfa",
            "Contacts with the Reed Brigades",
            "delta",
            kind="political",
            parties=["reed-brigades"],
            aims=["maintain a channel to the brigades"],
            start=d(-300),
            end=d(100),
            objectives=["channel kept open"],
            staff=staff("varnia-mfa"),
            resources=funds("varnia-mfa"),
            red_lines=[{"text": "no payments to armed groups", "trigger": "withdraw"}],
            metrics=[outcome("aid worker detentions resolved through the channel", "all within 14 days")],
        ),
        _track(
            "delta-lakes",
            "lakes-forum",
            "Inland Lakes mediation on the delta",
            "delta",
            kind="political",
            parties=["delta-council", "reed-brigades"],
            aims=["a local access agreement"],
            start=d(-80),
            end=d(150),
            objectives=["local access agreement signed"],
            staff=staff("lakes-forum"),
            resources=funds("lakes-forum"),
            red_lines=[{"text": "no exclusion of local actors", "trigger": "recalibrate"}],
            metrics=[outcome("villages reached under the access agreement", "30")],
        ),
        _track(
            "karst-returns",
            "varnia-dev",
            "Safe returns to the Karst Highlands",
            "highlands",
            parties=["karst-state"],
            aims=["voluntary safe returns", "restore services in return areas"],
            start=d(-150),
            end=d(400),
            shared_with=["ostmark"],
            objectives=["returnees have water and schooling"],
            red_lines=[{"text": "no forced returns", "trigger": "withdraw"}],
            staff=staff("varnia-dev", 200),
            resources=funds("varnia-dev", 200),
            metrics=[outcome("returnee households with water access", "3,000")],
        ),
        _track(
            "karst-front-access",
            "varnia-mfa",
            "Access negotiations with the Karst Liberation Front",
            "highlands",
            parties=["karst-front"],
            aims=["humanitarian access to front-held valleys"],
            start=d(-70),
            end=d(210),
            objectives=["monthly missions reach front-held valleys"],
            red_lines=[{"text": "no taxation of aid at checkpoints", "trigger": "pause"}],
            staff=staff("varnia-mfa"),
            resources=funds("varnia-mfa", 400, False),
            metrics=[{"name": "number of meetings with front representatives", "kind": "output"}],
        ),
        _track(
            "karst-ostmark-access",
            "ostmark-aid",
            "Relief access to highland valleys held by the Front",
            "highlands",
            description="Negotiate humanitarian access with the Karst Liberation Front for relief missions.",
            parties=["karst-front"],
            aims=["relief missions reach valleys held by the front"],
            start=d(-40),
            end=d(250),
            objectives=["relief missions reach the valleys"],
            red_lines=[{"text": "no armed escorts", "trigger": "pause"}],
            staff=staff("ostmark-aid"),
            resources=funds("ostmark-aid"),
            metrics=[outcome("relief missions completed in front-held valleys", "2 per month")],
        ),
        _track(
            "karst-tessaly",
            "tessaly",
            "Tessalian dialogue with the Karst Front",
            "highlands",
            kind="political",
            parties=["karst-front"],
            aims=["a channel to the front's leadership"],
            start=d(-30),
            end=d(180),
            objectives=["channel established"],
            staff=staff("tessaly"),
            resources=funds("tessaly"),
            red_lines=[{"text": "no recognition of front administration", "trigger": "recalibrate"}],
            metrics=[outcome("detained aid workers released", "all")],
        ),
        _track(
            "karst-disengage",
            "varnia-mfa",
            "Review of contacts with the State of Karstia",
            "highlands",
            kind="political",
            parties=["karst-state"],
            aims=["review diplomatic contacts"],
            start=d(-15),
            end=d(120),
            objectives=["decision on contacts"],
            staff=staff("varnia-mfa"),
            resources=funds("varnia-mfa"),
            red_lines=[{"text": "keep a humanitarian channel", "trigger": "recalibrate"}],
            metrics=[outcome("humanitarian notifications acknowledged by Karstia", "within 48 hours")],
        ),
        _track(
            "karst-conference",
            "varnia-mfa",
            "Highlands pledging conference",
            "highlands",
            parties=["karst-state"],
            aims=["raise funds for the highlands response"],
            start=d(-60),
            end=d(90),
            objectives=["pledges secured"],
            staff=staff("varnia-mfa", 30),
            metrics=[
                {"name": "pledging conference held", "kind": "symbolic"},
                {"name": "announcements of new pledges", "kind": "symbolic"},
            ],
        ),
        _track(
            "corridor-closed",
            "varnia-mfa",
            "Earlier corridor contact group",
            "corridor",
            kind="political",
            parties=["lfa"],
            aims=["contact group on the corridor"],
            start=d(-600),
            end=d(-200),
            status="closed",
        ),
        _track(
            "delta-draft",
            "varnia-dev",
            "Delta livelihoods recovery (draft)",
            "delta",
            parties=["delta-council"],
            aims=["livelihoods recovery"],
            status="draft",
            start=d(30),
            end=d(400),
        ),
    ]
    field_reports = [
        {
            "initiative": "corridor-access",
            "date": d(-12),
            "source_kind": "ngo",
            "org": "relief-net",
            "text": "Two checkpoints closed again after shelling.",
        },
        {
            "initiative": "corridor-access",
            "date": d(-5),
            "source_kind": "local_actor",
            "text": "Convoy reached Vell after a six-hour delay.",
        },
        {
            "crisis": "delta",
            "date": d(-8),
            "source_kind": "un",
            "text": "Clinic in Marsh Point struck; staff withdrawn.",
            "red_line_breached": "no attacks on clinics",
        },
        {
            "initiative": "karst-returns",
            "date": d(-20),
            "source_kind": "ngo",
            "org": "relief-net",
            "text": "Water points repaired in two return villages.",
        },
    ]
    decisions = [
        {
            "key": "d-corridor-fund",
            "initiative": "corridor-access",
            "date": d(-20),
            "text": "Offer the reconstruction fund in exchange for convoy access.",
            "kind": "leverage",
            "touches_departments": ["varnia-mfa", "varnia-dev", "varnia-fin"],
            "signoffs": [
                {"org": "varnia-mfa", "by": "Alia Terzi", "date": d(-20)},
                {"org": "varnia-dev", "by": "Ruben Kallas", "date": d(-18)},
            ],
        },
        {
            "key": "d-sanctions-extend",
            "initiative": "corridor-sanctions",
            "date": d(-6),
            "text": "Extend the asset freezes to two more commanders.",
            "kind": "leverage",
            "touches_departments": ["varnia-fin", "varnia-mfa"],
            "signoffs": [{"org": "varnia-fin", "by": "Marta Sorel", "date": d(-6)}],
        },
        {
            "key": "d-delta-protect",
            "initiative": "delta-protection",
            "date": d(-3),
            "text": "Propose a joint protection monitoring mechanism with Ostmark.",
            "kind": "agreement",
            "touches_departments": ["varnia-mfa", "ostmark"],
            "signoffs": [{"org": "varnia-mfa", "by": "Alia Terzi", "date": d(-3)}],
        },
        {
            "key": "d-karst-suspend",
            "initiative": "karst-disengage",
            "date": d(-2),
            "text": "Suspend high-level contacts with Karstia pending review.",
            "kind": "disengagement",
            "touches_departments": ["varnia-mfa"],
            "signoffs": [{"org": "varnia-mfa", "by": "Alia Terzi", "date": d(-2)}],
        },
    ]
    return {
        "format": "accord-workspace/1",
        "organisations": ORGANISATIONS,
        "crises": CRISES,
        "parties": PARTIES,
        "interlocutors": INTERLOCUTORS,
        "initiatives": initiatives,
        "field_reports": field_reports,
        "decisions": decisions,
    }
