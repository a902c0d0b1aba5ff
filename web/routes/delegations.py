"""The delegations page: a department's delegates of sign-off, a form to name one, revoke."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from server.auth import CurrentUser, SessionDep
from server.services import delegations
from server.services.errors import Conflict, Invalid, NotAllowed
from web.routes._common import PAGE_DEPENDENCIES, FormDict, after_write, errors_of, refused
from web.templating import render

router = APIRouter(dependencies=PAGE_DEPENDENCIES)

_FIELDS = (
    "department_id",
    "delegate_person_id",
    "delegate_org_id",
    "initiative_id",
    "crisis_id",
    "starts_on",
    "ends_on",
)


def _page(
    request: Request,
    db: Any,
    user: Any,
    status: int = 200,
    errors: dict[str, str] | None = None,
    form: Any = None,
) -> Response:
    return render(
        request,
        "delegations.html",
        status_code=status,
        rows=delegations.listing(db, user),
        options=delegations.form_options(db, user),
        errors=errors or {},
        form=form or {},
    )


@router.get("/delegations")
def delegations_page(request: Request, db: SessionDep, user: CurrentUser) -> Response:
    return _page(request, db, user)


@router.post("/delegations")
def create(request: Request, db: SessionDep, user: CurrentUser, form: FormDict) -> Response:
    data = {k: str(form.get(k) or "") for k in _FIELDS}
    delegate = str(form.get("delegate") or "")
    if delegate.startswith("person:"):
        data["delegate_person_id"] = delegate.split(":", 1)[1]
    elif delegate.startswith("org:"):
        data["delegate_org_id"] = delegate.split(":", 1)[1]
    scope = str(form.get("scope") or "")
    if scope.startswith("initiative:"):
        data["initiative_id"] = scope.split(":", 1)[1]
    elif scope.startswith("crisis:"):
        data["crisis_id"] = scope.split(":", 1)[1]
    try:
        delegations.create(db, user, data)
    except (Invalid, NotAllowed) as exc:
        errs = errors_of(exc) if isinstance(exc, Invalid) else {"_form": exc.detail}
        if "delegate_person_id" in errs or "delegate_org_id" in errs:
            errs["delegate"] = errs.pop("delegate_person_id", None) or errs.pop("delegate_org_id")
        if "initiative_id" in errs or "crisis_id" in errs:
            errs["scope"] = errs.pop("initiative_id", None) or errs.pop("crisis_id")
        refused(lambda fresh, exc=exc: _page(request, fresh, user, exc.status, errs, dict(form)))
    return after_write(request, "/delegations")


@router.post("/delegations/{delegation_id}/revoke")
def revoke(
    request: Request, db: SessionDep, user: CurrentUser, delegation_id: int, form: FormDict
) -> Response:
    version = str(form.get("version") or "")
    try:
        delegations.revoke(db, user, delegation_id, int(version) if version.isdigit() else None)
    except (Conflict, NotAllowed) as exc:
        refused(lambda fresh, exc=exc: _page(request, fresh, user, exc.status, {"_form": exc.detail}))
    return after_write(request, "/delegations")
