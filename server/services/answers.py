"""Answers reused while nothing they were drawn from has changed.

A reader who asks for the same track again, with nothing written in between, gets the
bytes they were given the first time. The cache is per web process, bounded, and keyed so
that an answer can only ever reach the one who was given it:

- **Who**: the signed-in session's id, or the API token's ref, and the person. Never
  shared across sessions, tokens or people, so never across audiences; a CSRF token in a
  page is the session's own.
- **What**: method, scheme, host, path, query string, and the request headers an answer
  varies on (`HX-Request`, `HX-Target`, `HX-Trigger`, `HX-Trigger-Name`, `Accept`).
- **When**: today's date, local and UTC (pages and judgements read the clock by the day), and
  the write marks (`server.generation`) of what the answer was drawn from: the
  workspace's mark, read in the same statement as the reader's identity, and the marks of
  the tracks whose rows it read (the route's own track, and any other track whose lines,
  links, decisions or alerts it loaded). An entry answers only while all of them are the
  ones it was drawn at: a change to the workspace, or to one of those tracks, by any
  process, retires it at the next request; a change to another track leaves it be.

  The tracks' marks are read before anything the answer shows (`lookup`), so that an
  answer is never kept under marks newer than its data; the tracks an answer will read
  are known from the last time it was drawn (a hint kept with the entry), and an answer
  that read a track whose mark was not read first is not kept, only its tracks noted
  for the next time.

Identity is never cached: every request is authenticated afresh before the cache is
asked, so a revoked token, an ended or timed-out session and a deactivated person are
refused at once (so none of those needs to move a mark: sessions and tokens are rows no
kept answer shows).

An answer is kept only when it is a 200 without `Set-Cookie`, its transaction wrote
nothing, and the request was not conditional. Routes opt in: `@kept` on the endpoint,
`lookup` at the top (after authentication, before reading anything), `offer` when their
answer is drawn. Only a route whose answer is one track's neighbourhood may opt in: a
change to a track moves its own mark, not the workspace's, so an answer that lists or
counts tracks across the workspace would not see it.

A kept answer costs a share of one statement: the middleware (`KeepAnswers`) hands a GET
for a `@kept` route to the answers' thread (`_Asker`), which authenticates every request
waiting by the same credential and rules as the routes' dependencies
(`server.auth.credential`, `sessions.identities`: one plain statement on a pooled
connection for the whole batch, no ORM objects), reading in that statement the marks of
the tracks answers at their paths and queries read before (`generation.columns_sql`),
asks the cache, and wakes the event loop once for the batch; a hit is answered without
routing. Those marks are also the ones
a miss's `lookup` starts from, so a miss reads no marks of its own either, unless the
answer's tracks are not among them. A miss goes on to the route as any request does;
while it is drawn, requests for the same answer at the same marks wait for it on
the event loop (no thread, no connection, and their admission slot given back) for at
most `HERD_WAIT` seconds, then draw it themselves.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from fastapi import Request, Response
from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server import generation
from server.auth import credential
from server.db import get_engine
from server.services import sessions
from server.settings import get_settings

log = logging.getLogger("accord.answers")

VARY = ("hx-request", "hx-target", "hx-trigger", "hx-trigger-name", "accept")
# A conditional or partial request is answered by the route, never from here.
BYPASS = ("if-none-match", "if-modified-since", "if-match", "range")
_SLOT = "answer_slot"
_MARKS = "answer_marks"
# In a request's state: the tracks' marks the middleware read with the reader's identity.
_SEEN = "answer_marks_seen"
# In a drawing session's info: the tracks whose rows it has loaded (`_loaded`).
_READ = "accord_tracks_read"
MAX_BODY = 512 * 1024
# How long a request waits for the same answer being drawn by another before drawing it
# itself: more than a page takes to draw in a busy process, less than a client's patience.
HERD_WAIT = 5.0
# How many tracks' marks the authentication statement reads at most for one path.
PATH_TRACKS = 64

F = TypeVar("F", bound=Callable[..., Any])


def kept(endpoint: F) -> F:
    """Mark a GET route whose answers are kept (it calls `lookup` and `offer`)."""
    endpoint.keeps_answers = True  # type: ignore[attr-defined]
    return endpoint


@dataclass(frozen=True)
class Stored:
    generation: str
    day: str
    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    # (track id, its mark when the answer was drawn), for every track the answer read.
    tracks: tuple[tuple[int, str], ...] = ()

    def current(self, marks: dict[int, str]) -> bool:
        """Whether every track it was drawn from still has the mark it had."""
        return all(t in marks and marks[t] == m for t, m in self.tracks)


class AnswerCache:
    """A bounded LRU of answers, by key; safe across the thread pool's threads."""

    def __init__(self, entries: int, max_bytes: int) -> None:
        self.entries = entries
        self.max_bytes = max_bytes
        self.size = 0
        self._items: OrderedDict[tuple[Any, ...], Stored] = OrderedDict()
        # The tracks an answer read when it was last drawn, by key (bounded like the entries).
        self._hints: OrderedDict[tuple[Any, ...], frozenset[int]] = OrderedDict()
        # The tracks answers at a path and query read, whoever asked (read with identity, before the key is known).
        self._paths: OrderedDict[tuple[str, bytes], frozenset[int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...], gen: str, day: str) -> Stored | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            if found.generation != gen or found.day != day:
                self._drop(key)
                return None
            self._items.move_to_end(key)
            return found

    def put(self, key: tuple[Any, ...], stored: Stored) -> None:
        if self.entries <= 0 or len(stored.body) > MAX_BODY:
            return
        with self._lock:
            self._drop(key)
            self._items[key] = stored
            self.size += len(stored.body)
            while self._items and (len(self._items) > self.entries or self.size > self.max_bytes):
                oldest = next(iter(self._items))
                self._drop(oldest)

    def hint(self, key: tuple[Any, ...]) -> frozenset[int]:
        """The tracks this answer read the last time it was drawn (empty if not known)."""
        with self._lock:
            return self._hints.get(key, frozenset())

    def at(self, where: tuple[str, bytes]) -> frozenset[int]:
        """The tracks answers at this path and query read (empty if not known)."""
        with self._lock:
            return self._paths.get(where, frozenset())

    def note(self, key: tuple[Any, ...], tracks: frozenset[int], where: tuple[str, bytes]) -> None:
        if self.entries <= 0:
            return
        with self._lock:
            self._hints[key] = tracks
            self._hints.move_to_end(key)
            while len(self._hints) > self.entries:
                self._hints.popitem(last=False)
            # Readers of one path may read different tracks (a partner fewer): keep their union,
            # within reason.
            known = self._paths.get(where, frozenset())
            self._paths[where] = known | tracks if len(known) < PATH_TRACKS else tracks
            self._paths.move_to_end(where)
            while len(self._paths) > self.entries:
                self._paths.popitem(last=False)

    def _drop(self, key: tuple[Any, ...]) -> None:
        old = self._items.pop(key, None)
        if old is not None:
            self.size -= len(old.body)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._hints.clear()
            self._paths.clear()
            self.size = 0

    def __len__(self) -> int:
        return len(self._items)


