"""Who is asking: the session cookie or an API token, CSRF on unsafe methods.

Pages and the JSON API share these dependencies. A browser's session comes from a
cookie (`__Host-accord` over HTTPS, `accord` on plain HTTP, where browsers refuse
the `__Host-` prefix); every unsafe request signed in by cookie must carry the
session's CSRF token, in the `csrf_token` form field or the `X-CSRF-Token` header
(htmx sends the header). An API token (`Authorization: Bearer ...`) needs no CSRF
token, since no browser sends it on its own; it counts only on the JSON API and the live
stream, and only within its scopes: `read` for safe methods, `write` for other changes,
`sign-off` where a route says so (`token_scope`). Token management itself needs a
signed-in session (scope `session`, which no token has).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as SATimeoutError
from sqlmodel import Session

from server.db import SQLITE_BUSY_TIMEOUT_MS, get_engine
from server.models import AuthSession, User
from server.services import sessions

log = logging.getLogger("accord.auth")

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
COOKIE_SECURE = "__Host-accord"
COOKIE_PLAIN = "accord"


class NotSignedIn(Exception):
    """No live session or token: pages redirect to sign-in, the API answers 401."""

    def __init__(self, detail: str = "Sign in or send a valid API token", bearer: bool = False) -> None:
        super().__init__(detail)
        self.detail = detail
        self.bearer = bearer  # a token was sent and refused


class ScopeRefused(Exception):
    """A live API token asked for what its scopes do not allow: 403."""

    def __init__(self, needed: str) -> None:
        if needed == "session":
            detail = "API tokens are made and revoked from a signed-in session or the command line"
        else:
            detail = f"This API token lacks the {needed!r} scope this request needs"
        super().__init__(detail)
        self.needed = needed
        self.detail = detail


F = TypeVar("F", bound=Callable[..., Any])


def token_scope(scope: str) -> Callable[[F], F]:
    """Mark a route as needing `scope` of an API token (instead of read or write by method)."""

    def mark(endpoint: F) -> F:
        endpoint.token_scope = scope  # type: ignore[attr-defined]
        return endpoint

    return mark


def scope_needed(request: Request) -> str:
    """The token scope a request needs: its route's mark, or read for safe methods, write otherwise."""
    marked = getattr(request.scope.get("endpoint"), "token_scope", None)
    if marked:
        return str(marked)
    return "read" if request.method in SAFE_METHODS else "write"


def takes_tokens(path: str) -> bool:
    """API tokens count on the JSON API and the live stream; pages go by the cookie alone."""
    return path.startswith("/api/") or path == "/events"


