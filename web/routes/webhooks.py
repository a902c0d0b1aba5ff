"""Webhooks of an organisation, for its admins: register, pause, remove, and the delivery log."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from server.auth import CurrentUser, SessionDep
from server.services import webhooks
from server.services.errors import Invalid
from web.routes._common import PAGE_DEPENDENCIES, FormDict, after_write, as_list, errors_of, refused
from web.templating import render

router = APIRouter(dependencies=PAGE_DEPENDENCIES)


def _list_page(
    request: Request, db: Any, user: Any, errors: dict[str, str] | None = None, **extra: Any
) -> Response:
    return render(
        request,
        "webhooks/list.html",
        status_code=422 if errors else 200,
        hooks=webhooks.listing(db, user),
        kinds=webhooks.WEBHOOK_KINDS,
        errors=errors or {},
        **extra,
    )


@router.get("/webhooks")
def listing(request: Request, db: SessionDep, user: CurrentUser) -> Response:
    return _list_page(request, db, user, form={})


@router.post("/webhooks")
def register(request: Request, db: SessionDep, user: CurrentUser, form: FormDict) -> Response:
    data = {
        "url": form.get("url", ""),
        "kinds": as_list(form.get("kinds")),
        "description": form.get("description", ""),
    }
    try:
        hook, secret = webhooks.register(db, user, data)
    except Invalid as exc:
        errs = errors_of(exc)
        refused(lambda fresh: _list_page(request, fresh, user, errors=errs, form=data))
    # The secret is shown on this answer only: it is never stored.
    return _list_page(request, db, user, form={}, created=hook, secret=secret)


@router.get("/webhooks/{webhook_id}")
def delivery_log(request: Request, db: SessionDep, user: CurrentUser, webhook_id: int) -> Response:
    hook = webhooks.get(db, user, webhook_id)
    return render(request, "webhooks/detail.html", hook=hook, log=webhooks.delivery_log(db, user, webhook_id))


@router.post("/webhooks/{webhook_id}/pause")
def pause(request: Request, db: SessionDep, user: CurrentUser, webhook_id: int) -> Response:
    webhooks.set_active(db, user, webhook_id, False)
    return after_write(request, f"/webhooks/{webhook_id}")


@router.post("/webhooks/{webhook_id}/resume")
def resume(request: Request, db: SessionDep, user: CurrentUser, webhook_id: int) -> Response:
    webhooks.set_active(db, user, webhook_id, True)
    return after_write(request, f"/webhooks/{webhook_id}")


@router.post("/webhooks/{webhook_id}/secret")
def rotate_secret(request: Request, db: SessionDep, user: CurrentUser, webhook_id: int) -> Response:
    hook, secret = webhooks.rotate_secret(db, user, webhook_id)
    return render(
        request,
        "webhooks/detail.html",
        hook=hook,
        log=webhooks.delivery_log(db, user, webhook_id),
        secret=secret,
    )


@router.post("/webhooks/{webhook_id}/remove")
def remove(request: Request, db: SessionDep, user: CurrentUser, webhook_id: int) -> Response:
    webhooks.remove(db, user, webhook_id)
    return after_write(request, "/webhooks")