_cache: AnswerCache | None = None
_cache_lock = threading.Lock()


def cache() -> AnswerCache:
    global _cache
    if _cache is None:
        with _cache_lock:
            if _cache is None:
                s = get_settings()
                _cache = AnswerCache(s.answer_cache_entries, s.answer_cache_mib * 1024 * 1024)
    return _cache


def reset() -> None:
    """Forget every answer and read the cache's bounds afresh (tests change the settings)."""
    global _cache
    with _cache_lock:
        _cache = None


def _key(request: Request, db: Session) -> tuple[tuple[Any, ...], str] | None:
    """The answer's key and the generation it is read at, or None if it is not to be reused."""
    if not _may_keep(request.scope):
        return None
    gen = db.info.get(generation.KEY)
    user = getattr(request.state, "user", None)
    if not gen or user is None:
        return None
    auth_session = getattr(request.state, "auth_session", None)
    token_ref = getattr(request.state, "api_token", None)
    if auth_session is not None:
        who: tuple[Any, ...] = ("session", auth_session.id)
    elif token_ref:
        who = ("token", token_ref)
    else:
        return None
    return _key_of(request, who, user.id), str(gen)


def _may_keep(scope: Scope) -> bool:
    """A GET, not conditional nor partial, with the cache on."""
    if scope.get("method") != "GET" or get_settings().answer_cache_entries <= 0:
        return False
    return not any(k.decode("latin-1").lower() in BYPASS for k, _ in scope.get("headers", ()))


