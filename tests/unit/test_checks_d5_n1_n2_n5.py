"""Case tables for checks D5 (influencers), N1 (IHL), N2 (disengagement) and N5 (do no harm).

Every case is a small workspace document, parsed as `accord import` would parse it; each
finding kind comes with the near misses that must stay quiet.
"""

from __future__ import annotations

import re
from types import ModuleType
from typing import Any

import pytest

from server.domain.checks import d5_influencers as d5
from server.domain.checks import n1_ihl_not_negotiable as n1
from server.domain.checks import n2_disengagement as n2
from server.domain.checks import n5_do_no_harm as n5
from server.domain.snapshot import Snapshot

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
        "name": "Varnia, Ministry of Finance and Trade",
        "kind": "department",
        "government": "varnia",
    },
    {"key": "ostmark", "name": "Kingdom of Ostmark", "kind": "state", "government": "ostmark"},
]
CRISES = [{"key": "corridor", "name": "Eastern Corridor crisis", "region": "Eastern Corridor"}]
PARTIES = [
    {"key": "lfa", "name": "Lowland Freedom Army", "kind": "armed_group"},
    {"key": "hadra", "name": "Hadra Provisional Authority", "kind": "de_facto_authority"},
    {"key": "belmora", "name": "Republic of Belmora", "kind": "state"},
]
ELDERS = {"key": "elders", "name": "Council of River Elders", "influences": ["lfa"]}


def track(key: str = "t1", **fields: Any) -> dict[str, Any]:
    """A running humanitarian track that D5, N1, N2 and N5 find nothing wrong with, unless told otherwise."""
    base: dict[str, Any] = {
        "key": key,
        "owner": "varnia-mfa",
        "title": f"Access talks for the northern valleys ({key})",
        "description": "Negotiate the reopening of checkpoints for aid convoys.",
        "kind": "humanitarian",
        "crisis": "corridor",
        "parties": ["lfa"],
        "aims": ["unimpeded humanitarian access to the northern valleys"],
        "start": "2026-01-10",
        "end": "2026-12-31",
        "status": "active",
        "objectives": ["weekly convoys reach Vell and Ostra"],
        "impact_assessment": False,
    }
    base.update(fields)
    return base


def decision(
    key: str, text: str, date: str = "2026-05-02", initiative: str = "t1", **fields: Any
) -> dict[str, Any]:
    return {"key": key, "initiative": initiative, "date": date, "text": text} | fields


def ws(
    *tracks: dict[str, Any], interlocutors: list[dict[str, Any]] | None = None, **extra: Any
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format": "accord-workspace/1",
        "today": TODAY,
        "organisations": ORGS,
        "crises": CRISES,
        "parties": PARTIES,
        "interlocutors": [ELDERS] if interlocutors is None else interlocutors,
        "initiatives": list(tracks) or [track()],
        "decisions": [],
    }
    doc.update(extra)
    return doc


def found(
    check: ModuleType, doc: dict[str, Any], focus: set[str] | None = None
) -> set[tuple[str, tuple[str, ...]]]:
    """What a check finds, as (kind, subjects) pairs."""
    return {(f.kind, f.subjects) for f in check.run(Snapshot.from_document(doc, focus=focus))}


# --------------------------------------------------------------------------- D5

NONE = "no_interlocutor"

