"""What an operator needs from a web process: admission control, request ids, probes, metrics.

Model: every route and dependency that touches the database is a plain `def` and runs
in anyio's thread pool with the synchronous SQLAlchemy session; nothing blocking runs
on the event loop. One setting, `db_pool_size`, sizes three things alike: the
requests this process works on at once (admission), the thread pool's tokens, and the
database pool. Each admitted request holds at most one connection and one thread, so
no request waits for a connection another admitted request holds.

Beyond that, a request waits in a bounded queue for at most `request_queue_seconds`;
a full queue or a longer wait answers 503 with `Retry-After`, at once, from the event
loop. Writes (POST, PUT, PATCH, DELETE) first pass a gate of their own,
`write_slots` wide, where they wait at most `write_queue_seconds`: writes queue on one
write lock (SQLite) or the log's head (PostgreSQL) anyway, so more of them at once
would only hold threads and connections that reads could use while they wait. Past
that gate a write queues for a slot ahead of the reads waiting (at most `write_slots`
of them at a time, so reads are never shut out).
`/healthz`, `/readyz`, `/metrics` and static files bypass the queue, and `/healthz`
needs neither the database nor a thread.
"""

from __future__ import annotations

import asyncio
import collections
import json
import logging
import time
from collections.abc import Iterator
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server import metrics
from server.logs import new_request_id, request_id_var
from server.settings import get_settings

log = logging.getLogger("accord.access")

EXEMPT = ("/healthz", "/readyz", "/metrics")
WRITES = ("POST", "PUT", "PATCH", "DELETE")
STREAM_PATH = "/events"
RETRY_AFTER_BUSY = "1"
RETRY_AFTER_DOWN = "5"


class Admission:
    """A counting gate with a bounded FIFO queue and a deadline; lives on one event loop at a time.

    Urgent entrants (writes that have passed their own gate, a few at a time) queue ahead
    of the others: a save someone is waiting on is not held behind a crowd of reads.
    """

    def __init__(self, size: int, queue: int, wait_seconds: float) -> None:
        self.size = max(1, size)
        self.queue = max(0, queue)
        self.wait_seconds = wait_seconds
        self.active = 0
        self._waiters: collections.deque[asyncio.Future[None]] = collections.deque()
        self._urgent: collections.deque[asyncio.Future[None]] = collections.deque()

    async def enter(self, urgent: bool = False) -> str | None:
        """None once admitted; otherwise why not ("queue_full" or "queue_wait")."""
        if self.active < self.size and not self._waiters and not self._urgent:
            self.active += 1
            return None
        if len(self._waiters) + len(self._urgent) >= self.queue:
            return "queue_full"
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        line = self._urgent if urgent else self._waiters
        line.append(fut)
        metrics.QUEUED.inc()
        try:
            await asyncio.wait_for(fut, self.wait_seconds)
            return None
        except TimeoutError:
            if fut.done() and not fut.cancelled():
                return None  # handed a slot just as the wait ran out: take it
            return "queue_wait"
        except BaseException:  # the client went away while waiting
            if fut.done() and not fut.cancelled():
                self.leave()
            raise
        finally:
            metrics.QUEUED.dec()
            try:
                line.remove(fut)
            except ValueError:
                pass

    def leave(self) -> None:
        """Give the slot to the longest urgent waiter, else the longest waiter, or free it."""
        for line in (self._urgent, self._waiters):
            while line:
                fut = line.popleft()
                if not fut.done():
                    fut.set_result(None)
                    return
        self.active -= 1


class Slot:
    """One request's place in the gate, in `scope["state"]["admission"]`.

    A request that waits on the event loop for another's answer (a herd of misses on a
    kept answer) gives its place back while it waits and takes it again only if it has
    to draw the answer itself: a waiter holds no connection and no thread.
    """

    def __init__(self, gate: Admission, request_id: str) -> None:
        self.gate = gate
        self.request_id = request_id
        self.held = False

    async def take(self, urgent: bool = False) -> str | None:
        """None once admitted; otherwise why not ("queue_full" or "queue_wait")."""
        if self.held:
            return None
        refused = await self.gate.enter(urgent)
        if refused is None:
            self.held = True
            metrics.IN_FLIGHT.inc()
        return refused

    def give_back(self) -> None:
        if self.held:
            self.held = False
            self.gate.leave()
            metrics.IN_FLIGHT.dec()

    async def take_again(self, scope: Scope, send: Send) -> bool:
        """Take the place again after giving it back; when refused, answer 503 and say so."""
        refused = await self.take()
        if refused is None:
            return True
        metrics.REQUESTS_SHED.labels(refused).inc()
        await answer_busy(scope, send, self.request_id)
        return False


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def wants_json_scope(scope: Scope) -> bool:
    return str(scope.get("path", "")).startswith("/api/") or "application/json" in (
        _header(scope, b"accept") or ""
    )