def _key_of(request: Request, who: tuple[Any, ...], user_id: Any) -> tuple[Any, ...]:
    headers = request.headers
    scope = request.scope
    return (
        get_settings().sqlalchemy_url,
        *who,
        user_id,
        scope.get("scheme"),
        headers.get("host", ""),
        scope["path"],
        scope.get("query_string", b""),
        *(headers.get(h) for h in VARY),
    )


def day() -> str:
    """The day, local and in UTC: a service may judge by either, and both turn at midnight."""
    return f"{date.today().isoformat()}/{datetime.now(UTC).date().isoformat()}"


def lookup(request: Request, db: Session, track: int) -> Response | None:
    """The answer given before for this request about `track`, if nothing changed since; else None.

    Reads the marks of the tracks the answer is expected to read, before it reads
    anything else, and starts noting the tracks it does read (for `offer`).
    """
    found = _key(request, db)
    if found is None:
        return None
    key, gen = found
    state = request.scope.setdefault("state", {})
    wanted = cache().hint(key) | {track}
    seen = state.get(_SEEN) or {}
    # Marks the middleware read with the reader's identity were read before anything here.
    marks = {t: seen[t] for t in wanted} if wanted <= seen.keys() else generation.marks(db, wanted)
    state[_MARKS] = marks
    db.info[_READ] = set()
    if "no-cache" in request.headers.get("cache-control", ""):
        return None
    stored = cache().get(key, gen, day())
    if stored is None or not stored.current(marks):
        return None
    response = Response(stored.body, status_code=stored.status)
    response.raw_headers = list(stored.headers)
    return response


def offer(request: Request, db: Session, track: int) -> None:
    """Let the answer being drawn about `track` be kept, if this transaction wrote nothing."""
    found = _key(request, db)
    read = frozenset(db.info.pop(_READ, set()) | {track})
    marks = request.scope.get("state", {}).get(_MARKS)
    if found is None or marks is None:
        return
    if db.new or db.dirty or db.deleted or generation.wrote(db.connection()):
        return
    key, gen = found
    cache().note(key, read, _where(request.scope))
    if not read <= marks.keys():
        return  # it read a track whose mark was not read first: kept from the next time
    tracks = tuple((t, marks[t]) for t in sorted(read))
    request.scope.setdefault("state", {})[_SLOT] = (key, gen, day(), tracks)


@event.listens_for(OrmSession, "loaded_as_persistent")
def _loaded(session: Any, instance: Any) -> None:
    """Note the tracks whose rows an answer being drawn loads."""
    read = session.info.get(_READ)
    if read is not None:
        read.update(generation.tracks_read(instance))


@dataclass
class Asked:
    """What the middleware learnt in its one trip to the thread pool."""

    key: tuple[Any, ...]
    generation: str
    day: str
    stored: Stored | None
    touch_after: str | None
    marks: dict[int, str]


@dataclass
class _Drawing:
    generation: str
    day: str
    # The marks of the tracks the answer is expected to read, as the drawer read them.
    marks: dict[int, str]
    done: asyncio.Future[Stored | None]

    def same_state(self, asked: Asked) -> bool:
        """Whether `asked` was read at the very state this answer is drawn from.

        The workspace's mark and the day, and the marks of its tracks: a change to one of
        those tracks moves only that track's mark, so a request that saw it must not take
        an answer drawn before it. (A path's first drawing in a process knows no tracks yet:
        there the workspace's mark and the day are all there is to go by.)
        """
        return self.generation == asked.generation and self.day == asked.day and self.marks == asked.marks


