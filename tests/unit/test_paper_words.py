"""Every check quotes the policy paper word for word."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from server.domain.checks import all_checks, all_modules

# The paper lives in the team's shared folder, beside the repository.
PAPER = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "reference"
    / "humanitarian-diplomacy-dos-and-donts.txt"
)


def _plain(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("check", all_modules(), ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_words_are_quoted_from_the_paper(check: ModuleType) -> None:
    if not PAPER.exists():
        pytest.skip(f"the paper is not beside the repository ({PAPER})")
    assert check.TITLE
    assert check.WORDS, f"{check.ID} quotes nothing"
    paper = _plain(PAPER.read_text(encoding="utf-8"))
    # A quote may leave words out, marked "[...]": each part must stand in the paper, in order
    # (a part may end with the full stop that closes a heading in the quote).
    at = 0
    for part in (_plain(p).rstrip(".") for p in check.WORDS.split("[...]")):
        found = paper.find(part, at)
        assert found >= 0, f"{check.ID} misquotes the paper: {part!r}"
        at = found + len(part)


def test_the_ten_principles_each_have_one_check() -> None:
    ids = [c.ID for c in all_checks()]
    assert ids == ["D1", "D2", "D3", "D4", "D5", "N1", "N2", "N3", "N4", "N5"]
