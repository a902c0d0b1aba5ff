"""The workspace document as the caller may see it."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from server.auth import CurrentUser, SessionDep
from server.domain.snapshot import Workspace, dump_document
from server.services import workspace

router = APIRouter(tags=["export"])


@router.get(
    "/export",
    response_class=JSONResponse,
    responses={200: {"model": Workspace, "description": "The workspace document (docs/workspace-format)"}},
)
def export(db: SessionDep, user: CurrentUser) -> JSONResponse:
    """Every visible track with what the caller may read of it; internal items stay home."""
    return JSONResponse(dump_document(workspace.export_document(db, user)))
