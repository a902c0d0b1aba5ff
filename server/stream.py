"""Live updates over Server-Sent Events, read from the event table.

The stream always reads events after a cursor (the last event id it sent, or the
browser's `Last-Event-ID` when it reconnects), so a reconnect resumes without loss or
duplicates. What makes it read sooner is a wake-up that carries no data: Redis pub/sub
across processes when `ACCORD_REDIS_URL` is set, an in-process notifier otherwise
(plus a short poll, because in the embedded deployment the worker that writes alert
events is another process). A lost wake-up costs latency, never an event.

Memory stays bounded per client: wake-ups coalesce in a queue of one, and events are
read in batches of at most `BATCH`, the next only when the client has taken the last;
a slow client slows its own stream and nothing else.

PostgreSQL hands out ids before commit, so a transaction that commits late can leave
a hole below ids already read. The stream does not read past a recent hole until it
fills or `GAP_GRACE_SECONDS` pass (a rolled-back transaction leaves a hole for good).
SQLite has one writer at a time and numbers a row when it is written, so a hole below
committed ids is a rollback's and never fills: there the stream reads up to the newest.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections.abc import AsyncIterator
from datetime import timedelta

import anyio
import anyio.to_thread
from anyio.lowlevel import RunVar
from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select

from server import events
from server.db import get_engine, stream_readers
from server.models import Event, User
from server.models.base import utcnow
from server.services import audience
from server.services.validation import as_db_int
from server.settings import get_settings

log = logging.getLogger("accord.stream")

BATCH = 200
GAP_GRACE_SECONDS = 10.0
# Without Redis, how often a waiting stream looks for events other processes wrote.
EMBEDDED_POLL_SECONDS = 1.0


def channel() -> str:

    return get_settings().broker_prefix + "accord:events"


class Notifier:
    """Wakes the streams waiting in this process; thread-safe, carries no data."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Queue[None]]] = set()

    def subscribe(self) -> tuple[asyncio.AbstractEventLoop, asyncio.Queue[None]]:
        waiter = (asyncio.get_running_loop(), asyncio.Queue[None](maxsize=1))
        with self._lock:
            self._waiters.add(waiter)
        return waiter

    def unsubscribe(self, waiter: tuple[asyncio.AbstractEventLoop, asyncio.Queue[None]]) -> None:
        with self._lock:
            self._waiters.discard(waiter)

    def notify(self) -> None:
        with self._lock:
            waiters = list(self._waiters)
        for loop, queue in waiters:
            try:
                loop.call_soon_threadsafe(_put_nowait, queue)
            except RuntimeError:  # that stream's loop has closed
                self.unsubscribe((loop, queue))


def _put_nowait(queue: asyncio.Queue[None]) -> None:
    if queue.empty():  # a pending wake-up already covers this one
        queue.put_nowait(None)


notifier = Notifier()
_installed: set[str] = set()
_install_lock = threading.Lock()


def install(listen: bool = True) -> None:
    """Wake the streams after every commit that wrote an event; call once per process.

    With Redis, each commit publishes on the channel and (with `listen`, in web
    processes) a thread turns messages on the channel into local wake-ups; without,
    commits wake this process's streams directly.
    """
    s = get_settings()
    with _install_lock:
        key = f"{s.redis_url}|{listen}"
        if key in _installed:
            return
        _installed.add(key)
    if not s.redis_url:
        events.on_commit(notifier.notify)
        return
    import redis

    client = redis.Redis.from_url(s.redis_url, socket_timeout=2, socket_connect_timeout=2)
    name = channel()

    down = threading.Event()  # set while Redis refuses: one line when it goes, one when it is back

    def publish() -> None:
        try:
            client.publish(name, b"1")
        except redis.RedisError as exc:  # the stream's poll catches up
            if not down.is_set():
                down.set()
                log.warning("could not publish stream wake-ups (%s); streams fall back to polling", exc)
            return
        if down.is_set():
            down.clear()
            log.info("stream wake-ups are published again")

    events.on_commit(publish)
    events.on_commit(notifier.notify)
    if listen:
        threading.Thread(
            target=_listen, args=(s.redis_url, name), name="accord-stream-wake", daemon=True
        ).start()


def _listen(url: str, name: str) -> None:
    import redis

    delay = 0.5
    while True:
        try:
            pubsub = redis.Redis.from_url(url, socket_connect_timeout=2).pubsub(
                ignore_subscribe_messages=True
            )
            pubsub.subscribe(name)
            delay = 0.5
            notifier.notify()  # events may have come while we were away
            for message in pubsub.listen():
                if message and message.get("type") == "message":
                    notifier.notify()
        except Exception as exc:  # reconnect, whatever broke
            log.warning("stream wake-up channel lost (%s); reconnecting", exc)
            time.sleep(delay)
            delay = min(delay * 2, 10.0)


# ---------------------------------------------------------------- reading


