"""The Principles page: the paper's ten principles, how each is checked, and the reader's open alerts."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from server.auth import CurrentUser, SessionDep
from server.services import principles
from web.routes._common import PAGE_DEPENDENCIES
from web.templating import render

router = APIRouter(dependencies=PAGE_DEPENDENCIES)


@router.get("/principles")
def page(request: Request, db: SessionDep, user: CurrentUser) -> Response:
    return render(request, "principles.html", principles=principles.overview(db, user))
