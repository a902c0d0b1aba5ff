"""N3, outcomes over time: outcome metrics never measured, or not moving while outputs grow."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from server.domain.checks import n3_outcomes_over_time as n3t
from server.domain.snapshot import Snapshot, parse_document

TRACK: dict[str, Any] = {
    "key": "t1",
    "owner": "varnia-mfa",
    "title": "Access talks for the northern valleys",
    "kind": "humanitarian",
    "crisis": "corridor",
    "start": "2026-01-01",
    "end": "2026-12-31",
    "status": "active",
}
QUARTERS = ("2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31")


def workspace(**track: Any) -> dict[str, Any]:
    t = copy.deepcopy(TRACK)
    t.update(track)
    return {
        "format": "accord-workspace/1",
        "today": "2026-06-01",
        "organisations": [
            {"key": "varnia-mfa", "name": "Varnia, MFA", "kind": "department", "government": "varnia"}
        ],
        "crises": [{"key": "corridor", "name": "Eastern Corridor crisis"}],
        "initiatives": [t],
    }


def series(*values: float, dates: tuple[str, ...] = QUARTERS) -> list[dict[str, Any]]:
    if not values:
        return []
    return [{"date": d, "value": v} for d, v in zip(dates[-len(values) :], values, strict=True)]


def outcome(*values: float, **kw: Any) -> dict[str, Any]:
    return {
        "name": "checkpoints reopened for aid convoys",
        "kind": "outcome",
        "actuals": series(*values),
        **kw,
    }


def output(*values: float, kind: str = "output") -> dict[str, Any]:
    return {"name": "convoys dispatched", "kind": kind, "actuals": series(*values)}


# (id, track overrides, expected kinds)
CASES: list[tuple[str, dict[str, Any], set[str]]] = [
    (
        "outcome never measured on a track of five months",
        {"metrics": [outcome()]},
        {"outcome_never_measured"},
    ),
    (
        "a baseline is not a measure",
        {"metrics": [outcome(baseline={"date": "2025-12-31", "value": 1})]},
        {"outcome_never_measured"},
    ),
    (
        "inferred outcome, never measured",
        {"metrics": [{"name": "families receiving monthly cash transfers"}]},
        {"outcome_never_measured"},
    ),
    (
        "flat outcome while outputs grow",
        {"metrics": [outcome(2, 2, 2, 2), output(10, 20, 30, 40)]},
        {"outcome_not_moving"},
    ),
    (
        "falling outcome while symbolic metrics grow",
        {"metrics": [outcome(5, 4, 4, 3), output(1, 2, 3, 4, kind="symbolic")]},
        {"outcome_not_moving"},
    ),
    (
        "flat since the baseline, three values",
        {"metrics": [outcome(2, 2, 2, baseline={"date": "2026-02-28", "value": 2}), output(10, 20, 30, 40)]},
        {"outcome_not_moving"},
    ),
    (
        "lower is better and it rose",
        {"metrics": [outcome(10, 10, 11, 12, direction="down"), output(1, 2, 3, 4)]},
        {"outcome_not_moving"},
    ),
    # near misses
    ("a young track measured once recently", {"start": "2026-04-15", "metrics": [outcome(1)]}, set()),
    ("a young track not yet measured", {"start": "2026-04-15", "metrics": [outcome()]}, set()),
    ("a track with no start date", {"start": None, "metrics": [outcome()]}, set()),
    ("outcome moving slowly and steadily", {"metrics": [outcome(2, 3, 4, 5), output(10, 20, 30, 40)]}, set()),
    (
        "lower is better and it falls",
        {"metrics": [outcome(12, 11, 10, 9, direction="down"), output(1, 2, 3, 4)]},
        set(),
    ),
    ("flat outcome with flat outputs", {"metrics": [outcome(2, 2, 2, 2), output(10, 10, 10, 10)]}, set()),
    ("flat outcome, no output metric", {"metrics": [outcome(2, 2, 2, 2)]}, set()),
    (
        "flat outcome at its target",
        {"metrics": [outcome(4, 4, 4, 4, target_value=4), output(1, 2, 3, 4)]},
        set(),
    ),
    ("too few values to judge", {"metrics": [outcome(2, 2, 2), output(10, 20, 30)]}, set()),
    ("a draft track", {"status": "draft", "metrics": [outcome(), output(1, 2)]}, set()),
    ("a closed track", {"status": "closed", "metrics": [outcome(2, 2, 2, 2), output(10, 20, 30, 40)]}, set()),
    ("outputs only (N3's other kind's business)", {"metrics": [output(1, 2, 3, 4)]}, set()),
]


@pytest.mark.parametrize(("name", "track", "expected"), CASES, ids=[c[0] for c in CASES])
def test_case(name: str, track: dict[str, Any], expected: set[str]) -> None:
    findings = n3t.run(Snapshot(parse_document(workspace(**track))))
    assert {f.kind for f in findings} == expected, [f.message for f in findings]
    for f in findings:
        assert (f.principle, f.subjects, f.initiatives) == ("N3", ("t1",), ("t1",))
        assert "beyond high-level visits, announcements, and conferences" in f.words


def test_not_moving_says_what_stood_still_and_what_grew() -> None:
    (f,) = n3t.run(Snapshot(parse_document(workspace(metrics=[outcome(2, 2, 2, 2), output(10, 20, 30, 40)]))))
    assert "'checkpoints reopened for aid convoys'" in f.message
    assert any("2 on 2026-02-28, then 2 on 2026-03-31" in e for e in f.evidence)
    assert any(
        "output 'convoys dispatched' grew from 10 on 2026-02-28 to 40 on 2026-05-31" in e for e in f.evidence
    )


def test_never_measured_counts_the_days_and_names_the_metrics() -> None:
    (f,) = n3t.run(Snapshot(parse_document(workspace(metrics=[outcome()]))))
    assert "151 days" in f.message and "'checkpoints reopened for aid convoys'" in f.message


def test_ninety_days_is_the_line() -> None:
    day_89 = workspace(start="2026-03-04", metrics=[outcome()])
    day_90 = workspace(start="2026-03-03", metrics=[outcome()])
    assert n3t.run(Snapshot(parse_document(day_89))) == []
    assert [f.kind for f in n3t.run(Snapshot(parse_document(day_90)))] == ["outcome_never_measured"]


def test_outputs_measured_on_other_dates_grow_as_of_each_date() -> None:
    busy = {
        "name": "convoys dispatched",
        "kind": "output",
        "actuals": series(5, 25, dates=("2026-02-15", "2026-05-20")),
    }
    (f,) = n3t.run(Snapshot(parse_document(workspace(metrics=[outcome(2, 2, 2, 2), busy]))))
    assert f.kind == "outcome_not_moving"


def test_two_values_on_one_date_are_refused() -> None:
    from server.domain.snapshot import DocumentInvalid

    twice = outcome()
    twice["actuals"] = series(1, 2, dates=("2026-03-31", "2026-03-31"))
    with pytest.raises(DocumentInvalid) as err:
        parse_document(workspace(metrics=[twice]))
    assert "initiatives[0].metrics[0].actuals[1].date: a second value for 2026-03-31" in str(err.value)


def test_a_direction_must_be_up_or_down() -> None:
    from server.domain.snapshot import DocumentInvalid

    with pytest.raises(DocumentInvalid) as err:
        parse_document(workspace(metrics=[outcome(direction="sideways")]))
    assert "initiatives[0].metrics[0].direction" in str(err.value)
