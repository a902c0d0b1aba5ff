"""D4: cross-department sign-offs and dedicated, sustained resources, as a table of cases."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from server.domain import signoffs
from server.domain.checks import d4_cross_department as d4
from server.domain.snapshot import CheckSettings, Snapshot

TODAY = "2026-06-01"

ORGS = [
    {
        "key": "varnia-mfa",
        "name": "Varnia, Ministry of Foreign Affairs",
        "kind": "department",
        "government": "varnia",
    },
    {
        "key": "varnia-fin",
        "name": "Varnia, Ministry of Finance",
        "kind": "department",
        "government": "varnia",
    },
    {
        "key": "varnia-mod",
        "name": "Varnia, Ministry of Defence",
        "kind": "department",
        "government": "varnia",
    },
    {"key": "varnia-dev", "name": "Varnia, Development Agency", "kind": "department", "government": "varnia"},
    {"key": "ostmark", "name": "Kingdom of Ostmark", "kind": "state", "government": "ostmark"},
    {"key": "ostmark-mfa", "name": "Ostmark, Foreign Office", "kind": "department", "government": "ostmark"},
    {"key": "relief-net", "name": "Relief Network", "kind": "humanitarian_org"},
]

TRACK: dict[str, Any] = {
    "key": "t1",
    "owner": "varnia-mfa",
    "title": "Access talks for the northern valleys",
    "kind": "humanitarian",
    "crisis": "corridor",
    "aims": ["humanitarian access to the northern valleys"],
    "start": "2026-01-10",
    "end": "2026-09-30",
    "status": "active",
    "staff": [{"org": "varnia-mfa", "fte": 1.0, "until": "2026-12-31"}],
    "resources": [
        {"kind": "funding", "amount": 250000, "currency": "EUR", "until": "2026-12-31", "dedicated": True}
    ],
}


def so(org: str, date: str = "2026-05-26", **kw: Any) -> dict[str, Any]:
    return {"org": org, "by": "A. Terzi", "date": date, **kw}


def dec(
    key: str, date: str = "2026-05-25", touches: tuple[str, ...] = (), signed: tuple[Any, ...] = (), **kw: Any
) -> dict[str, Any]:
    return {
        "key": key,
        "initiative": kw.pop("initiative", "t1"),
        "date": date,
        "text": kw.pop("text", "Ask the valley authorities for weekly convoy access."),
        "touches_departments": list(touches),
        "signoffs": [s if isinstance(s, dict) else so(s) for s in signed],
        **kw,
    }


def workspace(
    track: dict[str, Any] | None = None,
    decisions: list[dict[str, Any]] | None = None,
    orgs: list[dict[str, Any]] | None = None,
    extra_tracks: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    t = copy.deepcopy(TRACK)
    t.update(track or {})
    return {
        "format": "accord-workspace/1",
        "today": TODAY,
        "organisations": orgs if orgs is not None else ORGS,
        "crises": [{"key": "corridor", "name": "Eastern Corridor crisis"}],
        "initiatives": [t, *(extra_tracks or [])],
        "decisions": decisions or [],
    }


OTHER_TRACK = {**TRACK, "key": "t2", "title": "Cash programmes in Vell"}
NO_FIN = [o for o in ORGS if o["key"] != "varnia-fin"]
TREASURY = [
    *NO_FIN,
    {"key": "varnia-tsy", "name": "Varnia, Treasury", "kind": "department", "government": "varnia"},
]
# Shared for sign-off: a partner named on a decision may, and so must, sign it.
SHARED = {"shared_with": [{"org": "ostmark", "level": "sign-off"}]}
# Shared to read only: a named partner cannot sign until the grant is raised, and is still required.
SHARED_TO_READ = {"shared_with": ["ostmark"]}

TRADE = [
    *ORGS,
    {
        "key": "varnia-trade",
        "name": "Varnia, Ministry of Trade",
        "kind": "department",
        "government": "varnia",
    },
]
INTEL = [
    *ORGS,
    {
        "key": "varnia-nis",
        "name": "Varnia, National Intelligence Service",
        "kind": "department",
        "government": "varnia",
    },
]
PARTY_ORGS = [
    *ORGS,
    {
        "key": "varnia-health",
        "name": "Varnia, Ministry of Health",
        "kind": "department",
        "government": "varnia",
    },
]

# A track the development agency owns and staffs: the foreign ministry signs only where engaged.
AGENCY_TRACK = {"owner": "varnia-dev", "staff": [{"org": "varnia-dev", "fte": 1.0, "until": "2026-12-31"}]}


def on_agency_track(text: str) -> Any:
    """A decision on the agency's track, proposed and signed by the agency alone."""
    return workspace(AGENCY_TRACK, [dec("d1", text=text, touches=("varnia-dev",), signed=("varnia-dev",))])


# Units that are part of a ministry: one says so by naming the ministry as its government,
# the other by a name that continues the ministry's.
UNITS = [
    *ORGS,
    {"key": "mfa-hum", "name": "Humanitarian Directorate", "kind": "department", "government": "varnia-mfa"},
    {
        "key": "mod-log",
        "name": "Varnia, Ministry of Defence, Logistics Directorate",
        "kind": "department",
        "government": "varnia",
    },
    {
        "key": "air-ops",
        "name": "Varnia, Air Operations Command",
        "kind": "department",
        "government": "varnia-mod",
    },
]

# Bodies of a ministry named by what they are: an interior and a trade ministry, and two units
# of theirs (one part of the interior ministry, one of defence) that sign for themselves.
BODIES = [
    *ORGS,
    {
        "key": "varnia-int",
        "name": "Varnia, Ministry of the Interior",
        "kind": "department",
        "government": "varnia",
    },
    {
        "key": "varnia-trade",
        "name": "Varnia, Ministry of Economy and Trade",
        "kind": "department",
        "government": "varnia",
    },
]
BODY_UNITS = [
    *BODIES,
    {"key": "varnia-cg", "name": "Varnia Coast Guard", "kind": "department", "government": "varnia-int"},
    {
        "key": "mod-eng",
        "name": "Military Engineering Command",
        "kind": "department",
        "government": "varnia-mod",
    },
]


def said(text: str, signed: tuple[str, ...] = ("varnia-mfa",), orgs: list[dict[str, Any]] = BODIES) -> Any:
    """A decision on the foreign ministry's track, in these words, naming only the ministry."""
    return workspace(decisions=[dec("d1", text=text, touches=("varnia-mfa",), signed=signed)], orgs=orgs)