D5_CASES = [
    pytest.param(ws(), set(), id="armed-group-with-elders-mapped"),
    pytest.param(ws(interlocutors=[]), {(NONE, ("lfa",))}, id="no-interlocutor-at-all"),
    pytest.param(
        ws(interlocutors=[{"key": "tesmir", "name": "Republic of Tesmir", "influences": ["hadra"]}]),
        {(NONE, ("lfa",))},
        id="interlocutor-influences-another-party",
    ),
    pytest.param(ws(track(parties=["lfa", "hadra"])), {(NONE, ("hadra",))}, id="one-of-two-parties-unmapped"),
    pytest.param(
        ws(track(parties=["hadra", "belmora"])),
        {(NONE, ("hadra",)), (NONE, ("belmora",))},
        id="de-facto-authority-and-state-unmapped",
    ),
    pytest.param(
        ws(track(parties=["hadra"]), interlocutors=[ELDERS | {"influences": ["lfa", "hadra"]}]),
        set(),
        id="near-miss-one-interlocutor-for-two-parties",
    ),
    pytest.param(ws(track(parties=[])), set(), id="near-miss-track-targets-no-party"),
    pytest.param(ws(track(parties=["hadra"], status="draft")), set(), id="near-miss-draft-track"),
    pytest.param(ws(track(parties=["hadra"], status="closed")), set(), id="near-miss-closed-track"),
    pytest.param(
        ws(track(parties=["hadra"], end="2026-05-31")),
        set(),
        id="near-miss-track-ended-yesterday",
    ),
    pytest.param(
        ws(track(parties=["hadra"], status="paused")),
        {(NONE, ("hadra",))},
        id="paused-track-still-runs",
    ),
    pytest.param(
        # The gap is the party's (nobody mapped over it): one alert, concerning both tracks.
        ws(track("t1", parties=["hadra"]), track("t2", parties=["hadra"], kind="political")),
        {(NONE, ("hadra",))},
        id="one-alert-per-party-however-many-tracks",
    ),
]


@pytest.mark.parametrize("doc, expected", D5_CASES)
def test_d5_cases(doc: dict[str, Any], expected: set[tuple[str, tuple[str, ...]]]) -> None:
    assert found(d5, doc) == expected


def test_d5_non_state_party_weighs_more_than_a_state() -> None:
    doc = ws(track(parties=["hadra", "belmora"]))
    severity = {f.subjects: f.severity for f in d5.run(Snapshot.from_document(doc))}
    assert severity == {("hadra",): "medium", ("belmora",): "low"}


# --------------------------------------------------------------------------- N1

WORDING = "humanitarian_ceasefire_wording"
CONDITIONAL = "access_conditional_on_concession"

