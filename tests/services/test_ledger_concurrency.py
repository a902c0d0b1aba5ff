"""Saves at the same moment keep one chain: no entry lost, none forked, one sign-off per department.

A sign-off locks its decision (on PostgreSQL a row lock) and takes the chain's head only
to append; a transaction that appends twice reads the head once. These saves run in
threads, each in its own transaction, as concurrent requests would.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date

from sqlmodel import Session, select

from server.db import get_engine
from server.models import Initiative, LogEntry, User
from server.services import decisions, ledger
from server.services.errors import Conflict
from tests.factories import document, initiative, load, person


def _at_once(jobs: list[Callable[[Session], object]]) -> list[object]:
    """Run each job in its own thread and transaction, all released together; their results or errors."""
    results: list[object] = [None] * len(jobs)
    start = threading.Barrier(len(jobs))

    def run(n: int) -> None:
        with Session(get_engine(write=True), expire_on_commit=False) as s:
            start.wait()
            try:
                results[n] = jobs[n](s)
                s.commit()
            except Exception as exc:  # noqa: BLE001 - the test reads what each save met
                s.rollback()
                results[n] = exc

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def _decision(actor_id: int, track_id: int, n: int) -> Callable[[Session], object]:
    data = {"text": f"Send a technical team, round {n}", "kind": "other", "date": date.today().isoformat()}
    return lambda s: decisions.log(s, s.get(User, actor_id), track_id, data)


def _signoff(actor_id: int, decision_id: int) -> Callable[[Session], object]:
    return lambda s: decisions.sign_off(s, s.get(User, actor_id), decision_id)  # type: ignore[arg-type]


def test_concurrent_saves_keep_one_chain_and_one_signoff_per_department(db: Session, db_backend: str) -> None:
    staff = [{"org": "varnia-dev", "fte": 1.0}]
    load(db, document(initiatives=[initiative(f"t{n}", staff=staff) for n in range(3)]))
    tracks = [t.id or 0 for t in db.exec(select(Initiative).order_by(Initiative.id)).all()]
    desk = person(db, "varnia-mfa", "desk_officer")
    signers = [person(db, "varnia-dev", "desk_officer", email=f"signer{n}@example.test") for n in range(2)]
    db.commit()
    first = [decisions.log(db, desk, tracks[n], _decision_data(n)) for n in range(2)]
    db.commit()
    before = ledger.verify(db)
    assert before.ok, str(before)
    desk_id, signer_ids = desk.id or 0, [p.id or 0 for p in signers]
    decided = [d.id or 0 for d in first]
    # On SQLite the session's transaction holds the write lock: end it, and read nothing
    # through it (an expired attribute would begin another) until the saves are done.
    db.rollback()

    jobs: list[Callable[[Session], object]] = [
        # Two people of one department sign the same decision at once: one sign-off.
        _signoff(signer_ids[0], decided[0]),
        _signoff(signer_ids[1], decided[0]),
        # Another decision's sign-off and new decisions (two entries each) at the same time.
        _signoff(signer_ids[0], decided[1]),
        *(_decision(desk_id, tracks[n % 3], n) for n in range(5)),
    ]
    results = _at_once(jobs)

    signed = [r for r in results[:2] if isinstance(r, LogEntry)]
    assert len(signed) == 1 and isinstance([r for r in results[:2] if r not in signed][0], Conflict), results
    assert all(isinstance(r, LogEntry) for r in results[2:]), results
    db.rollback()
    after = ledger.verify(db)
    assert after.ok, str(after)
    assert after.count == before.count + 1 + 1 + 5 * 2
    rows = db.exec(select(LogEntry).order_by(LogEntry.id)).all()
    assert len({e.prev_hash for e in rows}) == len(rows)  # no two entries follow the same one
    dev_signoffs = [
        e for e in rows if e.entry_type == "signoff" and e.decision_id == decided[0] and e.actor_id != desk_id
    ]
    assert len(dev_signoffs) == 1


def test_a_transaction_appending_twice_reads_the_head_once(db: Session, db_backend: str) -> None:
    """A decision and its author's sign-off: the head is locked and read once, then only written."""
    from sqlalchemy import event

    load(db, document(initiatives=[initiative("t1")]))
    track = db.exec(select(Initiative)).one()
    desk = person(db, "varnia-mfa", "desk_officer")
    decisions.log(db, desk, track.id or 0, _decision_data(0))  # the chain's first entries make its head
    db.commit()
    seen: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if "decision_log_checkpoint" in statement:
            seen.append(statement.split()[0].upper())

    event.listen(get_engine(write=True), "before_cursor_execute", count)
    try:
        decisions.log(db, desk, track.id or 0, _decision_data(1))
        db.commit()
    finally:
        event.remove(get_engine(write=True), "before_cursor_execute", count)
    # One UPDATE ... RETURNING to lock and read, one UPDATE per entry to move the head.
    assert seen == ["UPDATE", "UPDATE", "UPDATE"], seen
    assert ledger.verify(db).ok


def _decision_data(n: int) -> dict[str, object]:
    return {
        "text": f"Open the northern crossing, step {n}",
        "kind": "other",
        "date": date.today().isoformat(),
    }