# (id, document, expected findings as (kind, subjects, severity), a phrase the first finding's message holds)
CASES: list[tuple[str, dict[str, Any], set[tuple[str, tuple[str, ...], str]], str]] = [
    # --- sign-offs: the basic rule
    (
        "all touched departments signed",
        workspace(
            decisions=[dec("d1", touches=("varnia-mfa", "varnia-fin"), signed=("varnia-mfa", "varnia-fin"))]
        ),
        set(),
        "",
    ),
    (
        "finance named, not signed",
        workspace(decisions=[dec("d1", touches=("varnia-mfa", "varnia-fin"), signed=("varnia-mfa",))]),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Finance",
    ),
    (
        "missing for 30 days escalates",
        workspace(decisions=[dec("d1", date="2026-05-02", touches=("varnia-fin",), signed=("varnia-mfa",))]),
        {("missing_signoff", ("d1",), "high")},
        "since 2026-05-02",
    ),
    (
        "missing exactly 14 days stays medium",
        workspace(decisions=[dec("d1", date="2026-05-18", touches=("varnia-fin",), signed=("varnia-mfa",))]),
        {("missing_signoff", ("d1",), "medium")},
        "14 days",
    ),
    (
        "missing 15 days is high",
        workspace(decisions=[dec("d1", date="2026-05-17", touches=("varnia-fin",), signed=("varnia-mfa",))]),
        {("missing_signoff", ("d1",), "high")},
        "15 days",
    ),
    ("proposer alone, signed", workspace(decisions=[dec("d1", signed=("varnia-mfa",))]), set(), ""),
    (
        "proposer's own sign-off is required",
        workspace(decisions=[dec("d1")]),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Foreign Affairs",
    ),
    (
        "proposed_by another department",
        workspace(
            decisions=[dec("d1", proposed_by="varnia-dev", touches=("varnia-mfa",), signed=("varnia-mfa",))]
        ),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Development Agency",
    ),
    (
        "proposer named too counts once",
        workspace(decisions=[dec("d1", touches=("varnia-mfa", "varnia-mfa"), signed=("varnia-mfa",))]),
        set(),
        "",
    ),
    (
        "a signer outside the rule changes nothing",
        workspace(decisions=[dec("d1", signed=("varnia-mfa", "relief-net"))]),
        set(),
        "",
    ),
    # --- widening: lines of the initiative
    (
        "defence owns a staff line",
        workspace(
            {"staff": [*TRACK["staff"], {"org": "varnia-mod", "fte": 0.5, "until": "2026-12-31"}]},
            [dec("d1", signed=("varnia-mfa",))],
        ),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Defence",
    ),
    (
        "defence owns a staff line and signed",
        workspace(
            {"staff": [*TRACK["staff"], {"org": "varnia-mod", "fte": 0.5, "until": "2026-12-31"}]},
            [dec("d1", signed=("varnia-mfa", "varnia-mod"))],
        ),
        set(),
        "",
    ),
    (
        "finance owns a resource line",
        workspace(
            {"resources": [{"kind": "funding", "dedicated": True, "org": "varnia-fin"}]},
            [dec("d1", signed=("varnia-mfa",))],
        ),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Finance",
    ),
    (
        "a humanitarian org's seconded staff need no sign-off",
        workspace(
            {"staff": [*TRACK["staff"], {"org": "relief-net", "fte": 1.0}]},
            [dec("d1", signed=("varnia-mfa",))],
        ),
        set(),
        "",
    ),
    # --- widening: leverage kinds
    (
        "sanctions engage finance",
        workspace(
            {"leverage": [{"kind": "sanction", "status": "active", "do_no_harm_assessment": True}]},
            [dec("d1", signed=("varnia-mfa",))],
        ),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Finance",
    ),
    (
        "a lifted sanction no longer does",
        workspace(
            {"leverage": [{"kind": "sanction", "status": "lifted"}]}, [dec("d1", signed=("varnia-mfa",))]
        ),
        set(),
        "",
    ),
    (
        "conditionality finds the treasury by name",
        workspace(
            {"leverage": [{"kind": "conditionality"}]}, [dec("d1", signed=("varnia-mfa",))], orgs=TREASURY
        ),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Treasury",
    ),
    (
        "no finance department: nothing to require",
        workspace({"leverage": [{"kind": "sanction"}]}, [dec("d1", signed=("varnia-mfa",))], orgs=NO_FIN),
        set(),
        "",
    ),
    (
        "a security guarantee engages defence",
        workspace(
            {"leverage": [{"kind": "incentive", "description": "Security guarantee for the river crossing"}]},
            [dec("d1", signed=("varnia-mfa",))],
        ),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Defence",
    ),
    (
        "an aid offer engages development",
        workspace(
            {"leverage": [{"kind": "aid_offer", "description": "Seed funding for returnees"}]},
            [dec("d1", signed=("varnia-mfa", "varnia-dev"))],
        ),
        set(),
        "",
    ),
    (
        "a decision naming sanctions engages finance",
        workspace(
            decisions=[
                dec(
                    "d1",
                    kind="leverage",
                    text="Prepare targeted sanctions on the checkpoint commanders.",
                    signed=("varnia-mfa",),
                )
            ]
        ),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Finance",
    ),
    (
        "an incentive alone engages no ministry",
        workspace(
            {"leverage": [{"kind": "incentive", "description": "Invitation to the donor round"}]},
            [dec("d1", signed=("varnia-mfa",))],
        ),
        set(),
        "",
    ),
    # --- partners on shared tracks
    (
        "partner named on a shared track",
        workspace(SHARED, [dec("d1", touches=("ostmark",), signed=("varnia-mfa",))]),
        {("missing_signoff", ("d1",), "medium")},
        "Kingdom of Ostmark",
    ),
    (
        "partner signs through its foreign office",
        workspace(SHARED, [dec("d1", touches=("ostmark",), signed=("varnia-mfa", "ostmark-mfa"))]),
        set(),
        "",
    ),
    ("shared track, partner not named", workspace(SHARED, [dec("d1", signed=("varnia-mfa",))]), set(), ""),
    (
        "partner named on a track shared with it to read only: still required, it cannot sign until shared",
        workspace(SHARED_TO_READ, [dec("d1", touches=("ostmark",), signed=("varnia-mfa",))]),
        {("missing_signoff", ("d1",), "medium")},
        "Kingdom of Ostmark",
    ),
    (
        "partner named on a track not shared with it: still required",
        workspace(decisions=[dec("d1", touches=("ostmark",), signed=("varnia-mfa",))]),
        {("missing_signoff", ("d1",), "medium")},
        "Kingdom of Ostmark",
    ),
    (
        "a named department the workspace does not hold yet: its sign-off is missing",
        workspace(decisions=[dec("d1", touches=("varnia-interior",), signed=("varnia-mfa",))]),
        {("missing_signoff", ("d1",), "medium")},
        "varnia-interior",
    ),
    (
        "near miss: partner shared to read only, not named",
        workspace(SHARED_TO_READ, [dec("d1", signed=("varnia-mfa",))]),
        set(),
        "",
    ),
    (
        "partner's sign-off dated before the entry",
        workspace(
            SHARED, [dec("d1", touches=("ostmark",), signed=("varnia-mfa", so("ostmark", date="2026-05-20")))]
        ),
        {("missing_signoff", ("d1",), "medium")},
        "Kingdom of Ostmark",
    ),
    (
        "a sign-off dated the day before an entry that corrects nothing counts (signed, then logged)",
        workspace(
            SHARED, [dec("d1", touches=("ostmark",), signed=("varnia-mfa", so("ostmark", date="2026-05-24")))]
        ),
        set(),
        "",
    ),
    (
        "the day's grace does not reach a correction: its sign-offs are its own",
        workspace(
            decisions=[
                dec("d1", date="2026-05-20", touches=("varnia-fin",), signed=("varnia-mfa", "varnia-fin")),
                dec(
                    "d2",
                    date="2026-05-25",
                    touches=("varnia-fin",),
                    signed=("varnia-mfa", so("varnia-fin", date="2026-05-24")),
                    supersedes="d1",
                ),
            ]
        ),
        {("missing_signoff", ("d2",), "medium")},
        "Varnia, Ministry of Finance",
    ),
    (
        "the Treasury named as acting stands for the ministry of finance",
        workspace(
            decisions=[
                dec("d1", text="The Treasury will release the second tranche.", signed=("varnia-mfa",))
            ]
        ),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Finance",
    ),
    (
        "near miss: a department named only to say its word is not needed",
        workspace(
            decisions=[
                dec(
                    "d1",
                    text="For the record: no sign-off from Treasury or Defence needed; the envelope is unchanged.",
                    signed=("varnia-mfa",),
                )
            ]
        ),
        set(),
        "",
    ),
    (
        "near miss: assets denied, not put to work",
        workspace(
            decisions=[dec("d1", text="Convoys to move without military escorts.", signed=("varnia-mfa",))]
        ),
        set(),
        "",
    ),
    # --- corrections and declines
    (
        "superseded entry is not judged",
        workspace(
            decisions=[
                dec("d1", touches=("varnia-fin",), signed=("varnia-mfa",)),
                dec(
                    "d2",
                    date="2026-05-27",
                    touches=("varnia-fin",),
                    signed=(so("varnia-mfa", "2026-05-27"), so("varnia-fin", "2026-05-28")),
                    supersedes="d1",
                ),
            ]
        ),
        set(),
        "",
    ),
    (
        "a correction starts with no sign-offs",
        workspace(
            decisions=[
                dec("d1", touches=("varnia-fin",), signed=("varnia-mfa", "varnia-fin")),
                dec("d2", date="2026-05-27", touches=("varnia-fin",), supersedes="d1"),
            ]
        ),
        {("missing_signoff", ("d2",), "medium")},
        "decision of 2026-05-27",
    ),
    (
        "a correction drops a department the entry it corrects named",
        workspace(
            decisions=[
                dec("d1", touches=("varnia-mfa", "varnia-mod"), signed=("varnia-mfa", "varnia-mod")),
                dec(
                    "d2",
                    date="2026-05-27",
                    touches=("varnia-mfa",),
                    signed=(so("varnia-mfa", "2026-05-27"),),
                    supersedes="d1",
                ),
            ]
        ),
        {("missing_signoff", ("d2",), "medium")},
        "Varnia, Ministry of Defence",
    ),
    (
        "near miss: the correction is signed by the department it no longer names",
        workspace(
            decisions=[
                dec("d1", touches=("varnia-mfa", "varnia-mod"), signed=("varnia-mfa", "varnia-mod")),
                dec(
                    "d2",
                    date="2026-05-27",
                    touches=("varnia-mfa",),
                    signed=(so("varnia-mfa", "2026-05-27"), so("varnia-mod", "2026-05-28")),
                    supersedes="d1",
                ),
            ]
        ),
        set(),
        "",
    ),
    (
        "a partner with a sign-off grant declines, though not named",
        workspace(
            {"shared_with": [{"government": "ostmark", "level": "sign-off"}]},
            [
                dec(
                    "d1",
                    signed=("varnia-mfa", so("ostmark-mfa", declined=True, reason="breaches our red line")),
                )
            ],
        ),
        {("signoff_declined", ("d1",), "high")},
        "Ostmark, Foreign Office",
    ),
    (
        "a department of the government declines, though not named",
        workspace(decisions=[dec("d1", signed=("varnia-mfa", so("varnia-fin", declined=True)))]),
        {("signoff_declined", ("d1",), "high")},
        "Varnia, Ministry of Finance",
    ),
    (
        "near miss: a partner that may only comment declines",
        workspace(
            {"shared_with": [{"government": "ostmark", "level": "comment"}]},
            [dec("d1", signed=("varnia-mfa", so("ostmark-mfa", declined=True)))],
        ),
        set(),
        "",
    ),
    (
        "a decision puts the air force to work without defence",
        workspace(
            decisions=[
                dec("d1", text="Air force to fly four airdrop rotations in June.", signed=("varnia-mfa",))
            ]
        ),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Defence",
    ),
    (
        "near miss: another state's air force, not ours",
        workspace(
            decisions=[
                dec(
                    "d1",
                    text="Protest to Ostmark after their air force struck the bridge.",
                    signed=("varnia-mfa",),
                )
            ]
        ),
        set(),
        "",
    ),
    (
        "near miss: an ally's air force, named as its holder",
        workspace(
            decisions=[
                dec("d1", text="Ask Ostmark's air force to fly the supplies to Vell.", signed=("varnia-mfa",))
            ]
        ),
        set(),
        "",
    ),
    (
        "a decision shares intelligence information without the intelligence service",
        workspace(
            decisions=[
                dec(
                    "d1",
                    text="Share our intelligence assessments of the checkpoints with the UN access cell.",
                    signed=("varnia-mfa",),
                )
            ],
            orgs=INTEL,
        ),
        {("missing_signoff", ("d1",), "medium")},
        "National Intelligence Service",
    ),
    (
        "near miss: intelligence shared, the intelligence service signed",
        workspace(
            decisions=[
                dec(
                    "d1",
                    text="Share our intelligence assessments of the checkpoints with the UN access cell.",
                    signed=("varnia-mfa", "varnia-nis"),
                )
            ],
            orgs=INTEL,
        ),
        set(),
        "",
    ),
    (
        "a ministry named by its office in lower case",
        workspace(
            decisions=[
                dec(
                    "d1",
                    text="Ask the ministry of health to lend its cold-chain boxes.",
                    signed=("varnia-mfa",),
                )
            ],
            orgs=PARTY_ORGS,
        ),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Health",
    ),
    (
        "near miss: 'health' that names no ministry",
        workspace(
            decisions=[
                dec(
                    "d1",
                    text="Press for local health workers to pass the checkpoint.",
                    signed=("varnia-mfa",),
                )
            ],
            orgs=PARTY_ORGS,
        ),
        set(),
        "",
    ),
    (
        "a tariff offer engages the trade ministry where there is one",
        workspace(
            decisions=[
                dec(
                    "d1",
                    text="Offer tariff-free quotas for valley fruit.",
                    signed=("varnia-mfa", "varnia-fin"),
                )
            ],
            orgs=TRADE,
        ),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Trade",
    ),
    (
        "a tariff offer engages finance where there is no trade ministry",
        workspace(
            decisions=[dec("d1", text="Offer tariff-free quotas for valley fruit.", signed=("varnia-mfa",))]
        ),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Finance",
    ),
    (
        "near miss: a tariff offer signed by the trade ministry, not finance",
        workspace(
            decisions=[
                dec(
                    "d1",
                    text="Offer tariff-free quotas for valley fruit.",
                    signed=("varnia-mfa", "varnia-trade"),
                )
            ],
            orgs=TRADE,
        ),
        set(),
        "",
    ),
    (
        "debt relief and a general licence are finance's",
        workspace(
            decisions=[
                dec("d1", text="Offer debt relief in return for open crossings.", signed=("varnia-mfa",)),
                dec(
                    "d2",
                    text="Issue a general licence for NGO payments in the valleys.",
                    signed=("varnia-mfa",),
                ),
            ]
        ),
        {("missing_signoff", ("d1",), "medium"), ("missing_signoff", ("d2",), "medium")},
        "Varnia, Ministry of Finance",
    ),
    (
        "our peacekeeping contingent is defence's",
        workspace(
            decisions=[
                dec(
                    "d1",
                    text="Offer our peacekeeping contingent to escort the convoys.",
                    signed=("varnia-mfa",),
                )
            ]
        ),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Defence",
    ),
    (
        "near miss: another side's health ministry, before or after",
        workspace(
            decisions=[
                dec("d1", text="Press Ostmark's health ministry to send vaccine.", signed=("varnia-mfa",)),
                dec(
                    "d2",
                    text="Ask the ministry of health of Ostmark to send vaccine.",
                    signed=("varnia-mfa",),
                ),
            ],
            orgs=PARTY_ORGS,
        ),
        set(),
        "",
    ),
    (
        "near miss: the air force's decision signed by defence",
        workspace(
            decisions=[
                dec(
                    "d1",
                    text="Air force to fly four airdrop rotations in June.",
                    signed=("varnia-mfa", "varnia-mod"),
                )
            ]
        ),
        set(),
        "",
    ),
    (
        "declined sign-off blocks",
        workspace(
            decisions=[
                dec(
                    "d1",
                    touches=("varnia-fin",),
                    signed=(
                        "varnia-mfa",
                        so("varnia-fin", declined=True, reason="exposure of the trade credit line"),
                    ),
                )
            ]
        ),
        {("signoff_declined", ("d1",), "high")},
        "declined",
    ),
    (
        "a later approval does not lift a decline",
        workspace(
            decisions=[
                dec(
                    "d1",
                    touches=("varnia-fin",),
                    signed=("varnia-mfa", so("varnia-fin", declined=True), so("varnia-fin", "2026-05-30")),
                )
            ]
        ),
        {("signoff_declined", ("d1",), "high")},
        "blocked",
    ),
    (
        "a superseding entry lifts the decline",
        workspace(
            decisions=[
                dec("d1", touches=("varnia-fin",), signed=("varnia-mfa", so("varnia-fin", declined=True))),
                dec(
                    "d2",
                    date="2026-05-28",
                    touches=("varnia-fin",),
                    signed=(so("varnia-mfa", "2026-05-28"), so("varnia-fin", "2026-05-29")),
                    supersedes="d1",
                ),
            ]
        ),
        set(),
        "",
    ),
    # --- acted on without sign-off
    (
        "agreement logged after an unsigned decision",
        workspace(
            decisions=[
                dec(
                    "d1", date="2026-05-20", touches=("varnia-fin",), signed=(so("varnia-mfa", "2026-05-20"),)
                ),
                dec("d2", date="2026-05-25", kind="agreement", signed=("varnia-mfa",)),
            ]
        ),
        # one alert per decision, of its gravest kind
        {("acted_without_signoff", ("d1",), "high")},
        "",
    ),
    (
        "leverage used after a declined decision",
        workspace(
            decisions=[
                dec(
                    "d1",
                    date="2026-05-20",
                    touches=("varnia-fin",),
                    signed=(so("varnia-mfa", "2026-05-20"), so("varnia-fin", "2026-05-21", declined=True)),
                ),
                dec("d2", date="2026-05-25", kind="leverage", signed=("varnia-mfa",)),
            ]
        ),
        {("acted_without_signoff", ("d1",), "high")},
        "",
    ),
    (
        "agreement the same day is not after",
        workspace(
            decisions=[
                dec("d1", touches=("varnia-fin",), signed=("varnia-mfa",)),
                dec("d2", kind="agreement", signed=("varnia-mfa",)),
            ]
        ),
        {("missing_signoff", ("d1",), "medium")},
        "",
    ),
    (
        "a later 'other' decision is not acting",
        workspace(
            decisions=[
                dec(
                    "d1", date="2026-05-20", touches=("varnia-fin",), signed=(so("varnia-mfa", "2026-05-20"),)
                ),
                dec("d2", kind="other", signed=("varnia-mfa",)),
            ]
        ),
        {("missing_signoff", ("d1",), "medium")},
        "",
    ),
    (
        "an agreement on another track is not acting",
        workspace(
            decisions=[
                dec(
                    "d1", date="2026-05-20", touches=("varnia-fin",), signed=(so("varnia-mfa", "2026-05-20"),)
                ),
                dec("d2", initiative="t2", kind="agreement", signed=("varnia-mfa",)),
            ],
            extra_tracks=[OTHER_TRACK],
        ),
        {("missing_signoff", ("d1",), "medium")},
        "",
    ),
    (
        "agreement after a fully signed decision",
        workspace(
            decisions=[
                dec("d1", date="2026-05-20", signed=(so("varnia-mfa", "2026-05-20"),)),
                dec("d2", kind="agreement", signed=("varnia-mfa",)),
            ]
        ),
        set(),
        "",
    ),
    (
        "near miss: a decision of a closed track is no longer judged",
        workspace({"status": "closed"}, [dec("d1", touches=("varnia-fin",), signed=("varnia-mfa",))]),
        set(),
        "",
    ),
    (
        "near miss: a decision of a track past its end is no longer judged",
        workspace(
            {"start": "2025-06-01", "end": "2026-03-31"},
            [dec("d1", date="2025-12-01", touches=("varnia-fin",), signed=("varnia-mfa",))],
        ),
        set(),
        "",
    ),
    (
        "a decision of a draft track is judged",
        workspace({"status": "draft"}, [dec("d1", touches=("varnia-fin",), signed=("varnia-mfa",))]),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Finance",
    ),
    (
        "a decision of a paused track is judged",
        workspace({"status": "paused"}, [dec("d1", touches=("varnia-fin",), signed=("varnia-mfa",))]),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Finance",
    ),
    # --- resources
    (
        "active track with no staff",
        workspace({"staff": []}),
        {("no_dedicated_staff", ("t1",), "high")},
        "no dedicated staff",
    ),
    (
        "only borrowed staff",
        workspace({"staff": [{"org": "varnia-mfa", "fte": 0.2, "dedicated": False}]}),
        {("no_dedicated_staff", ("t1",), "high")},
        "no dedicated staff",
    ),
    ("draft track with no staff yet", workspace({"staff": [], "status": "draft"}), set(), ""),
    ("paused track with no staff", workspace({"staff": [], "status": "paused"}), set(), ""),
    (
        "a dedicated staff resource line counts",
        workspace({"staff": [], "resources": [*TRACK["resources"], {"kind": "staff", "dedicated": True}]}),
        set(),
        "",
    ),
    (
        "staff line lapsed already",
        workspace({"staff": [{"org": "varnia-mfa", "fte": 1.0, "until": "2026-05-01"}]}),
        # one cause (the staff has gone), one alert of the gravest kind
        {("no_dedicated_staff", ("t1",), "high")},
        "",
    ),
    (
        "a dedicated grant ends early while only a borrowed line runs on",
        workspace(
            {
                "resources": [
                    {"kind": "funding", "until": "2026-06-30", "dedicated": True},
                    {"kind": "funding", "until": "2027-03-31", "dedicated": False},
                ]
            }
        ),
        {("resources_lapse", ("t1",), "medium")},
        "2026-06-30",
    ),
    (
        "near miss: a second dedicated grant carries the track to its end",
        workspace(
            {
                "resources": [
                    {"kind": "funding", "until": "2026-06-30", "dedicated": True},
                    {"kind": "funding", "until": "2026-12-31", "dedicated": True},
                ]
            }
        ),
        set(),
        "",
    ),
    (
        "a logistics line ends before the track",
        workspace(
            {
                "resources": [
                    *TRACK["resources"],
                    {"kind": "logistics", "until": "2026-07-31", "dedicated": True},
                ]
            }
        ),
        {("resources_lapse", ("t1",), "medium")},
        "logistics line",
    ),
    (
        "staff lapse a month before the end",
        workspace({"staff": [{"org": "varnia-mfa", "fte": 1.0, "until": "2026-08-31"}]}),
        {("resources_lapse", ("t1",), "medium")},
        "2026-08-31",
    ),
    (
        "near miss: one officer hands over to another whose line runs past the end",
        workspace(
            {
                "staff": [
                    {"org": "varnia-mfa", "fte": 1.0, "until": "2026-06-30"},
                    {"org": "varnia-mfa", "fte": 1.0, "until": "2026-12-31"},
                ]
            }
        ),
        set(),
        "",
    ),
    (
        "both officers' postings end before the track",
        workspace(
            {
                "staff": [
                    {"org": "varnia-mfa", "fte": 1.0, "until": "2026-07-31"},
                    {"org": "varnia-mfa", "fte": 0.5, "until": "2026-08-31"},
                ]
            }
        ),
        {("resources_lapse", ("t1",), "medium")},
        "2026-08-31",
    ),
    (
        "funding ends with the track",
        workspace({"resources": [{"kind": "funding", "until": "2026-09-30", "dedicated": True}]}),
        set(),
        "",
    ),
    (
        "funding lapses before the end",
        workspace(
            {
                "resources": [
                    {
                        "kind": "funding",
                        "amount": 90000,
                        "currency": "EUR",
                        "until": "2026-07-31",
                        "dedicated": True,
                    }
                ]
            }
        ),
        {("resources_lapse", ("t1",), "medium")},
        "lapses on 2026-07-31",
    ),
    (
        "near miss: borrowed logistics ending early is not a lapse",
        workspace({"resources": [*TRACK["resources"], {"kind": "logistics", "until": "2026-07-31"}]}),
        set(),
        "",
    ),
    ("open-ended track, lines still current", workspace({"end": None}), set(), ""),
    (
        "borrowed resources on a long track",
        workspace({"resources": [{"kind": "funding", "org": "varnia-dev", "until": "2026-12-31"}]}),
        {("borrowed_resources", ("t1",), "medium")},
        "only borrowed",
    ),
    (
        "borrowed resources on a short track",
        workspace({"start": "2026-05-01", "resources": [{"kind": "funding", "until": "2026-12-31"}]}),
        set(),
        "",
    ),
    (
        "no resources at all on a long track",
        workspace({"resources": []}),
        {("borrowed_resources", ("t1",), "medium")},
        "no resources of its own",
    ),
    ("closed track is not judged", workspace({"staff": [], "resources": [], "status": "closed"}), set(), ""),
    # --- the defence ministry's means named by what they are
    (
        "military helicopters put to work",
        workspace(
            decisions=[
                dec(
                    "d1",
                    text="Military helicopters to fly medical evacuations twice a week.",
                    touches=("varnia-mfa",),
                    signed=("varnia-mfa",),
                )
            ]
        ),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Defence",
    ),
    (
        "near miss: their military helicopters",
        workspace(
            decisions=[
                dec(
                    "d1",
                    text="Protest to the authorities that their military helicopters overfly the camps.",
                    touches=("varnia-mfa",),
                    signed=("varnia-mfa",),
                )
            ]
        ),
        set(),
        "",
    ),
    # --- the foreign ministry and initials, on a track an agency owns
    (
        "the foreign ministry named as acting on an agency's track",
        on_agency_track("The Foreign Ministry will present the offer to the council."),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Foreign Affairs",
    ),
    (
        "a ministry named by its initials",
        on_agency_track("MFA raises the closure with the ambassador."),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Foreign Affairs",
    ),
    (
        "our embassy put to work",
        on_agency_track("Our embassy in Ostra will host the talks."),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Foreign Affairs",
    ),
    (
        "near miss: foreign fighters are no ministry",
        on_agency_track("Foreign fighters left the town; resume the distributions."),
        set(),
        "",
    ),
    (
        "near miss: another state's foreign ministry",
        on_agency_track("Ask the Foreign Ministry of Ostmark to host the talks."),
        set(),
        "",
    ),
    # --- units that are part of a ministry
    (
        "a directorate signed where its ministry is named",
        workspace(
            decisions=[dec("d1", touches=("varnia-mfa", "varnia-mod"), signed=("varnia-mfa", "mod-log"))],
            orgs=UNITS,
        ),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Defence",
    ),
    (
        "a directorate whose government is its ministry is of the ministry's government",
        workspace(
            {"owner": "mfa-hum", "staff": [{"org": "mfa-hum", "fte": 1.0, "until": "2026-12-31"}]},
            [
                dec(
                    "d1",
                    text="Military aircraft to fly the airlift rotations.",
                    touches=("mfa-hum",),
                    signed=("mfa-hum",),
                )
            ],
            orgs=UNITS,
        ),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Defence",
    ),
    (
        "near miss: a command under the ministry signed for the means the words put to work",
        workspace(
            decisions=[
                dec(
                    "d1",
                    text="Military aircraft to fly the airlift rotations.",
                    touches=("varnia-mfa",),
                    signed=("varnia-mfa", "air-ops"),
                )
            ],
            orgs=UNITS,
        ),
        set(),
        "",
    ),
    (
        "near miss: the ministry signed for its assets",
        workspace(
            decisions=[
                dec(
                    "d1",
                    text="Military aircraft to fly the airlift rotations.",
                    touches=("varnia-mfa",),
                    signed=("varnia-mfa", "varnia-mod"),
                )
            ],
            orgs=UNITS,
        ),
        set(),
        "",
    ),
    (
        "near miss: a directorate named and signed, its ministry not engaged",
        workspace(
            decisions=[
                dec(
                    "d1",
                    text="The Logistics Directorate will load the convoy at the depot.",
                    touches=("varnia-mfa", "mod-log"),
                    signed=("varnia-mfa", "mod-log"),
                )
            ],
            orgs=UNITS,
        ),
        set(),
        "",
    ),
    # --- bodies of a ministry named by what they are, and the ministry's means
    (
        "military engineers of a corps",
        said("Deploy the Corps of Engineers to clear the airstrip."),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Defence",
    ),
    (
        "an engineering battalion",
        said("An engineering battalion is to repair the ferry ramps."),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Defence",
    ),
    (
        "the coast guard as acting",
        said("The Coast Guard will escort the relief barges to the estuary."),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of the Interior",
    ),
    (
        "a maritime security service tasked",
        said("Task the Maritime Security Agency with patrolling the landing points."),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of the Interior",
    ),
    (
        "frontier guards seconded",
        said("Second two officers of the Frontier Guard to the joint crossing cell."),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of the Interior",
    ),
    (
        "the government's own border police",
        said("Varnia's border police will wave the medical convoys through."),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of the Interior",
    ),
    (
        "the customs service waives fees",
        said("The Customs Service will waive inspection fees on relief cargo."),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Finance",
    ),
    (
        "export control by its directorate",
        said("The Export Control Directorate will license the chlorine."),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Economy and Trade",
    ),
    (
        "work permits granted",
        said("Issue work permits to the 40 NGO surge staff for six months."),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of the Interior",
    ),
    (
        "money from the defence budget",
        said("Cover the fuel for the convoys from the defence budget."),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Defence",
    ),
    (
        "the interior ministry's staff",
        said("Interior staff will run the registration desk at the camp."),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of the Interior",
    ),
    (
        "near miss: the border police of a state asked",
        said("Press Ostmark's border police to stop turning back NGO staff."),
        set(),
        "",
    ),
    (
        "near miss: border police asked, no holder named",
        said("Urge the border police at the crossing to stop turning back NGO staff."),
        set(),
        "",
    ),
    (
        "near miss: their coast guard",
        said("Protest to Ostmark after their coast guard seized the barge."),
        set(),
        "",
    ),
    (
        "near miss: permits another side is pressed to issue",
        said("Press the authorities to issue travel permits to NGO drivers."),
        set(),
        "",
    ),
    (
        "near miss: customs as a topic",
        said("Raise the customs delays at the port with the authorities."),
        set(),
        "",
    ),
    (
        "near miss: an NGO's engineers",
        said("Relief Network engineers will assess the bridge next week."),
        set(),
        "",
    ),
    (
        "near miss: border police denied",
        said("The convoy will move without any border police escort."),
        set(),
        "",
    ),
    (
        "near miss: the coast guard named and signed, not its ministry",
        said("The Coast Guard will escort the relief barges.", ("varnia-mfa", "varnia-cg"), BODY_UNITS),
        set(),
        "",
    ),
    (
        "near miss: military engineers whose command signed",
        said("Military engineers will rebuild the bridge.", ("varnia-mfa", "mod-eng"), BODY_UNITS),
        set(),
        "",
    ),
    (
        "near miss: the interior ministry signed for its border police",
        said("Border police to fast-track NGO staff at the crossing.", ("varnia-mfa", "varnia-int")),
        set(),
        "",
    ),
    (
        "near miss: a department named only to say nothing is asked of it",
        said("Ask the parties to endorse the commitments; the Treasury is not asked for anything."),
        set(),
        "",
    ),
    (
        "near miss: a department only in a demand turned down",
        said("The authority's demand that the Treasury unfreeze the bank's reserves was rejected."),
        set(),
        "",
    ),
    (
        "a command named by its own name, read for its area",
        said("Varnian Naval Logistics Command to ship water tanks to the island."),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Defence",
    ),
    (
        "a revenue service named by its own name",
        said("The Revenue Service is to waive duties on donated generators."),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Finance",
    ),
    (
        "army trucks put to work",
        said("Use army trucks to carry the seed to the valley."),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Defence",
    ),
    (
        "near miss: a body only met with",
        said("Share the convoy timetable with the coast guard."),
        set(),
        "",
    ),
    (
        "near miss: a body's checkpoint is a place",
        said("The convoy passed the border police checkpoint without incident."),
        set(),
        "",
    ),
    (
        "near miss: another state's name in the body's name",
        said("Meet the Ostmark Frontier Police commander on Tuesday."),
        set(),
        "",
    ),
    (
        "near miss: another actor's engineers",
        said("Welcome the UN mission's engineering company clearing the road."),
        set(),
        "",
    ),
    (
        "near miss: a body only briefed",
        said("Brief the Coast Guard on the convoy schedule."),
        set(),
        "",
    ),
    (
        "near miss: a department only informed",
        said("Inform the Treasury of the new convoy schedule."),
        set(),
        "",
    ),
    (
        "near miss: the body of whoever the clause is about",
        said("Agree with the council on recognition of its customs office."),
        set(),
        "",
    ),
    (
        "troops the decision itself sends",
        said("Deploy two platoons of soldiers to guard the warehouse."),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Defence",
    ),
    (
        "police helicopters put to work",
        said("Police helicopters will fly the medical evacuations."),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of the Interior",
    ),
    (
        "costs borne by a ministry named by its area",
        said("Fuel costs to be borne by defence until June."),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Defence",
    ),
    (
        "near miss: troops another actor sends",
        said("The UN will deploy peacekeepers to the valley."),
        set(),
        "",
    ),
    (
        "near miss: an offer of assets declined",
        said("Decline the offer of military escorts for the convoys."),
        set(),
        "",
    ),
    (
        "near miss: assets turned down after they are named",
        said("Military escorts were refused by the NGOs."),
        set(),
        "",
    ),
    (
        "near miss: commercial means instead of ours",
        said("Hire commercial charters instead of our air force."),
        set(),
        "",
    ),
    (
        "near miss: a unit named on the entry, its ministry signed for it",
        workspace(
            decisions=[dec("d1", touches=("varnia-mfa", "varnia-cg"), signed=("varnia-mfa", "varnia-int"))],
            orgs=BODY_UNITS,
        ),
        set(),
        "",
    ),
    (
        "a unit of a ministry the workspace does not hold yet is still of its government",
        said(
            "The Border Police will fast-track the NGO surge staff.",
            orgs=[
                *ORGS,
                {
                    "key": "varnia-bp",
                    "name": "Varnia Border Police",
                    "kind": "department",
                    "government": "varnia-int",
                },
            ],
        ),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia Border Police",
    ),
    (
        "near miss: the body that did the harm",
        said("Advocate for the release of NGO drivers held by the border police."),
        set(),
        "",
    ),
    (
        "near miss: a clause of harm done by a body",
        said("The border police turned back two trucks at Orvel; raise it at the next meeting."),
        set(),
        "",
    ),
    (
        "near miss: exemptions to be obtained from someone else",
        said("Secure tax exemptions for NGOs from the authorities."),
        set(),
        "",
    ),
    (
        "near miss: permits to be obtained",
        said("Obtain work permits for the NGO surge staff."),
        set(),
        "",
    ),
    (
        "army equipment lent",
        said("Lend two army bulldozers to clear the landslide on the valley road."),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Defence",
    ),
    (
        "a department's officials at the head of a sentence",
        said("Treasury officials will release the second tranche on Monday."),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Finance",
    ),
    (
        "near miss: health workers at the head of a sentence are no ministry",
        said("Health workers will be let through the checkpoint from Monday.", orgs=PARTY_ORGS),
        set(),
        "",
    ),
    (
        "near miss: the entry names only the agency, its words open on the agency acting, and it signed",
        workspace(
            decisions=[
                dec(
                    "d1",
                    text="Agency tops up its grant to Relief Network within its own budget.",
                    touches=("varnia-dev",),
                    signed=("varnia-dev",),
                )
            ]
        ),
        set(),
        "",
    ),
    (
        "near miss: the entry names only the agency, its words open on it in lower case",
        workspace(
            decisions=[
                dec(
                    "d1",
                    text="The development agency will top up its grant to Relief Network.",
                    touches=("varnia-dev",),
                    signed=("varnia-dev",),
                )
            ]
        ),
        set(),
        "",
    ),
    (
        "a ministry of public security answers for the border police where there is no interior ministry",
        said(
            "Border police to fast-track the NGO surge staff at the crossing.",
            orgs=[
                *ORGS,
                {
                    "key": "varnia-sec",
                    "name": "Varnia, Ministry of Public Security",
                    "kind": "department",
                    "government": "varnia",
                },
            ],
        ),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Public Security",
    ),
    (
        "near miss: the entry names only the agency, and its words give the step to the agency",
        workspace(
            decisions=[
                dec(
                    "d1",
                    text="Top up the grant to Relief Network within the agency's own budget.",
                    touches=("varnia-dev",),
                    signed=("varnia-dev",),
                )
            ]
        ),
        set(),
        "",
    ),
    (
        "the entry names only the agency, but its words do not say who acts: the owner proposes",
        workspace(
            decisions=[
                dec(
                    "d1",
                    text="Top up the grant to Relief Network by EUR 50,000.",
                    touches=("varnia-dev",),
                    signed=("varnia-dev",),
                )
            ]
        ),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Foreign Affairs",
    ),
    (
        "near miss: an international body's police",
        said("The UN Border Police Unit will patrol the camp."),
        set(),
        "",
    ),
    (
        "near miss: an alliance's naval forces",
        said("NATO naval forces will escort the grain ships."),
        set(),
        "",
    ),
    (
        "near miss: the means of whoever the clause is about",
        said("Ask the UN to lend its air force to fly the supplies in."),
        set(),
        "",
    ),
    (
        "near miss: a financial tracking service is no finance ministry",
        said("Report the new pledge to the Financial Tracking Service."),
        set(),
        "",
    ),
    (
        "near miss: means that are only the topic of a training",
        said("Train the valley's customs officers on humanitarian exemptions and export controls."),
        set(),
        "",
    ),
    (
        "a body named head first",
        said("The Directorate-General for Customs will clear the cargo at the warehouse."),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Finance",
    ),
    (
        "a border control agency",
        said("The border control agency will open a humanitarian lane at Orvel."),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of the Interior",
    ),
    (
        "engineering troops",
        said("Engineering troops will rebuild the bridge before the rains."),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Defence",
    ),
    (
        "near miss: another state's department named head first",
        said("The Department of Health of Ostmark must register the clinics."),
        set(),
        "",
    ),
    (
        "near miss: an NGO's finance department",
        said("Relief Network's finance department will audit the grant."),
        set(),
        "",
    ),
    (
        "a department named by the initials its name gives in brackets",
        said(
            "EUR 2m to be drawn from the DFR reserve for tents.",
            orgs=[
                *ORGS,
                {
                    "key": "varnia-dfr",
                    "name": "Varnia Directorate of Fiscal Resources (DFR)",
                    "kind": "department",
                    "government": "varnia",
                },
            ],
        ),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia Directorate of Fiscal Resources",
    ),
    (
        "a draft track whose only funding ends before it does",
        workspace(
            {
                "status": "draft",
                "resources": [{"kind": "funding", "until": "2026-07-31", "dedicated": True}],
            }
        ),
        {("resources_lapse", ("t1",), "medium")},
        "lapses on 2026-07-31",
    ),
    # --- secretariat capacity is its own resource: the officer staying on does not carry it
    (
        "a contracted secretariat ends before the track while the officer stays",
        workspace(
            {"resources": [*TRACK["resources"], {"kind": "staff", "until": "2026-07-15", "dedicated": True}]}
        ),
        {("resources_lapse", ("t1",), "medium")},
        "staff line lapses on 2026-07-15",
    ),
    (
        "near miss: a second secretariat contract picks up where the first ends",
        workspace(
            {
                "resources": [
                    *TRACK["resources"],
                    {"kind": "staff", "until": "2026-07-15", "dedicated": True},
                    {"kind": "staff", "until": "2026-11-30", "dedicated": True},
                ]
            }
        ),
        set(),
        "",
    ),
    # --- means named only to say nobody uses them, or that the decision leaves them alone
    (
        "near miss: nothing of the defence ministry is used",
        said("Share the flood maps drawn by local volunteers; nothing from the Air Force is requested."),
        set(),
        "",
    ),
    (
        "near miss: sanctions named only as left alone by the decision",
        said(
            "Open a channel with the port elders. The sanctions listings of the shipping firms are "
            "unaffected by this decision."
        ),
        set(),
        "",
    ),
    (
        "sanctions named and put to work, another matter left alone beside them",
        said("Propose targeted sanctions on the checkpoint commanders, and the convoy plan is unchanged."),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Finance",
    ),
    (
        "near miss: a department only kept informed, in the passive",
        said("Seek a meeting with the river council; the Ministry of Finance will be kept informed."),
        set(),
        "",
    ),
    # --- the same families of means in their other forms
    (
        "a single police adviser is the interior ministry's to second",
        said("Second one police adviser to the ceasefire monitors in the hills."),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of the Interior",
    ),
    (
        "a military liaison officer is the defence ministry's",
        said("A military liaison officer will sit in the joint notification cell from July."),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Defence",
    ),
    (
        "import duties waived are a trade measure",
        said("Waive import duties on solar lamps bound for the shelters until March."),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Economy and Trade",
    ),
    (
        "near miss: a department named with its verb, then denied",
        said("Defence is not involved; the ministry alone delivers the note to the elders."),
        set(),
        "",
    ),
    (
        "a department opening the sentence commits its means with a verb of its own",
        said("Finance releases EUR 2m from the reserve for the flood shelters."),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Finance",
    ),
    (
        "near miss: a department opening the sentence only reports",
        said("Finance reports that the reserve is spent; the ministry asks the council for a meeting."),
        set(),
        "",
    ),
    (
        "near miss: a department said to have no role",
        said("Hand the list of wounded to the elders; the Interior Ministry has no role in this."),
        set(),
        "",
    ),
    (
        "near miss: a ministry only met to discuss",
        said("Discuss with the Ministry of Defence whether the river route is still mined."),
        set(),
        "",
    ),
    (
        "near miss: a ministry's building is only the venue",
        said("Hold the donor round at the Ministry of Finance building on Friday."),
        set(),
        "",
    ),
    (
        "a ministry told, then given a step of its own",
        said("Inform the valley council and ask Defence to fly the generators in."),
        {("missing_signoff", ("d1",), "medium")},
        "Varnia, Ministry of Defence",
    ),
    (
        "near miss: the defence attachés are only briefed",
        said("Hand over the protest note, then brief our defence attachés in the region."),
        set(),
        "",
    ),
]


