"""Field reports: the reports a person may read, and a form to file one on a crisis."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from server.auth import CurrentUser, SessionDep
from server.services import field_reports
from server.services.errors import Invalid
from web.routes._common import (
    PAGE_DEPENDENCIES,
    FormDict,
    after_write,
    errors_of,
    is_htmx,
    refused,
    target_block,
)
from web.templating import render

if TYPE_CHECKING:
    from sqlmodel import Session

    from server.models import User

router = APIRouter(dependencies=PAGE_DEPENDENCIES)

BLOCKS = ("report_list", "report_form")
FIELDS = ("crisis_id", "date", "source_kind", "text", "red_line_breached")


def _page(
    request: Request,
    db: Session,
    user: User,
    block: str | None = None,
    status: int = 200,
    errors: dict[str, str] | None = None,
    typed: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    return render(
        request,
        "reports/page.html",
        block=block,
        status_code=status,
        headers=headers,
        p=field_reports.page(db, user),
        errors=errors or {},
        typed=typed or {},
    )


@router.get("/reports")
def reports_page(request: Request, db: SessionDep, user: CurrentUser) -> Response:
    return _page(request, db, user, target_block(request, BLOCKS))


@router.post("/reports")
def file_report(request: Request, db: SessionDep, user: CurrentUser, form: FormDict) -> Response:
    data = {k: v for k, v in form.items() if k in FIELDS}
    try:
        field_reports.file(db, user, data)
    except Invalid as exc:
        errs = errors_of(exc)
        refused(lambda fresh: _page(request, fresh, user, "report_form", 422, errors=errs, typed=data))
    if not is_htmx(request):
        return after_write(request, "/reports")
    # htmx: a fresh form, and the list asked to refresh itself through GET /reports.
    db.flush()
    return _page(request, db, user, "report_form", headers={"HX-Trigger": "refresh-reports"})
