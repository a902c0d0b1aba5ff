"""A saturated web process sheds load and never wedges; no save waits on its own session stamp.

Both run a real uvicorn process on the test's database, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import re
import sys
import time
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import update
from sqlmodel import Session, col, select

from server.models import AuthSession, Comment, Initiative
from server.models.base import utcnow
from server.services import sessions
from tests.factories import document, initiative, load, person
from tests.serverproc import WebProcess
from tests.web.conftest import signin_form

PASSWORD = "correct horse battery"
BURST = 200


@pytest.fixture
def track(db: Session, db_backend: str) -> dict[str, object]:
    load(db, document(initiatives=[initiative("t1"), initiative("t2", crisis="delta")]))
    user = person(db, "varnia-mfa", "desk_officer")
    token = sessions.create_api_token(db, user, "load test")
    db.commit()
    iid = db.exec(select(Initiative.id).where(Initiative.key == "t1")).one()
    email = user.email
    # The fixture's session must hold no transaction (on SQLite, a write lock) while the server runs.
    db.rollback()
    return {"email": email, "token": token, "initiative_id": iid}


# Asks /healthz (timed) and /readyz every 50 ms until told to stop, then prints the slowest
# /healthz in seconds (or what failed). A process of its own, so the burst's client does
# not slow the probe.
PROBE = """
import sys, time, http.client
port, slowest = int(sys.argv[1]), 0.0