N1_CASES = [
    pytest.param(ws(), set(), id="access-as-an-obligation"),
    pytest.param(
        ws(
            track(),
            decisions=[
                decision(
                    "d1",
                    "Agreement reached: a truce around Vell from 1 June, and relief convoys into the town during it.",
                    kind="agreement",
                )
            ],
        ),
        {(CONDITIONAL, ("d1", "t1"))},
        id="agreement-holds-access-among-the-terms-of-a-truce",
    ),
    pytest.param(
        ws(
            track(),
            decisions=[
                decision(
                    "d1",
                    "Ceasefire agreement signed around Vell; humanitarian access is owed regardless and is no part of it.",
                    kind="agreement",
                )
            ],
        ),
        set(),
        id="near-miss-an-agreement-that-keeps-access-owed-regardless",
    ),
    pytest.param(
        ws(track(title="Humanitarian ceasefire for the northern valleys")),
        {(WORDING, ("t1",))},
        id="title-humanitarian-ceasefire",
    ),
    pytest.param(
        ws(track(aims=["agree humanitarian truces around Vell"])),
        {(WORDING, ("t1",))},
        id="aim-humanitarian-truces-plural",
    ),
    pytest.param(
        ws(track(description="Push for a Humanitarian Cease-Fire before the harvest.")),
        {(WORDING, ("t1",))},
        id="description-hyphenated-cease-fire",
    ),
    pytest.param(
        ws(track(objectives=["three humanitarian-pauses a week"])),
        {(WORDING, ("t1",))},
        id="objective-hyphenated-pauses",
    ),
    pytest.param(
        ws(track(metrics=[{"name": "humanitarian pauses agreed", "kind": "output"}])),
        {(WORDING, ("t1",))},
        id="metric-counts-humanitarian-pauses",
    ),
    pytest.param(
        ws(track(), decisions=[decision("d1", "Propose a truce for aid to the LFA commanders.")]),
        {(CONDITIONAL, ("d1", "t1"))},
        id="decision-truce-for-aid",
    ),
    pytest.param(
        ws(track(description="Convoy access in exchange for a ceasefire at the Ostra bridge.")),
        {(CONDITIONAL, ("t1",))},
        id="access-in-exchange-for-ceasefire",
    ),
    pytest.param(
        ws(track(objectives=["aid deliveries resume only once a truce holds"])),
        {(CONDITIONAL, ("t1",))},
        id="deliveries-only-once-a-truce-holds",
    ),
    pytest.param(
        ws(track(), decisions=[decision("d1", "Aid convoys will move once a ceasefire holds at Ostra.")]),
        {(CONDITIONAL, ("d1", "t1"))},
        id="convoys-move-once-a-ceasefire-holds",
    ),
    pytest.param(
        ws(
            track(), decisions=[decision("d1", "Reopen the Vell road once checkpoints are cleared of mines.")]
        ),
        set(),
        id="near-miss-once-checkpoints-are-cleared",
    ),
    pytest.param(
        ws(track(aims=["access to Vell conditional on military concessions by the LFA"])),
        {(CONDITIONAL, ("t1",))},
        id="access-conditional-on-concessions",
    ),
    pytest.param(
        ws(
            track(),
            decisions=[
                decision("d1", "Agree a humanitarian pause; convoys only during the humanitarian pause.")
            ],
        ),
        # One source, one alert: the graver kind, with both framings in its evidence.
        {(CONDITIONAL, ("d1", "t1"))},
        id="decision-with-both-framings",
    ),
    pytest.param(
        ws(track("p1", kind="political", parties=["hadra"], title="Monitor the ceasefire line at Ostra")),
        set(),
        id="near-miss-political-track-monitors-ceasefire-line",
    ),
    pytest.param(
        ws(track(aims=["unconditional access to the northern valleys"])),
        set(),
        id="near-miss-unconditional-access",
    ),
    pytest.param(
        ws(track(description="Humanitarian access is not conditional on a ceasefire.")),
        set(),
        id="near-miss-access-not-conditional",
    ),
    pytest.param(
        ws(track(description='Avoid the term "humanitarian truce" in all statements.')),
        set(),
        id="near-miss-avoiding-the-term",
    ),
    pytest.param(
        ws(track(objectives=["no pause in humanitarian operations during the offensive"])),
        set(),
        id="near-miss-pause-in-humanitarian-operations",
    ),
    pytest.param(
        ws(
            track(
                "p1",
                kind="political",
                description="Negotiate a ceasefire in exchange for a prisoner exchange.",
            )
        ),
        set(),
        id="near-miss-ceasefire-traded-for-prisoners",
    ),
    # The framing is in the plan already: a draft is judged like a running track.
    pytest.param(
        ws(track(title="Humanitarian truce talks", status="draft")),
        {(WORDING, ("t1",))},
        id="draft-track-plans-a-humanitarian-truce",
    ),
    pytest.param(
        ws(track(title="Humanitarian truce talks", status="closed")),
        set(),
        id="near-miss-closed-track",
    ),
    pytest.param(
        ws(track(description="Engineers go to the pumping station once both sides agree to quiet hours.")),
        {(CONDITIONAL, ("t1",))},
        id="paraphrase-work-waits-on-quiet-hours",
    ),
    pytest.param(
        ws(track(objectives=["secure a lull in hostilities so that distributions can take place"])),
        {(CONDITIONAL, ("t1",))},
        id="paraphrase-a-lull-sought-as-the-way-to-aid",
    ),
    pytest.param(
        ws(track(metrics=[{"name": "local truces signed to let relief in", "kind": "output"}])),
        {(CONDITIONAL, ("t1",))},
        id="paraphrase-metric-counts-truces-for-relief",
    ),
    pytest.param(
        ws(track(description="Vaccination teams go in only when the shelling stops.")),
        {(CONDITIONAL, ("t1",))},
        id="paraphrase-a-halt-in-other-words",
    ),
    pytest.param(
        ws(
            track(
                kind="political",
                description="Varnia would lift the travel bans if Hadra opens its camps to international NGOs.",
            )
        ),
        {(CONDITIONAL, ("t1",))},
        id="access-bought-with-a-political-concession",
    ),
    pytest.param(
        ws(
            track(
                description="Ostmark floated a 'humanitarian pause' for Vell; we declined and ask for unconditional access."
            )
        ),
        set(),
        id="near-miss-partner-s-proposal-reported-and-declined",
    ),
    pytest.param(
        ws(track(description="The authorities demand a ceasefire before convoys move.")),
        set(),
        id="near-miss-the-other-side-s-demand",
    ),
    pytest.param(
        ws(track(description="We will not condition access on a ceasefire.")),
        set(),
        id="near-miss-we-will-not-condition",
    ),
    pytest.param(
        ws(track(description="Deployment of the second team paused after the car-jacking near Vell.")),
        set(),
        id="near-miss-our-own-deployment-paused",
    ),
    # The paper: the framing "reinforces the perception that aid delivery requires political
    # or military concessions". D2 raises the trade as well: both principles apply.
    pytest.param(
        ws(
            track(description="Make the next cash tranche conditional on the release of political prisoners.")
        ),
        {(CONDITIONAL, ("t1",))},
        id="aid-made-to-wait-on-a-political-concession",
    ),
    pytest.param(
        ws(track(aims=["a ceasefire around Vell"])),
        {(WORDING, ("t1",))},
        id="humanitarian-track-aims-at-a-ceasefire",
    ),
    pytest.param(
        ws(track("p1", kind="political", parties=["hadra"], aims=["a ceasefire around Vell"])),
        set(),
        id="near-miss-political-track-aims-at-a-ceasefire",
    ),
    pytest.param(
        ws(track(description="A ceasefire for humanitarian purposes around the port.")),
        {(WORDING, ("t1",))},
        id="paraphrase-ceasefire-for-humanitarian-purposes",
    ),
    pytest.param(
        ws(track(description="The truce provides for daily convoys to Vell.")),
        {(CONDITIONAL, ("t1",))},
        id="paraphrase-aid-inside-the-truce",
    ),
    pytest.param(
        ws(track(description="Since the ceasefire collapsed in May, convoys face daily shelling.")),
        set(),
        id="near-miss-ceasefire-as-context",
    ),
    pytest.param(
        ws(track(red_lines=[{"text": "the Ostra ceasefire collapses", "trigger": "withdraw"}])),
        {(CONDITIONAL, ("t1",))},
        id="red-line-ends-the-track-when-a-truce-fails",
    ),
    pytest.param(
        ws(track(red_lines=[{"text": "the truce talks stall", "trigger": "pause"}])),
        {(CONDITIONAL, ("t1",))},
        id="red-line-pauses-the-track-when-truce-talks-stall",
    ),
    pytest.param(
        ws(track(description="The mission to Vell is postponed until the fighting subsides.")),
        {(CONDITIONAL, ("t1",))},
        id="humanitarian-track-puts-off-its-work-until-a-halt",
    ),
    pytest.param(
        ws(track(description="The mission to Vell is postponed until the bridge is repaired.")),
        set(),
        id="near-miss-put-off-until-a-repair",
    ),
    pytest.param(
        ws(track(kind="political", description="The conference is postponed until a ceasefire is agreed.")),
        set(),
        id="near-miss-another-agenda-put-off-until-a-halt",
    ),
    pytest.param(
        ws(track(red_lines=[{"text": "shelling of the Ostra road", "trigger": "pause"}])),
        set(),
        id="near-miss-red-line-on-the-danger-itself",
    ),
    pytest.param(
        ws(
            track(),
            decisions=[
                decision("d1", "Seek a humanitarian ceasefire in Vell."),
                decision("d2", "Seek unimpeded access to Vell.", date="2026-05-04", supersedes="d1"),
            ],
        ),
        set(),
        id="near-miss-superseded-decision",
    ),
]


