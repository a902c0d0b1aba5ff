"""A decision judged from its neighbourhood in the log is judged as the whole log judges it."""

from __future__ import annotations

import copy
from collections import defaultdict
from datetime import date
from typing import Any

import pytest
from sqlmodel import Session, col, select

from server.demo import document
from server.models import Initiative, LogEntry
from server.services import signoff_state
from tests.factories import load

pytestmark = pytest.mark.usefixtures("db_backend")


def _with_corrections() -> dict[str, Any]:
    """The demo, with corrections on a few tracks: one corrected twice, one chain of two."""
    doc = copy.deepcopy(document())
    by_track: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for d in doc["decisions"]:
        by_track[d["initiative"]].append(d)
    tracks = [t for t, ds in by_track.items() if len(ds) >= 2][:3]
    assert len(tracks) == 3
    added = []
    for n, track in enumerate(tracks):
        first = by_track[track][0]
        base = {k: v for k, v in first.items() if k not in ("key", "signoffs", "supersedes")}
        fix = {
            **base,
            "key": f"{first['key']}-fix",
            "supersedes": first["key"],
            "signoffs": first["signoffs"][:1],
        }
        added.append(fix)
        if n == 0:  # corrected twice: the later correction replaces it
            added.append({**base, "key": f"{first['key']}-fix2", "supersedes": first["key"], "signoffs": []})
        if n == 1:  # a chain: the correction corrected in its turn
            added.append({**base, "key": f"{first['key']}-fix-fix", "supersedes": fix["key"], "signoffs": []})
    doc["decisions"].extend(added)
    return doc


def _fresh(db: Session) -> None:
    db.rollback()  # ends the unit of work: no load is held over


def test_each_decision_has_the_status_its_whole_log_gives(db: Session) -> None:
    load(db, _with_corrections())
    entries = db.exec(select(LogEntry).where(col(LogEntry.entry_type) == "decision")).all()
    corrected = [e for e in entries if e.supersedes_id is not None]
    assert len(corrected) == 5
    keys = dict(db.exec(select(Initiative.id, Initiative.key)).all())
    compared = 0
    for e in entries:
        assert e.id is not None and e.initiative_id is not None
        _fresh(db)
        whole = signoff_state.load(db, {e.initiative_id})
        home = {keys[e.initiative_id]}
        expected = (signoff_state.judge(whole, only={e.id}), signoff_state.judge(whole, set(), only={e.id}))
        _fresh(db)
        near = signoff_state.load(db, {e.initiative_id}, around={e.id})
        got = (signoff_state.judge(near, only={e.id}), signoff_state.judge(near, set(), only={e.id}))
        assert got == expected, e.key
        assert signoff_state.judge(near, home, only={e.id}) == signoff_state.judge(whole, home, only={e.id})
        # Only the neighbourhood was read: never the track's whole log where it holds more.
        assert len(near.decisions) <= len(whole.decisions)
        compared += 1
    assert compared == len(entries)
    # The corrected ones are judged with their corrections in view.
    _fresh(db)
    first = corrected[0]
    assert first.supersedes_id is not None and first.initiative_id is not None
    near = signoff_state.load(db, {first.initiative_id}, around={first.supersedes_id})
    assert any(d.supersedes for d in near.decisions)


def test_a_load_of_the_whole_log_in_the_unit_of_work_serves_a_neighbourhood(db: Session) -> None:
    load(db, _with_corrections())
    e = db.exec(select(LogEntry).where(col(LogEntry.entry_type) == "decision")).first()
    assert e is not None and e.id is not None and e.initiative_id is not None
    _fresh(db)
    whole = signoff_state.load(db, {e.initiative_id})
    assert signoff_state.load(db, {e.initiative_id}, around={e.id}) is whole


def test_a_proposal_for_a_new_decision_is_read_from_any_load_of_its_track(db: Session) -> None:
    """A page judges its decisions, then proposes departments for a new one: one load, not two."""
    load(db, _with_corrections())
    e = db.exec(select(LogEntry).where(col(LogEntry.entry_type) == "decision")).first()
    assert e is not None and e.id is not None and e.initiative_id is not None
    track = db.get(Initiative, e.initiative_id)
    assert track is not None
    _fresh(db)
    alone = signoff_state.load(db, {e.initiative_id}, around=())
    expected = signoff_state.required_for_new(alone, track.key, date.today())
    _fresh(db)
    around = signoff_state.load(db, {e.initiative_id}, around={e.id})
    again = signoff_state.load(db, {e.initiative_id}, around=())
    assert again is around
    assert signoff_state.required_for_new(again, track.key, date.today()) == expected
    # Another track's load does not serve this one.
    _fresh(db)
    other = db.exec(select(Initiative).where(col(Initiative.id) != e.initiative_id)).first()
    assert other is not None and other.id is not None
    signoff_state.load(db, {other.id}, around=())
    assert signoff_state.load(db, {e.initiative_id}, around=()) is not around