@pytest.mark.parametrize(("doc", "expected", "phrase"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_d4_cases(doc: dict[str, Any], expected: set[tuple[str, tuple[str, ...], str]], phrase: str) -> None:
    findings = d4.run(Snapshot.from_document(doc))
    assert {(f.kind, f.subjects, f.severity) for f in findings} == expected
    for f in findings:
        assert f.principle == "D4" and f.words == d4.WORDS and f.message and f.remedy and f.evidence
        assert f.initiatives and all(k in ("t1", "t2") for k in f.initiatives)
    if phrase:
        assert any(phrase in f.message for f in findings), [f.message for f in findings]


def test_case_table_is_large_enough() -> None:
    assert len(CASES) >= 25
    assert sum(1 for c in CASES if not c[2]) >= 10  # near misses


def test_missing_signoff_names_who_and_since_when() -> None:
    doc = workspace(
        SHARED, [dec("d1", date="2026-05-02", touches=("varnia-fin", "ostmark"), signed=("varnia-mfa",))]
    )
    (f,) = d4.run(Snapshot.from_document(doc))
    assert "Varnia, Ministry of Finance" in f.message and "Kingdom of Ostmark" in f.message
    # Named as people know them: no organisation's or decision's key in the message.
    assert not any(k in f.message for k in ("varnia-fin", "ostmark)", "(d1)", " d1 "))
    assert "2026-05-02" in f.message and "30 days" in f.message
    assert f.initiatives == ("t1",)
    assert any("partner on this shared track" in e for e in f.evidence)


def test_escalation_follows_the_setting() -> None:
    doc = workspace(decisions=[dec("d1", date="2026-05-25", touches=("varnia-fin",), signed=("varnia-mfa",))])
    snap = Snapshot(Snapshot.from_document(doc).ws, settings=CheckSettings(signoff_escalate_days=3))
    (f,) = d4.run(snap)
    assert f.severity == "high"


def test_a_day_more_of_waiting_is_not_new_evidence() -> None:
    """A dismissed missing sign-off stays dismissed as the days pass; its escalation to high
    severity is new evidence and reopens it."""
    from server.services.reconcile import evidence_hash

    def judged(today: str) -> Any:
        doc = workspace(
            decisions=[dec("d1", date="2026-05-10", touches=("varnia-fin",), signed=("varnia-mfa",))]
        )
        doc["today"] = today
        (f,) = d4.run(Snapshot.from_document(doc))
        return f

    first, next_day = judged("2026-05-20"), judged("2026-05-21")
    assert first.message != next_day.message  # the alert still says how long it has waited
    assert evidence_hash(first) == evidence_hash(next_day)
    escalated = judged("2026-06-30")
    assert escalated.severity == "high" != first.severity
    assert evidence_hash(escalated) != evidence_hash(first)


def test_borrowed_threshold_follows_the_setting() -> None:
    doc = workspace({"start": "2026-05-01", "resources": [{"kind": "funding"}]})
    assert d4.run(Snapshot.from_document(doc)) == []
    snap = Snapshot(Snapshot.from_document(doc).ws, settings=CheckSettings(borrowed_resources_max_days=30))
    assert [f.kind for f in d4.run(snap)] == ["borrowed_resources"]


def test_focus_gives_the_same_findings_for_focused_tracks() -> None:
    t2 = {**OTHER_TRACK, "staff": []}
    doc = workspace(
        {"staff": []}, [dec("d1", touches=("varnia-fin",)), dec("d2", initiative="t2")], extra_tracks=[t2]
    )
    full = d4.run(Snapshot.from_document(doc))
    focused = d4.run(Snapshot.from_document(doc, focus={"t2"}))
    assert focused == [f for f in full if "t2" in f.initiatives]
    assert {f.initiatives for f in full} == {("t1",), ("t2",)}


# --------------------------------------------------------------------------- the sign-off rule's API


def test_status_lists_reasons_signed_missing_and_declined() -> None:
    doc = workspace(
        {
            **SHARED,
            "leverage": [{"kind": "sanction", "org": "varnia-fin"}],
            "staff": [{"org": "varnia-mod", "fte": 1}],
        },
        [
            dec(
                "d1",
                touches=("ostmark", "varnia-dev"),
                signed=("varnia-mfa", so("varnia-dev", declined=True, reason="no budget"), "relief-net"),
            )
        ],
    )
    st = signoffs.status(Snapshot.from_document(doc), "d1")
    reasons = {r.org: set(r.reason_codes) for r in st.requirements}
    assert reasons == {
        "varnia-mfa": {"proposer"},
        "ostmark": {"partner"},
        "varnia-dev": {"named"},
        "varnia-mod": {"staff"},
        "varnia-fin": {"leverage", "leverage_kind"},
    }
    assert st.required[0] == "varnia-mfa"  # the proposer comes first
    assert [r.org for r in st.signed] == ["varnia-mfa"]
    assert {r.org for r in st.missing} == {"ostmark", "varnia-mod", "varnia-fin"}
    assert all(
        r.missing_since is not None and r.missing_since.isoformat() == "2026-05-25" for r in st.missing
    )
    assert [(r.org, r.signoff.reason if r.signoff else None) for r in st.declined] == [
        ("varnia-dev", "no budget")
    ]
    assert [s.org for s in st.extra] == ["relief-net"]
    assert not st.complete and st.open and st.judged
    assert st.days_outstanding(Snapshot.from_document(doc).today) == 7


def test_status_of_superseded_and_correcting_entries() -> None:
    doc = workspace(
        decisions=[dec("d1", signed=("varnia-mfa",)), dec("d2", date="2026-05-27", supersedes="d1")]
    )
    snap = Snapshot.from_document(doc)
    old, new = signoffs.statuses(snap)
    assert old.superseded_by == "d2" and old.complete and not old.open and not old.judged
    assert new.supersedes == "d1" and new.signed == () and [r.org for r in new.missing] == ["varnia-mfa"]


def test_unresolved_area_and_ignored_signoff_are_reported() -> None:
    doc = workspace(
        {"leverage": [{"kind": "sanction"}]},
        [dec("d1", signed=(so("varnia-mfa", date="2026-05-01"),))],
        orgs=NO_FIN,
    )
    st = signoffs.status(Snapshot.from_document(doc), "d1")
    assert st.unresolved and "finance" in st.unresolved[0]
    assert [i.signoff.org for i in st.ignored] == ["varnia-mfa"]
    assert [r.org for r in st.missing] == ["varnia-mfa"]


def test_signoff_status_from_plain_data() -> None:
    snap = Snapshot.from_document(
        workspace(decisions=[dec("d1", touches=("varnia-fin",), signed=("varnia-mfa", "varnia-fin"))])
    )
    st = signoffs.signoff_status(snap.decisions["d1"], snap.initiatives["t1"], snap.organisations)
    assert st.complete and st.required == ("varnia-mfa", "varnia-fin")


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("Prepare targeted sanctions on commanders", ["sanction"]),
        ("Make the grant conditional on access", ["conditionality"]),
        ("Offer a security guarantee to the crossing", ["security_guarantee"]),
        ("Offer the reconstruction fund in exchange for access", ["aid_offer"]),
        ("Ask for weekly aid convoys", []),
    ],
)
def test_leverage_kinds_in_text(text: str, kinds: list[str]) -> None:
    assert signoffs.leverage_kinds_in_text(text) == kinds