@pytest.mark.parametrize("doc, expected", N1_CASES)
def test_n1_cases(doc: dict[str, Any], expected: set[tuple[str, tuple[str, ...]]]) -> None:
    assert found(n1, doc) == expected


# --------------------------------------------------------------------------- N2

DISENGAGE = "disengagement_without_impact_assessment"
HADRA: dict[str, Any] = {
    "parties": ["hadra"],
    "kind": "political",
    "title": "Relations with the Hadra authority",
}

N2_CASES = [
    pytest.param(ws(), set(), id="engaged-track"),
    pytest.param(
        ws(
            track(**HADRA),
            decisions=[decision("d1", "Recall the envoy for consultations.", kind="disengagement")],
        ),
        {(DISENGAGE, ("d1", "t1"))},
        id="decision-of-kind-disengagement",
    ),
    pytest.param(
        ws(track(**HADRA), decisions=[decision("d1", "Suspend all contacts with the Hadra authority.")]),
        {(DISENGAGE, ("d1", "t1"))},
        id="decision-text-suspends-contacts",
    ),
    pytest.param(
        ws(
            track(**HADRA),
            decisions=[decision("d1", "Sever diplomatic relations with Belmora.", kind="leverage")],
        ),
        {(DISENGAGE, ("d1", "t1"))},
        id="decision-text-severs-relations",
    ),
    pytest.param(
        ws(track(**HADRA), decisions=[decision("d1", "Apply a no-contact policy toward LFA commanders.")]),
        {(DISENGAGE, ("d1", "t1"))},
        id="decision-text-no-contact-policy",
    ),
    pytest.param(
        ws(
            track(
                **HADRA,
                leverage=[{"kind": "suspension", "status": "active", "description": "Dialogue frozen"}],
            )
        ),
        {(DISENGAGE, ("t1",))},
        id="active-suspension-leverage",
    ),
    pytest.param(
        ws(track(**HADRA, leverage=[{"kind": "suspension", "status": "lifted"}])),
        set(),
        id="near-miss-suspension-lifted",
    ),
    pytest.param(
        ws(
            track(**HADRA, impact_assessment=True, leverage=[{"kind": "suspension", "status": "active"}]),
            decisions=[decision("d1", "Suspend contacts with Hadra.", kind="disengagement")],
        ),
        set(),
        id="near-miss-impact-assessed",
    ),
    pytest.param(
        ws(track(**HADRA), decisions=[decision("d1", "Lift the no-contact policy and resume contacts.")]),
        set(),
        id="near-miss-lifting-no-contact-policy",
    ),
    pytest.param(
        ws(track(**HADRA), decisions=[decision("d1", "We will not sever relations with Hadra.")]),
        set(),
        id="near-miss-refusing-to-sever",
    ),
    pytest.param(
        ws(track(**HADRA), decisions=[decision("d1", "Suspend convoys until contacts with the LFA resume.")]),
        set(),
        id="near-miss-suspending-convoys-not-contacts",
    ),
    pytest.param(
        ws(
            track(**HADRA),
            decisions=[decision("d1", "Since Hadra has not replied, suspend all contacts.", kind="other")],
        ),
        {(DISENGAGE, ("d1", "t1"))},
        id="negation-in-another-clause-does-not-hide-it",
    ),
    pytest.param(
        ws(
            track(**HADRA, status="closed"),
            decisions=[decision("d1", "Sever relations.", kind="disengagement")],
        ),
        set(),
        id="near-miss-closed-track",
    ),
    pytest.param(
        ws(
            track(**HADRA),
            decisions=[
                decision("d1", "Sever relations with Hadra.", kind="disengagement"),
                decision("d2", "Keep the liaison channel open.", date="2026-05-05", supersedes="d1"),
            ],
        ),
        set(),
        id="near-miss-superseded-decision",
    ),
    pytest.param(
        ws(
            track(**HADRA),
            decisions=[decision("d1", "Freeze diplomatic ties with Hadra after the shelling.")],
        ),
        {(DISENGAGE, ("d1", "t1"))},
        id="paraphrase-freeze-ties",
    ),
    pytest.param(
        ws(track(**HADRA), decisions=[decision("d1", "Engagement with the Hadra committee is to cease.")]),
        {(DISENGAGE, ("d1", "t1"))},
        id="paraphrase-passive-engagement-is-to-cease",
    ),
    pytest.param(
        ws(track(**HADRA, status="draft", aims=["no dealings with Hadra by any ally"])),
        {(DISENGAGE, ("t1",))},
        id="draft-track-plans-no-dealings",
    ),
    pytest.param(
        ws(
            track(
                **HADRA, status="draft", impact_assessment=True, aims=["no dealings with Hadra by any ally"]
            )
        ),
        set(),
        id="near-miss-planned-disengagement-assessed",
    ),
    pytest.param(
        ws(track(**HADRA, description="We note that Ostmark broke off relations with Hadra in May.")),
        set(),
        id="near-miss-another-state-s-disengagement-reported",
    ),
    pytest.param(
        ws(
            track(
                **HADRA,
                leverage=[
                    {
                        "kind": "suspension",
                        "status": "active",
                        "description": "Suspend university fees for Hadra trainees",
                    }
                ],
            )
        ),
        set(),
        id="near-miss-suspension-that-cuts-no-contact",
    ),
    pytest.param(
        ws(
            track(**HADRA),
            decisions=[
                decision("d1", "Pause convoys after the attack; the elders' channel to the LFA stays open.")
            ],
        ),
        set(),
        id="near-miss-operations-paused-channel-open",
    ),
    pytest.param(
        ws(
            track(**HADRA),
            decisions=[
                decision(
                    "d1",
                    "Having assessed the humanitarian impact with the agencies, suspend contacts with Hadra.",
                )
            ],
        ),
        set(),
        id="near-miss-decision-says-the-impact-was-assessed",
    ),
    pytest.param(
        ws(
            track(**HADRA),
            decisions=[decision("d1", "Suspend contacts with Hadra; no impact assessment was made.")],
        ),
        {(DISENGAGE, ("d1", "t1"))},
        id="decision-says-no-assessment-was-made",
    ),
    pytest.param(
        ws(track(**HADRA), decisions=[decision("d1", "We will no longer engage with the Hadra council.")]),
        {(DISENGAGE, ("d1", "t1"))},
        id="paraphrase-no-longer-engage",
    ),
    pytest.param(
        ws(
            track(**HADRA),
            decisions=[decision("d1", "Restore full diplomatic relations with Hadra.", kind="disengagement")],
        ),
        set(),
        id="near-miss-filed-as-disengagement-but-re-engages",
    ),
]