class CsrfRefused(Exception):
    """An unsafe request signed in by cookie without the session's CSRF token."""


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request: a write transaction for unsafe methods, committed at the end."""
    write = request.method not in SAFE_METHODS
    with Session(get_engine(write=write), expire_on_commit=False) as db:
        try:
            yield db
            if write:
                db.commit()
            else:
                db.rollback()
        except BaseException:
            db.rollback()
            raise


# scope="function": the transaction commits when the route returns and before the answer
# is sent, so a failed commit is an error to the client, and a browser that follows a
# redirect reads what was just saved.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def cookie_name(request: Request) -> str:
    return COOKIE_SECURE if is_https(request) else COOKIE_PLAIN


def client_address(request: Request) -> str:
    """The client's address: the peer's, or the one a trusted proxy forwarded (`server.edge`)."""
    return request.client.host if request.client else "unknown"


async def _csrf_token_of(request: Request) -> str | None:
    """The CSRF token an unsafe request carries; reads only the request, never the database."""
    if request.method in SAFE_METHODS:
        return None
    header = request.headers.get("x-csrf-token")
    if header:
        return header
    ctype = request.headers.get("content-type", "")
    if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get("csrf_token")
        return value if isinstance(value, str) else None
    return None


@dataclass(frozen=True)
class Reader:
    """Who asks: a person by a live session (cookie) or by a live API token."""

    user: User
    auth_session: AuthSession | None = None
    token_ref: str | None = None
    scopes: frozenset[str] = frozenset()


def credential(request: Request) -> tuple[str, bool]:
    """The credential a request carries and whether it is an API token ("" for none).

    A bearer token counts only where tokens do (`takes_tokens`); elsewhere the cookie.
    """
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer ") and takes_tokens(request.url.path):
        return auth[7:].strip(), True
    return request.cookies.get(cookie_name(request)) or request.cookies.get(COOKIE_PLAIN) or "", False


def identify(request: Request, db: Session) -> Reader | None:
    """The live session or token a request carries, in one statement; None without either.

    An API token counts only where tokens do (`takes_tokens`); a refused token raises
    `NotSignedIn`. Scopes and CSRF are the caller's to check.
    """
    token, bearer = credential(request)
    if bearer:
        try:
            found_bearer = sessions.resolve_api_token(db, token)
        except sessions.TokenRefused as exc:
            raise NotSignedIn(exc.detail, bearer=True) from None
        return Reader(found_bearer.user, token_ref=found_bearer.ref, scopes=found_bearer.scopes)
    found = sessions.resolve(db, token)
    if found is None:
        return None
    return Reader(found[0], auth_session=found[1])


# A plain `def`: FastAPI runs it in the thread pool, since it uses the synchronous session.
def optional_user(
    request: Request, db: SessionDep, csrf: Annotated[str | None, Depends(_csrf_token_of)]
) -> User | None:
    """The signed-in person, or None; enforces CSRF on unsafe cookie-authenticated requests."""
    reader = identify(request, db)
    if reader is None:
        return None
    if reader.auth_session is None:
        needed = scope_needed(request)
        if needed not in reader.scopes:
            raise ScopeRefused(needed)
        request.state.user = reader.user
        request.state.api_token = reader.token_ref
        return reader.user
    auth_session = reader.auth_session
    write = request.method not in SAFE_METHODS
    if write and not sessions.csrf_ok(auth_session, csrf):
        raise CsrfRefused()
    if sessions.needs_touch(auth_session):
        if write:
            # In the request's own transaction: a second write transaction would wait for
            # the lock this one already holds.
            sessions.touch(db, auth_session)
        else:
            # A read's transaction stays read-only; the stamp is written after the answer.
            request.state.touch_after = auth_session.id
    request.state.user = reader.user
    request.state.auth_session = auth_session
    return reader.user


def stamp_after_read(session_id: str, wait_seconds: float = 0.25) -> bool:
    """Record a read's session activity in a short transaction of its own, after its answer.

    Best effort: it waits at most `wait_seconds` for another writer's lock and otherwise
    leaves the stamp to the next request, so a read never queues behind a long write.
    """
    engine = get_engine(write=True)
    sqlite = engine.dialect.name == "sqlite"
    try:
        with engine.connect() as conn:
            raw = conn.connection.driver_connection
            assert raw is not None
            if sqlite:
                raw.execute(f"PRAGMA busy_timeout={int(wait_seconds * 1000)}")
            try:
                with Session(bind=conn) as db:
                    if not sqlite:
                        db.execute(text(f"SET LOCAL lock_timeout = '{int(wait_seconds * 1000)}ms'"))
                    sessions.touch_id(db, session_id)
                    db.commit()
            finally:
                if sqlite:
                    raw.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    except (DBAPIError, SATimeoutError) as exc:
        log.debug("session activity not stamped this time: %s", type(exc).__name__)
        return False
    return True


async def current_user(user: Annotated[User | None, Depends(optional_user)]) -> User:
    if user is None:
        raise NotSignedIn()
    return user


def current_auth_session(request: Request, user: Annotated[User, Depends(current_user)]) -> AuthSession:
    session: AuthSession | None = getattr(request.state, "auth_session", None)
    if session is None:
        raise NotSignedIn()
    return session


CurrentUser = Annotated[User, Depends(current_user)]
OptionalUser = Annotated[User | None, Depends(optional_user)]
CurrentAuthSession = Annotated[AuthSession, Depends(current_auth_session)]
