"""The demo's decision log: the decisions its stories need, and six months of routine ones."""

from __future__ import annotations

import random
import zlib
from datetime import date
from typing import Any

from server.demo.tracks import PLACE
from server.demo.world import ORGANISATIONS, SIGNERS, SIGNS_FOR_STATE, Day, dated

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
STORY: list[dict[str, Any]] = [
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


def routine(track: dict[str, Any], parties: dict[str, str]) -> list[dict[str, Any]]:
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
                "text": text.format(place=PLACE[track["key"]], party=party),
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


def sign_all(decisions: list[dict[str, Any]], ws: dict[str, Any]) -> None:
    """Give each routine decision the sign-off of every organisation the rule requires."""
    from server.domain import signoffs
    from server.domain.snapshot import Decision, Initiative, Organisation

    orgs = {o["key"]: Organisation.model_validate(o) for o in ws["organisations"]}
    tracks = {t["key"]: Initiative.model_validate(dated(t, date(2000, 1, 1))) for t in ws["initiatives"]}
    for d in decisions:
        rng = _rng(d["key"])
        decision = Decision.model_validate(dated({**d, "signoffs": []}, date(2000, 1, 1)))
        required = signoffs.required_departments(decision, tracks[d["initiative"]], orgs)
        d["signoffs"] = [
            (SIGNS_FOR_STATE.get(org, org), min(int(d["date"]) + rng.randint(0, 4), 0)) for org in required
        ]


def signoff(entry: tuple[Any, ...]) -> dict[str, Any]:
    org, day, *declined = entry
    out: dict[str, Any] = {"org": org, "by": SIGNERS.get(org, ""), "date": Day(day)}
    if declined:
        out.update(declined=True, reason=declined[0])
    return out
