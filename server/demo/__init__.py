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

Finance's desk officer is away for part of these weeks: she has delegated the
ministry's sign-off to the development agency's desk officer (`DELEGATION`), who has
signed one of finance's decisions under it. When the demo is loaded, a high-severity
alert is dismissed by the foreign ministry and waits for a second department to
confirm it (`server.cli.load_demo`).

`world` holds the organisations, crises, parties and people; `corridor`, `delta`,
`highlands` and `sundermere` the tracks of each crisis (written with `tracks`); `log`
the decisions and their sign-offs; `reports` the field reports; `stories` what each
principle's true alerts and near misses are.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from server.demo.log import STORY, routine, sign_all, signoff
from server.demo.reports import field_reports
from server.demo.stories import NEAR_MISSES, TRUE_ALERTS
from server.demo.tracks import all_tracks
from server.demo.world import (
    CRISES,
    INTERLOCUTORS,
    ORGANISATIONS,
    PARTIES,
    PEOPLE,
    SIGNERS,
    Day,
    dated,
)

DEMO_PASSWORD = "accord-demo-2026"
# Finance's sign-off, handed to the development agency's desk officer for three weeks around today.
DELEGATION: dict[str, Any] = {
    "key": "dl-fin-leave",
    "department": "varnia-fin",
    "delegate": {"person": SIGNERS["varnia-dev"]},
    "scope": {},
    "from": Day(-14),
    "to": Day(7),
    "by": SIGNERS["varnia-fin"],
    "revoked": None,
}
NAME = "Inland Seas coordination (demo)"
# The government whose admins set the workspace's own name and judging date.
HOST = "varnia"

__all__ = [
    "CRISES",
    "DELEGATION",
    "DEMO_PASSWORD",
    "INTERLOCUTORS",
    "HOST",
    "NAME",
    "NEAR_MISSES",
    "ORGANISATIONS",
    "PARTIES",
    "PEOPLE",
    "SIGNERS",
    "TRUE_ALERTS",
    "document",
]


def document(today: date | None = None) -> dict[str, Any]:
    """The demo workspace document, dated around `today` (the real today by default).

    The document carries no `today` of its own: the checks judge it against the real
    date, so that what people add while trying the demo counts as it would at work.
    """
    t = today or date.today()
    initiatives = all_tracks()
    ws: dict[str, Any] = {
        "format": "accord-workspace/1",
        "organisations": ORGANISATIONS,
        "crises": CRISES,
        "parties": PARTIES,
        "interlocutors": INTERLOCUTORS,
        "initiatives": initiatives,
    }
    parties = {p["key"]: p["name"] for p in PARTIES}
    everyday = [d for track in initiatives for d in routine(track, parties)]
    sign_all(everyday, ws)
    decisions = sorted([*STORY, *everyday], key=lambda d: (int(d["date"]), d["key"]))
    decisions = [{**d, "signoffs": [signoff(s) for s in d["signoffs"]]} for d in decisions]
    ws["field_reports"] = field_reports()
    ws["decisions"] = _delegated(decisions)
    ws["delegations"] = [DELEGATION]
    out: dict[str, Any] = dated(ws, t)
    return out


def _delegated(decisions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The most recent sign-off of finance within the delegation, made under it instead."""
    start, end = int(DELEGATION["from"]), int(DELEGATION["to"])
    for d in reversed(decisions):
        for n, so in enumerate(d["signoffs"]):
            day = int(so["date"])
            if (
                so["org"] == "varnia-fin"
                and not so.get("declined")
                and start <= day <= end
                and day >= int(d["date"])
            ):
                delegated = {**so, "by": DELEGATION["delegate"]["person"], "delegation": DELEGATION["key"]}
                return [
                    {**x, "signoffs": [*x["signoffs"][:n], delegated, *x["signoffs"][n + 1 :]]}
                    if x is d
                    else x
                    for x in decisions
                ]
    return decisions