class KeepAnswers:
    """Innermost ASGI middleware: answers a kept answer at once, keeps the ones routes offer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._routes: dict[int, list[tuple[re.Pattern[str], Any]]] = {}
        self._drawing: dict[tuple[Any, ...], _Drawing] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        route = self._kept_route(scope) if _may_keep(scope) else None
        asked = None
        if route is not None:
            try:
                asked = await _asker.ask(scope, route)
            except Exception:  # the route's own dependencies meet it again and answer it
                log.debug("kept answer not looked up", exc_info=True)
        if asked is None:
            await self._draw(scope, receive, send)
            return
        if asked.touch_after:
            scope.setdefault("state", {})["touch_after"] = asked.touch_after
        scope.setdefault("state", {})[_SEEN] = asked.marks
        if asked.stored is not None:
            scope["route"] = route
            await _answer(send, asked.stored)
            return
        await self._draw_once(scope, receive, send, asked)

    def _kept_route(self, scope: Scope) -> Any:
        """The `@kept` route whose path template the request's path fits, if any."""
        app = scope.get("app")
        if app is None:
            return None
        routes = self._routes.get(id(app))
        if routes is None:
            routes = [
                (compile_path(path)[0], r)
                for r, path in _walk(getattr(app, "routes", []))
                if getattr(getattr(r, "endpoint", None), "keeps_answers", False)
            ]
            self._routes[id(app)] = routes
        path = str(scope.get("path", ""))
        for pattern, r in routes:
            if pattern.match(path):
                return r
        return None

    async def _draw_once(self, scope: Scope, receive: Receive, send: Send, asked: Asked) -> None:
        """Draw a missed answer, or wait for the same answer another request is drawing."""
        loop = asyncio.get_running_loop()
        fresh = "no-cache" in _header(scope, b"cache-control")
        other = self._drawing.get(asked.key)
        if other is not None and not fresh and other.done.get_loop() is loop:
            if other.same_state(asked):
                # The wait holds no admission slot: the request takes one again only
                # if it has to draw the answer itself (and is refused like any other).
                slot = scope.get("state", {}).get("admission")
                if slot is not None:
                    slot.give_back()
                try:
                    stored = await asyncio.wait_for(asyncio.shield(other.done), HERD_WAIT)
                except TimeoutError:
                    stored = None
                if (
                    stored is not None
                    and stored.generation == asked.generation
                    and stored.day == asked.day
                    and (not asked.marks or stored.current(asked.marks))
                ):
                    await _answer(send, stored)
                    return
                if slot is not None and not await slot.take_again(scope, send):
                    return
            await self._draw(scope, receive, send)
            return
        mine = None
        if other is None:
            mine = _Drawing(asked.generation, asked.day, asked.marks, loop.create_future())
            self._drawing[asked.key] = mine
        stored = None
        try:
            stored = await self._draw(scope, receive, send)
        finally:
            if mine is not None:
                if self._drawing.get(asked.key) is mine:
                    del self._drawing[asked.key]
                if not mine.done.done():
                    mine.done.set_result(stored)

    async def _draw(self, scope: Scope, receive: Receive, send: Send) -> Stored | None:
        """Let the route answer; keep its bytes if it offered them (`offer`)."""
        start: dict[str, Any] = {}
        chunks: list[bytes] = []
        kept_: list[Stored] = []

        async def keep(message: Message) -> None:
            kind = message["type"]
            if kind == "http.response.start":
                start.update(message)
            elif kind == "http.response.body" and start:
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    stored = _store(scope, start, b"".join(chunks))
                    if stored is not None:
                        kept_.append(stored)
            await send(message)

        await self.app(scope, receive, keep)
        return kept_[0] if kept_ else None


class _Asker:
    """A thread of its own that answers the middleware's questions (`_ask`) in batches.

    A question is a few tens of microseconds of work; what costs is the trip: handing it
    to a pool thread, that thread waiting for the interpreter while the event loop is busy,
    and waking the loop again. Here every question waiting when the thread wakes is
    answered in one go, and the loop is woken once per batch, not once per request. The
    thread holds a connection only for a batch's statement.
    """

    def __init__(self) -> None:
        self._questions: queue.SimpleQueue[
            tuple[asyncio.AbstractEventLoop, asyncio.Future[Any], Scope, Any]
        ] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def ask(self, scope: Scope, route: Any) -> asyncio.Future[Asked | None]:
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[Asked | None] = loop.create_future()
        if self._thread is None or not self._thread.is_alive():
            with self._lock:
                if self._thread is None or not self._thread.is_alive():
                    self._thread = threading.Thread(
                        target=self._answer_all, name="accord-answers", daemon=True
                    )
                    self._thread.start()
        self._questions.put((loop, answer, scope, route))
        return answer

    def _answer_all(self) -> None:
        while True:
            batch = [self._questions.get()]
            while True:
                try:
                    batch.append(self._questions.get_nowait())
                except queue.Empty:
                    break
            try:
                results: list[tuple[Any, BaseException | None]] = [
                    (r, None) for r in _ask([(scope, route) for _, _, scope, route in batch])
                ]
            except Exception as exc:  # each request is drawn by its route, which meets it again
                results = [(None, exc)] * len(batch)
            by_loop: dict[
                asyncio.AbstractEventLoop, list[tuple[asyncio.Future[Any], Any, BaseException | None]]
            ] = {}
            for (loop, answer, _, _), (result, error) in zip(batch, results, strict=True):
                by_loop.setdefault(loop, []).append((answer, result, error))
            for loop, settled in by_loop.items():
                try:
                    loop.call_soon_threadsafe(_settle, settled)
                except RuntimeError:  # that loop is closed: nobody waits for these any more
                    pass


