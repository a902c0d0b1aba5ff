"""Delegated sign-off: when a sign-off made under a delegation counts for the department, one case per rule."""

from __future__ import annotations

from typing import Any

import pytest

from server.domain import signoffs
from server.domain.checks import d4_cross_department as d4
from server.domain.snapshot import DocumentInvalid, Snapshot, dump_document, parse_document
from tests.unit.test_d4_cross_department import dec, so, workspace


def delegation(**kw: Any) -> dict[str, Any]:
    return {
        "key": "dl1",
        "department": "varnia-fin",
        "delegate": {"person": "B. Osei"},
        "scope": {"initiative": "t1"},
        "from": "2026-05-01",
        "to": "2026-06-30",
        "by": "M. Lind",
        "revoked": None,
        **kw,
    }


def doc(
    dl: dict[str, Any] | None = None, signed_by: str = "B. Osei", date: str = "2026-05-26"
) -> dict[str, Any]:
    d = workspace(
        decisions=[
            dec(
                "d1",
                touches=("varnia-fin",),
                signed=("varnia-mfa", so("varnia-fin", date=date, by=signed_by, delegation="dl1")),
            )
        ]
    )
    d["delegations"] = [dl or delegation()]
    return d


def fin(d: dict[str, Any]) -> signoffs.Requirement:
    st = signoffs.status(Snapshot.from_document(d), "d1")
    return next(r for r in st.requirements if r.org == "varnia-fin")


def test_a_delegated_signoff_counts_for_the_department() -> None:
    r = fin(doc())
    assert r.state == "signed" and r.signoff is not None and r.signoff.by == "B. Osei"
    assert [f.kind for f in d4.run(Snapshot.from_document(doc()))] == []


@pytest.mark.parametrize(
    ("why", "dl", "signed_by", "date", "says"),
    [
        (
            "another department's delegation",
            delegation(department="varnia-mod"),
            "B. Osei",
            "2026-05-26",
            "delegation of",
        ),
        (
            "another initiative",
            delegation(scope={"initiative": "t2"}),
            "B. Osei",
            "2026-05-26",
            "another initiative",
        ),
        ("another crisis", delegation(scope={"crisis": "other"}), "B. Osei", "2026-05-26", "another crisis"),
        (
            "before it began",
            delegation(**{"from": "2026-05-27"}),
            "B. Osei",
            "2026-05-26",
            "before the delegation began",
        ),
        (
            "after it ended",
            delegation(to="2026-05-25"),
            "B. Osei",
            "2026-05-26",
            "after the delegation ended",
        ),
        ("revoked on the day", delegation(revoked="2026-05-26"), "B. Osei", "2026-05-26", "revoked"),
        ("revoked before", delegation(revoked="2026-05-20"), "B. Osei", "2026-05-26", "revoked"),
        ("another person", delegation(), "C. Moreau", "2026-05-26", "names B. Osei"),
    ],
)
def test_a_delegation_that_does_not_hold_does_not_count(
    why: str, dl: dict[str, Any], signed_by: str, date: str, says: str
) -> None:
    d = doc(dl, signed_by, date)
    if dl["scope"].get("initiative") == "t2":
        d["initiatives"].append({**d["initiatives"][0], "key": "t2", "title": "Cash programmes in Vell"})
    if dl["scope"].get("crisis") == "other":
        d["crises"].append({"key": "other", "name": "Another crisis"})
    assert fin(d).state == "missing", why
    findings = [f for f in d4.run(Snapshot.from_document(d)) if f.kind == "missing_signoff"]
    assert len(findings) == 1
    assert any(says in e and e.startswith("not counted") for e in findings[0].evidence), findings[0].evidence


def test_a_later_revocation_does_not_undo_a_signoff() -> None:
    assert fin(doc(delegation(revoked="2026-05-27"))).state == "signed"


def test_scope_by_crisis_and_everything() -> None:
    assert fin(doc(delegation(scope={"crisis": "corridor"}))).state == "signed"
    assert fin(doc(delegation(scope={}))).state == "signed"


def test_a_department_delegate_signs_by_anyone_of_it() -> None:
    assert fin(doc(delegation(delegate={"org": "varnia-mod"}), signed_by="Any One")).state == "signed"


def test_the_finding_names_whose_delegation_the_signoff_was_made_under() -> None:
    d = doc()
    d["decisions"][0]["touches_departments"].append("varnia-dev")
    (f,) = [f for f in d4.run(Snapshot.from_document(d)) if f.kind == "missing_signoff"]
    assert any("for Varnia, Ministry of Finance, delegated by M. Lind" in e for e in f.evidence)


def test_document_round_trip_and_errors() -> None:
    d = doc()
    ws = parse_document(d)
    out = dump_document(ws)
    assert out["delegations"][0]["from"] == "2026-05-01" and out["delegations"][0]["to"] == "2026-06-30"
    assert out["decisions"][0]["signoffs"][1]["delegation"] == "dl1"
    assert parse_document(out) == ws
    bad = doc(
        delegation(department="nowhere", delegate={"person": "X", "org": "varnia-mod"}, to="2026-04-01")
    )
    bad["decisions"][0]["signoffs"][1]["delegation"] = "dl9"
    with pytest.raises(DocumentInvalid) as exc:
        parse_document(bad)
    paths = {e.path for e in exc.value.errors}
    assert {
        "delegations[0].department",
        "delegations[0].delegate",
        "delegations[0].to",
        "decisions[0].signoffs[1].delegation",
    } <= paths
