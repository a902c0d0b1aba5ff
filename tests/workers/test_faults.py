"""Nothing is lost: 200 changes while workers are SIGKILLed and Redis restarts."""

from __future__ import annotations

import random
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select

from server.db import get_engine
from server.models import Alert, Initiative, Metric, OutboxRow
from server.relay import RelayWaker
from server.services import initiatives
from server.settings import get_settings
from tests import factories
from tests.conftest import port_open
from tests.workers.conftest import ROOT, Worker, wait_for

pytestmark = pytest.mark.worker

OUTCOME = {"name": "humanitarian access constraints lifted", "kind": "outcome", "target": "five lifted"}
TRACKS = 30
CHANGES = 200
KILL_AT = (15, 45, 80, 120, 160)
REDIS_RESTART_AT = 100


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PrivateRedis:
    """A Redis server of this test's own, so that restarting it disturbs no other test."""

    def __init__(self, workdir: Path) -> None:
        self.port = _free_port()
        self.workdir = workdir

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        subprocess.run(
            [
                "redis-server",
                "--daemonize",
                "yes",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            check=True,
            capture_output=True,
            timeout=10,
        )
        wait_for(lambda: port_open("127.0.0.1", self.port), 10, what="redis up")

    def stop(self) -> None:
        subprocess.run(
            ["redis-cli", "-p", str(self.port), "shutdown", "nosave"], capture_output=True, timeout=10
        )
        wait_for(lambda: not port_open("127.0.0.1", self.port), 10, what="redis down")

    def restart(self) -> None:
        """Stop without saving (every queued message is lost) and start again."""
        self.stop()
        self.start()


@pytest.fixture
def private_redis(
    tmp_path: Path, db_url: str, broker_prefix: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[PrivateRedis]:
    """This test's broker: a private Redis, configured for the test and the workers it starts."""
    server = PrivateRedis(tmp_path)
    server.start()
    monkeypatch.setenv("ACCORD_REDIS_URL", server.url)
    get_settings.cache_clear()
    yield server
    if port_open("127.0.0.1", server.port):
        server.stop()


@pytest.fixture
def beat(
    tmp_path: Path, private_redis: PrivateRedis, monkeypatch: pytest.MonkeyPatch
) -> Iterator[subprocess.Popen[bytes]]:
    """`celery beat` with a short sweep and relay period, as a deployment would run it."""
    import os

    env = dict(os.environ, ACCORD_SWEEP_INTERVAL_SECONDS="4", ACCORD_RELAY_INTERVAL_SECONDS="1")
    log = (tmp_path / "beat.log").open("ab")
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "workers.celery_app", "beat", "-l", "info"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    yield proc
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def _track(key: str, with_metric: bool) -> dict[str, object]:
    return factories.initiative(key, end="2099-12-31", metrics=[OUTCOME] if with_metric else [])


def _toggle(db: Session, iid: int) -> bool:
    """Add an outcome metric if the track has none, else remove it; True if it now has one."""
    metric = db.exec(select(Metric).where(Metric.initiative_id == iid)).first()
    if metric is None:
        initiatives.add_line(db, None, iid, "metrics", dict(OUTCOME))
    else:
        initiatives.remove_line(db, None, iid, "metrics", metric.id)  # type: ignore[arg-type]
    db.commit()
    return metric is None


def _state() -> tuple[dict[str, str], list[str], int]:
    """N3 no-metrics alert status by track key, duplicated fingerprints, unsent outbox rows."""
    with Session(get_engine()) as db:
        rows = db.exec(select(Alert.fingerprint, Alert.status).where(Alert.kind == "no_metrics")).all()
        dups = db.exec(
            select(Alert.fingerprint).group_by(col(Alert.fingerprint)).having(func.count() > 1)
        ).all()
        unsent = db.exec(select(func.count()).where(col(OutboxRow.sent_at).is_(None))).one()
    return {fp.rsplit(":", 1)[1]: status for fp, status in rows}, list(dups), int(unsent)


def test_nothing_lost_through_kills_and_a_redis_restart(
    db_backend: str,
    private_redis: PrivateRedis,
    db: Session,
    workers: Callable[..., Worker],
    beat: subprocess.Popen[bytes],
) -> None:
    rng = random.Random(4)
    has_metric = {f"f{n:02d}": rng.random() < 0.5 for n in range(TRACKS)}
    factories.load(db, factories.document(initiatives=[_track(k, m) for k, m in has_metric.items()]))
    ids = {i.key: i.id for i in db.exec(select(Initiative)).all()}
    # The test process plays the web process: its relay thread sends after each commit.
    waker = RelayWaker()
    waker.start()
    worker = workers()
    started = time.monotonic()
    try:
        for n in range(CHANGES):
            if n in KILL_AT:
                worker.kill()
                worker = workers()
            if n == REDIS_RESTART_AT:
                private_redis.restart()
            key = rng.choice(sorted(has_metric))
            has_metric[key] = _toggle(db, ids[key])  # type: ignore[arg-type]

        expected = {k: ("resolved" if m else "open") for k, m in has_metric.items()}

        def settled() -> bool:
            statuses, dups, unsent = _state()
            # A track that never lost its metric has no alert at all, which counts as clear.
            seen = {k: statuses.get(k, "resolved") for k in has_metric}
            return seen == expected and not dups and unsent == 0

        wait_for(settled, 90, interval=0.5, what="every change checked")
    except AssertionError:
        statuses, dups, unsent = _state()
        wrong = {k: (statuses.get(k), v) for k, v in expected.items() if statuses.get(k, "resolved") != v}
        print(f"wrong: {wrong}; duplicated: {dups}; unsent: {unsent}")
        print(worker.log()[-5000:])
        beat_log = worker.log_path.parent / "beat.log"
        print(beat_log.read_text()[-3000:] if beat_log.exists() else "")
        raise
    finally:
        waker.stop()
    statuses, dups, unsent = _state()
    assert dups == [] and unsent == 0
    assert sum(s == "open" for s in statuses.values()) == sum(not m for m in has_metric.values())
    with Session(get_engine()) as s:
        sent = s.exec(select(func.count()).where(col(OutboxRow.sent_at).is_not(None))).one()
    # One outbox row per change and one per imported track, each sent at least once.
    assert sent >= CHANGES + TRACKS
    print(f"settled {time.monotonic() - started:.1f}s after the first change ({db_backend})")
    assert get_settings().redis_url
