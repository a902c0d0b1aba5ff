"""The workspace document as the caller may see it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from server.auth import CurrentUser, SessionDep
from server.domain.snapshot import dump_document
from server.services import workspace

router = APIRouter(tags=["export"])


@router.get("/export")
def export(db: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """Every visible track with what the caller may read of it; internal items stay home."""
    return dump_document(workspace.export_document(db, user))
