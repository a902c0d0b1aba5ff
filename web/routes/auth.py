"""Sign in, sign out, and ending one's other sessions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from server.auth import CurrentAuthSession, OptionalUser, SessionDep, client_address, cookie_name, is_https
from server.services import sessions
from server.services.errors import Invalid
from server.settings import get_settings
from web.routes._common import PAGE_DEPENDENCIES
from web.templating import render

router = APIRouter(dependencies=PAGE_DEPENDENCIES)


def _safe_next(target: str | None) -> str:
    # Only same-site paths: an open redirect would let a link send people elsewhere.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


SIGNIN_FORM_STALE = (
    "This sign-in form has expired or was sent from another site. "
    "If you meant to sign in to Accord, sign in again here."
)


def _signin_cookie(request: Request) -> str:
    return "__Host-accord-signin" if is_https(request) else "accord-signin"


def _signin_form(request: Request, status_code: int = 200, **context: object) -> Response:
    """The sign-in form, with its pre-session token: a nonce in a cookie, its HMAC in the form."""
    nonce = sessions.signin_nonce(request.cookies.get(_signin_cookie(request)))
    response = render(
        request, "signin.html", status_code=status_code, signin_token=sessions.signin_token(nonce), **context
    )
    response.set_cookie(
        _signin_cookie(request),
        nonce,
        max_age=12 * 3600,
        path="/",
        secure=is_https(request),
        httponly=True,
        samesite="strict",
    )
    return response


@router.get("/signin")
def signin_page(request: Request, user: OptionalUser, next: str = "/") -> Response:
    if user is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return _signin_form(request, next=_safe_next(next), email="", error=None)


@router.post("/signin")
def signin(
    request: Request,
    db: SessionDep,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
    signin_token: Annotated[str, Form()] = "",
) -> Response:
    if not sessions.signin_token_ok(request.cookies.get(_signin_cookie(request)), signin_token):
        # Login CSRF: a post without this browser's form token signs no one in, and counts
        # as no failed attempt.
        return _signin_form(
            request, status_code=403, next=_safe_next(next), email=email, error=SIGNIN_FORM_STALE
        )
    try:
        signed = sessions.sign_in(
            db, email, password, client_address(request), request.headers.get("user-agent", "")
        )
    except Invalid as exc:
        # The failed attempt counts for the throttle: answering normally, the request's
        # transaction commits it.
        return _signin_form(request, status_code=400, next=_safe_next(next), email=email, error=exc.detail)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.delete_cookie(_signin_cookie(request), path="/", secure=is_https(request), httponly=True)
    s = get_settings()
    response.set_cookie(
        cookie_name(request),
        signed.token,
        max_age=s.session_absolute_hours * 3600,
        path="/",
        secure=is_https(request),
        httponly=True,
        samesite="lax",
    )
    return response


@router.post("/signout")
def signout(request: Request, db: SessionDep, auth_session: CurrentAuthSession) -> Response:
    sessions.sign_out(db, auth_session)
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(cookie_name(request), path="/", secure=is_https(request), httponly=True)
    return response


@router.post("/signout-others")
def signout_others(request: Request, db: SessionDep, auth_session: CurrentAuthSession) -> Response:
    ended = sessions.sign_out_others(db, auth_session)
    return render(request, "signed_out_others.html", ended=ended)
