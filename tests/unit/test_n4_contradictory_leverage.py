"""N4, contradictory leverage: one party offered an incentive and pressed at once, as a table of cases."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from server.domain.checks import n4_contradictory_leverage as lev
from server.domain.checks import run_all
from server.domain.snapshot import Snapshot, parse_document

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
    {"key": "ostmark", "name": "Kingdom of Ostmark", "kind": "state", "government": "ostmark"},
]
GIVER: dict[str, Any] = {
    "key": "t1",
    "owner": "varnia-mfa",
    "title": "Access talks for the northern valleys",
    "kind": "humanitarian",
    "crisis": "corridor",
    "parties": ["lfa"],
    "start": "2026-01-10",
    "end": "2026-09-30",
    "leverage": [{"kind": "incentive", "description": "Reconstruction fund access", "status": "proposed"}],
}
PRESSER: dict[str, Any] = {
    "key": "t2",
    "owner": "ostmark",
    "title": "Targeted measures on the LFA leadership",
    "kind": "political",
    "crisis": "corridor",
    "parties": ["lfa", "gov"],
    "start": "2026-03-01",
    "end": "2026-12-31",
    "leverage": [
        {
            "kind": "sanction",
            "description": "Asset freeze on the LFA command",
            "status": "active",
            "party": "lfa",
        }
    ],
}


def workspace(giver: dict[str, Any] | None = None, presser: dict[str, Any] | None = None) -> dict[str, Any]:
    a, b = copy.deepcopy(GIVER), copy.deepcopy(PRESSER)
    a.update(giver or {})
    b.update(presser or {})
    return {
        "format": "accord-workspace/1",
        "today": "2026-06-01",
        "organisations": ORGS,
        "crises": [{"key": "corridor", "name": "Eastern Corridor crisis"}],
        "parties": [
            {"key": "lfa", "name": "Lowland Freedom Army", "kind": "armed_group"},
            {"key": "gov", "name": "Government of Orlavia", "kind": "state"},
        ],
        "initiatives": [a, b],
    }


def tool(kind: str, **kw: Any) -> dict[str, Any]:
    return {"kind": kind, "description": f"a {kind}", "status": "active", **kw}


# (id, giver overrides, presser overrides, expected subjects or None)
CASES: list[tuple[str, dict[str, Any], dict[str, Any], tuple[str, ...] | None]] = [
    ("incentive and sanction at once, allied state", {}, {}, ("lfa", "t1", "t2")),
    (
        "aid offer against conditionality",
        {"leverage": [tool("aid_offer")]},
        {"leverage": [tool("conditionality", party="lfa")]},
        ("lfa", "t1", "t2"),
    ),
    ("suspension, proposed", {}, {"leverage": [tool("suspension", status="proposed")]}, ("lfa", "t1", "t2")),
    ("two departments of one government", {}, {"owner": "varnia-fin"}, ("lfa", "t1", "t2")),
    (
        "a tool with no party aims at every party of its track",
        {},
        {"leverage": [tool("sanction")]},
        ("lfa", "t1", "t2"),
    ),
    (
        "the incentive names the party the other track presses",
        {"parties": [], "leverage": [tool("incentive", party="lfa")]},
        {},
        ("lfa", "t1", "t2"),
    ),
    (
        "the periods meet on one day",
        {"leverage": [tool("incentive", end="2026-03-01")]},
        {},
        ("lfa", "t1", "t2"),
    ),
    ("open-ended tracks", {"start": None, "end": None}, {"start": None, "end": None}, ("lfa", "t1", "t2")),
    # near misses
    (
        "in sequence: the sanction ends before the incentive starts",
        {"leverage": [tool("incentive", start="2026-07-01")]},
        {"leverage": [tool("sanction", party="lfa", end="2026-06-30")]},
        None,
    ),
    ("in sequence by the tracks' own dates", {"start": "2026-01-01", "end": "2026-02-28"}, {}, None),
    ("coordinated tracks", {"coordinated_with": ["t2"]}, {}, None),
    ("coordinated, recorded on the other side", {}, {"coordinated_with": ["t1"]}, None),
    ("different parties", {}, {"leverage": [tool("sanction", party="gov")]}, None),
    ("the same owner on both tracks", {}, {"owner": "varnia-mfa"}, None),
    ("a lifted sanction", {}, {"leverage": [tool("sanction", party="lfa", status="lifted")]}, None),
    ("a lifted incentive", {"leverage": [tool("incentive", status="lifted")]}, {}, None),
    ("two carrots", {}, {"leverage": [tool("aid_offer", party="lfa")]}, None),
    ("two sticks", {"leverage": [tool("conditionality")]}, {}, None),
]


@pytest.mark.parametrize(("name", "giver", "presser", "expected"), CASES, ids=[c[0] for c in CASES])
def test_case(
    name: str, giver: dict[str, Any], presser: dict[str, Any], expected: tuple[str, ...] | None
) -> None:
    findings = lev.run(Snapshot(parse_document(workspace(giver, presser))))
    if expected is None:
        assert findings == [], [f.message for f in findings]
        return
    assert [f.subjects for f in findings] == [expected]
    f = findings[0]
    assert (f.principle, f.kind, f.severity) == ("N4", "contradictory_leverage", "high")
    assert f.initiatives == ("t1", "t2")
    assert "Lowland Freedom Army" in f.message
    assert "formal and visible separation" in f.words and "forum" not in f.words


def test_the_message_names_the_party_and_the_two_kinds() -> None:
    (f,) = lev.run(Snapshot(parse_document(workspace())))
    assert "Lowland Freedom Army is offered an incentive" in f.message
    assert "applies a sanction" in f.message
    assert any("Asset freeze" in e for e in f.evidence)
    assert any("both run 2026-03-01 to 2026-09-30" in e for e in f.evidence)


def test_each_owner_reads_only_its_own_side() -> None:
    (f,) = lev.run(Snapshot(parse_document(workspace())))
    mine, theirs = f.views["t1"], f.views["t2"]
    # The incentive's owner learns the other organisation and the crisis, not the sanction's content.
    text = " ".join([mine.message, *mine.evidence, mine.remedy])
    assert "Kingdom of Ostmark" in text and "Eastern Corridor crisis" in text
    for secret in ("Asset freeze", "Targeted measures", "t2", "2026-12-31", "sanction"):
        assert secret not in text, secret
    text = " ".join([theirs.message, *theirs.evidence, theirs.remedy])
    assert "Varnia, Ministry of Foreign Affairs" in text
    for secret in ("Reconstruction fund", "Access talks", "t1", "2026-01-10", "incentive"):
        assert secret not in text, secret


def test_one_finding_per_pair_and_party_with_every_clash_in_its_evidence() -> None:
    both = [tool("incentive"), tool("aid_offer", description="food for the valleys")]
    (f,) = lev.run(Snapshot(parse_document(workspace({"leverage": both}))))
    assert sum("leverage" in e and "of Varnia" in e for e in f.evidence) == 2
    assert sum(e.startswith("your leverage") for e in f.views["t1"].evidence) == 2


def test_a_check_focused_elsewhere_skips_the_pair() -> None:
    data = workspace()
    assert lev.run(Snapshot(parse_document(data), focus={"t3"})) == []
    assert len(lev.run(Snapshot(parse_document(data), focus={"t2"}))) == 1


def test_it_runs_with_every_check() -> None:
    kinds = {(f.principle, f.kind) for f in run_all(Snapshot(parse_document(workspace())))}
    assert ("N4", "contradictory_leverage") in kinds


def test_a_leverage_party_must_exist() -> None:
    from server.domain.snapshot import DocumentInvalid

    data = workspace({"leverage": [tool("incentive", party="nobody")]})
    with pytest.raises(DocumentInvalid) as err:
        parse_document(data)
    assert "initiatives[0].leverage[0].party: unknown party 'nobody'" in str(err.value)
