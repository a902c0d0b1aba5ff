"""Who is asking: the session cookie or an API token, CSRF on unsafe methods.

Pages and the JSON API share these dependencies. A browser's session comes from a
cookie (`__Host-accord` over HTTPS, `accord` on plain HTTP, where browsers refuse
the `__Host-` prefix); every unsafe request signed in by cookie must carry the
session's CSRF token, in the `csrf_token` form field or the `X-CSRF-Token` header
(htmx sends the header). An API token (`Authorization: Bearer ...`) needs no CSRF
token, since no browser sends it on its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from server.db import get_engine
from server.models import AuthSession, User
from server.services import sessions
from server.settings import get_settings

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
COOKIE_SECURE = "__Host-accord"
COOKIE_PLAIN = "accord"


class NotSignedIn(Exception):
    """No live session or token: pages redirect to sign-in, the API answers 401."""


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
    """The client's address as the server sees it; a forwarded one only from a trusted proxy."""
    peer = request.client.host if request.client else "unknown"
    if peer in get_settings().trusted_proxies:
        forwarded = request.headers.get("x-forwarded-for", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return peer


async def _csrf_token_of(request: Request) -> str | None:
    header = request.headers.get("x-csrf-token")
    if header:
        return header
    ctype = request.headers.get("content-type", "")
    if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get("csrf_token")
        return value if isinstance(value, str) else None
    return None


async def optional_user(request: Request, db: SessionDep) -> User | None:
    """The signed-in person, or None; enforces CSRF on unsafe cookie-authenticated requests."""
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        user = sessions.resolve_api_token(db, auth[7:].strip())
        if user is None:
            raise NotSignedIn()
        request.state.user = user
        return user
    token = request.cookies.get(cookie_name(request)) or request.cookies.get(COOKIE_PLAIN)
    found = sessions.resolve(db, token)
    if found is None:
        return None
    user, auth_session = found
    if request.method not in SAFE_METHODS and not sessions.csrf_ok(
        auth_session, await _csrf_token_of(request)
    ):
        raise CsrfRefused()
    if sessions.needs_touch(auth_session):
        # Activity for the idle timeout is stamped in its own short transaction, so a GET's
        # own session stays read-only.
        with Session(get_engine(write=True)) as side:
            sessions.touch(side, auth_session)
            side.commit()
    request.state.user = user
    request.state.auth_session = auth_session
    return user


async def current_user(user: Annotated[User | None, Depends(optional_user)]) -> User:
    if user is None:
        raise NotSignedIn()
    return user


def current_auth_session(request: Request, user: Annotated[User, Depends(current_user)]) -> AuthSession:
    session = getattr(request.state, "auth_session", None)
    if session is None:
        raise NotSignedIn()
    return session


CurrentUser = Annotated[User, Depends(current_user)]
OptionalUser = Annotated[User | None, Depends(optional_user)]
CurrentAuthSession = Annotated[AuthSession, Depends(current_auth_session)]
