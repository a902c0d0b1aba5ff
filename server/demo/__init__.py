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
    dated,
)

DEMO_PASSWORD = "accord-demo-2026"
NAME = "Inland Seas coordination (demo)"
# The government whose admins set the workspace's own name and judging date.
HOST = "varnia"

__all__ = [
    "CRISES",
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
    ws["decisions"] = decisions
    out: dict[str, Any] = dated(ws, t)
    return out
