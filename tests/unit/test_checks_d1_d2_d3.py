"""Case tables for checks D1 (ground realities), D2 (separate agendas) and D3 (objectives, red lines).

Every case is a small workspace document, parsed as `accord import` would parse it; each
finding kind comes with the near misses that must stay quiet.
"""

from __future__ import annotations

import re
from types import ModuleType
from typing import Any

import pytest

from server.domain.checks import d1_ground_realities as d1
from server.domain.checks import d2_separate_agendas as d2
from server.domain.checks import d3_objectives_red_lines as d3
from server.domain.snapshot import CheckSettings, Snapshot, parse_document

TODAY = "2026-06-01"

ORGS = [
    {
        "key": "varnia-mfa",
        "name": "Varnia, Ministry of Foreign Affairs",
        "kind": "department",
        "government": "varnia",
    },
    {
        "key": "varnia-def",
        "name": "Varnia, Ministry of Defence",
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
    {"key": "relief-net", "name": "Relief Network", "kind": "humanitarian_org"},
]
CRISES = [
    {"key": "corridor", "name": "Eastern Corridor crisis", "region": "Eastern Corridor"},
    {"key": "saltmarsh", "name": "Saltmarsh displacement crisis", "region": "Saltmarsh"},
]
PARTIES = [
    {"key": "lfa", "name": "Lowland Freedom Army", "kind": "armed_group"},
    {"key": "hadra", "name": "Hadra Provisional Authority", "kind": "de_facto_authority"},
]
INTERLOCUTORS = [
    {"key": "elders", "name": "Council of River Elders", "influences": ["lfa"]},
    {"key": "tesmir", "name": "Republic of Tesmir", "influences": ["hadra"]},
]


def track(key: str = "t1", **fields: Any) -> dict[str, Any]:
    """A running humanitarian track that D1-D3 find nothing wrong with, unless told otherwise."""
    base: dict[str, Any] = {
        "key": key,
        "owner": "varnia-mfa",
        "title": f"Access talks for the northern valleys ({key})",
        "kind": "humanitarian",
        "crisis": "corridor",
        "parties": ["lfa"],
        "aims": ["humanitarian access to the northern valleys"],
        "start": "2026-01-10",
        "end": "2026-12-31",
        "status": "active",
        "objectives": ["weekly convoys reach Vell and Ostra"],
        "red_lines": [{"text": "no armed escorts by parties", "trigger": "pause"}],
        "impact_assessment": True,
        "compliance_monitoring": True,
    }
    base.update(fields)
    return base


def report(date: str, source: str = "ngo", initiative: str | None = "t1", **fields: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"date": date, "source_kind": source, "text": "Checkpoints at Vell closed again."}
    if initiative:
        out["initiative"] = initiative
    out.update(fields)
    return out


def decision(key: str, text: str, date: str = "2026-05-02", **fields: Any) -> dict[str, Any]:
    return {"key": key, "initiative": "t1", "date": date, "text": text} | fields


# Two recent reports on the crisis from two kinds of source: enough for D1 to stay quiet
# about any track on it.
FRESH = [
    report("2026-05-20", "ngo", initiative=None, crisis="corridor"),
    report("2026-05-25", "local_actor", initiative=None, crisis="corridor"),
]


def ws(*tracks: dict[str, Any], reports: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format": "accord-workspace/1",
        "today": TODAY,
        "organisations": ORGS,
        "crises": CRISES,
        "parties": PARTIES,
        "interlocutors": INTERLOCUTORS,
        "initiatives": list(tracks) or [track()],
        "field_reports": FRESH if reports is None else reports,
        "decisions": [],
    }
    doc.update(extra)
    return doc


def found(
    check: ModuleType, doc: dict[str, Any], focus: set[str] | None = None
) -> set[tuple[str, tuple[str, ...]]]:
    """What a check finds, as (kind, subjects) pairs."""
    return {(f.kind, f.subjects) for f in check.run(Snapshot.from_document(doc, focus=focus))}


# --------------------------------------------------------------------------- D1

D1_CASES = [
    pytest.param(ws(), set(), id="recent-reports-from-two-kinds-of-source"),
    pytest.param(ws(reports=[]), {("no_field_report", ("t1",))}, id="no-report-at-all"),
    pytest.param(
        ws(reports=[report("2026-03-01", "ngo"), report("2026-03-20", "un")]),
        {("stale_field_reports", ("t1",))},
        id="latest-report-73-days-old",
    ),
    pytest.param(
        ws(reports=[report("2026-04-02", "ngo"), report("2026-04-02", "un")]),
        set(),
        id="near-miss-report-exactly-60-days-old",
    ),
    pytest.param(
        ws(reports=[report("2026-05-10", "ngo"), report("2026-05-28", "ngo")]),
        {("single_source", ("t1",))},
        id="only-ngo-reports",
    ),
    pytest.param(
        ws(reports=[report("2026-05-28", "embassy")]),
        {("single_source", ("t1",))},
        id="one-embassy-cable-only",
    ),
    pytest.param(
        ws(
            reports=[
                report("2026-05-10", "ngo", initiative=None, crisis="corridor"),
                report("2026-05-28", "un"),
            ]
        ),
        set(),
        id="near-miss-crisis-report-counts-for-the-track",
    ),
    pytest.param(
        ws(
            reports=[
                report("2026-05-10", "ngo"),
                report("2026-05-28", "un", initiative=None, crisis="saltmarsh"),
            ]
        ),
        {("single_source", ("t1",))},
        id="report-on-another-crisis-does-not-count",
    ),
    pytest.param(
        ws(reports=[report("2026-01-15", "un"), report("2026-05-28", "ngo")]),
        {("single_source", ("t1",))},
        id="old-un-report-does-not-diversify-todays-picture",
    ),
    pytest.param(
        ws(reports=[report("2026-05-10", "ngo"), report("2026-06-20", "un")]),
        {("single_source", ("t1",))},
        id="report-dated-after-today-not-counted",
    ),
    pytest.param(ws(track(status="draft"), reports=[]), set(), id="near-miss-draft-track"),
    pytest.param(ws(track(status="closed"), reports=[]), set(), id="near-miss-closed-track"),
    pytest.param(ws(track(end="2026-05-01"), reports=[]), set(), id="near-miss-track-past-its-end"),
    # DESIGN: "an active initiative"; a paused track engages no one for the time being.
    pytest.param(ws(track(status="paused"), reports=[]), set(), id="near-miss-paused-track"),
    pytest.param(ws(track(start="2026-07-01"), reports=[]), set(), id="near-miss-track-not-started-yet"),
    pytest.param(
        ws(
            track("t1"),
            track("t2"),
            reports=[report("2026-05-20", "un", "t2"), report("2026-05-25", "ngo", "t2")],
        ),
        {("no_field_report", ("t1",))},
        id="reports-on-a-neighbouring-track-do-not-inform-this-one",
    ),
    pytest.param(
        ws(
            track("t1"),
            track("t2"),
            reports=[
                report("2026-05-20", "ngo"),
                report("2026-05-25", "un", "t2"),
                report("2026-05-26", "local_actor", "t2"),
            ],
        ),
        {("single_source", ("t1",))},
        id="neighbours-sources-do-not-diversify-this-track",
    ),
    pytest.param(
        ws(track("t1"), track("t2", crisis="saltmarsh"), reports=FRESH),
        {("no_field_report", ("t2",))},
        id="second-track-on-unreported-crisis",
    ),
]


@pytest.mark.parametrize("doc, expected", D1_CASES)
def test_d1_cases(doc: dict[str, Any], expected: set[tuple[str, tuple[str, ...]]]) -> None:
    assert found(d1, doc) == expected


def test_d1_stale_threshold_comes_from_settings() -> None:
    doc = ws(reports=[report("2026-05-01", "ngo"), report("2026-05-02", "un")])
    strict = Snapshot(parse_document(doc), settings=CheckSettings(field_report_stale_days=14))
    assert [f.kind for f in d1.run(strict)] == ["stale_field_reports"]
    assert found(d1, doc) == set()


# --------------------------------------------------------------------------- D2

POLITICAL = track("p1", kind="political", title="Normalisation talks with Hadra", parties=["hadra"])
SECURITY = track("s1", kind="security", title="Border security dialogue", owner="varnia-def")
ECONOMIC = track("e1", kind="economic", title="Trade corridor package", owner="varnia-fin")

D2_CASES = [
    pytest.param(ws(track(), POLITICAL), set(), id="separate-tracks-no-link"),
    pytest.param(
        ws(track(depends_on=["p1"]), POLITICAL),
        {("depends_on_political_track", ("p1", "t1"))},
        id="humanitarian-depends-on-political",
    ),
    pytest.param(
        ws(track(depends_on=["s1"]), SECURITY),
        {("depends_on_political_track", ("s1", "t1"))},
        id="humanitarian-depends-on-security",
    ),
    pytest.param(
        ws(track(depends_on=["e1"]), ECONOMIC),
        {("depends_on_political_track", ("e1", "t1"))},
        id="humanitarian-depends-on-economic",
    ),
    pytest.param(
        ws(track(depends_on=["t2"]), track("t2", depends_on=["p1"]), POLITICAL),
        {("depends_on_political_track", ("p1", "t1")), ("depends_on_political_track", ("p1", "t2"))},
        id="dependency-through-another-humanitarian-track",
    ),
    pytest.param(
        ws(track(depends_on=["t2"]), track("t2")),
        set(),
        id="near-miss-depends-on-humanitarian-track",
    ),
    pytest.param(
        ws(track(coordinated_with=["p1"]), POLITICAL),
        set(),
        id="near-miss-coordinated-not-dependent",
    ),
    pytest.param(
        ws(track(), track("p1", kind="political", parties=["hadra"], depends_on=["t1"])),
        set(),
        id="near-miss-political-depends-on-humanitarian",
    ),
    # A draft already carries its design: the separation the paper asks for is built in, or not.
    pytest.param(
        ws(track(status="draft", depends_on=["p1"]), POLITICAL),
        {("depends_on_political_track", ("p1", "t1"))},
        id="draft-humanitarian-track-planned-to-wait",
    ),
    pytest.param(
        ws(track(status="closed", depends_on=["p1"]), POLITICAL),
        set(),
        id="near-miss-closed-humanitarian-track",
    ),
    pytest.param(
        ws(
            POLITICAL,
            decisions=[
                decision("d1", "Offer 2,000 tonnes of food aid to Hadra's districts.", initiative="p1")
            ],
        ),
        {("aid_as_leverage", ("d1", "p1"))},
        id="political-track-hands-out-aid",
    ),
    pytest.param(
        ws(
            POLITICAL
            | {"description": "Normalisation talks; humanitarian agencies negotiate access on their own."}
        ),
        set(),
        id="near-miss-political-track-mentions-aid",
    ),
    pytest.param(
        ws(ECONOMIC | {"aims": ["the Administration stops seizing aid at the port"]}),
        set(),
        id="near-miss-aid-as-the-aim-not-the-lever",
    ),
    pytest.param(
        ws(
            track(
                "p1",
                kind="political",
                parties=["hadra"],
                status="draft",
                description="A package: LFA withdrawal from the ridges, an amnesty and relief corridors, agreed together or not at all.",
            )
        ),
        {("aid_traded_for_concession", ("p1",))},
        id="draft-package-bundles-access-with-concessions",
    ),
    pytest.param(
        ws(
            track(
                "p1", kind="political", leverage=[{"kind": "aid_offer", "description": "Food aid to Hadra"}]
            )
        ),
        {("aid_as_leverage", ("p1",))},
        id="aid-offer-on-political-track",
    ),
    pytest.param(
        ws(track("s1", kind="security", leverage=[{"kind": "aid_offer", "status": "lifted"}])),
        set(),
        id="near-miss-aid-offer-lifted",
    ),
    pytest.param(
        ws(track(leverage=[{"kind": "aid_offer", "description": "Seed and tool distribution in Vell"}])),
        set(),
        id="near-miss-aid-offer-on-humanitarian-track",
    ),
    pytest.param(
        ws(
            track(
                "p1", kind="political", leverage=[{"kind": "incentive", "description": "Visa facilitation"}]
            )
        ),
        set(),
        id="near-miss-non-aid-incentive-on-political-track",
    ),
    pytest.param(
        ws(
            track(),
            decisions=[
                decision("d1", "Offer food deliveries to Hadra in exchange for recognition of the council.")
            ],
        ),
        {("aid_traded_for_concession", ("d1", "t1"))},
        id="decision-trades-food-for-recognition",
    ),
    pytest.param(
        ws(
            track(
                leverage=[
                    {
                        "kind": "aid_offer",
                        "description": "Medical supplies only once the LFA releases its prisoners",
                    }
                ]
            )
        ),
        {("aid_traded_for_concession", ("t1",))},
        id="leverage-conditions-supplies-on-prisoner-release",
    ),
    pytest.param(
        ws(track(description="Sanctions relief in exchange for convoy access to Ostra.")),
        {("aid_traded_for_concession", ("t1",))},
        id="political-concession-given-for-access",
    ),
    pytest.param(
        ws(
            track(
                "p1", kind="political", parties=["hadra"], aims=["use humanitarian aid as a bargaining chip"]
            )
        ),
        {("aid_traded_for_concession", ("p1",))},
        id="aid-as-bargaining-chip-on-political-track",
    ),
    pytest.param(
        ws(track(), decisions=[decision("d1", "Food aid will be provided if Hadra recognises the council.")]),
        {("aid_traded_for_concession", ("d1", "t1"))},
        id="food-aid-if-the-authority-is-recognised",
    ),
    pytest.param(
        ws(track(), decisions=[decision("d1", "Scale up food aid if needed; convoys if security allows.")]),
        set(),
        id="near-miss-aid-if-needed",
    ),
    pytest.param(
        ws(track(), decisions=[decision("d1", "Relief conditional on the withdrawal of forces from Vell.")]),
        {("aid_traded_for_concession", ("d1", "t1"))},
        id="relief-conditional-on-withdrawal-of-forces",
    ),
    pytest.param(
        ws(
            track(),
            decisions=[decision("d1", "Scale up aid if the withdrawal of displaced families continues.")],
        ),
        set(),
        id="near-miss-withdrawal-of-families-is-no-concession",
    ),
    pytest.param(
        ws(
            track(),
            decisions=[decision("d1", "Offer the reconstruction fund in exchange for convoy access.")],
        ),
        set(),
        id="near-miss-incentive-offered-for-access",
    ),
    pytest.param(
        ws(track(), decisions=[decision("d1", "Aid is not conditional on recognition of the authority.")]),
        set(),
        id="near-miss-negated-conditionality",
    ),
    pytest.param(
        ws(track(), decisions=[decision("d1", "We reject any trade of aid for political concessions.")]),
        set(),
        id="near-miss-rejecting-the-trade",
    ),
    pytest.param(
        ws(
            track(),
            decisions=[
                decision("d1", "Offer convoys in exchange for the release of detainees."),
                decision("d2", "Convoys go on their own terms.", date="2026-05-03", supersedes="d1"),
            ],
        ),
        set(),
        id="near-miss-superseded-decision",
    ),
    pytest.param(
        ws(
            track(),
            decisions=[decision("d1", "Convoy access in exchange for safe passage guarantees for staff.")],
        ),
        set(),
        id="near-miss-access-for-safe-passage",
    ),
    pytest.param(
        ws(
            track(),
            decisions=[
                decision(
                    "d1", "Cash grants resume only after the council endorses our consortium's port bid."
                )
            ],
        ),
        {("aid_traded_for_concession", ("d1", "t1"))},
        id="paraphrase-cash-for-an-economic-bid",
    ),
    pytest.param(
        ws(
            track(
                description="Water trucking will grow in step with Hadra's cooperation on weapons registration."
            )
        ),
        {("aid_traded_for_concession", ("t1",))},
        id="paraphrase-aid-in-step-with-a-security-demand",
    ),
    pytest.param(
        ws(
            track(
                "p1",
                kind="political",
                parties=["hadra"],
                objectives=["Hadra joins the status talks, using our food aid envelope as the inducement"],
            )
        ),
        {("aid_traded_for_concession", ("p1",))},
        id="paraphrase-aid-as-the-inducement",
    ),
    pytest.param(
        ws(
            track(),
            decisions=[decision("d1", "Only once Hadra recognises the council will convoys be allowed.")],
        ),
        {("aid_traded_for_concession", ("d1", "t1"))},
        id="paraphrase-condition-first",
    ),
    pytest.param(
        ws(track(), decisions=[decision("d1", "No food aid without recognition of the new government.")]),
        {("aid_traded_for_concession", ("d1", "t1"))},
        id="paraphrase-no-aid-without-recognition",
    ),
    pytest.param(
        ws(track(description="Hadra insists relief must wait until the LFA disarms. We reject the linkage.")),
        set(),
        id="near-miss-the-other-side-s-demand-reported",
    ),
    pytest.param(
        ws(track(description="The authorities demand recognition before any convoys move.")),
        set(),
        id="near-miss-authorities-demand-reported",
    ),
    pytest.param(
        ws(
            track(),
            decisions=[decision("d1", "We accepted Hadra's demand that relief wait until the LFA disarms.")],
        ),
        {("aid_traded_for_concession", ("d1", "t1"))},
        id="a-demand-taken-up-is-ours",
    ),
    pytest.param(
        ws(
            track(
                description="Development aid is conditional on governance reforms; military aid on the peace talks."
            )
        ),
        set(),
        id="near-miss-development-and-military-aid",
    ),
    pytest.param(
        ws(track(description="Medical supplies reach Vell while the political talks continue.")),
        set(),
        id="near-miss-aid-beside-talks-not-tied-to-them",
    ),
    pytest.param(
        ws(track(description="Seek political support for humanitarian access to Ostra.")),
        set(),
        id="near-miss-political-support-for-access",
    ),
    pytest.param(
        ws(
            track(
                "p1",
                kind="political",
                parties=["hadra"],
                leverage=[
                    {"kind": "aid_offer", "description": "Food aid to Hadra if it recognises the council"}
                ],
            )
        ),
        {("aid_as_leverage", ("p1",))},
        id="aid-offer-worded-as-a-trade-is-one-alert",
    ),
    pytest.param(
        ws(
            track(
                "e1",
                kind="economic",
                owner="varnia-fin",
                leverage=[
                    {
                        "kind": "conditionality",
                        "description": "Hospital funding stops unless Hadra hands over the suspects",
                    }
                ],
            )
        ),
        {("aid_as_leverage", ("e1",))},
        id="conditionality-that-moves-aid-on-an-economic-track",
    ),
    pytest.param(
        ws(
            track(
                "e1",
                kind="economic",
                owner="varnia-fin",
                leverage=[
                    {
                        "kind": "conditionality",
                        "description": "No fuel licences for Hadra's companies until seized aid is returned",
                    }
                ],
            )
        ),
        set(),
        id="near-miss-aid-is-what-the-lever-is-for",
    ),
    pytest.param(
        ws(
            track(),
            decisions=[decision("d1", "Keep relief for the north on the table in the normalisation talks.")],
        ),
        {("aid_traded_for_concession", ("d1", "t1"))},
        id="paraphrase-relief-on-the-negotiating-table",
    ),
    pytest.param(
        ws(
            track(
                description="Relief distributions are planned to win hearts and minds in the contested districts."
            )
        ),
        {("aid_traded_for_concession", ("t1",))},
        id="aid-made-to-serve-a-military-agenda",
    ),
    pytest.param(
        ws(
            track(
                description="Relief is delivered on the basis of need alone, never as a reward for political support."
            )
        ),
        set(),
        id="near-miss-need-alone-never-a-reward",
    ),
    pytest.param(
        ws(
            track(description="Monitor diversion of food aid by armed groups after the withdrawal of forces.")
        ),
        set(),
        id="near-miss-after-in-a-harmless-sense",
    ),
    pytest.param(
        ws(track(description="The governor proposed that aid go only to loyal districts; we refused.")),
        set(),
        id="near-miss-a-proposal-refused",
    ),
    pytest.param(
        ws(
            track(),
            decisions=[decision("d1", "Cash grants will resume once Hadra signs the fisheries pact.")],
        ),
        {("aid_traded_for_concession", ("d1", "t1"))},
        id="aid-waits-on-a-party-s-unrelated-act",
    ),
    pytest.param(
        ws(
            track(),
            decisions=[
                decision("d1", "Cash grants will resume once Hadra lifts the ban on money-transfer agents.")
            ],
        ),
        set(),
        id="near-miss-aid-waits-on-its-own-logistics",
    ),
    pytest.param(
        ws(track(objectives=["Tarn pass open to relief trucks until the end of February"])),
        set(),
        id="near-miss-until-a-date",
    ),
    pytest.param(
        ws(track(red_lines=[{"text": "normalisation talks with Hadra collapse", "trigger": "pause"}])),
        {("waits_on_political_events", ("t1",))},
        id="red-line-pauses-on-political-talks",
    ),
    pytest.param(
        ws(track(red_lines=[{"text": "staff detained at the Vell checkpoint", "trigger": "pause"}])),
        set(),
        id="near-miss-red-line-on-humanitarian-ground",
    ),
    pytest.param(
        ws(track(red_lines=[{"text": "the negotiations on the border break down", "trigger": "pause"}])),
        {("waits_on_political_events", ("t1",))},
        id="red-line-pauses-on-talks-named-by-their-subject",
    ),
    pytest.param(
        ws(track(red_lines=[{"text": "the talks on convoy notification break down", "trigger": "pause"}])),
        set(),
        id="near-miss-red-line-on-humanitarian-talks",
    ),
    pytest.param(
        ws(track(aims=["Hadra back at the negotiating table"])),
        {("political_aim", ("t1",))},
        id="aim-a-party-brought-to-the-table",
    ),
    pytest.param(
        ws(track(aims=["Hadra's participation in the access talks"])),
        set(),
        id="near-miss-aim-a-party-in-humanitarian-talks",
    ),
    pytest.param(
        ws(track(description="Phase two is on hold pending Hadra's recognition of the commission.")),
        {("aid_traded_for_concession", ("t1",))},
        id="humanitarian-track-puts-off-its-work-until-a-price",
    ),
    pytest.param(
        ws(track(description="Phase two is on hold pending Hadra's written security guarantees.")),
        set(),
        id="near-miss-put-off-until-the-work-is-safe",
    ),
    pytest.param(
        ws(track(description="The survey is delayed until the elders agree on the site.")),
        set(),
        id="near-miss-put-off-until-a-party-arranges-the-work",
    ),
    pytest.param(
        ws(track(aims=["relief to Vell", "draw the LFA commanders into the constitutional dialogue"])),
        {("political_aim", ("t1",))},
        id="aim-draws-a-party-into-another-agendas-talks",
    ),
    pytest.param(
        ws(track(objectives=["LFA delegation seated at the Aldwick talks by June"])),
        {("political_aim", ("t1",))},
        id="objective-seats-a-party-at-another-agendas-talks",
    ),
    pytest.param(
        ws(track(objectives=["an LFA liaison seated at the access talks on Vell"])),
        set(),
        id="near-miss-seated-at-talks-on-access",
    ),
    pytest.param(
        ws(track(description="Aid will flow to Vell as soon as the parties sign the ceasefire.")),
        set(),
        id="near-miss-aid-waits-on-a-halt-is-n1s-alone-for-the-learned-reading-too",
    ),
    pytest.param(
        ws(track(description="Stage 1: Hadra endorses the border roadmap. Stage 2: shelter kits for Ostra.")),
        {("aid_traded_for_concession", ("t1",))},
        id="plan-in-stages-puts-aid-after-a-concession",
    ),
    pytest.param(
        ws(track(metrics=[{"name": "LFA commanders who joined the peace talks", "kind": "outcome"}])),
        {("political_aim", ("t1",))},
        id="metric-counts-another-agendas-goal",
    ),
    pytest.param(
        ws(track(description="Districts that back the unity government are prioritised for shelter kits.")),
        {("aid_traded_for_concession", ("t1",))},
        id="recipients-who-take-a-side-served-first",
    ),
    pytest.param(
        ws(track(description="Households that lost their homes in Vell are prioritised for shelter kits.")),
        set(),
        id="near-miss-recipients-served-first-by-need",
    ),
    pytest.param(
        ws(track(red_lines=[{"text": "the LFA does not sign the border protocol", "trigger": "pause"}])),
        {("waits_on_political_events", ("t1",))},
        id="red-line-on-another-agendas-failure",
    ),
    pytest.param(
        ws(track(red_lines=[{"text": "Hadra refuses to recognise the council", "trigger": "withdraw"}])),
        {("waits_on_political_events", ("t1",))},
        id="red-line-on-a-partys-refusal",
    ),
    pytest.param(
        ws(track(red_lines=[{"text": "relief becomes a chip in the status talks", "trigger": "withdraw"}])),
        set(),
        id="near-miss-red-line-guards-the-separation",
    ),
    pytest.param(
        ws(track(aims=["relief to Vell", "extend state presence into the LFA's districts"])),
        {("political_aim", ("t1",))},
        id="aim-carries-the-states-hold-further",
    ),
    pytest.param(
        ws(track(aims=["relief to Vell", "reduce support for the LFA among the valley's villagers"])),
        {("political_aim", ("t1",))},
        id="aim-weakens-a-sides-standing",
    ),
    pytest.param(
        ws(track(objectives=["Hadra's commitment to the border roadmap by June"])),
        {("political_aim", ("t1",))},
        id="objective-a-partys-commitment-to-another-agendas-text",
    ),
    pytest.param(
        ws(track(objectives=["Hadra's commitment to the access agreement for Vell"])),
        set(),
        id="near-miss-commitment-to-an-access-agreement",
    ),
    pytest.param(
        ws(track(aims=["relief to Vell", "reduce the recruitment of children by armed groups"])),
        set(),
        id="near-miss-a-protection-aim",
    ),
    pytest.param(
        ws(
            track(),
            track(
                "p1",
                kind="political",
                title="Border talks with the LFA",
                aims=["border settlement"],
                objectives=["protocol signed"],
                leverage=[
                    {
                        "kind": "incentive",
                        "description": "A shipment of 400 tonnes of seed stocks for the LFA's districts",
                        "status": "proposed",
                    }
                ],
            ),
        ),
        {("aid_as_leverage", ("p1",))},
        id="leverage-names-a-quantity-of-aid",
    ),
    pytest.param(
        ws(
            track(),
            decisions=[
                decision(
                    "d1",
                    "Agreed with Hadra: relief convoys through the Ostra gate; Varnia recognises its council.",
                    kind="agreement",
                )
            ],
        ),
        {("aid_traded_for_concession", ("d1", "t1"))},
        id="agreement-holds-aid-and-a-concession-among-its-terms",
    ),
    pytest.param(
        ws(
            track(),
            decisions=[
                decision(
                    "d1",
                    "Agreed with the LFA: convoy routes deconflicted; LFA liaison officers told 48 hours ahead.",
                    kind="agreement",
                )
            ],
        ),
        set(),
        id="near-miss-an-access-agreement-on-the-works-own-terms",
    ),
    pytest.param(
        ws(
            track(),
            decisions=[
                decision(
                    "d1",
                    "Trade agreement with Hadra signed on tariffs; relief is handled separately by the aid office.",
                    kind="agreement",
                )
            ],
        ),
        set(),
        id="near-miss-an-agreement-that-keeps-aid-apart",
    ),
]


@pytest.mark.parametrize("doc, expected", D2_CASES)
def test_d2_cases(doc: dict[str, Any], expected: set[tuple[str, tuple[str, ...]]]) -> None:
    assert found(d2, doc) == expected


def test_d2_direct_dependency_weighs_more_than_an_indirect_one() -> None:
    doc = ws(track(depends_on=["t2"]), track("t2", depends_on=["p1"]), POLITICAL)
    severity = {f.initiatives: f.severity for f in d2.run(Snapshot.from_document(doc))}
    assert severity == {("t2",): "high", ("t1",): "medium"}


# --------------------------------------------------------------------------- D3

D3_CASES = [
    pytest.param(ws(), set(), id="objectives-red-line-with-trigger"),
    pytest.param(ws(track(objectives=[])), {("no_objectives", ("t1",))}, id="no-objectives"),
    pytest.param(ws(track(objectives=["  "])), {("no_objectives", ("t1",))}, id="blank-objective"),
    pytest.param(ws(track(red_lines=[])), {("no_red_lines", ("t1",))}, id="no-red-lines"),
    pytest.param(
        ws(track(red_lines=[{"text": "no armed escorts by parties"}])),
        {("red_lines_without_trigger", ("t1",))},
        id="red-line-without-trigger",
    ),
    pytest.param(
        ws(track(red_lines=[{"text": "no armed escorts"}, {"text": "no diversion", "trigger": "withdraw"}])),
        set(),
        id="near-miss-one-red-line-with-trigger-is-enough",
    ),
    pytest.param(
        ws(track(status="draft", objectives=[], red_lines=[])),
        set(),
        id="near-miss-draft-has-time-to-plan",
    ),
    pytest.param(
        ws(
            track(compliance_monitoring=False),
            decisions=[decision("d1", "Parties agree to reopen four checkpoints.", kind="agreement")],
        ),
        {("agreement_without_monitoring", ("d1", "t1"))},
        id="agreement-without-monitoring",
    ),
    pytest.param(
        ws(
            track(), decisions=[decision("d1", "Parties agree to reopen four checkpoints.", kind="agreement")]
        ),
        set(),
        id="near-miss-agreement-with-monitoring",
    ),
    pytest.param(
        ws(
            track(compliance_monitoring=False),
            decisions=[decision("d1", "Ask Ostmark to raise checkpoints with the LFA.", kind="other")],
        ),
        set(),
        id="near-miss-no-agreement-yet",
    ),
    pytest.param(
        ws(
            reports=[
                *FRESH,
                report("2026-05-26", "local_actor", red_line_breached="no armed escorts by parties"),
            ],
            decisions=[decision("d1", "Convoy plan for May.", date="2026-05-02")],
        ),
        {("red_line_breach_unanswered", ("t1",))},
        id="breach-reported-no-decision-since",
    ),
    pytest.param(
        ws(
            reports=[
                *FRESH,
                report("2026-05-26", "local_actor", red_line_breached="no armed escorts by parties"),
            ],
            decisions=[decision("d1", "Pause convoys until escorts withdraw.", date="2026-05-27")],
        ),
        set(),
        id="near-miss-breach-answered-by-pause",
    ),
    pytest.param(
        ws(
            reports=[
                *FRESH,
                report("2026-05-26", "local_actor", red_line_breached="no armed escorts by parties"),
            ],
            decisions=[decision("d1", "Recalibrate: convoys go without escorts.", date="2026-05-26")],
        ),
        set(),
        id="near-miss-breach-answered-same-day",
    ),
    pytest.param(
        ws(
            reports=[
                *FRESH,
                report(
                    "2026-05-26",
                    "un",
                    initiative=None,
                    crisis="corridor",
                    red_line_breached="No armed escorts by parties",
                ),
            ]
        ),
        {("red_line_breach_unanswered", ("t1",))},
        id="crisis-report-names-this-tracks-red-line",
    ),
    pytest.param(
        ws(
            reports=[
                *FRESH,
                report(
                    "2026-05-26",
                    "un",
                    initiative=None,
                    crisis="corridor",
                    red_line_breached="no forced returns",
                ),
            ]
        ),
        set(),
        id="near-miss-crisis-report-names-another-red-line",
    ),
    pytest.param(
        ws(
            reports=[
                *FRESH,
                report(
                    "2026-05-26",
                    "un",
                    initiative=None,
                    crisis="corridor",
                    red_line_breached="armed escort imposed by a party",
                ),
            ]
        ),
        {("red_line_breach_unanswered", ("t1",))},
        id="crisis-report-names-the-red-line-in-other-words",
    ),
    pytest.param(
        ws(
            reports=[
                *FRESH,
                report(
                    "2026-05-26",
                    "un",
                    initiative=None,
                    crisis="corridor",
                    red_line_breached="armed escorts for the governor",
                ),
            ]
        ),
        set(),
        id="near-miss-crisis-report-shares-a-few-words-only",
    ),
    pytest.param(
        ws(reports=[*FRESH, report("2026-05-26", "ngo", red_line_breached="none")]),
        set(),
        id="near-miss-breach-field-says-none",
    ),
    pytest.param(
        ws(
            track(compliance_monitoring=False),
            decisions=[
                decision(
                    "d1",
                    "Parties agree to reopen four checkpoints; a joint committee verifies compliance monthly.",
                    kind="agreement",
                )
            ],
        ),
        set(),
        id="near-miss-agreement-sets-up-its-own-monitoring",
    ),
    pytest.param(
        ws(
            track(compliance_monitoring=False),
            decisions=[
                decision(
                    "d1",
                    "Parties agree to reopen four checkpoints; no monitoring was agreed.",
                    kind="agreement",
                )
            ],
        ),
        {("agreement_without_monitoring", ("d1", "t1"))},
        id="agreement-says-there-is-no-monitoring",
    ),
    pytest.param(
        ws(reports=[*FRESH, report("2026-05-26", "ngo", text="Escorts seen near Vell, unconfirmed.")]),
        set(),
        id="near-miss-report-without-breach",
    ),
    pytest.param(
        ws(
            track(status="closed"),
            reports=[*FRESH, report("2026-05-26", "ngo", red_line_breached="no armed escorts by parties")],
        ),
        set(),
        id="near-miss-closed-track",
    ),
]


@pytest.mark.parametrize("doc, expected", D3_CASES)
def test_d3_cases(doc: dict[str, Any], expected: set[tuple[str, tuple[str, ...]]]) -> None:
    assert found(d3, doc) == expected


# --------------------------------------------------------------------------- shared


# A workspace where each of D1-D3 finds something on both tracks.
NOISY = ws(
    track("t1", objectives=[], red_lines=[], depends_on=["p1"]),
    track("t2", objectives=[], red_lines=[], depends_on=["p1"]),
    POLITICAL | {"objectives": [], "red_lines": []},
    reports=[],
)


@pytest.mark.parametrize("check", [d1, d2, d3], ids=lambda m: m.ID)
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
        assert f.initiatives and set(f.initiatives) <= set(f.subjects)
        # Named by title, as people know the track, never by its key.
        titles = [snapshot.initiatives[k].title for k in f.initiatives]
        assert any(t in f.message for t in titles)
        rest = f.message
        for t in titles:
            rest = rest.replace(t, "")
        assert not re.search(r"\b(?:t1|t2|p1)\b", rest), f.message


@pytest.mark.parametrize("check", [d1, d2, d3], ids=lambda m: m.ID)
def test_focus_skips_tracks_outside_it(check: ModuleType) -> None:
    focused = check.run(Snapshot.from_document(NOISY, focus={"t2"}))
    assert focused and all("t2" in f.initiatives for f in focused)
