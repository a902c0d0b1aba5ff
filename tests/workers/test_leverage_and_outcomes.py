"""Contradictory leverage (N4) and outcomes over time (N3) through a real worker on Redis,
on SQLite and PostgreSQL.

Each change is saved through the services, as a page or the API would save it; the
worker's alert is polled for with a deadline: raised, cleared, and raised again.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import Session, select

from server.models import LeverageTool, Metric, MetricActual
from server.relay import relay_pending
from server.services import alerts, initiatives, metric_actuals
from tests import factories
from tests.workers.conftest import Worker
from tests.workers.test_pipeline import initiative_id, status_of
from tests.workers.test_principle_alerts import _commit, _expect

pytestmark = pytest.mark.worker

CLASH = "N4:contradictory_leverage:lfa,t-freeze,t-fund"


def track(key: str, owner: str, **fields: object) -> dict[str, object]:
    return factories.initiative(key, owner=owner, **{"end": "2099-12-31", **fields})


def _tool(db: Session, key: str) -> LeverageTool:
    tool = db.exec(select(LeverageTool).where(LeverageTool.initiative_id == initiative_id(db, key))).one()
    db.refresh(tool)
    return tool


def _set_tool(db: Session, key: str, **changes: object) -> None:
    tool = _tool(db, key)
    data = tool.model_dump(include=set(initiatives.LINE_DATA["leverage"].model_fields))
    data.update(changes)
    assert tool.id is not None
    initiatives.update_line(db, None, initiative_id(db, key), "leverage", tool.id, data, tool.version)
    _commit(db)


def test_contradictory_leverage_is_raised_cleared_and_raised_again(
    on_redis: str, db: Session, db_backend: str, workers: Callable[..., Worker]
) -> None:
    w = workers()
    try:
        factories.load(
            db,
            factories.document(
                initiatives=[
                    track(
                        "t-fund",
                        "varnia-mfa",
                        title="Reconstruction fund for the valleys",
                        leverage=[{"kind": "incentive", "description": "Reconstruction fund access"}],
                    ),
                    track(
                        "t-freeze",
                        "ostmark-fa",
                        title="Asset freezes on LFA commanders",
                        kind="political",
                        aims=["hold commanders to account"],
                        leverage=[
                            {
                                "kind": "sanction",
                                "description": "Asset freezes on three commanders",
                                "status": "active",
                                "party": "lfa",
                                "do_no_harm_assessment": True,
                            }
                        ],
                    ),
                ]
            ),
        )
        relay_pending()
        _expect(CLASH, "open", "raised: an incentive and a sanction on the LFA at once")

        _set_tool(db, "t-freeze", status="lifted")
        _expect(CLASH, "resolved", "cleared when the sanction is lifted")

        _set_tool(db, "t-freeze", status="active")
        _expect(CLASH, "open", "raised again when it is applied again")

        _set_tool(db, "t-fund", start=None, end=None, party_id=None)  # unchanged: still open
        initiatives.link_coordinated(db, None, initiative_id(db, "t-fund"), initiative_id(db, "t-freeze"))
        _commit(db)
        _expect(CLASH, "resolved", "cleared by a coordination link")

        initiatives.unlink_coordinated(db, None, initiative_id(db, "t-fund"), initiative_id(db, "t-freeze"))
        _commit(db)
        _expect(CLASH, "open", "raised again when the link goes")

        # In sequence: the fund is offered only after the freeze ends.
        _set_tool(db, "t-freeze", end="2026-03-31")
        _set_tool(db, "t-fund", start="2026-04-01")
        _expect(CLASH, "resolved", "cleared when the two run one after the other")
    except AssertionError:
        print(w.log()[-5000:])
        raise

    # Each owner reads the alert blind: its own tool, the party, the other organisation.
    from server.models import Alert

    _set_tool(db, "t-fund", start=None)
    _expect(CLASH, "open", "raised again")
    db.expire_all()
    alert = db.exec(select(Alert).where(Alert.fingerprint == CLASH)).one()
    assert alert.id is not None
    ostmark = factories.person(db, "ostmark-fa", "desk_officer")
    varnia = factories.person(db, "varnia-mfa", "desk_officer")
    theirs, ours = alerts.get(db, ostmark, alert.id), alerts.get(db, varnia, alert.id)
    db.commit()
    assert theirs.partial and ours.partial
    assert "Reconstruction fund" not in theirs.message + " ".join(theirs.evidence)
    assert (
        "Asset freezes" in " ".join(theirs.evidence)
        and "Varnia, Ministry of Foreign Affairs" in theirs.message
    )
    assert "Asset freezes" not in ours.message + " ".join(ours.evidence) + ours.remedy
    assert "Kingdom of Ostmark" not in ours.message and "Ostmark, Foreign Office" in ours.message


def _metric(db: Session, key: str, name: str) -> int:
    m = db.exec(
        select(Metric).where(Metric.initiative_id == initiative_id(db, key), Metric.name == name)
    ).one()
    assert m.id is not None
    return m.id


def test_outcome_alerts_follow_the_values_measured(
    on_redis: str, db: Session, db_backend: str, workers: Callable[..., Worker]
) -> None:
    w = workers()
    never, still = "N3:outcome_never_measured:t-ostra", "N3:outcome_not_moving:t-ostra"
    outcome = "checkpoints reopened for aid convoys"
    try:
        factories.load(
            db,
            factories.document(
                initiatives=[
                    track(
                        "t-ostra",
                        "varnia-mfa",
                        start="2026-01-10",
                        metrics=[
                            {
                                "name": outcome,
                                "kind": "outcome",
                                "baseline": {"date": "2026-01-10", "value": 2},
                            },
                            {
                                "name": "aid convoys dispatched",
                                "kind": "output",
                                "actuals": [
                                    {"date": d, "value": v}
                                    for d, v in (("2026-02-28", 10), ("2026-03-31", 20), ("2026-04-30", 30))
                                ],
                            },
                        ],
                    )
                ]
            ),
        )
        relay_pending()
        _expect(never, "open", "raised: an outcome never measured on a track of 142 days")
        tid, mid = initiative_id(db, "t-ostra"), _metric(db, "t-ostra", outcome)

        first = metric_actuals.record(db, None, tid, mid, {"date": "2026-02-28", "value": 2})
        _commit(db)
        _expect(never, "resolved", "cleared by a first value")
        assert first.id is not None
        metric_actuals.remove(db, None, tid, mid, first.id)
        _commit(db)
        _expect(never, "open", "raised again when the only value is removed")

        for day in ("2026-02-28", "2026-03-31", "2026-04-30"):
            metric_actuals.record(db, None, tid, mid, {"date": day, "value": 2})
        _commit(db)
        _expect(never, "resolved", "cleared once measured")
        _expect(still, "open", "raised: the outcome stays at 2 while convoys triple")

        better = metric_actuals.record(db, None, tid, mid, {"date": "2026-05-31", "value": 3})
        _commit(db)
        _expect(still, "resolved", "cleared when the outcome moves")
        assert better.id is not None
        metric_actuals.remove(db, None, tid, mid, better.id)
        _commit(db)
        _expect(still, "open", "raised again when the value that moved is withdrawn")
        assert status_of(never) == "resolved"
        assert len(db.exec(select(MetricActual).where(MetricActual.metric_id == mid)).all()) == 3
    except AssertionError:
        print(w.log()[-5000:])
        raise
