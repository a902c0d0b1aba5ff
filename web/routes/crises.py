"""Crises: every visible track on a crisis, its parties and time span side by side."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from server.auth import CurrentUser, SessionDep
from server.services import crises
from web.routes._common import PAGE_DEPENDENCIES
from web.templating import render

router = APIRouter(dependencies=PAGE_DEPENDENCIES)


@router.get("/crises")
def listing(request: Request, db: SessionDep, user: CurrentUser) -> Response:
    return render(request, "crises/list.html", rows=crises.listing(db, user))


@router.get("/crises/{crisis_id}")
def timeline(request: Request, db: SessionDep, user: CurrentUser, crisis_id: int) -> Response:
    view = crises.timeline(db, user, crisis_id)
    return render(
        request,
        "crises/detail.html",
        block="timeline" if request.headers.get("hx-target") == "timeline" else None,
        cv=view,
    )