def get(path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        return r.status, r.read().decode(errors="replace")[:500]
    except OSError as exc:
        return 0, repr(exc)
    finally:
        conn.close()

sys.stdout.write("ready\\n"); sys.stdout.flush()
while not sys.stdin.readline().strip() == "stop":
    started = time.perf_counter()
    status, body = get("/healthz")
    if status != 200:
        print("failed /healthz", status, body); sys.exit(0)
    slowest = max(slowest, time.perf_counter() - started)
    status, body = get("/readyz")
    if status != 200:
        print("failed /readyz", status, body); sys.exit(0)
print(slowest)
"""


async def _burst(url: str, token: str, n: int) -> tuple[list[httpx.Response], float, int]:
    """`n` concurrent API reads while another process asks /healthz: the answers, its slowest, its count."""
    port = url.rsplit(":", 1)[1]
    probe = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        PROBE,
        port,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert probe.stdin is not None and probe.stdout is not None
    assert (await probe.stdout.readline()).strip() == b"ready"
    limits = httpx.Limits(max_connections=n + 10, max_keepalive_connections=n + 10)
    polls = 0
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:
        headers = {"Authorization": f"Bearer {token}"}
        reads = [asyncio.create_task(client.get("/api/v1/initiatives", headers=headers)) for _ in range(n)]
        while not all(t.done() for t in reads):
            probe.stdin.write(b"go\n")  # one /healthz per line
            polls += 1
            await asyncio.sleep(0.05)
        answers = [t.result() for t in reads]
    probe.stdin.write(b"stop\n")
    out = (await probe.stdout.read()).decode().strip()
    await probe.wait()
    assert not out.startswith("failed"), f"{out} during the burst"
    return answers, float(out or 0), polls


@pytest.mark.parametrize("queue", ["200", "8"])
def test_a_burst_on_a_pool_of_two_finishes_with_200_or_503(
    track: dict[str, object], tmp_path: Path, queue: str
) -> None:
    """200 requests at once on two connections: each answers 200 or 503 with Retry-After; /healthz stays quick."""
    token = str(track["token"])
    with WebProcess(
        tmp_path / "web.log",
        ACCORD_DB_POOL_SIZE="2",
        ACCORD_REQUEST_QUEUE=queue,
        ACCORD_REQUEST_QUEUE_SECONDS="1",
    ) as web:
        started = time.perf_counter()
        answers, slowest, polls = asyncio.run(_burst(web.url, token, BURST))
        took = time.perf_counter() - started
        statuses = [r.status_code for r in answers]
        assert set(statuses) <= {200, 503}, sorted(set(statuses))
        assert statuses.count(200) >= 2, "the process served nothing"
        for r in answers:
            if r.status_code == 503:
                assert r.headers["retry-after"].isdigit()
                assert r.headers["content-type"].startswith("application/problem+json")
        if queue == "8":
            assert statuses.count(503) > 0, "a queue of 8 must refuse some of 200"
        assert polls, "no /healthz probe ran during the burst"
        assert slowest < 1.0, f"/healthz took {slowest:.2f}s during the burst"
        assert took < 30
        # Not wedged: a plain request afterwards is served at once.
        after = httpx.get(
            web.url + "/api/v1/initiatives", headers={"Authorization": f"Bearer {token}"}, timeout=5
        )
        assert after.status_code == 200
        print(
            f"\n{BURST} requests, queue {queue}: {statuses.count(200)} x 200, {statuses.count(503)} x 503 "
            f"in {took:.2f}s; /healthz at most {slowest * 1000:.0f} ms over {polls} probes"
        )


# ---------------------------------------------------------------- no request waits on itself


def _csrf(html: str) -> str:
    m = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert m, "the page carries no CSRF token"
    return m.group(1)


def _age_sessions(db: Session, seconds: int) -> None:
    db.execute(update(AuthSession).values(last_seen_at=utcnow() - timedelta(seconds=seconds)))
    db.commit()


def _last_seen(db: Session) -> float:
    """Seconds since the session's activity stamp (the read is rolled back: no lock stays held)."""
    db.expire_all()
    seen = db.exec(select(AuthSession.last_seen_at).where(col(AuthSession.ended_at).is_(None))).one()
    db.rollback()
    return (utcnow() - seen).total_seconds()


def _stamped(db: Session, within: float = 10.0, timeout: float = 5.0) -> bool:
    """Poll until the stamp is recent (a read writes it just after its answer)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _last_seen(db) < within:
            return True
        time.sleep(0.05)
    return False


async def _save_beside_reads(
    url: str, cookies: dict[str, str], save: dict[str, object]
) -> list[tuple[str, int, float]]:
    """The save, a /healthz and a page read, all at once: (what, status, seconds) of each."""

    async def timed(
        what: str, client: httpx.AsyncClient, method: str, path: str, **kw: object
    ) -> tuple[str, int, float]:
        started = time.perf_counter()
        r = await client.request(method, path, **kw)  # type: ignore[arg-type]
        return what, r.status_code, time.perf_counter() - started

    async with (
        httpx.AsyncClient(base_url=url, cookies=cookies, timeout=60, follow_redirects=False) as signed_in,
        httpx.AsyncClient(base_url=url, timeout=60) as anonymous,
        httpx.AsyncClient(base_url=url, cookies=cookies, timeout=60, follow_redirects=False) as reader,
    ):
        return list(
            await asyncio.gather(
                timed("save", signed_in, "POST", str(save.pop("path")), **save),
                timed("healthz", anonymous, "GET", "/healthz"),
                timed("page", reader, "GET", "/initiatives"),
            )
        )


def test_saves_on_an_aged_session_do_not_wait_on_its_stamp(
    db: Session, track: dict[str, object], tmp_path: Path
) -> None:
    """After the touch interval, a form, an API and an htmx save each answer at once; nobody waits."""
    iid = track["initiative_id"]
    email = str(track["email"])
    with WebProcess(tmp_path / "web.log", ACCORD_SESSION_TOUCH_SECONDS="5") as web:
        with httpx.Client(base_url=web.url) as browser:
            signin = browser.post(
                "/signin", data=signin_form(browser, email, PASSWORD), follow_redirects=False
            )
        assert signin.status_code == 303, signin.text
        cookies = dict(signin.cookies)
        csrf = _csrf(httpx.get(web.url + "/initiatives", cookies=cookies).text)
        saves: dict[str, dict[str, object]] = {
            "form": {"path": f"/initiatives/{iid}/comments", "data": {"text": "by form", "csrf_token": csrf}},
            "api": {
                "path": f"/api/v1/initiatives/{iid}/comments",
                "json": {"text": "by the API"},
                "headers": {"X-CSRF-Token": csrf},
            },
            "htmx": {
                "path": f"/initiatives/{iid}/comments",
                "data": {"text": "by htmx"},
                "headers": {"HX-Request": "true", "X-CSRF-Token": csrf, "HX-Target": "comment_form"},
            },
        }
        expected = {"form": 303, "api": 201, "htmx": 200}
        for how, save in saves.items():
            _age_sessions(db, 30)
            results = asyncio.run(_save_beside_reads(web.url, cookies, save))
            for what, status, seconds in results:
                want = expected[how] if what == "save" else 200
                assert status == want, f"{how}: {what} answered {status}\n{web.log()[-3000:]}"
                assert seconds < 3.0, f"{how}: {what} took {seconds:.1f}s (a busy-timeout wait)"
            # The save stamped the session in its own transaction.
            assert _last_seen(db) < 10, f"{how}: the save did not stamp the session's activity"
        # A read stamps too, after its answer.
        _age_sessions(db, 30)
        assert httpx.get(web.url + "/initiatives", cookies=cookies).status_code == 200
        assert _stamped(db), "a read did not stamp the session's activity"
        saved = db.exec(select(Comment.text).where(Comment.initiative_id == iid)).all()
        db.rollback()
        assert sorted(saved) == ["by form", "by htmx", "by the API"]
