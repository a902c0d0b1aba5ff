"""What an operator relies on: probes, metrics, request ids, and logs that keep secrets out."""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from datetime import date
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, text
from sqlmodel import Session, select

from server import ops
from server.app import create_app
from server.models import Initiative, OutboxRow
from server.settings import get_settings
from tests.factories import document, initiative, load, person
from tests.serverproc import WebProcess, WorkerProcess, free_port, wait_for
from tests.web.conftest import signin_form

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _fresh_probes() -> None:
    ops._ready_cache.clear()


def test_healthz_answers_without_a_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Liveness needs nothing; readiness names the database it cannot reach."""
    monkeypatch.setenv("ACCORD_DATABASE_URL", "postgresql+psycopg://accord@127.0.0.1:1/nowhere")
    monkeypatch.setenv("ACCORD_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        client = TestClient(create_app())
        assert client.get("/healthz").json() == {"status": "ok"}
        r = client.get("/readyz")
        assert r.status_code == 503 and r.headers["retry-after"]
        body = r.json()
        assert r.headers["content-type"].startswith("application/problem+json")
        assert "database" in body["failing"] and "unreachable" in body["checks"]["database"]
        assert body["detail"].startswith("database: unreachable")
    finally:
        get_settings.cache_clear()


def test_readyz_is_green_then_names_migrations_and_broker(
    db: Session, db_backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = TestClient(create_app())
    r = client.get("/readyz")
    assert r.status_code == 200, r.text
    assert r.json() == {"status": "ready", "checks": {"database": "ok", "migrations": "ok", "broker": "ok"}}

    head = db.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    db.execute(text("UPDATE alembic_version SET version_num = '0000_older'"))
    db.commit()
    try:
        ops._ready_cache.clear()
        r = client.get("/readyz")
        assert r.status_code == 503 and r.json()["failing"] == ["migrations"]
        assert "0000_older" in r.json()["checks"]["migrations"]

        monkeypatch.setenv("ACCORD_REDIS_URL", "redis://127.0.0.1:1/0")
        get_settings.cache_clear()
        ops._ready_cache.clear()
        r = client.get("/readyz")
        assert r.status_code == 503 and set(r.json()["failing"]) == {"migrations", "broker"}
        assert "redis://127.0.0.1:1/0" in r.json()["checks"]["broker"]
    finally:
        # The PostgreSQL test database is kept between tests (emptied, not re-migrated).
        db.rollback()
        db.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head})
        db.commit()


def test_metrics_off_by_default_then_behind_a_token(
    db: Session, db_backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(db, document(initiatives=[initiative("t1")]))
    user = person(db, "varnia-mfa", "desk_officer")
    from server.services import sessions

    api_token = sessions.create_api_token(db, user)
    db.commit()
    iid = db.exec(select(Initiative.id).where(Initiative.key == "t1")).one()
    # A row the relay has not sent, written past the session's commit hooks, so that no
    # relay another test left in this process sends it before the scrape.
    db.connection().execute(insert(OutboxRow).values(task="accord.checks.run_initiative", payload={}))
    db.commit()
    from server import metrics

    metrics.DATABASE._cached.clear()  # a scrape within seconds of another test's reads its cache
    client = TestClient(create_app())
    assert client.get("/metrics").status_code == 404

    monkeypatch.setenv("ACCORD_METRICS_TOKEN", "scrape-me-0123456789")
    get_settings.cache_clear()
    assert (
        client.get(f"/api/v1/initiatives/{iid}", headers={"Authorization": f"Bearer {api_token}"}).status_code
        == 200
    )
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    r = client.get("/metrics", headers={"Authorization": "Bearer scrape-me-0123456789"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    body = r.text
    # Latency by route template, never by the id in the path.
    assert 'route="/api/v1/initiatives/{initiative_id}"' in body
    assert f'/api/v1/initiatives/{iid}"' not in body
    for name in (
        "accord_http_request_duration_seconds_bucket",
        "accord_sse_streams_open",
        "accord_http_requests_in_flight",
        'accord_http_request_queue_seconds_count{kind="read"}',
        "accord_database_up 1.0",
        "accord_outbox_backlog",
    ):
        assert name in body, name
    # The backlog counts the unsent row.
    assert re.search(r"^accord_outbox_backlog [1-9]", body, re.M)
    assert api_token not in body


def test_request_id_is_echoed_or_made(db: Session) -> None:
    client = TestClient(create_app())
    assert client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["x-request-id"] == "abc-123"
    made = client.get("/healthz", headers={"X-Request-ID": "no spaces\tor tabs"}).headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    assert re.fullmatch(r"[0-9a-f]{32}", client.get("/signin").headers["x-request-id"])


def test_a_server_error_names_its_request_id(db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """The 500 page and problem carry the request id, in the header and in the text a person can quote."""
    from server.services import sessions

    def broken(*_: object) -> None:
        raise RuntimeError("the token table broke")

    monkeypatch.setattr(sessions, "resolve_api_token", broken)
    client = TestClient(create_app(), raise_server_exceptions=False)
    answer = client.get(
        "/api/v1/initiatives", headers={"X-Request-ID": "req-500", "Authorization": "Bearer acc_x"}
    )
    assert answer.status_code == 500
    assert answer.headers["x-request-id"] == "req-500"
    assert "req-500" in answer.json()["detail"] and "Traceback" not in answer.text


# ---------------------------------------------------------------- a whole run's logs


def _secrets_in(logs: str, secrets: dict[str, str]) -> list[str]:
    return [name for name, value in secrets.items() if value and value in logs]


@pytest.mark.worker
def test_a_whole_run_logs_no_secret_and_carries_request_ids_into_tasks(
    db: Session, db_backend: str, redis_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sign in, save, make and use an API token, let a worker check: JSON logs, no secret in them."""
    load(db, document(initiatives=[initiative("t1")]))
    user = person(db, "varnia-mfa", "desk_officer")
    email = user.email
    iid = db.exec(select(Initiative.id).where(Initiative.key == "t1")).one()
    db.rollback()
    settings = {
        "ACCORD_REDIS_URL": redis_url,
        "ACCORD_BROKER_PREFIX": f"accord-test-{uuid.uuid4().hex[:10]}:",
        "ACCORD_WEB_RELAY": "true",
        "ACCORD_LOG_FORMAT": "json",
        "ACCORD_LOG_LEVEL": "DEBUG",
        "ACCORD_METRICS_TOKEN": "scrape-me-0123456789",
    }
    worker_metrics = free_port()
    with (
        WorkerProcess(
            tmp_path / "worker.log", ACCORD_WORKER_METRICS_PORT=str(worker_metrics), **settings
        ) as worker,
        WebProcess(tmp_path / "web.log", **settings) as web,
    ):
        http = httpx.Client(base_url=web.url, follow_redirects=False, timeout=10)
        r = http.post("/signin", data=signin_form(http, email, PASSWORD))
        assert r.status_code == 303, r.text
        cookie = r.cookies.get("accord")
        assert cookie
        page = http.get("/initiatives").text
        csrf = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        save = http.post(
            f"/api/v1/initiatives/{iid}/decisions",
            json={"text": "Open the northern crossing for convoys", "date": str(date.today())},
            headers={"X-CSRF-Token": csrf, "X-Request-ID": "save-req-0001"},
        )
        assert save.status_code == 201, save.text
        assert save.headers["x-request-id"] == "save-req-0001"
        r = http.post(
            "/api/v1/tokens", json={"label": "script", "scopes": ["write"]}, headers={"X-CSRF-Token": csrf}
        )
        assert r.status_code == 201, r.text
        api_token = r.json()["token"]
        bearer = httpx.Client(base_url=web.url, timeout=10, headers={"Authorization": f"Bearer {api_token}"})
        assert bearer.get(f"/api/v1/initiatives/{iid}").status_code == 200
        assert (
            bearer.post(f"/api/v1/initiatives/{iid}/comments", json={"text": "by script"}).status_code == 201
        )
        # The worker checks the track the save touched, under the save's request id.
        wait_for(
            lambda: any(
                '"request_id": "save-req-0001"' in line and '"logger": "celery.app.trace"' in line
                for line in worker.log().splitlines()
            ),
            timeout=60,
            what="the end of the worker's check, logged with the save's request id",
        )
        assert "started for request save-req-0001" in worker.log()
        # The worker's own metrics: tasks by name and outcome, behind the same token.
        scrape = f"http://127.0.0.1:{worker_metrics}/metrics"
        assert httpx.get(scrape, timeout=5).status_code == 401
        tasks = httpx.get(scrape, headers={"Authorization": "Bearer scrape-me-0123456789"}, timeout=5).text
        counted = [
            line
            for line in tasks.splitlines()
            if line.startswith("accord_tasks_total{") and 'task="accord.checks.run_initiative"' in line
        ]
        assert counted and float(counted[0].rsplit(" ", 1)[1]) >= 1, tasks
        assert "accord_task_duration_seconds_count" in tasks
        http.post("/signout", data={"csrf_token": csrf})
    logs = web.log() + worker.log()
    secrets = {
        "password": PASSWORD,
        "session cookie": cookie,
        "session id": hashlib.sha256(cookie.encode()).hexdigest(),
        "csrf token": csrf,
        "api token": api_token,
        "api token id": hashlib.sha256(api_token.encode()).hexdigest(),
    }
    assert not _secrets_in(logs, secrets), f"secrets in the logs: {_secrets_in(logs, secrets)}"
    web_lines = [json.loads(line) for line in web.log().splitlines() if line.startswith("{")]
    assert web_lines and all({"ts", "level", "logger", "message", "request_id"} <= set(x) for x in web_lines)
    access = [x for x in web_lines if x["logger"] == "accord.access"]
    assert any(x["request_id"] == "save-req-0001" and x["status"] == 201 for x in access)
    assert all(0 <= x["queued_ms"] <= x["ms"] for x in access)
    assert any(x["route"] == "/api/v1/initiatives/{initiative_id}/decisions" for x in access)


