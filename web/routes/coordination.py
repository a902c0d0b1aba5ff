"""Blind overlap notices and coordination requests: ask, accept, decline with a reason.

A notice sits on its alert's card (inbox and initiative page); the requests page lists
what came in and went out. Every answer is built by `server.services.coordination`
from the reader's own track, the other organisation's name and the crisis.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from server.auth import CurrentUser, SessionDep
from server.services import coordination, coordination_pages
from server.services.errors import Conflict, Invalid, NotAllowed
from web.routes._common import (
    PAGE_DEPENDENCIES,
    FormDict,
    after_write,
    as_db_id,
    errors_of,
    is_htmx,
    refused,
    target_block,
)
from web.routes.auth import _safe_next
from web.templating import render

router = APIRouter(dependencies=PAGE_DEPENDENCIES)
PAGE = "coordination/requests.html"
BLOCKS = ("requests", "coordination_summary")


def _requests_page(
    request: Request,
    db: SessionDep,
    user: CurrentUser,
    block: str | None,
    status_code: int = 200,
    **ctx: Any,
) -> Response:
    return render(
        request,
        PAGE,
        block=block,
        status_code=status_code,
        overview=coordination_pages.overview(db, user),
        **ctx,
    )


@router.get("/coordination")
def requests_page(request: Request, db: SessionDep, user: CurrentUser) -> Response:
    """Incoming and outgoing requests; the dashboard loads its `coordination_summary` block."""
    return _requests_page(request, db, user, target_block(request, BLOCKS))


def _notice(
    request: Request,
    db: SessionDep,
    user: CurrentUser,
    alert_id: int,
    status_code: int = 200,
    initiative_id: int | None = None,
    **ctx: Any,
) -> Response:
    return render(
        request,
        "coordination/notice.html",
        block="notice",
        status_code=status_code,
        alert_id=alert_id,
        notice_track=initiative_id,
        notice_items=coordination_pages.notice_items(db, user, alert_id, initiative_id),
        **ctx,
    )


def _int(value: Any) -> int | None:
    return as_db_id(value)


@router.get("/coordination/notices/{alert_id}")
def notice(request: Request, db: SessionDep, user: CurrentUser, alert_id: int) -> Response:
    """One blind notice and what became of its requests (the alert card loads it in place);
    `initiative_id`: the page's own track, for which the notice speaks."""
    return _notice(request, db, user, alert_id, initiative_id=_int(request.query_params.get("initiative_id")))


@router.post("/coordination/requests")
def request_coordination(request: Request, db: SessionDep, user: CurrentUser, form: FormDict) -> Response:
    alert_id = _int(form.get("alert_id"))
    track_id = _int(form.get("initiative_id"))
    data = {"alert_id": alert_id, "initiative_id": track_id}
    try:
        coordination.request(db, user, data)
    except (Invalid, Conflict) as exc:
        if alert_id is None or not is_htmx(request):
            raise
        errs = errors_of(exc) if isinstance(exc, Invalid) else {"_form": exc.detail}
        refused(
            lambda fresh, status=exc.status: _notice(
                request, fresh, user, alert_id, status, track_id, notice_errors=errs
            )
        )
    if is_htmx(request) and alert_id is not None:
        db.flush()
        return _notice(request, db, user, alert_id, initiative_id=track_id)
    return after_write(request, _safe_next(str(form.get("back") or "/coordination")))


def _answer(
    request: Request, db: SessionDep, user: CurrentUser, request_id: int, form: FormDict, accept: bool
) -> Response:
    try:
        if accept:
            share = form.get("share") not in (None, "", "0", "false", "off")
            coordination.accept(db, user, request_id, {"share_level": "view" if share else None})
        else:
            coordination.decline(db, user, request_id, {"reason": str(form.get("reason") or "")})
    except (Invalid, Conflict, NotAllowed) as exc:
        # Nothing of a refused answer is kept: the request's transaction rolls back.
        errs = errors_of(exc) if isinstance(exc, Invalid) else {"_form": exc.detail}
        refused(
            lambda fresh, status=exc.status: _requests_page(
                request,
                fresh,
                user,
                "requests",
                status,
                answer_errors={request_id: errs},
                typed={request_id: form},
            )
        )
    if is_htmx(request):
        db.flush()
        return _requests_page(request, db, user, "requests")
    return after_write(request, f"/coordination#request-{request_id}")


@router.post("/coordination/requests/{request_id}/accept")
def accept(request: Request, db: SessionDep, user: CurrentUser, request_id: int, form: FormDict) -> Response:
    return _answer(request, db, user, request_id, form, accept=True)


@router.post("/coordination/requests/{request_id}/decline")
def decline(request: Request, db: SessionDep, user: CurrentUser, request_id: int, form: FormDict) -> Response:
    return _answer(request, db, user, request_id, form, accept=False)
