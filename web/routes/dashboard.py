"""The dashboard: my open alerts, decisions waiting for my sign-off, recent activity on my tracks."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from server.auth import CurrentUser, SessionDep
from server.services import dashboard
from web.routes._common import PAGE_DEPENDENCIES, target_block
from web.templating import render

router = APIRouter(dependencies=PAGE_DEPENDENCIES)
BLOCKS = ("alerts", "waiting", "activity")


@router.get("/")
def home(request: Request, db: SessionDep, user: CurrentUser) -> Response:
    data = dashboard.summary(db, user)
    return render(request, "dashboard.html", block=target_block(request, BLOCKS), d=data)
