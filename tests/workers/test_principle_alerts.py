"""The core checks through a real worker on Redis: overlaps, sign-offs, symbolic metrics.

Each step is a change saved through the services, as a page or the API would save it;
the worker's alert is then polled for with a deadline.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlmodel import Session, select

from server.models import Initiative, LogEntry, Metric, Organisation, User
from server.relay import relay_pending
from server.services import decisions, initiatives
from tests import factories
from tests.workers.conftest import Worker, wait_for
from tests.workers.test_pipeline import initiative_id, status_of

pytestmark = pytest.mark.worker


def track(key: str, owner: str, **fields: object) -> dict[str, object]:
    return factories.initiative(key, owner=owner, **{"end": "2099-12-31", **fields})


def _form(db: Session, key: str, **changes: object) -> tuple[int, dict, int]:
    t = db.exec(select(Initiative).where(Initiative.key == key)).one()
    db.refresh(t)
    data = {name: getattr(t, name) for name in initiatives.EDITABLE}
    data["party_ids"] = initiatives.party_ids(db, t.id)
    data.update(changes)
    return t.id, data, t.version


def _save(db: Session, key: str, **changes: object) -> None:
    tid, data, version = _form(db, key, **changes)
    initiatives.update(db, None, tid, data, version)
    _commit(db)


def _set_status(db: Session, key: str, status: str) -> None:
    tid, _, version = _form(db, key)
    initiatives.set_status(db, None, tid, status, version)
    _commit(db)


def _commit(db: Session) -> None:
    """Commit, then send the outbox as the web process's relay would."""
    db.commit()
    relay_pending()


def _expect(fingerprint: str, status: str | None, what: str) -> None:
    try:
        wait_for(lambda: status_of(fingerprint) == status, 60, what=f"{fingerprint} {what}")
    except AssertionError:
        from server.db import get_engine
        from server.models import Alert

        with Session(get_engine()) as s:
            print({a.fingerprint: a.status for a in s.exec(select(Alert)).all()})
        raise


def test_overlap_alerts_follow_links_status_and_dates(
    on_redis: str, db: Session, workers: Callable[..., Worker]
) -> None:
    w = workers()
    pair = "N4:parallel_tracks:a,b"
    try:
        factories.load(
            db,
            factories.document(
                initiatives=[
                    track("a", "varnia-mfa", title="Access talks for the northern valleys"),
                    track("b", "ostmark-fa", title="Northern valleys humanitarian access dialogue"),
                ]
            ),
        )
        relay_pending()
        _expect(pair, "open", "raised for two uncoordinated tracks")

        initiatives.link_coordinated(db, None, initiative_id(db, "a"), initiative_id(db, "b"))
        _commit(db)
        _expect(pair, "resolved", "cleared by a coordination link")

        initiatives.unlink_coordinated(db, None, initiative_id(db, "a"), initiative_id(db, "b"))
        _commit(db)
        _expect(pair, "open", "reopened when the link goes")

        _set_status(db, "b", "closed")
        _expect(pair, "resolved", "cleared when one track closes")

        _set_status(db, "b", "active")
        _expect(pair, "open", "raised again when it reopens")

        _save(db, "a", start=date(2026, 1, 10), end=date(2030, 6, 30))
        _save(db, "b", start=date(2031, 1, 1), end=date(2099, 12, 31))
        _expect(pair, "resolved", "cleared when the dates lie apart")
    except AssertionError:
        print(w.log()[-5000:])
        raise


def test_forum_shopping_raised_by_a_third_track_and_cleared_by_closing_it(
    on_redis: str, db: Session, workers: Callable[..., Worker]
) -> None:
    w = workers()
    forum = "N4:forum_shopping:lfa"
    try:
        factories.load(
            db,
            factories.document(
                initiatives=[
                    track("a", "varnia-mfa", aims=["humanitarian access to the northern valleys"]),
                    track(
                        "b",
                        "ostmark-fa",
                        aims=["open the roads into the northern valleys to relief convoys"],
                        kind="political",
                    ),
                ]
            ),
        )
        relay_pending()
        wait_for(lambda: status_of("N3:no_metrics:b") == "open", 60, what="the first checks")
        assert status_of(forum) is None
        third = _add_third(db)
        _expect(forum, "open", "raised when a third owner engages the same party")

        _set_status(db, third, "closed")
        _expect(forum, "resolved", "cleared when the third track closes")
    except AssertionError:
        print(w.log()[-5000:])
        raise


