"""The alert lifecycle: raised, acknowledged, dismissed with a reason, resolved, reopened."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from server.db import get_engine
from server.models import Alert, Event, Initiative, LogEntry, Metric
from server.services import alerts, initiatives, ledger
from server.services.errors import Invalid, NotFound
from tests import factories
from workers.tasks import check_everything_now, check_initiative_now

SYMBOLIC = {"name": "ministerial visits", "kind": "symbolic"}
OUTCOME = {"name": "humanitarian access constraints lifted", "kind": "outcome", "target": "five lifted"}


def track(key: str, **fields: object) -> dict[str, object]:
    return factories.initiative(key, **{"end": "2099-12-31", **fields})


def iid(db: Session, key: str) -> int:
    i = db.exec(select(Initiative).where(Initiative.key == key)).one()
    assert i.id is not None
    return i.id


def by_fp(db: Session, fingerprint: str) -> Alert:
    # A session of its own: the test's write session must not hold SQLite's lock.
    with Session(get_engine()) as s:
        return s.exec(select(Alert).where(Alert.fingerprint == fingerprint)).one()


def recheck(db: Session, key: str) -> None:
    """Run the task's work for one track, as a worker would, after the test's commit."""
    initiative_id = iid(db, key)
    db.commit()
    check_initiative_now(initiative_id)


@pytest.fixture
def two_governments(db: Session) -> Session:
    factories.load(
        db,
        factories.document(
            initiatives=[track("t1", metrics=[SYMBOLIC]), track("t2", owner="ostmark-fa", metrics=[SYMBOLIC])]
        ),
    )
    check_everything_now()
    return db


def test_dismissal_needs_a_reason_and_goes_into_the_decision_log(
    db_backend: str, two_governments: Session
) -> None:
    db = two_governments
    officer = factories.person(db, "varnia-mfa", "desk_officer")
    a = by_fp(db, "N3:symbolic_only:t1")
    assert a.id is not None
    with pytest.raises(Invalid) as exc:
        alerts.dismiss(db, officer, a.id, "   ")
    assert [e.loc for e in exc.value.errors] == ["reason"]
    db.rollback()

    view = alerts.dismiss(db, officer, a.id, "Visits are the agreed first phase; outcomes follow in July")
    db.commit()
    if a.severity == "high":  # a high alert is set aside once a second department confirms
        assert view.status != "dismissed"
        from server.services import alert_commands

        second = factories.person(db, "varnia-dev", "desk_officer")
        view = alert_commands.confirm(db, second, a.id)
        db.commit()
    assert view.status == "dismissed"
    entry = db.exec(select(LogEntry).where(LogEntry.entry_type == "dismissal").order_by(LogEntry.id)).first()
    assert entry is not None
    assert entry.text.startswith("Visits are the agreed first phase")
    assert entry.payload["alert_id"] == a.id and entry.initiative_id == iid(db, "t1")
    assert ledger.verify(db).ok

    # The same evidence again: it stays dismissed.
    recheck(db, "t1")
    assert by_fp(db, "N3:symbolic_only:t1").status == "dismissed"
    # New evidence (another symbolic metric): it reopens.
    initiatives.add_line(
        db, None, iid(db, "t1"), "metrics", {"name": "press conferences held", "kind": "symbolic"}
    )
    db.commit()
    recheck(db, "t1")
    assert by_fp(db, "N3:symbolic_only:t1").status == "open"


def test_an_alert_whose_cause_goes_away_resolves_and_returns(
    db_backend: str, two_governments: Session
) -> None:
    db = two_governments
    t1 = iid(db, "t1")
    officer = factories.person(db, "varnia-mfa", "desk_officer")
    a = by_fp(db, "N3:symbolic_only:t1")
    assert a.id is not None
    alerts.acknowledge(db, officer, a.id)
    db.commit()
    assert by_fp(db, "N3:symbolic_only:t1").status == "acknowledged"

    initiatives.add_line(db, None, t1, "metrics", dict(OUTCOME))
    db.commit()
    recheck(db, "t1")
    assert by_fp(db, "N3:symbolic_only:t1").status == "resolved"
    assert by_fp(db, "N3:symbolic_only:t2").status == "open", "another track's alert is out of scope"
    kinds = [e.kind for e in db.exec(select(Event).where(Event.block == "alerts", Event.initiative_id == t1))]
    assert kinds[-1] == "alert.resolved" and "alert.acknowledged" in kinds

    outcome = db.exec(select(Metric).where(Metric.initiative_id == t1, Metric.kind == "outcome")).one()
    initiatives.remove_line(db, None, t1, "metrics", outcome.id)  # type: ignore[arg-type]
    db.commit()
    recheck(db, "t1")
    again = by_fp(db, "N3:symbolic_only:t1")
    assert again.status == "open" and again.id == a.id, "the same alert reopens"


def test_an_overlap_reads_partially_to_each_side(db_backend: str, two_governments: Session) -> None:
    db = two_governments
    varnia = factories.person(db, "varnia-mfa", "coordinator")
    ostmark = factories.person(db, "ostmark-fa", "desk_officer")
    relief = factories.person(db, "relief-net", "field_contributor")
    overlap = by_fp(db, "N4:parallel_tracks:t1,t2")
    assert overlap.id is not None

    theirs = alerts.get(db, ostmark, overlap.id)
    assert theirs.partial and [k for _, k in theirs.initiatives] == ["t2"]
    assert "t1" not in theirs.subjects and "Track t1" not in theirs.message
    assert theirs.message == overlap.views["t2"]["message"]
    ours = alerts.get(db, varnia, overlap.id)
    assert ours.partial and [k for _, k in ours.initiatives] == ["t1"]

    listed = alerts.list_visible(db, ostmark)
    assert all(k == "t2" for v in listed for _, k in v.initiatives)
    groups = alerts.grouped_by_principle(listed)
    assert list(groups) == sorted(groups, key=lambda p: (p[0] != "D", p))
    with pytest.raises(NotFound):
        alerts.get(db, relief, overlap.id)
    assert alerts.list_visible(db, relief) == []
