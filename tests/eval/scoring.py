"""Scoring the checks on labelled workspace documents: recall and precision per principle.

A case is a workspace document and the findings of one principle it must raise, each
given as the keys the finding must be about. Every finding of that principle is
matched to at most one expected finding (the one whose keys it covers with the
fewest extra subjects); what is left over on either side is a false alarm or a miss.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from server.domain.checks import by_id
from server.domain.snapshot import Finding, Snapshot, parse_document

DATA = Path(__file__).resolve().parent.parent / "data"


@dataclass
class Score:
    principle: str
    cases: int = 0
    expected: int = 0
    found: int = 0
    true: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.true / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.true / self.found if self.found else 1.0

    def row(self) -> str:
        return (
            f"{self.principle:3} cases {self.cases:3}  expected {self.expected:3}  found {self.found:3}  "
            f"recall {self.recall:.2f}  precision {self.precision:.2f}"
        )


def load_set(kind: str, principle: str) -> list[dict[str, Any]]:
    """The cases of one principle in `tests/data/<kind>/` ('eval' or 'tune')."""
    path = DATA / kind / f"{principle}.json"
    data = json.loads(path.read_text())
    assert data["principle"] == principle, path
    cases: list[dict[str, Any]] = data["cases"]
    return cases


def match(findings: Sequence[Finding], expected: Iterable[Sequence[str]]) -> tuple[int, list[str], list[str]]:
    """True positives, misses and false alarms of one case."""
    left = list(findings)
    true, misses = 0, []
    for keys in sorted((sorted(e) for e in expected), key=len, reverse=True):
        fits = [f for f in left if set(keys) <= set(f.subjects)]
        if not fits:
            misses.append(",".join(keys))
            continue
        best = min(fits, key=lambda f: len(f.subjects))
        left.remove(best)
        true += 1
    return true, misses, [f"{f.kind}:{','.join(f.subjects)}" for f in left]


def score(principle: str, cases: Sequence[dict[str, Any]]) -> Score:
    check = by_id(principle)
    s = Score(principle)
    for case in cases:
        snapshot = Snapshot(parse_document(case["document"]))
        findings = [f for f in check.run(snapshot) if f.principle == principle]
        true, misses, alarms = match(findings, case["expect"])
        s.cases += 1
        s.expected += len(case["expect"])
        s.found += len(findings)
        s.true += true
        s.misses += [f"{case['name']}: {m}" for m in misses]
        s.false_alarms += [f"{case['name']}: {a}" for a in alarms]
    return s


def load_kind_set(name: str) -> dict[str, Any]:
    """A set of cases about some kinds of one principle, `tests/data/eval/<name>.json`.

    Each case lists the findings it expects in full: principle, kind and subjects."""
    data: dict[str, Any] = json.loads((DATA / "eval" / f"{name}.json").read_text())
    return data


def score_kinds(principle: str, kinds: Sequence[str], cases: Sequence[dict[str, Any]]) -> Score:
    """Recall and precision of the findings of these kinds, each matched exactly (kind and subjects).

    Every check runs on each case, as `accord checks run --json` would over the imported
    document; only the findings of the principle's named kinds are scored."""
    from server.domain.checks import run_all

    s = Score(principle)
    for case in cases:
        snapshot = Snapshot(parse_document(case["document"]))
        found = [
            (f.kind, tuple(f.subjects))
            for f in run_all(snapshot, only={principle})
            if f.principle == principle and f.kind in kinds
        ]
        expected = [
            (e["kind"], tuple(sorted(e["subjects"])))
            for e in case["expected"]
            if e["principle"] == principle and e["kind"] in kinds
        ]
        left = list(found)
        s.cases += 1
        s.expected += len(expected)
        s.found += len(found)
        for e in expected:
            if e in left:
                left.remove(e)
                s.true += 1
            else:
                s.misses.append(f"{case['name']}: {e[0]}:{','.join(e[1])}")
        s.false_alarms += [f"{case['name']}: {k}:{','.join(subj)}" for k, subj in left]
    return s