def _settle(settled: list[tuple[asyncio.Future[Any], Any, BaseException | None]]) -> None:
    for answer, result, error in settled:
        if answer.done():
            continue
        if error is not None:
            answer.set_exception(error)
        else:
            answer.set_result(result)


_asker = _Asker()


def _ask(questions: list[tuple[Scope, Any]]) -> list[Asked | None]:
    """In the answers' thread: who asks (as the route's dependencies would decide) and the kept answer.

    One plain statement for all the questions (`sessions.identities`): their sessions or
    tokens, their people, the workspace's mark and the marks of the tracks answers at their
    paths read. None for a request that is not one to answer here (not signed in, a
    refused token or scope); the route then answers it as it would anyway.
    """
    requests = [Request(scope) for scope, _ in questions]
    credentials = [credential(r) for r in requests]
    usual = [cache().at(_where(scope)) for scope, _ in questions]
    engine = get_engine(write=False)
    read = sessions.identities(engine, credentials, frozenset().union(*usual))
    today = day()
    return [
        _decide(engine, read, request, route, read.found.get(c), tracks, today)
        for request, (_, route), c, tracks in zip(requests, questions, credentials, usual, strict=True)
    ]


def _decide(
    engine: Any,
    read: sessions.Identities,
    request: Request,
    route: Any,
    who: sessions.Identity | sessions.TokenRefused | None,
    usual: frozenset[int],
    today: str,
) -> Asked | None:
    if not isinstance(who, sessions.Identity) or not read.generation:
        return None
    if who.session_id is not None:
        key = _key_of(request, ("session", who.session_id), who.user_id)
    else:
        needed = getattr(getattr(route, "endpoint", None), "token_scope", None) or "read"
        if needed not in who.scopes:
            return None
        key = _key_of(request, ("token", who.token_ref), who.user_id)
    marks = {t: read.marks[t] for t in usual}
    stored = None
    if "no-cache" not in request.headers.get("cache-control", ""):
        stored = cache().get(key, read.generation, today)
        if stored is not None:
            drawn = {t for t, _ in stored.tracks}
            known = marks
            if not drawn <= known.keys():  # not among this path's usual tracks: read them apart
                known = {**known, **_marks(engine, drawn - known.keys())}
            if not stored.current(known):
                stored = None
    touch = who.session_id if who.touch_due else None
    return Asked(key, read.generation, today, stored, touch, marks)


def _marks(engine: Any, tracks: set[int]) -> dict[int, str]:
    with Session(engine) as db:
        try:
            return generation.marks(db, tracks)
        finally:
            db.rollback()


def _where(scope: Scope) -> tuple[str, bytes]:
    return str(scope.get("path", "")), bytes(scope.get("query_string", b""))


def _walk(routes: list[Any], prefix: str = "") -> Iterator[tuple[Any, str]]:
    """(route, its full path) through included routers."""
    for r in routes:
        if hasattr(r, "original_router"):
            yield from _walk(r.original_router.routes, prefix + r.include_context.prefix)
        elif hasattr(r, "path"):
            yield r, prefix + r.path


def _header(scope: Scope, name: bytes) -> str:
    for k, v in scope.get("headers", ()):
        if k.lower() == name:
            return str(v.decode("latin-1"))
    return ""


async def _answer(send: Send, stored: Stored) -> None:
    await send({"type": "http.response.start", "status": stored.status, "headers": list(stored.headers)})
    await send({"type": "http.response.body", "body": stored.body, "more_body": False})


def _store(scope: Scope, start: dict[str, Any], body: bytes) -> Stored | None:
    slot = scope.get("state", {}).pop(_SLOT, None)
    if slot is None or start.get("status") != 200:
        return None
    headers = tuple((bytes(k), bytes(v)) for k, v in start.get("headers", []))
    if any(k.lower() == b"set-cookie" for k, _ in headers):
        return None
    key, gen, day, tracks = slot
    stored = Stored(gen, day, 200, headers, body, tracks)
    cache().put(key, stored)
    return stored
