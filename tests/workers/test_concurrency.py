"""A task delivered twice, or two workers on the same check at once, make one alert."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select

from server.broker import RUN_INITIATIVE, transport_options
from server.db import get_engine
from server.domain.checks import run_all
from server.models import Alert, AlertInitiative, Event, Initiative
from server.services import loader, reconcile
from server.settings import get_settings
from tests import factories
from tests.workers.conftest import Worker, wait_for
from workers.celery_app import app

pytestmark = pytest.mark.worker


def _postgres_only(db_backend: str) -> None:
    if db_backend != "postgres":
        pytest.skip("concurrent writers are a PostgreSQL matter; SQLite has one writer")


def _load(db: Session) -> dict[str, int]:
    factories.load(
        db,
        factories.document(
            initiatives=[factories.initiative(k, end="2099-12-31") for k in ("t1", "t2", "t3")]
        ),
    )
    return {i.key: i.id for i in db.exec(select(Initiative)).all() if i.id is not None}


def _counts() -> tuple[list[str], int, int]:
    with Session(get_engine()) as db:
        dups = db.exec(
            select(Alert.fingerprint).group_by(col(Alert.fingerprint)).having(func.count() > 1)
        ).all()
        alerts = db.exec(select(func.count()).select_from(Alert)).one()
        links = db.exec(select(func.count()).select_from(AlertInitiative)).one()
    return list(dups), int(alerts), int(links)


def _succeeded(logs: list[Path]) -> int:
    return sum(p.read_text(errors="replace").count("succeeded in") for p in logs if p.exists())


def test_duplicate_deliveries_on_two_workers_make_one_alert(
    db_backend: str, on_redis: str, db: Session, workers: Callable[..., Worker]
) -> None:
    _postgres_only(db_backend)
    ids = _load(db)
    one, two = workers(concurrency=3), workers(concurrency=3)
    # Both consuming before the first message: on a busy machine one could start so much
    # later that the other ran every delivery alone.
    wait_for(lambda: " ready." in one.log() and " ready." in two.log(), 90, what="both workers ready")
    s = get_settings()
    # The same message sent many times over, as a broker redelivers after a lost ack.
    with app.connection_for_write(s.broker_url, transport_options=transport_options(s)) as conn:
        for _ in range(12):
            for iid in ids.values():
                app.send_task(RUN_INITIATIVE, kwargs={"initiative_id": iid}, queue="checks", connection=conn)
    try:
        wait_for(lambda: _succeeded([one.log_path, two.log_path]) >= 36, 90, what="every delivery ran")
    except AssertionError:
        print(one.log()[-3000:], two.log()[-3000:])
        raise
    assert one.log().count("succeeded in") and two.log().count("succeeded in"), "both workers took a share"
    dups, alerts, links = _counts()
    assert dups == []
    assert alerts == links  # every alert here concerns exactly one track, linked once
    with Session(get_engine()) as s2:
        raised = s2.exec(select(func.count()).where(Event.kind == "alert.raised")).one()
    assert raised == alerts, "each alert was raised once, however often its check ran"


def test_concurrent_reconciles_without_the_check_lock_make_one_alert(db_backend: str, db: Session) -> None:
    """The fingerprint's unique index alone holds, even if two runs skip the check lock."""
    _postgres_only(db_backend)
    ids = _load(db)
    with Session(get_engine()) as s:
        loaded = loader.load_initiative(s, ids["t1"])
        assert loaded is not None
    findings = [f for f in run_all(loaded.snapshot) if "t1" in f.subjects]
    assert findings
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with Session(get_engine(write=True)) as s:
                barrier.wait()
                out = reconcile.Outcome()
                for f in findings:
                    reconcile.upsert(s, f, loaded.ids, out)
                s.commit()
        except BaseException as exc:  # reported below, in the test's own thread
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    dups, alerts, links = _counts()
    assert dups == [] and alerts == len(findings) and links == len(findings)
