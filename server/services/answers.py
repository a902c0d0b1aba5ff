"""Answers reused while nothing they were drawn from has changed.

A reader who asks for the same track again, with nothing written in between, gets the
bytes they were given the first time. The cache is per web process, bounded, and keyed so
that an answer can only ever reach the one who was given it:

- **Who**: the signed-in session's id, or the API token's ref, and the person. Never
  shared across sessions, tokens or people, so never across audiences; a CSRF token in a
  page is the session's own.
- **What**: method, scheme, host, path, query string, and the request headers an answer
  varies on (`HX-Request`, `HX-Target`, `HX-Trigger`, `HX-Trigger-Name`, `Accept`).
- **When**: today's date, local and UTC (pages and judgements read the clock by the day), and the
  workspace's write generation (`server.generation`), which every committed change moves,
  in every process, and which is read in the same statement as the reader's identity. An
  entry answers only at the generation it was drawn at: a write anywhere, by any
  process, retires every earlier answer at the next request.

Identity is never cached: every request is authenticated afresh before the cache is
asked, so a revoked token, an ended or timed-out session and a deactivated person are
refused at once (and each of those is a write, which moves the generation too).

An answer is kept only when it is a 200 without `Set-Cookie`, its transaction wrote
nothing, and the request was not conditional. Routes opt in: `lookup` at the top (after
authentication, before reading anything), `offer` when their answer is drawn.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from fastapi import Request, Response
from sqlmodel import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server import generation
from server.settings import get_settings

VARY = ("hx-request", "hx-target", "hx-trigger", "hx-trigger-name", "accept")
# A conditional or partial request is answered by the route, never from here.
BYPASS = ("if-none-match", "if-modified-since", "if-match", "range")
_SLOT = "answer_slot"
MAX_BODY = 512 * 1024


@dataclass(frozen=True)
class Stored:
    generation: str
    day: str
    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes


class AnswerCache:
    """A bounded LRU of answers, by key; safe across the thread pool's threads."""

    def __init__(self, entries: int, max_bytes: int) -> None:
        self.entries = entries
        self.max_bytes = max_bytes
        self.size = 0
        self._items: OrderedDict[tuple[Any, ...], Stored] = OrderedDict()
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

    def _drop(self, key: tuple[Any, ...]) -> None:
        old = self._items.pop(key, None)
        if old is not None:
            self.size -= len(old.body)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
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
    if request.method != "GET" or get_settings().answer_cache_entries <= 0:
        return None
    headers = request.headers
    if any(h in headers for h in BYPASS):
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
    scope = request.scope
    key = (
        get_settings().sqlalchemy_url,
        *who,
        user.id,
        scope.get("scheme"),
        headers.get("host", ""),
        scope["path"],
        scope.get("query_string", b""),
        *(headers.get(h) for h in VARY),
    )
    return key, str(gen)


def day() -> str:
    """The day, local and in UTC: a service may judge by either, and both turn at midnight."""
    return f"{date.today().isoformat()}/{datetime.now(UTC).date().isoformat()}"


def lookup(request: Request, db: Session) -> Response | None:
    """The answer given before for this request, if nothing changed since; else None."""
    found = _key(request, db)
    if found is None:
        return None
    if "no-cache" in request.headers.get("cache-control", ""):
        return None
    key, gen = found
    stored = cache().get(key, gen, day())
    if stored is None:
        return None
    response = Response(stored.body, status_code=stored.status)
    response.raw_headers = list(stored.headers)
    return response


def offer(request: Request, db: Session) -> None:
    """Let the answer being drawn be kept, if this transaction read and wrote nothing."""
    found = _key(request, db)
    if found is None:
        return
    if db.new or db.dirty or db.deleted or generation.wrote(db.connection()):
        return
    key, gen = found
    request.scope.setdefault("state", {})[_SLOT] = (key, gen, day())


class KeepAnswers:
    """Innermost ASGI middleware: keeps the bytes of an answer a route offered (`offer`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            kind = message["type"]
            if kind == "http.response.start":
                start.update(message)
            elif kind == "http.response.body" and start:
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    _store(scope, start, b"".join(chunks))
            await send(message)

        await self.app(scope, receive, keep)


def _store(scope: Scope, start: dict[str, Any], body: bytes) -> None:
    slot = scope.get("state", {}).pop(_SLOT, None)
    if slot is None or start.get("status") != 200:
        return
    headers = tuple((bytes(k), bytes(v)) for k, v in start.get("headers", []))
    if any(k.lower() == b"set-cookie" for k, _ in headers):
        return
    key, gen, day = slot
    cache().put(key, Stored(gen, day, 200, headers, body))
