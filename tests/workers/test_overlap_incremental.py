"""N4 from the process's overlap index: incremental checks give the sweep's alerts.

Each check of one track takes N4 from an index the worker process keeps and updates
from the event table. A series of edits (a new overlapping track by a third owner,
a coordination link and its removal, a closed and reopened track, dates moved apart,
a retitled track) is checked one track at a time, in this process or by two worker
processes; the live N4 alerts must then be exactly those a full run finds, and the
sweep must change none of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from server import events
from server.db import get_engine
from server.domain.checks import n4_parallel_tracks as n4
from server.domain.overlap import OverlapIndex
from server.models import Alert, Initiative, Organisation, OutboxRow
from server.relay import relay_pending
from server.services import initiatives, loader
from tests import factories
from tests.workers.conftest import Worker, wait_for
from workers import overlap_state
from workers.tasks import check_everything_now, check_initiative_now

RUN = "accord.checks.run_initiative"
PAIR = "N4:parallel_tracks:a,b"
FORUM = "N4:forum_shopping:lfa"


def track(key: str, owner: str, **fields: object) -> dict[str, object]:
    return factories.initiative(key, owner=owner, **{"end": "2099-12-31", **fields})


def _id(db: Session, key: str) -> int:
    i = db.exec(select(Initiative).where(Initiative.key == key)).one()
    assert i.id is not None
    return i.id


def _version(db: Session, key: str) -> int:
    i = db.exec(select(Initiative).where(Initiative.key == key)).one()
    db.refresh(i)
    return i.version


def _save(db: Session, key: str, **changes: object) -> None:
    t = db.exec(select(Initiative).where(Initiative.key == key)).one()
    db.refresh(t)
    data = {name: getattr(t, name) for name in initiatives.EDITABLE}
    data["party_ids"] = initiatives.party_ids(db, _id(db, key))
    data.update(changes)
    initiatives.update(db, None, _id(db, key), data, t.version)


def _n4_alerts() -> set[tuple[str, str]]:
    with Session(get_engine()) as s:
        return {(a.fingerprint, a.status) for a in s.exec(select(Alert).where(Alert.principle == "N4")).all()}


def _live_n4() -> set[str]:
    return {fp for fp, status in _n4_alerts() if status in ("open", "acknowledged")}


def _full_n4() -> set[str]:
    """The N4 findings of a full run over the database as it is, written nowhere."""
    with Session(get_engine()) as s:
        return {f.fingerprint for f in n4.run(loader.load_all(s).snapshot)}


def _scenario(db: Session, settle: Callable[[], None], at_each: Callable[[str], None]) -> None:
    """The edits, each committed and then checked (`settle`), then compared (`at_each`)."""
    factories.load(
        db,
        factories.document(
            initiatives=[
                track("a", "varnia-mfa", title="Access talks for the northern valleys"),
                track("b", "ostmark-fa", title="Northern valleys humanitarian access dialogue"),
                track("x", "varnia-dev", crisis="delta", parties=["hca"], title="Delta water wells"),
            ]
        ),
    )
    settle()
    at_each("imported")
    assert PAIR in _live_n4()

    owner = db.exec(select(Organisation).where(Organisation.key == "relief-net")).one()
    made = initiatives.create(
        db,
        None,
        {
            "title": "Relief access for displaced families",
            "kind": "humanitarian",
            "crisis_id": db.exec(select(Initiative).where(Initiative.key == "a")).one().crisis_id,
            "start": "2026-02-01",
            "end": "2099-12-31",
            "aims": ["relief convoys reach displaced families"],
            "party_ids": initiatives.party_ids(db, _id(db, "a")),
        },
        owner_id=owner.id,
    )
    made.key = "c"
    db.add(made)
    db.commit()
    settle()
    at_each("a third owner engages the same party")
    assert FORUM in _live_n4()

    initiatives.link_coordinated(db, None, _id(db, "a"), _id(db, "b"))
    db.commit()
    settle()
    at_each("a and b linked")
    assert PAIR not in _live_n4() and FORUM not in _live_n4()

    initiatives.unlink_coordinated(db, None, _id(db, "a"), _id(db, "b"))
    db.commit()
    settle()
    at_each("a and b unlinked")
    assert {PAIR, FORUM} <= _live_n4()

    initiatives.set_status(db, None, _id(db, "b"), "closed", _version(db, "b"))
    db.commit()
    settle()
    at_each("b closed")
    assert PAIR not in _live_n4()

    initiatives.set_status(db, None, _id(db, "b"), "active", _version(db, "b"))
    db.commit()
    settle()
    at_each("b reopened")

    _save(db, "a", start=date(2026, 1, 10), end=date(2030, 6, 30))
    db.commit()
    _save(db, "b", start=date(2031, 1, 1), end=date(2099, 12, 31))
    db.commit()
    settle()
    at_each("dates apart")
    assert PAIR not in _live_n4()

    _save(db, "c", title="Northern valleys access talks and relief for displaced families")
    db.commit()
    settle()
    at_each("c retitled")


def _sweep_changes_no_n4() -> None:
    before = _n4_alerts()
    out = check_everything_now()
    changed = [
        fp for k in ("raised", "reopened", "updated", "resolved") for fp in out[k] if fp.startswith("N4:")
    ]
    assert changed == [], f"the sweep changed N4 alerts the incremental checks left: {changed}"
    assert _n4_alerts() == before


def _run_outbox(holders: list[overlap_state.OverlapState], monkeypatch: pytest.MonkeyPatch) -> None:
    """Check every track the outbox names, one at a time, as two worker processes would.

    The checks alternate between two holders, as between two processes' indexes: each
    learns of the edits the other checked only from the event table."""
    with Session(get_engine(write=True)) as s:
        rows = list(s.exec(select(OutboxRow).where(col(OutboxRow.sent_at).is_(None))).all())
        runs = [
            int(r.payload["initiative_id"]) for r in sorted(rows, key=lambda r: r.id or 0) if r.task == RUN
        ]
        for row in rows:
            row.sent_at = row.created_at
            s.add(row)
        s.commit()
    for initiative_id in runs:
        holders.reverse()
        monkeypatch.setattr(overlap_state, "_STATE", holders[0])
        check_initiative_now(initiative_id)


def test_incremental_checks_give_the_sweeps_n4_alerts_and_build_once(
    db_backend: str, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    holders = [overlap_state.OverlapState(), overlap_state.OverlapState()]
    seen: list[str] = []

    def compare(step: str) -> None:
        assert _live_n4() == _full_n4(), step
        if step != "imported":
            assert not any(h.last.rebuilt for h in holders), f"{step}: an index was rebuilt"
        seen.append(step)

    _scenario(db, lambda: _run_outbox(holders, monkeypatch), compare)
    assert len(seen) == 8
    # One build each, on its first check after the import; every edit after it was an update.
    assert [h.builds for h in holders] == [1, 1]
    _sweep_changes_no_n4()


def test_an_event_committed_late_is_not_skipped(db_backend: str, db: Session) -> None:
    """An event id committed after a higher one is still applied; a rolled-back one is given up."""
    factories.load(db, factories.document(initiatives=[track("a", "varnia-mfa"), track("b", "ostmark-fa")]))
    ids = {"a": _id(db, "a"), "b": _id(db, "b")}
    db.commit()
    holder = overlap_state.OverlapState()

    def current() -> OverlapIndex:
        with Session(get_engine(write=True)) as s:
            index = holder.current(s)
            s.commit()
            return index

    def retitle(s: Session, key: str, title: str) -> None:
        row = s.get(Initiative, ids[key])
        assert row is not None
        row.title = title
        s.add(row)
        events.publish(s, "initiative.updated", "initiative", initiative_id=ids[key])
        s.flush()

    current()
    if db_backend == "postgres":  # SQLite has one writer: ids are committed in order
        slow = Session(get_engine(write=True))
        retitle(slow, "a", "Slow title")  # holds the lower event id, uncommitted
        with Session(get_engine(write=True)) as fast:
            retitle(fast, "b", "Fast title")
            fast.commit()
        assert current().records["b"].title == "Fast title"
        assert holder._holes, "the missing id is waited for"
        slow.commit()
        slow.close()
        assert current().records["a"].title == "Slow title"
        gone = Session(get_engine(write=True))
        retitle(gone, "a", "Never saved")
        gone.rollback()
        gone.close()
        with Session(get_engine(write=True)) as fast:
            retitle(fast, "b", "Later title")
            fast.commit()
        index = current()
        assert (index.records["a"].title, index.records["b"].title) == ("Slow title", "Later title")
        # Given up once every transaction that was running when it went missing has ended
        # (in the whole cluster: other databases' transactions may delay it a little).
        wait_for(lambda: current() is not None and not holder._holes, 30, what="the hole given up")
        assert not holder._seen, "the watermark moved up to the highest event"
    else:
        with Session(get_engine(write=True)) as s:
            retitle(s, "a", "Saved title")
            s.commit()
        assert current().records["a"].title == "Saved title"
    assert holder.builds == 1


def test_the_process_index_equals_a_build_from_the_sweeps_snapshot(db_backend: str, db: Session) -> None:
    """The bulk load gives the records an export gives, regions included."""
    doc = factories.document(
        initiatives=[
            track("a", "varnia-mfa", crisis="corridor", parties=["lfa", "hca"]),
            track("b", "ostmark-fa", crisis="delta", coordinated_with=["a", "ext-7"]),
            track("x", "varnia-dev", crisis="north", status="closed"),
        ]
    )
    doc["crises"].append({"key": "north", "name": "North crisis", "region": " saltmarsh delta"})
    doc["crises"].append({"key": "empty", "name": "No tracks", "region": "Eastern Corridor"})
    factories.load(db, doc)
    overlap_state.state().reset()
    with Session(get_engine()) as s:
        index = overlap_state.current(s)
        full = OverlapIndex.from_snapshot(loader.load_all(s).snapshot)
    assert index.records == full.records
    assert index.records["x"].region == " saltmarsh delta" and index.records["a"].region is None
    assert {k: v for k, v in index.names.crises.items() if k != "empty"} == full.names.crises
    assert (index.names.organisations, index.names.parties) == (full.names.organisations, full.names.parties)


def test_a_new_database_or_a_new_day_rebuilds(db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    factories.load(db, factories.document(initiatives=[track("a", "varnia-mfa")]))
    holder = overlap_state.state()
    holder.reset()
    with Session(get_engine()) as s:
        holder.current(s)
        holder.current(s)
        assert not holder.last.rebuilt
        holder.index.today = date(2000, 1, 1)  # type: ignore[union-attr]
        holder.current(s)
        assert holder.last.rebuilt
        holder._db_url = "elsewhere"
        holder.current(s)
        assert holder.last.rebuilt


# ---------------------------------------------------------------- real workers


def _done(logs: list[Path]) -> int:
    line = re.compile(rf"Task {re.escape(RUN)}\[[^\]]+\] succeeded in")
    return sum(len(line.findall(p.read_text(errors="replace"))) for p in logs if p.exists())


def _sent_runs() -> int:
    with Session(get_engine()) as s:
        return len(
            s.exec(
                select(OutboxRow.id).where(OutboxRow.task == RUN, col(OutboxRow.sent_at).is_not(None))
            ).all()
        )


@pytest.mark.worker
def test_two_workers_keep_their_own_index_and_agree_with_the_sweep(
    db_backend: str, on_redis: str, db: Session, workers: Callable[..., Worker]
) -> None:
    one, two = workers(concurrency=1), workers(concurrency=1)
    logs = [one.log_path, two.log_path]
    wait_for(lambda: all("ready." in w.log() for w in (one, two)), 60, what="both workers ready")

    def settle() -> None:
        while relay_pending():
            pass
        wanted = _sent_runs()
        wait_for(lambda: _done(logs) >= wanted, 90, what=f"{wanted} checks of one track ran")

    def compare(step: str) -> None:
        assert _live_n4() == _full_n4(), step

    try:
        _scenario(db, settle, compare)
        assert "checked initiative" in one.log() and "checked initiative" in two.log(), "both took a share"
        for w in (one, two):
            # Built once, on the process's first check; every later edit updated it.
            assert w.log().count("overlap index built") == 1, w.log()[-3000:]
        _sweep_changes_no_n4()
    except AssertionError:
        print(one.log()[-4000:], two.log()[-4000:])
        raise


def test_each_track_s_vector_is_stored_with_it_and_read_by_the_index(db_backend: str, db: Session) -> None:
    """Written in the track's own flush when its text changes; the index reads it, not the model."""
    from server.domain.embedding import MODEL_ID
    from server.domain.overlap import text
    from server.models import InitiativeVector

    factories.load(db, factories.document(initiatives=[track("a", "varnia-mfa"), track("b", "ostmark-fa")]))
    db.commit()

    def stored() -> dict[str, InitiativeVector]:
        with Session(get_engine()) as s:
            rows = s.exec(select(Initiative.key, InitiativeVector).join(InitiativeVector)).all()
            return {k: v for k, v in rows}

    before = stored()
    assert set(before) == {"a", "b"} and {v.model for v in before.values()} == {MODEL_ID}
    _save(db, "a", aims=["release of detained aid workers"])
    _save(db, "b", status="paused")  # no change of text: the vector stays as it was
    db.commit()
    after = stored()
    assert after["b"].digest == before["b"].digest and after["a"].digest != before["a"].digest
    sentences = text.sentences("Track a", ["release of detained aid workers"])
    assert after["a"].digest == text.digest(sentences)
    stored_a = text.stored([("Track a", ["release of detained aid workers"], (), "")])[0]
    assert after["a"].vector == stored_a
    got = text.unpack(stored_a)
    asked = text.ASK_BITS["release"] | text.ASK_BITS["held_staff"]
    assert got is not None and got.fields == text.FIELD_BITS["detention"] | asked and got.names == frozenset()
    assert text.vector_bytes(got.vector) == text.vector_bytes(text.vectors([sentences])[0])
    with Session(get_engine()) as s:
        records = loader.load_tracks(s, loader.load_directory(s))
    assert {r.key: r.vector for r in records.values()} == {k: v.vector for k, v in after.items()}
