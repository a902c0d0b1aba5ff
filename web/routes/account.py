"""The account page: date format, signing out other sessions, API tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from server.auth import CurrentUser, SessionDep
from server.services import account, sessions
from server.services.errors import Invalid
from web.routes._common import PAGE_DEPENDENCIES, FormDict, checkbox, errors_of, refused
from web.templating import render

if TYPE_CHECKING:
    from sqlmodel import Session

    from server.models import User

router = APIRouter(dependencies=PAGE_DEPENDENCIES)


def _page(
    request: Request, db: Session, user: User, exc: Invalid | None = None, token: str | None = None
) -> Response:
    """The account page, with a failed form's errors beside its field or a new token shown once."""
    return render(
        request,
        "account.html",
        status_code=422 if exc else 200,
        a=account.overview(db, user),
        errors=errors_of(exc) if exc else {},
        token=token,
        token_days=sessions.TOKEN_DAYS,
    )


@router.get("/account")
def account_page(request: Request, db: SessionDep, user: CurrentUser) -> Response:
    return _page(request, db, user)


@router.post("/account/date-format")
def date_format(request: Request, db: SessionDep, user: CurrentUser, form: FormDict) -> Response:
    try:
        account.set_date_format(db, user, str(form.get("date_format", "")))
    except Invalid as exc:
        refused(lambda fresh, exc=exc: _page(request, fresh, user, exc))
    return RedirectResponse("/account", status_code=303)


@router.post("/account/mail")
def mail_choices(request: Request, db: SessionDep, user: CurrentUser, form: FormDict) -> Response:
    try:
        account.set_mail(db, user, checkbox(form, "signoff_notices", "daily_digest"))
    except Invalid as exc:
        refused(lambda fresh, exc=exc: _page(request, fresh, user, exc))
    return RedirectResponse("/account", status_code=303)


@router.post("/account/tokens")
def new_token(request: Request, db: SessionDep, user: CurrentUser, form: FormDict) -> Response:
    try:
        token = account.new_api_token(db, user, checkbox(form, "scope_write", "scope_sign-off"))
    except Invalid as exc:
        refused(lambda fresh, exc=exc: _page(request, fresh, user, exc))
    # Shown once, on this answer only: it is not stored in a readable form.
    return render(
        request,
        "account.html",
        a=account.overview(db, user),
        errors={},
        token=token,
        token_days=sessions.TOKEN_DAYS,
    )


@router.post("/account/tokens/{ref}/revoke")
def revoke_token(ref: str, request: Request, db: SessionDep, user: CurrentUser) -> Response:
    account.revoke_api_token(db, user, ref)
    return RedirectResponse("/account", status_code=303)
