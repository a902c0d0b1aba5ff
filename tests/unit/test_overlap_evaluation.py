"""Precision and recall of the N4 overlap check on fictional labelled pairs of tracks.

The pairs (tests/data/overlap_pairs.json, made by bench/gen_overlap_pairs.py) are one
process written twice by two owners, or near misses. Each pair is judged alone, as a
two-track workspace, by the real check. The team wrote these pairs and tuned on them,
so they guard against regressions; the evaluation set (tests/eval) measures the check.
The bars are the measured figures rounded down (precision 1.000, recall 0.974: the
static sentence model still misses a few paraphrases that share few words).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from server.domain.checks import n4_parallel_tracks as n4
from server.domain.snapshot import Snapshot

DATA = Path(__file__).resolve().parents[1] / "data" / "overlap_pairs.json"
MIN_PRECISION = 0.99
MIN_RECALL = 0.95


def _judge(world: dict[str, Any], pair: dict[str, Any]) -> bool:
    doc = {
        "format": "accord-workspace/1",
        **{k: world[k] for k in ("today", "organisations", "crises", "parties")},
    }
    doc["initiatives"] = [pair["a"], pair["b"]]
    found = n4.run(Snapshot.from_document(doc))
    return any(
        f.kind == n4.PAIR_KIND and f.subjects == tuple(sorted((pair["a"]["key"], pair["b"]["key"])))
        for f in found
    )


def test_precision_and_recall_on_labelled_pairs() -> None:
    world = json.loads(DATA.read_text())
    pairs = world["pairs"]
    assert len(pairs) >= 300
    outcome: Counter[tuple[str, str]] = Counter()
    tp = fp = fn = 0
    for pair in pairs:
        hit = _judge(world, pair)
        positive = pair["label"] == 1
        tp += hit and positive
        fp += hit and not positive
        fn += positive and not hit
        outcome[(pair["why"], "found" if hit else "not found")] += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    print(f"\nN4 overlap on {len(pairs)} labelled pairs: precision {precision:.3f}, recall {recall:.3f}")
    for (why, result), count in sorted(outcome.items()):
        print(f"  {why:40s} {result:10s} {count}")
    assert precision >= MIN_PRECISION, f"precision {precision:.3f}"
    assert recall >= MIN_RECALL, f"recall {recall:.3f}"


def test_recall_and_precision_on_the_n4_tune_sets() -> None:
    """The tune sets (tests/data/tune/N4*.json): the cases the thresholds and fields were chosen on."""
    from tests.eval.scoring import score

    tune = DATA.parent / "tune"
    cases = [
        c for name in ("N4", "N4_questions") for c in json.loads((tune / f"{name}.json").read_text())["cases"]
    ]
    assert sum(1 for c in cases if not c["expect"]) >= len(cases) // 2 - 2, "half the cases are near misses"
    s = score("N4", cases)
    print(f"\n{s.row()}")
    # Measured on 80 cases (with three quarters of N4-apart.json): recall 1.00 and precision
    # 1.00 since tracks that name the same question are read as such (`index._same_question`)
    # and trade is a question of its own (recall 0.93, precision 0.98 before).
    assert s.recall >= 0.98 and s.precision >= 0.98, "\n".join([s.row(), *s.misses, *s.false_alarms])
