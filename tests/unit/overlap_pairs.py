"""Scoring two tracks' aims as the overlap index scores them, for the tests of its readings."""

from __future__ import annotations

import datetime as dt

from server.domain.overlap import OverlapIndex, TrackRecord

TODAY = dt.date(2026, 6, 1)


def pair_score(aims_a: list[str], aims_b: list[str]) -> float:
    """The score of two humanitarian tracks of different owners that differ only by their aims."""
    records = [
        TrackRecord(
            key=k,
            owner=k,
            crisis="c",
            kind="humanitarian",
            title="",
            aims=tuple(aims),
            parties=frozenset({"front"}),
            start=dt.date(2026, 1, 1),
            end=dt.date(2026, 12, 31),
        )
        for k, aims in (("a", aims_a), ("b", aims_b))
    ]
    got = OverlapIndex.build(records, TODAY).score("a", "b")
    assert got is not None
    return got.score
