"""The demo's world: its organisations, crises, parties, interlocutors and people, all invented."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any


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
    ("desk.dev@varnia.example", "Ruben Kalvet", "varnia-dev", "desk_officer"),
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
    "varnia-dev": "Ruben Kalvet",
    "varnia-fin": "Marta Sorel",
    "varnia-def": "Jonah Brecht",
    "varnia-intel": "Pella Varo",
    "ostmark": "Oskar Lindqvist",
    "ostmark-fo": "Helle Varga",
    "ostmark-aid": "Ansgar Holm",
    "ostmark-treasury": "Britt Tamsen",
    "ostmark-def": "Edvin Rask",
    "tessaly": "Nadia Quell",
    "tessaly-mer": "Corin Aldane",
    "tessaly-relief": "Mira Castell",
    "lakes-forum": "Tobiah Renn",
    "seas-refugee-office": "Dalia Fenwick",
}
SIGNS_FOR_STATE = {"varnia": "varnia-mfa", "ostmark": "ostmark-fo", "tessaly": "tessaly-mer"}


def dated(value: Any, today: date) -> Any:
    """The value with every `Day` turned into an ISO date."""
    if isinstance(value, Day):
        return (today + timedelta(days=int(value))).isoformat()
    if isinstance(value, dict):
        return {k: dated(v, today) for k, v in value.items()}
    if isinstance(value, list):
        return [dated(v, today) for v in value]
    return value