@pytest.mark.parametrize("doc, expected", N2_CASES)
def test_n2_cases(doc: dict[str, Any], expected: set[tuple[str, tuple[str, ...]]]) -> None:
    assert found(n2, doc) == expected


# --------------------------------------------------------------------------- N5

UNASSESSED = "punitive_leverage_without_do_no_harm"


def lever(kind: str, status: str = "proposed", assessed: bool = False) -> dict[str, Any]:
    return {
        "kind": kind,
        "status": status,
        "do_no_harm_assessment": assessed,
        "description": f"{kind} on Hadra",
    }


N5_CASES = [
    pytest.param(ws(), set(), id="no-leverage"),
    pytest.param(
        ws(track(leverage=[lever("sanction", "active")])), {(UNASSESSED, ("t1",))}, id="active-sanction"
    ),
    pytest.param(ws(track(leverage=[lever("sanction")])), {(UNASSESSED, ("t1",))}, id="proposed-sanction"),
    pytest.param(
        ws(track(leverage=[lever("conditionality")])), {(UNASSESSED, ("t1",))}, id="proposed-conditionality"
    ),
    pytest.param(
        ws(track(leverage=[lever("suspension", "active")])), {(UNASSESSED, ("t1",))}, id="active-suspension"
    ),
    pytest.param(
        ws(track(leverage=[lever("sanction", "active", assessed=True), lever("suspension")])),
        {(UNASSESSED, ("t1",))},
        id="one-of-two-measures-unassessed",
    ),
    pytest.param(
        ws(track(leverage=[lever("sanction", "active", assessed=True)])), set(), id="near-miss-assessed"
    ),
    pytest.param(ws(track(leverage=[lever("sanction", "lifted")])), set(), id="near-miss-lifted-sanction"),
    pytest.param(ws(track(leverage=[lever("incentive", "active")])), set(), id="near-miss-incentive"),
    pytest.param(ws(track(leverage=[lever("aid_offer")])), set(), id="near-miss-aid-offer-is-not-punitive"),
    # "Prior to any diplomatic action": a measure planned on a draft wants its analysis now.
    pytest.param(
        ws(track(status="draft", leverage=[lever("sanction")])),
        {(UNASSESSED, ("t1",))},
        id="draft-track-plans-a-sanction",
    ),
    pytest.param(
        ws(
            track(
                kind="economic",
                description="All development cooperation with Hadra will be halted until the blockade ends.",
            )
        ),
        {(UNASSESSED, ("t1",))},
        id="measure-in-prose-with-no-tool",
    ),
    pytest.param(
        ws(
            track(kind="political"),
            decisions=[decision("d1", "Impose travel bans on the Hadra council's leaders.")],
        ),
        {(UNASSESSED, ("d1", "t1"))},
        id="decision-imposes-a-measure-no-tool-records",
    ),
    pytest.param(
        ws(
            track(
                leverage=[
                    {
                        "kind": "suspension",
                        "status": "active",
                        "description": "Suspend university fees for Hadra trainees",
                    }
                ]
            )
        ),
        set(),
        id="near-miss-suspension-of-fees-is-goodwill",
    ),
    pytest.param(
        ws(
            track(
                description="We oppose sanctions that would hit civilians; Ostmark imposed an embargo in May."
            )
        ),
        set(),
        id="near-miss-measures-opposed-or-another-state-s",
    ),
    pytest.param(
        ws(track(kind="economic", description="Lift the asset freeze on the port authority.")),
        set(),
        id="near-miss-measure-lifted",
    ),
    pytest.param(
        ws(
            track(
                leverage=[
                    {
                        "kind": "incentive",
                        "description": "Development aid to Hadra cut unless it reopens the road",
                    }
                ]
            )
        ),
        {(UNASSESSED, ("t1",))},
        id="a-tool-filed-as-incentive-that-punishes",
    ),
    pytest.param(
        ws(track(status="closed", leverage=[lever("sanction", "active")])), set(), id="near-miss-closed"
    ),
    pytest.param(
        ws(track(kind="economic", status="paused", leverage=[lever("sanction", "active")])),
        {(UNASSESSED, ("t1",))},
        id="paused-economic-track-with-sanctions",
    ),
]