def _add_third(db: Session) -> str:
    """A third track on track a's crisis, parties and question (access to the northern
    valleys, in other words), by a third owner; its key. Forum shopping counts only tracks
    parallel on the party: three owners on three different questions are not it."""
    a = db.exec(select(Initiative).where(Initiative.key == "a")).one()
    owner = db.exec(select(Organisation).where(Organisation.key == "relief-net")).one()
    made = initiatives.create(
        db,
        None,
        {
            "title": "Safe passage for aid to the northern valleys",
            "kind": "humanitarian",
            "crisis_id": a.crisis_id,
            "start": "2026-02-01",
            "end": "2099-12-31",
            "aims": ["safe passage for humanitarian convoys to the northern valleys"],
            "party_ids": initiatives.party_ids(db, a.id),
        },
        owner_id=owner.id,
    )
    _commit(db)
    return made.key


def test_missing_signoff_raised_cleared_and_reopened_by_a_correction(
    on_redis: str, db: Session, workers: Callable[..., Worker]
) -> None:
    w = workers()
    try:
        factories.load(
            db,
            factories.document(
                initiatives=[
                    track(
                        "t1",
                        "varnia-mfa",
                        staff=[{"org": "varnia-mfa", "fte": 1, "until": "2099-12-31"}],
                        resources=[
                            {"kind": "funding", "amount": 1, "until": "2099-12-31", "dedicated": True}
                        ],
                    )
                ]
            ),
        )
        relay_pending()
        mfa = factories.person(db, "varnia-mfa", "desk_officer")
        dev = factories.person(db, "varnia-dev", "desk_officer")
        dev_org = db.exec(select(Organisation).where(Organisation.key == "varnia-dev")).one()
        entry = decisions.log(
            db,
            mfa,
            initiative_id(db, "t1"),
            {
                "text": "Open a joint convoy working group",
                "kind": "other",
                "date": date.today(),
                "touches": [dev_org.id],
            },
        )
        _commit(db)
        fingerprint = f"D4:missing_signoff:{entry.key}"
        _expect(fingerprint, "open", "raised for the department that has not signed")
        with Session(db.get_bind()) as s:
            from server.models import Alert

            alert = s.exec(select(Alert).where(Alert.fingerprint == fingerprint)).one()
            assert "Development Agency" in " ".join([alert.message, *alert.evidence])
            assert "Ministry of Foreign Affairs" not in alert.message

        decisions.sign_off(db, db.get(User, dev.id), entry.id)
        _commit(db)
        _expect(fingerprint, "resolved", "cleared by the missing sign-off")

        correction = decisions.log(
            db,
            db.get(User, mfa.id),
            initiative_id(db, "t1"),
            {
                "text": "Open a joint convoy and protection working group",
                "kind": "other",
                "date": date.today(),
                "touches": [dev_org.id],
            },
            supersedes_id=entry.id,
        )
        _commit(db)
        _expect(f"D4:missing_signoff:{correction.key}", "open", "raised again for the corrected entry")
        assert db.exec(select(LogEntry).where(LogEntry.supersedes_id == entry.id)).one().key == correction.key
    except AssertionError:
        print(w.log()[-5000:])
        raise


def test_symbolic_only_raised_and_cleared(on_redis: str, db: Session, workers: Callable[..., Worker]) -> None:
    w = workers()
    symbolic = "N3:symbolic_only:t1"
    try:
        factories.load(
            db,
            factories.document(
                initiatives=[
                    track(
                        "t1",
                        "varnia-mfa",
                        metrics=[
                            {
                                "name": "checkpoints reopened for aid convoys",
                                "kind": "outcome",
                                "target": "4",
                            },
                            {"name": "ministerial visits", "kind": "symbolic"},
                        ],
                    )
                ]
            ),
        )
        relay_pending()
        wait_for(lambda: status_of("D1:no_field_report:t1") == "open", 60, what="the first checks")
        assert status_of(symbolic) is None
        outcome = db.exec(select(Metric).where(Metric.name == "checkpoints reopened for aid convoys")).one()
        initiatives.update_line(
            db,
            None,
            initiative_id(db, "t1"),
            "metrics",
            outcome.id,
            {"name": "press conferences on the checkpoints", "kind": "symbolic"},
            outcome.version,
        )
        _commit(db)
        _expect(symbolic, "open", "raised when the last outcome metric turns symbolic")

        initiatives.add_line(
            db,
            None,
            initiative_id(db, "t1"),
            "metrics",
            {"name": "families receiving cash", "kind": "outcome", "target": "2,000"},
        )
        _commit(db)
        _expect(symbolic, "resolved", "cleared by an outcome metric")
    except AssertionError:
        print(w.log()[-5000:])
        raise
