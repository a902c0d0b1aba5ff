"""A fictional workspace document of a chosen size, for the load benchmark.

Five invented states with six departments each, ten humanitarian organisations and
three multilateral bodies; one crisis per 40 tracks (at least 10), six parties and
two interlocutors per crisis; every track has aims, objectives, a red line, a staff
line, a resource, a leverage tool, two metrics and a field report, and one or two
decisions with their sign-offs. A track in three is shared with an allied state and one
in twenty is linked as coordinated with the one before. Nothing names a real place,
government or person.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

STATES = ["varnia", "ostmark", "tessaly", "morrow", "quillon"]
DEPARTMENTS = [
    ("mfa", "Ministry of Foreign Affairs"),
    ("dev", "Development Agency"),
    ("fin", "Ministry of Finance and Trade"),
    ("def", "Ministry of Defence"),
    ("int", "Intelligence Directorate"),
    ("hum", "Humanitarian Office"),
]
HUMANITARIAN = [f"relief-{n}" for n in range(10)]
MULTILATERAL = ["lakes-forum", "river-council", "coast-union"]

SYLLABLES = [
    "var",
    "os",
    "tel",
    "mir",
    "ka",
    "lun",
    "dra",
    "pel",
    "sor",
    "vin",
    "ar",
    "bel",
    "tor",
    "qua",
    "nim",
]
ACTIONS = ["access", "repair", "protect", "evacuate", "supply", "demine", "monitor", "reopen"]
SITES = ["mill", "dam", "camp", "bridge", "clinic", "port", "depot", "school", "well", "market"]
FIRST = ["Ilka", "Teo", "Alia", "Ruben", "Marta", "Jonah", "Helle", "Oskar", "Nadia", "Samir", "Lene", "Piet"]
LAST = ["Moravec", "Anselm", "Terzi", "Kallas", "Sorel", "Brecht", "Varga", "Lind", "Quell", "Oduya", "Rask"]


def _name(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def departments_of(state: str) -> list[str]:
    return [f"{state}-{code}" for code, _ in DEPARTMENTS]


def document(tracks: int, seed: int = 12, today: date | None = None) -> dict[str, Any]:
    """The workspace document (format accord-workspace/1) with `tracks` initiatives."""
    rng = random.Random(seed)
    t = today or date.today()

    def d(days: int) -> str:
        return (t + timedelta(days=days)).isoformat()

    orgs: list[dict[str, Any]] = []
    for s in STATES:
        orgs.append({"key": s, "name": f"Republic of {s.capitalize()}", "kind": "state", "government": s})
        for code, title in DEPARTMENTS:
            orgs.append(
                {
                    "key": f"{s}-{code}",
                    "name": f"{s.capitalize()}, {title}",
                    "kind": "department",
                    "government": s,
                }
            )
    orgs += [{"key": k, "name": f"{_name(rng)} Relief", "kind": "humanitarian_org"} for k in HUMANITARIAN]
    orgs += [{"key": k, "name": k.replace("-", " ").title(), "kind": "multilateral"} for k in MULTILATERAL]

    n_crises = max(10, tracks // 40)
    crises, parties, interlocutors = [], [], []
    crisis_parties: dict[str, list[str]] = {}
    for c in range(n_crises):
        region = _name(rng, 3)
        crises.append({"key": f"c{c}", "name": f"{region} crisis {c}", "region": region})
        keys = []
        for p in range(6):
            kind = ("state", "armed_group", "de_facto_authority")[p % 3]
            keys.append(f"c{c}-p{p}")
            parties.append(
                {"key": keys[-1], "name": f"{_name(rng)} {kind.replace('_', ' ')} {c}-{p}", "kind": kind}
            )
        crisis_parties[f"c{c}"] = keys
        for x in range(2):
            interlocutors.append(
                {
                    "key": f"c{c}-x{x}",
                    "name": f"Council of {_name(rng)} ({c}-{x})",
                    "influences": keys[x * 2 : x * 2 + 2],
                }
            )

    initiatives, reports, decisions = [], [], []
    for n in range(tracks):
        state = STATES[n % len(STATES)]
        depts = departments_of(state)
        owner = depts[(n // len(STATES)) % len(depts)]
        other = depts[(n // len(STATES) + 1) % len(depts)]
        crisis = f"c{rng.randrange(n_crises)}"
        action, site = rng.choice(ACTIONS), rng.choice(SITES)
        town = _name(rng)
        key = f"t{n}"
        track: dict[str, Any] = {
            "key": key,
            "owner": owner,
            "title": f"{action.capitalize()} the {town} {site}",
            "description": f"Talks to {action} the {site} at {town} with the parties of {crisis}.",
            "kind": ("humanitarian", "humanitarian", "political", "security", "economic")[n % 5],
            "crisis": crisis,
            "status": "active" if n % 11 else "paused",
            "parties": rng.sample(crisis_parties[crisis], k=1 + n % 2),
            "aims": [f"{action} the {town} {site}", f"safe passage to {town}"],
            "objectives": [f"the {site} at {town} works again by {d(120)}"],
            "start": d(-rng.randrange(30, 400)),
            "end": d(rng.randrange(60, 400)),
            "red_lines": [{"text": f"no armed escorts at the {site}", "trigger": "pause"}],
            "staff": [{"org": owner, "fte": 1.0, "until": d(300)}],
            "resources": [
                {
                    "kind": "funding",
                    "amount": 250000,
                    "currency": "EUR",
                    "until": d(300),
                    "dedicated": True,
                    "org": other,
                }
            ],
            "leverage": [
                {
                    "kind": "incentive",
                    "description": "Reconstruction fund access",
                    "status": "proposed",
                    "org": other,
                }
            ],
            "metrics": [
                {"name": f"convoys reaching {town} each month", "kind": "outcome", "target": "8 by June"},
                {"name": "ministerial visits", "kind": "symbolic"},
            ],
            "impact_assessment": n % 3 == 0,
            "compliance_monitoring": n % 4 == 0,
        }
        if n % 3 == 1:
            track["shared_with"] = [STATES[(n + 1) % len(STATES)]]
        if n % 20 == 19:
            track["coordinated_with"] = [f"t{n - 1}"]
        initiatives.append(track)
        reports.append(
            {
                "initiative": key,
                "org": HUMANITARIAN[n % len(HUMANITARIAN)],
                "date": d(-rng.randrange(1, 90)),
                "source_kind": ("ngo", "un", "local_actor", "embassy")[n % 4],
                "text": f"Checkpoints near {town} open two days a week; fuel is short at the {site}.",
            }
        )
        for k in range(1 + n % 2):
            decisions.append(
                {
                    "key": f"{key}-d{k}",
                    "initiative": key,
                    "date": d(-10 - k),
                    "text": f"Offer a technical team for the {town} {site} (step {k + 1}).",
                    "kind": "agreement" if k == 0 else "other",
                    "proposed_by": owner,
                    "touches_departments": [owner, other],
                    "signoffs": [{"org": owner, "date": d(-9 - k)}]
                    + ([{"org": other, "date": d(-8 - k)}] if k == 0 else []),
                }
            )
    return {
        "format": "accord-workspace/1",
        "today": t.isoformat(),
        "organisations": orgs,
        "crises": crises,
        "parties": parties,
        "interlocutors": interlocutors,
        "initiatives": initiatives,
        "field_reports": reports,
        "decisions": decisions,
    }


def people(count: int = 500, seed: int = 12) -> list[tuple[str, str, str, str]]:
    """(email, name, organisation key, role) for `count` fictional people across the governments."""
    rng = random.Random(seed)
    orgs = [o for s in STATES for o in [s, *departments_of(s)]]
    out = []
    for n in range(count):
        org = orgs[n % len(orgs)]
        role = "coordinator" if org in STATES else "desk_officer"
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        out.append((f"person{n}@{org}.example", name, org, role))
    return out