@pytest.mark.parametrize("doc, expected", N5_CASES)
def test_n5_cases(doc: dict[str, Any], expected: set[tuple[str, tuple[str, ...]]]) -> None:
    assert found(n5, doc) == expected


@pytest.mark.parametrize(
    "levers, severity",
    [
        pytest.param([lever("sanction", "active")], "high", id="active-bites"),
        pytest.param([lever("conditionality")], "medium", id="proposed-can-wait"),
        pytest.param([lever("conditionality"), lever("suspension", "active")], "high", id="worst-wins"),
    ],
)
def test_n5_severity(levers: list[dict[str, Any]], severity: str) -> None:
    [f] = n5.run(Snapshot.from_document(ws(track(leverage=levers))))
    assert f.severity == severity


# --------------------------------------------------------------------------- shared

CHECKS = [d5, n1, n2, n5]


def _noisy(key: str) -> dict[str, Any]:
    return track(
        key,
        parties=["hadra"],
        title=f"Humanitarian truce talks ({key})",
        leverage=[lever("sanction", "active"), lever("suspension", "active")],
    )


# A workspace where each of D5, N1, N2 and N5 finds something on both tracks.
NOISY = ws(
    _noisy("t1"),
    _noisy("t2"),
    decisions=[
        decision("d1", "Suspend contacts; access only after a ceasefire.", kind="disengagement"),
        decision(
            "d2", "Suspend contacts; access only after a ceasefire.", initiative="t2", kind="disengagement"
        ),
    ],
)