# ---------------------------------------------------------------- admission and pool timeouts


def test_admission_queues_in_order_and_refuses_past_its_bounds() -> None:
    import asyncio

    async def scenario() -> list[str | None]:
        gate = ops.Admission(size=1, queue=1, wait_seconds=0.3)
        assert await gate.enter() is None  # the one slot
        waiting = asyncio.create_task(gate.enter())
        await asyncio.sleep(0.01)
        full = await gate.enter()  # the queue holds one: refused at once
        gate.leave()  # the slot goes to the waiter
        handed = await waiting
        late = await gate.enter()  # the slot is held: waits 0.3 s, then gives up
        gate.leave()
        assert gate.active == 0
        return [full, handed, late]

    assert asyncio.run(scenario()) == ["queue_full", None, "queue_wait"]


def test_an_urgent_entrant_takes_the_next_slot_before_earlier_waiters() -> None:
    """A save past the write gate is not held behind a crowd of reads queued before it."""
    import asyncio

    async def scenario() -> list[str]:
        gate = ops.Admission(size=1, queue=10, wait_seconds=2.0)
        assert await gate.enter() is None
        order: list[str] = []

        async def wait(name: str, urgent: bool) -> None:
            assert await gate.enter(urgent) is None
            order.append(name)
            gate.leave()

        tasks = [asyncio.create_task(wait(f"read{i}", False)) for i in range(3)]
        await asyncio.sleep(0.01)
        tasks.append(asyncio.create_task(wait("save", True)))
        await asyncio.sleep(0.01)
        gate.leave()
        await asyncio.gather(*tasks)
        assert gate.active == 0
        return order

    assert asyncio.run(scenario()) == ["save", "read0", "read1", "read2"]


