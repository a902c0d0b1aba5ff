"""Recall and precision of the text checks on their tune sets, which the checks were tuned on.

`tests/data/tune/` is the set a check, a threshold or a word list may be chosen on; the
figures here guard against a change that mends one case and breaks others. They say
nothing of how the checks do on text nobody tuned them to: `test_evaluation_sets.py`
does that, on sets held out from tuning.
"""

from __future__ import annotations

import pytest

from tests.eval.scoring import load_set, score

# The checks that read prose and their floor on the cases they were tuned on; D4 reads a
# decision's words and N3 a metric's name.
FLOOR = {"D1": 0.95, "D2": 0.95, "D3": 0.95, "D4": 0.95, "N1": 0.95, "N2": 0.95, "N3": 0.95}


@pytest.mark.parametrize("principle", sorted(FLOOR))
def test_recall_and_precision_on_the_tune_set(principle: str) -> None:
    cases = load_set("tune", principle)
    assert sum(1 for c in cases if not c["expect"]) >= len(cases) // 2 - 2, "half the cases are near misses"
    s = score(principle, cases)
    print(f"\n{s.row()}")
    assert s.recall >= FLOOR[principle] and s.precision >= FLOOR[principle], "\n".join(
        [s.row(), *(f"missed {m}" for m in s.misses), *(f"false alarm {a}" for a in s.false_alarms)]
    )
