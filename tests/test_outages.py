"""Outages, on real services of the test's own: a PostgreSQL and a Redis started here and stopped here.

The machine's shared PostgreSQL and Redis serve every other test, so these tests
never touch them: each starts a private instance on a free port, runs saves through
a real web process and a real worker, stops the service in the middle, and checks
what the web answers while it is gone and that afterwards everything resumes with
nothing lost.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlmodel import Session, col, select

from server import db as dbmod
from server.migrations import upgrade
from server.models import Initiative, LogEntry, OutboxRow
from server.services import sessions
from server.settings import get_settings
from tests.factories import document, initiative, load, person
from tests.serverproc import WebProcess, WorkerProcess, free_port, wait_for
from tests.web.conftest import signin_form

pytestmark = pytest.mark.worker

PASSWORD = "correct horse battery"
PG_BINS = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))


def _as_postgres(*argv: str) -> subprocess.CompletedProcess[str]:
    """Run a PostgreSQL program; as the `postgres` user when we are root (initdb refuses root)."""
    cmd = ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else list(argv)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


class PrivatePostgres:
    """A PostgreSQL cluster of this test's own, in a temporary folder, on a free port."""

    def __init__(self) -> None:
        self.bin = PG_BINS[-1].parent
        # Under /tmp itself: the postgres user cannot enter pytest's private folders.
        self.root = Path(tempfile.mkdtemp(prefix="accord-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/accord"

    def init(self) -> PrivatePostgres:
        out = _as_postgres(
            str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync"
        )
        assert out.returncode == 0, out.stderr
        self.start()
        admin = create_engine(self.url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("CREATE DATABASE accord"))
        admin.dispose()
        return self

    def start(self) -> None:
        opts = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        out = _as_postgres(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.root / "pg.log"),
            "-o",
            opts,
            "-w",
            "start",
        )
        assert out.returncode == 0, out.stdout + out.stderr

    def stop(self) -> None:
        out = _as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        assert out.returncode == 0, out.stdout + out.stderr

    def destroy(self) -> None:
        _as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


class PrivateRedis:
    """A redis-server of this test's own, appending to a file as the compose file's does."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="accord-redis-"))
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> PrivateRedis:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.root)]
            + ["--appendonly", "yes", "--save", "", "--daemonize", "no"],
            stdout=(self.root / "redis.log").open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(self.ping, timeout=20, what="the private redis-server")
        return self

    def ping(self) -> bool:
        import redis

        try:
            return bool(redis.Redis.from_url(self.url, socket_timeout=1, socket_connect_timeout=1).ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM: Redis writes its append-only file and exits
            self.proc.wait(20)

    def destroy(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)
        shutil.rmtree(self.root, ignore_errors=True)


def _settings(db_url: str, redis_url: str, data_dir: Path) -> dict[str, str]:
    return {
        "ACCORD_DATABASE_URL": db_url,
        "ACCORD_REDIS_URL": redis_url,
        "ACCORD_BROKER_PREFIX": f"accord-test-{uuid.uuid4().hex[:10]}:",
        "ACCORD_DATA_DIR": str(data_dir),
        "ACCORD_SECRET_KEY": "test-secret-key-0123456789abcdef0123456789",
        "ACCORD_WEB_RELAY": "true",
        "ACCORD_RELAY_INTERVAL_SECONDS": "1",
        "ACCORD_ARGON2_TIME_COST": "1",
        "ACCORD_ARGON2_MEMORY_KIB": "1024",
    }


@pytest.fixture
def private_pg() -> Iterator[PrivatePostgres]:
    if not PG_BINS:
        pytest.fail("PostgreSQL's programs are not installed under /usr/lib/postgresql")
    pg = PrivatePostgres().init()
    yield pg
    pg.destroy()


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed")
    r = PrivateRedis().start()
    yield r
    r.destroy()


def _configure(monkeypatch: pytest.MonkeyPatch, settings: dict[str, str]) -> None:
    for key, value in settings.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()


def _workspace() -> tuple[int, str, str]:
    """One track and a desk officer with an API token, in the configured database."""
    with Session(dbmod.get_engine(write=True), expire_on_commit=False) as db:
        load(db, document(initiatives=[initiative("t1")]))
        user = person(db, "varnia-mfa", "desk_officer")
        token = sessions.create_api_token(db, user)
        db.commit()
        iid = db.exec(select(Initiative.id).where(Initiative.key == "t1")).one()
        return int(iid), token, user.email


def _save(web: WebProcess, token: str, iid: int, n: int, tag: str) -> httpx.Response:
    started = time.perf_counter()
    r = httpx.post(
        f"{web.url}/api/v1/initiatives/{iid}/decisions",
        json={"text": f"Decision {tag}-{n} on the northern crossing", "date": str(date.today())},
        headers={"Authorization": f"Bearer {token}", "X-Request-ID": f"{tag}-{n}"},
        timeout=30,
    )
    r.extensions["seconds"] = time.perf_counter() - started
    return r


def _saved_texts() -> list[str]:
    with Session(dbmod.get_engine()) as db:
        return sorted(db.exec(select(LogEntry.text).where(LogEntry.entry_type == "decision")).all())


def _backlog() -> int:
    with Session(dbmod.get_engine()) as db:
        return len(db.exec(select(OutboxRow.id).where(col(OutboxRow.sent_at).is_(None))).all())


def _checked(worker: WorkerProcess, request_id: str) -> bool:
    """The worker ran, and finished without error, a task the request with this id caused."""
    return any(
        f'"request_id": "{request_id}"' in line and "succeeded" in line for line in worker.log().splitlines()
    )


def _wait_checked(worker: WorkerProcess, request_id: str, timeout: float = 180.0) -> None:
    """Wait for the worker's check of this request's track; on a timeout, show what the worker said."""
    try:
        wait_for(lambda: _checked(worker, request_id), timeout=timeout, what=f"the check of {request_id}")
    except AssertionError as exc:
        lines = [line for line in worker.log().splitlines() if '"level": "DEBUG"' not in line]
        raise AssertionError(f"{exc}\nthe worker's last lines:\n" + "\n".join(lines[-40:])) from None


def _count(log: str, phrase: str) -> int:
    return sum(1 for line in log.splitlines() if phrase in line)


def test_postgres_outage_answers_503_and_loses_nothing(
    private_pg: PrivatePostgres, private_redis: PrivateRedis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _settings(private_pg.url, private_redis.url, tmp_path / "data")
    settings["ACCORD_LOG_FORMAT"] = "json"
    _configure(monkeypatch, settings)
    upgrade(private_pg.url)
    iid, token, email = _workspace()
    dbmod.engines.cache_clear()
    with (
        WorkerProcess(tmp_path / "worker.log", **settings) as worker,
        WebProcess(tmp_path / "web.log", **settings) as web,
    ):
        browser = httpx.Client(base_url=web.url, follow_redirects=False, timeout=30)
        assert browser.post("/signin", data=signin_form(browser, email, PASSWORD)).status_code == 303
        before = [_save(web, token, iid, n, "pg-before") for n in range(3)]
        assert [r.status_code for r in before] == [201] * 3

        private_pg.stop()
        during = [_save(web, token, iid, n, "pg-during") for n in range(3)]
        for r in during:
            assert r.status_code == 503, r.text
            assert r.headers["content-type"].startswith("application/problem+json")
            assert r.headers["retry-after"].isdigit()
            assert "database" in r.json()["title"].lower()
            assert r.extensions["seconds"] < 5, f"a save took {r.extensions['seconds']:.1f}s to fail"
        page = browser.get("/initiatives")
        assert page.status_code == 503 and page.headers["retry-after"]
        assert "cannot reach its database" in page.text and "nothing was read or saved" in page.text
        assert httpx.get(web.url + "/healthz", timeout=5).status_code == 200
        ready = httpx.get(web.url + "/readyz", timeout=10)
        assert ready.status_code == 503 and "database" in ready.json()["failing"]

        private_pg.start()
        wait_for(
            lambda: httpx.get(web.url + "/readyz", timeout=10).status_code == 200,
            timeout=30,
            what="/readyz after PostgreSQL is back",
        )
        after = [_save(web, token, iid, n, "pg-after") for n in range(3)]
        assert [r.status_code for r in after] == [201] * 3, [r.text for r in after]
        assert browser.get("/initiatives").status_code == 200

        # Nothing lost, nothing half-written: the saves that answered 201, and only those.
        expected = sorted(
            f"Decision {tag}-{n} on the northern crossing"
            for tag in ("pg-before", "pg-after")
            for n in range(3)
        )
        assert _saved_texts() == expected
        # The worker reconnected: it checks the track for the saves after the outage.
        wait_for(lambda: _backlog() == 0, timeout=30, what="the outbox to drain")
        for n in range(3):
            _wait_checked(worker, f"pg-after-{n}")
    log = web.log()
    # The relay runs on its timer and after commits: in an outage this short it may not
    # have run at all, but it never says so more than once, and says when it recovered.
    failed = _count(log, "outbox relay failed: database unreachable")
    assert failed <= 1, log[-4000:]
    assert _count(log, "outbox relay recovered: database reachable again") == failed, log[-4000:]
    assert _count(log, "database unavailable on POST") == 3


def test_redis_outage_keeps_saving_and_delivers_everything_after(
    db_backend: str, db_url: str, private_redis: PrivateRedis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _settings(db_url, private_redis.url, tmp_path / "data")
    _configure(monkeypatch, settings)
    iid, token, _ = _workspace()
    with (
        WorkerProcess(tmp_path / "worker.log", ACCORD_LOG_FORMAT="json", **settings) as worker,
        WebProcess(tmp_path / "web.log", **settings) as web,
    ):
        before = [_save(web, token, iid, n, "redis-before") for n in range(3)]
        assert [r.status_code for r in before] == [201] * 3
        for n in range(3):
            _wait_checked(worker, f"redis-before-{n}")

        private_redis.stop()
        # The database is up: saves go on, and their work waits in the outbox.
        during = [_save(web, token, iid, n, "redis-during") for n in range(3)]
        assert [r.status_code for r in during] == [201] * 3, [r.text for r in during]
        assert all(r.extensions["seconds"] < 3 for r in during), [r.extensions["seconds"] for r in during]
        ready = httpx.get(web.url + "/readyz", timeout=10)
        assert ready.status_code == 503 and ready.json()["failing"] == ["broker"]
        wait_for(lambda: "outbox relay failed" in web.log(), timeout=15, what="the relay's failure line")
        # Several relay rounds later, still the one line.
        deadline = time.monotonic() + 4
        while time.monotonic() < deadline:
            time.sleep(0.5)
        assert _count(web.log(), "outbox relay failed") == 1
        assert _backlog() >= 3

        private_redis.start()
        wait_for(
            lambda: httpx.get(web.url + "/readyz", timeout=10).status_code == 200, timeout=30, what="/readyz"
        )
        wait_for(lambda: _backlog() == 0, timeout=30, what="the outbox to drain after Redis is back")
        after = [_save(web, token, iid, n, "redis-after") for n in range(3)]
        assert [r.status_code for r in after] == [201] * 3
        # The worker reconnected and ran every task, those queued during the outage too.
        for tag in ("redis-during", "redis-after"):
            for n in range(3):
                _wait_checked(worker, f"{tag}-{n}")
    log = web.log()
    failed = [line for line in log.splitlines() if "outbox relay failed" in line]
    assert len(failed) == 1 and f"127.0.0.1:{private_redis.port}" in failed[0] and "Error" in failed[0], (
        failed
    )
    assert _count(log, "outbox relay recovered: broker") == 1, log[-4000:]