BUSY_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Busy - try again</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<h1>Accord is busy</h1>
<p>Too many requests are being worked on right now; yours was not started, and nothing
was saved. Try again in a moment.</p>
</body></html>
"""


async def answer_busy(scope: Scope, send: Send, request_id: str) -> None:
    """503 with Retry-After, built on the event loop without the database or a thread."""
    if wants_json_scope(scope):
        body = json.dumps(
            {
                "type": "about:blank",
                "title": "Service busy",
                "status": 503,
                "detail": "Too many requests at once; nothing was done. Retry after a second.",
            }
        ).encode()
        ctype = b"application/problem+json"
    else:
        body, ctype = BUSY_PAGE.encode(), b"text/html; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": 503,
            "headers": [
                (b"content-type", ctype),
                (b"content-length", str(len(body)).encode()),
                (b"retry-after", RETRY_AFTER_BUSY.encode()),
                (b"x-request-id", request_id.encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class OpsMiddleware:
    """Admission control, the request id, request metrics, the access log and the after-read stamp."""

    def __init__(self, app: ASGIApp) -> None:
        s = get_settings()
        self.app = app
        self.gate = Admission(s.db_pool_size, s.request_queue, s.request_queue_seconds)
        self.write_gate = Admission(
            max(1, min(s.write_slots, s.db_pool_size)), s.request_queue, s.write_queue_seconds
        )

    _templates: dict[int, str] | None = None

    def template_of(self, scope: Scope) -> str:
        """The matched route's full path template (`/api/v1/initiatives/{initiative_id}`), for labels."""
        route = scope.get("route")
        if route is None:
            return "<unmatched>"
        if self._templates is None and "app" in scope:
            self._templates = dict(_walk_routes(getattr(scope["app"], "routes", [])))
        full = (self._templates or {}).get(id(route))
        return full or str(getattr(route, "path", "<unmatched>"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        request_id = new_request_id(_header(scope, b"x-request-id"))
        reset = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500
        slot = Slot(self.gate, request_id)
        streaming = False
        writing = False

        def release() -> None:
            nonlocal writing
            slot.give_back()
            if writing:
                writing = False
                self.write_gate.leave()

        async def send_with_id(message: Message) -> None:
            nonlocal status, streaming
            if message["type"] == "http.response.start":
                status = int(message["status"])
                message["headers"] = [*message.get("headers", ()), (b"x-request-id", request_id.encode())]
                # The answer is decided and the request's connection is back in the pool:
                # a long stream keeps its socket, not its slot.
                release()
                if path == STREAM_PATH and status == 200:
                    streaming = True
                    metrics.SSE_STREAMS.inc()
            await send(message)

        state: dict[str, Any] = scope.setdefault("state", {})
        state["request_id"] = request_id
        admitted = started
        try:
            if not (path in EXEMPT or path.startswith("/static/")):
                refused = None
                if scope.get("method") in WRITES:
                    refused = await self.write_gate.enter()
                    writing = refused is None
                if refused is None:
                    # Past the write gate a save goes ahead of queued reads (a few at a time).
                    refused = await slot.take(urgent=writing)
                admitted = time.perf_counter()
                metrics.QUEUE_SECONDS.labels("write" if scope.get("method") in WRITES else "read").observe(
                    admitted - started
                )
                if refused is not None:
                    release()
                    metrics.REQUESTS_SHED.labels(refused).inc()
                    status = 503
                    await answer_busy(scope, send, request_id)
                    return
                state["admission"] = slot
            await self.app(scope, receive, send_with_id)
        finally:
            release()
            if streaming:
                metrics.SSE_STREAMS.dec()
            elapsed = time.perf_counter() - started
            template = self.template_of(scope)
            metrics.observe_request(str(scope.get("method", "")), template, status, elapsed)
            # How much of it the request waited at the gates, before any work: a slow answer
            # that mostly queued says the process is saturated, not that the route is slow.
            queued = (admitted - started) * 1000
            log.info(
                "%s %s %d %.1f ms (queued %.1f ms)",
                scope.get("method"),
                path,
                status,
                elapsed * 1000,
                queued,
                extra={
                    "method": scope.get("method"),
                    "route": template,
                    "status": status,
                    "ms": round(elapsed * 1000, 1),
                    "queued_ms": round(queued, 1),
                },
            )
            touch = state.get("touch_after")
            if touch:
                await _stamp(str(touch))
            request_id_var.reset(reset)


def _walk_routes(routes: list[Any], prefix: str = "") -> Iterator[tuple[int, str]]:
    """(id of the route object, its full path) through included routers."""
    for r in routes:
        if hasattr(r, "original_router"):  # an included router: its routes keep their own path
            yield from _walk_routes(r.original_router.routes, prefix + r.include_context.prefix)
        elif hasattr(r, "path"):
            yield id(r), prefix + r.path


async def _stamp(session_id: str) -> None:
    import anyio

    from server.auth import stamp_after_read

    try:
        await anyio.to_thread.run_sync(stamp_after_read, session_id)
    except Exception:  # best effort: the next request stamps it
        log.debug("session activity stamp failed", exc_info=True)


def configure_threads() -> None:
    """Size anyio's thread limiter (the one FastAPI runs sync routes in) from `db_pool_size`.

    Call from the running event loop (the app's lifespan): the limiter is per loop.
    A few tokens beyond the pool serve work that holds no connection (static files,
    form parsing), so it never queues behind the database.
    """
    import anyio.to_thread

    anyio.to_thread.current_default_thread_limiter().total_tokens = get_settings().db_pool_size + 4


# ---------------------------------------------------------------- probes


_ready_cache: dict[str, tuple[float, dict[str, str]]] = {}
READY_TTL = 1.0


def readiness() -> dict[str, str]:
    """Each dependency's state: "ok", or what is wrong with it. Runs in a thread."""
    s = get_settings()
    key = f"{s.sqlalchemy_url}|{s.broker_url}"
    cached = _ready_cache.get(key)
    if cached and time.monotonic() - cached[0] < READY_TTL:
        return cached[1]
    checks = {"database": "ok", "migrations": "ok", "broker": "ok"}
    try:
        current, head = _migration_state(s.sqlalchemy_url)
        if current != head:
            checks["migrations"] = f"database at {current or 'no revision'}, code expects {head}"
    except Exception as exc:  # any failure to read the database means it is not usable
        checks["database"] = _reason(exc)
        checks["migrations"] = "unknown: the database cannot be read"
    checks["broker"] = _broker_state()
    _ready_cache[key] = (time.monotonic(), checks)
    return checks


def _reason(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return f"unreachable: {type(getattr(exc, 'orig', None) or exc).__name__}: {text[0] if text else ''}"[:300]


_heads: dict[str, str] = {}


def _migration_state(url: str) -> tuple[str | None, str]:
    from sqlalchemy import text

    from server.db import probe_engine

    if url not in _heads:
        from alembic.script import ScriptDirectory

        from server.migrations import alembic_config

        _heads[url] = str(ScriptDirectory.from_config(alembic_config(url)).get_current_head())
    with probe_engine(url).connect() as conn:
        try:
            current = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except Exception:  # no table: never migrated
            current = None
    return (str(current) if current else None), _heads[url]


def _broker_state() -> str:
    s = get_settings()
    if not s.redis_url:
        # The embedded broker is a SQLite file in the data folder, made on first use.
        try:
            s.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return f"unreachable: cannot make the data folder {s.data_dir}: {exc}"[:300]
        return "ok"
    import redis

    try:
        client = redis.Redis.from_url(s.redis_url, socket_timeout=1, socket_connect_timeout=1)
        try:
            client.ping()
        finally:
            client.close()
    except Exception as exc:  # every redis error means the same here
        from server.broker import redact

        return f"unreachable: {redact(s.redis_url)}: {type(exc).__name__}: {exc}"[:300]
    return "ok"
