"""The alerts inbox: every alert one may see, by principle; acknowledge or dismiss with a reason."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import QueryParams

from server.auth import CurrentUser, SessionDep
from server.services import alerts, dashboard
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
    track_of,
)
from web.routes.auth import _safe_next
from web.templating import render

router = APIRouter(dependencies=PAGE_DEPENDENCIES)


def _number(value: str | None) -> int | None:
    text = (value or "").strip()
    return int(text) if text.isdigit() and len(text) < 12 else None


def _filters(q: Mapping[str, str], user: CurrentUser) -> tuple[alerts.Filters, int]:
    """The inbox's filters from its address; a value it does not know is no filter."""
    status = q.get("status") or "live"
    department = q.get("department")
    principle = (q.get("principle") or "").upper()
    severity = (q.get("severity") or "").lower()
    filters = alerts.Filters(
        status=status if status in dict(dashboard.STATUSES) else "live",
        initiative_id=_number(q.get("initiative_id")),
        department=alerts.mine(user) if department is None else _number(department),
        principle=principle if principle in alerts.PRINCIPLE_ORDER else None,
        severity=severity if severity in dict(dashboard.SEVERITIES) else None,
    )
    return filters, _number(q.get("page")) or 1


def _inbox(
    request: Request,
    db: SessionDep,
    user: CurrentUser,
    block: str | None,
    code: int = 200,
    **ctx: Any,
) -> Response:
    params: Mapping[str, str] = request.query_params
    if request.method == "POST":
        # After an action, the inbox as it was filtered (its address came back with the form).
        back = urlsplit(str(ctx.pop("back", "") or ""))
        params = QueryParams(back.query) if back.path == "/alerts" else QueryParams("")
    else:
        ctx.pop("back", None)
    filters, page = _filters(params, user)
    return render(
        request,
        "alerts/inbox.html",
        block=block,
        status_code=code,
        inbox=dashboard.inbox(db, user, filters, page),
        statuses=dashboard.STATUSES,
        severities=dashboard.SEVERITIES,
        principles=dashboard.PRINCIPLES,
        **ctx,
    )


@router.get("/alerts")
def inbox(request: Request, db: SessionDep, user: CurrentUser) -> Response:
    """The alerts inbox: filters by status, department, track, principle and severity; pages."""
    return _inbox(request, db, user, target_block(request, ("inbox",)))


@router.get("/alerts/count")
def open_count(request: Request, db: SessionDep, user: CurrentUser) -> Response:
    """The navigation's count of the reader's own open alerts: the dashboard's and the inbox's."""
    return render(request, "alerts/_count.html", block="count", open_alerts=alerts.count(db, user))


def _version(form: dict[str, object]) -> int | None:
    return as_db_id(form.get("version"))


def _expiry(form: dict[str, object]) -> date | None:
    value = str(form.get("expires_on") or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid.field("expires_on", "give a date as YYYY-MM-DD") from None


def _act(
    request: Request, db: SessionDep, user: CurrentUser, alert_id: int, form: FormDict, action: str
) -> Response:
    back = _safe_next(str(form.get("back") or "/alerts"))
    track = track_of(back)
    if back.startswith("/initiatives/") and track is None:
        back = "/alerts"
    try:
        if action == "dismiss":
            _expiry(form)
        if action == "dismiss":
            alerts.dismiss(db, user, alert_id, str(form.get("reason") or ""), _version(form), _expiry(form))
        elif action == "confirm":
            alerts.confirm(db, user, alert_id, _version(form))
        else:
            alerts.acknowledge(db, user, alert_id, _version(form))
    except (Invalid, Conflict, NotAllowed) as exc:
        errs = errors_of(exc) if isinstance(exc, Invalid) else {"_form": exc.detail}

        def again(fresh: Any, status: int = exc.status) -> Response:
            if track is not None:
                from web.routes.initiatives import _page

                return _page(
                    request,
                    fresh,
                    user,
                    track,
                    "alerts",
                    status,
                    alert_errors={alert_id: errs},
                )
            return _inbox(request, fresh, user, "inbox", status, back=back, alert_errors={alert_id: errs})

        refused(again)
    if is_htmx(request):
        db.flush()
        if track is not None:
            from web.routes.initiatives import _page

            return _page(request, db, user, track, "alerts")
        return _inbox(request, db, user, "inbox", back=back)
    return after_write(request, back)


@router.post("/alerts/{alert_id}/acknowledge")
def acknowledge(
    request: Request, db: SessionDep, user: CurrentUser, alert_id: int, form: FormDict
) -> Response:
    return _act(request, db, user, alert_id, form, "acknowledge")


@router.post("/alerts/{alert_id}/dismiss")
def dismiss(request: Request, db: SessionDep, user: CurrentUser, alert_id: int, form: FormDict) -> Response:
    return _act(request, db, user, alert_id, form, "dismiss")


@router.post("/alerts/{alert_id}/confirm")
def confirm(request: Request, db: SessionDep, user: CurrentUser, alert_id: int, form: FormDict) -> Response:
    """A second department confirms its government's dismissal of a high-severity alert."""
    return _act(request, db, user, alert_id, form, "confirm")


@router.get("/dismissals")
def dismissals_page(request: Request, db: SessionDep, user: CurrentUser) -> Response:
    """The government's dismissals per principle and department, for its coordinators."""
    from server.services import dismissals

    return render(request, "alerts/dismissals.html", report=dismissals.report(db, user))