def test_a_pool_timeout_answers_503_with_retry_after(db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    from server.services import sessions

    def exhausted(*_: object) -> None:
        raise PoolTimeout("QueuePool limit of size 2 overflow 0 reached")

    monkeypatch.setattr(sessions, "resolve_api_token", exhausted)
    client = TestClient(create_app())
    r = client.get("/api/v1/initiatives", headers={"Authorization": "Bearer anything"})
    assert r.status_code == 503 and r.headers["retry-after"] == "1"
    assert r.json()["title"] == "Accord is busy"
    monkeypatch.setattr(sessions, "resolve", exhausted)
    client.cookies.set("accord", "x")
    page = client.get("/initiatives")
    assert page.status_code == 503 and "Every database connection is in use" in page.text


def test_writes_wait_at_their_own_gate_and_leave_the_slots_to_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Saves stuck behind a lock hold at most `write_slots` of the process's slots: reads go on."""
    import asyncio

    monkeypatch.setattr(get_settings(), "db_pool_size", 4)
    monkeypatch.setattr(get_settings(), "write_slots", 2)
    monkeypatch.setattr(get_settings(), "write_queue_seconds", 0.5)

    async def scenario() -> tuple[list[int], list[int], list[int], int]:
        lock = asyncio.Event()
        inside = [0]

        async def app(scope: dict, receive: object, send: object) -> None:  # type: ignore[type-arg]
            if scope["method"] == "POST":
                inside[0] += 1
                await lock.wait()
            await send({"type": "http.response.start", "status": 200, "headers": []})  # type: ignore[operator]
            await send({"type": "http.response.body", "body": b"ok"})  # type: ignore[operator]

        gate = ops.OpsMiddleware(app)  # type: ignore[arg-type]
        transport = httpx.ASGITransport(app=gate)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            writes = [asyncio.create_task(c.post("/save")) for _ in range(8)]
            await asyncio.sleep(0.05)
            # Two saves are inside; the others wait at the write gate, holding no slot.
            reads = await asyncio.wait_for(asyncio.gather(*(c.get("/page") for _ in range(20))), 2)
            held = inside[0]
            late = [r.status_code for r in await asyncio.gather(*writes[2:])]  # past 0.5 s: refused
            lock.set()
            first = [r.status_code for r in await asyncio.gather(*writes[:2])]
            again = [r.status_code for r in await asyncio.gather(*(c.post("/save") for _ in range(3)))]
        return [r.status_code for r in reads], late, first + again, held

    reads, late, done, held = asyncio.run(scenario())
    assert reads == [200] * 20
    assert held == 2
    assert late == [503] * 6
    assert done == [200] * 5


def test_a_started_web_process_keeps_its_startup_objects_out_of_full_sweeps(db: Session) -> None:
    """Once the app has started, what it built is frozen: a full sweep does not walk it again."""
    import gc

    with TestClient(create_app()) as client:
        assert client.get("/healthz").status_code == 200
        assert gc.get_freeze_count() > 10_000