@pytest.mark.parametrize("check", CHECKS, ids=lambda m: m.ID)
def test_findings_are_well_formed(check: ModuleType) -> None:
    snapshot = Snapshot.from_document(NOISY)
    findings = check.run(snapshot)
    assert findings
    fingerprints = [f.fingerprint for f in findings]
    assert len(fingerprints) == len(set(fingerprints)), "one alert per fingerprint"
    for f in findings:
        assert f.principle == check.ID
        assert f.words == check.WORDS
        assert re.fullmatch(r"[a-z]+(_[a-z]+)*", f.kind)
        assert f.severity in ("low", "medium", "high")
        assert f.message.endswith(".") and f.evidence and f.remedy
        assert f.initiatives
        # D5's alert is the party's: its subject is the party, the tracks are what it concerns.
        assert set(f.initiatives) <= set(f.subjects) or check is d5
        # Named by title, as people know the track, never by its key.
        titles = [snapshot.initiatives[k].title for k in f.initiatives]
        assert any(t in f.message for t in titles)
        rest = f.message
        for t in titles:
            rest = rest.replace(t, "")
        assert not re.search(r"\b(?:t1|t2|d1|d2|hadra)\b", rest), f.message


@pytest.mark.parametrize("check", CHECKS, ids=lambda m: m.ID)
def test_focus_skips_tracks_outside_it(check: ModuleType) -> None:
    everything = check.run(Snapshot.from_document(NOISY))
    focused = check.run(Snapshot.from_document(NOISY, focus={"t2"}))
    assert focused and all("t2" in f.initiatives for f in focused)
    # A party's alert concerns every track on it, so focusing on one of them keeps it whole.
    assert len(focused) < len(everything) or check is d5
