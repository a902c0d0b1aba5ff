"""The stored form of a track carries what a full run needs: no sentence model at run time."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pytest

from server.domain.checks import n4_parallel_tracks as n4
from server.domain.overlap import Names, OverlapIndex, TrackRecord, text

TODAY = dt.date(2026, 6, 1)


def _records() -> list[TrackRecord]:
    a = TrackRecord(
        key="a",
        owner="x",
        crisis="c",
        kind="humanitarian",
        title="Detained aid workers",
        aims=("release of detained aid workers", "family visits for the staff held"),
        parties=frozenset({"p"}),
    )
    b = TrackRecord(
        key="b",
        owner="y",
        crisis="c",
        kind="humanitarian",
        title="Humanitarian staff in custody",
        aims=("freeing humanitarian staff held in custody",),
        objectives=("freeing humanitarian staff held in custody", "lists of the staff held"),
        parties=frozenset({"p"}),
    )
    return [a, b]


def test_the_stored_form_round_trips_with_each_aim_s_vector() -> None:
    r = _records()[1]
    blob = text.stored([(r.title, r.aims, r.objectives, r.description)])[0]
    got = text.unpack(blob)
    assert got is not None and got.fields & text.FIELD_MASK == text.FIELD_BITS["detention"]
    # Above the fields, what the track asks: its staff freed, and lists of those held.
    asked = {a for a, bit in text.ASK_BITS.items() if got.fields & bit}
    assert asked == {"release", "news", "held_staff"}
    aims = text.stored_aim_vectors(blob)
    assert aims is not None and aims.shape == (2, text.DIMS)
    made = text.aim_vectors([text.aims_of(r.aims, r.objectives)])[0]
    assert np.abs(aims - made).max() <= 0.5 / text.AIM_SCALE + 1e-6
    assert text.stored_aim_vectors(blob[:-1]) is None and text.unpack(b"short") is None


def test_a_full_run_from_stored_forms_runs_no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    records = _records()
    plain = n4.findings(OverlapIndex.build(records, TODAY, Names()))
    blobs = text.stored([(r.title, r.aims, r.objectives, r.description) for r in records])
    stored = [replace(r, vector=b) for r, b in zip(records, blobs, strict=True)]

    def no_model(*_: object) -> None:
        raise AssertionError("the sentence model ran")

    monkeypatch.setattr(text, "vectors", no_model)
    found = n4.findings(OverlapIndex.build(stored, TODAY, Names()))
    assert [f.subjects for f in found] == [f.subjects for f in plain] == [("a", "b")]
    assert found[0].evidence[3] == plain[0].evidence[3]
    assert "closest aims" in found[0].evidence[3]