def audience_clause(user: User) -> ColumnElement[bool]:
    """The events `user` may receive (the visibility layer's rule): of tracks they may see,
    those that stay home only at home, or addressed to their organisation."""
    return audience.of(user).events()


def latest_id(db: Session) -> int:
    return int(db.exec(select(func.coalesce(func.max(Event.id), 0))).one())


def safe_horizon(db: Session, after_id: int, limit: int = BATCH) -> int:
    """The highest id up to which no event can still appear below it."""
    if db.get_bind().dialect.name == "sqlite":
        batch = select(col(Event.id)).where(col(Event.id) > after_id).order_by(col(Event.id)).limit(limit)
        newest = db.exec(select(func.max(batch.subquery().c.id))).one()
        return int(newest) if newest is not None else after_id
    rows = db.exec(
        select(Event.id, Event.created_at)
        .where(col(Event.id) > after_id)
        .order_by(col(Event.id))
        .limit(limit)
    ).all()
    recent = utcnow() - timedelta(seconds=GAP_GRACE_SECONDS)
    horizon = after_id
    for event_id, created_at in rows:
        assert event_id is not None
        if event_id != horizon + 1 and created_at > recent:
            break  # a hole that a slower transaction may still fill
        horizon = event_id
    return horizon


def events_after(
    db: Session, user_id: int, after_id: int, limit: int = BATCH
) -> tuple[list[Event], int, bool]:
    """The events the user may see after `after_id`, the new cursor, and whether the user is still allowed."""
    user = db.get(User, user_id)
    if user is None or not user.active:
        return [], after_id, False
    horizon = safe_horizon(db, after_id, limit)
    if horizon == after_id:
        return [], after_id, True
    rows = db.exec(
        select(Event)
        .where(col(Event.id) > after_id, col(Event.id) <= horizon, audience_clause(user))
        .order_by(col(Event.id))
    ).all()
    return list(rows), horizon, True


def frame(event: Event) -> str:
    """One event as an SSE frame: the id is the cursor, the event name the block to refresh."""
    data = {
        "id": event.id,
        "kind": event.kind,
        "block": event.block,
        "initiative_id": event.initiative_id,
        "payload": event.payload,
    }
    return f"id: {event.id}\nevent: {event.block}\ndata: {json.dumps(data, separators=(',', ':'), default=str)}\n\n"


def _read(user_id: int, cursor: int | None) -> tuple[list[Event], int, bool]:
    with Session(get_engine(), expire_on_commit=False) as db:
        if cursor is None:
            return [], latest_id(db), True
        return events_after(db, user_id, cursor)


_readers: RunVar[anyio.CapacityLimiter] = RunVar("accord_stream_readers")


async def _read_off_loop(user_id: int, cursor: int | None) -> tuple[list[Event], int, bool]:
    """`_read` in a worker thread, at most `stream_readers` at once per process.

    The limiter is the streams' own, beside the request thread pool: a thousand idle
    streams woken together queue here, not in front of page requests, and each read
    holds one of the pool's overflow connections for a moment.
    """
    try:
        limiter = _readers.get()
    except LookupError:
        limiter = anyio.CapacityLimiter(stream_readers(get_settings().db_pool_size))
        _readers.set(limiter)
    return await anyio.to_thread.run_sync(_read, user_id, cursor, limiter=limiter)


def parse_last_event_id(value: str | None) -> int | None:
    """`Last-Event-ID` as a cursor; anything else (not a number, or past any event id) means "from now on"."""
    if value is None:
        return None
    n = as_db_int(value)
    return n if n is not None and n >= 0 else None


async def sse(
    user_id: int,
    last_event_id: int | None = None,
    heartbeat: float | None = None,
) -> AsyncIterator[str]:
    """SSE frames for one signed-in user, forever: events, and heartbeat comments between.

    Starts after `last_event_id`, or from now when it is None. Stops when the user is
    deleted or deactivated.
    """
    s = get_settings()
    beat = heartbeat if heartbeat is not None else s.sse_heartbeat_seconds
    poll = min(beat, EMBEDDED_POLL_SECONDS if not s.redis_url else GAP_GRACE_SECONDS)
    waiter = notifier.subscribe()
    loop, wake = waiter
    try:
        rows, cursor, allowed = await _read_off_loop(user_id, last_event_id)
        yield "retry: 3000\n\n"
        last_sent = loop.time()
        while allowed:
            for event in rows:
                yield frame(event)
                last_sent = loop.time()
            before = cursor
            rows, cursor, allowed = await _read_off_loop(user_id, cursor)
            if cursor != before or not allowed:
                continue  # more was waiting: a long backlog goes out batch by batch
            try:
                await asyncio.wait_for(wake.get(), timeout=poll)
            except TimeoutError:
                pass
            if loop.time() - last_sent >= beat:
                yield ": heartbeat\n\n"
                last_sent = loop.time()
            rows, cursor, allowed = await _read_off_loop(user_id, cursor)
    finally:
        notifier.unsubscribe(waiter)