def test_intelligence_analysts_engage_the_intelligence_service() -> None:
    doc = workspace(
        decisions=[
            dec(
                "d1", text="Intelligence analysts to map the mined stretch of the valley road for the convoy."
            )
        ],
        orgs=INTEL,
    )
    assert "varnia-nis" in signoffs.status(Snapshot.from_document(doc), "d1").required


@pytest.mark.parametrize(
    ("text", "finance"),
    [
        ("Prepare targeted sanctions on the commanders", True),
        ("No sanctions are proposed at this stage", False),
        ("Their sanctions regime stays unchanged", False),
        ("The sanctions review remains untouched by this decision", False),
        ("The sanctions review of the traders goes ahead, while the visit plan is unchanged", True),
    ],
)
def test_leverage_named_in_a_decision_is_read_in_its_sentence(text: str, finance: bool) -> None:
    snap = Snapshot.from_document(workspace(decisions=[dec("d1", text=text, signed=("varnia-mfa",))]))
    assert ("varnia-fin" in signoffs.status(snap, "d1").required) is finance


_DECISION_KINDS = {"missing_signoff", "signoff_declined", "acted_without_signoff"}


@pytest.mark.parametrize(("doc", "expected", "phrase"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_the_rule_and_the_check_agree_on_every_case(
    doc: dict[str, Any], expected: set[tuple[str, tuple[str, ...], str]], phrase: str
) -> None:
    """What a decision's page shows (the rule's status) is what D4 judges: a live decision is
    incomplete exactly when D4 raises an alert about it, whatever made the department required."""
    snap = Snapshot.from_document(doc)
    alerted = {f.subjects[0] for f in d4.run(snap) if f.kind in _DECISION_KINDS}
    live = {
        i.key for i in snap.ws.initiatives if i.status != "closed" and (i.end is None or i.end >= snap.today)
    }
    incomplete = {st.decision for st in signoffs.statuses(snap) if st.open and st.initiative in live}
    assert incomplete == alerted
