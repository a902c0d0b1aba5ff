"""The items behind a track (red lines, staff, resources, leverage tools, metrics): their forms,
and the values a metric was measured at."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from server.auth import CurrentUser, SessionDep
from server.services import initiative_page, initiatives, metric_actuals, metric_chart
from server.services.errors import Conflict, Invalid, NotFound
from web.routes._common import PAGE_DEPENDENCIES, FormDict, after_write, checkbox, errors_of, refused
from web.routes.initiatives import _opt_int
from web.templating import render

if TYPE_CHECKING:
    from server.models import User

# Mounted after `initiatives.router`: its fixed paths (comments, sharing, ...) come first.
router = APIRouter(dependencies=PAGE_DEPENDENCIES)


def _actuals_page(
    request: Request,
    db: Any,
    user: User,
    initiative_id: int,
    metric_id: int,
    f: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    got = metric_actuals.values(db, user, initiative_id, metric_id)
    return render(
        request,
        "initiatives/metric_actuals.html",
        block="values" if status != 200 else None,
        status_code=status,
        t=got.initiative,
        m=got.metric,
        actuals=got.actuals,
        chart=metric_chart.chart(got.metric, got.actuals),
        can_edit=got.can_edit,
        f=f,
        errors=errors,
    )


# Before the generic item routes: `/metrics/{id}/actuals` is not an item's `{part}/{line_id}/edit`.
@router.get("/initiatives/{initiative_id}/metrics/{metric_id}/actuals")
def metric_actuals_page(
    request: Request, db: SessionDep, user: CurrentUser, initiative_id: int, metric_id: int
) -> Response:
    """A metric's values: its chart against the baseline and target, the list, and a form to record one."""
    return _actuals_page(request, db, user, initiative_id, metric_id, {}, {})


@router.post("/initiatives/{initiative_id}/metrics/{metric_id}/actuals")
def record_actual(
    request: Request, db: SessionDep, user: CurrentUser, initiative_id: int, metric_id: int, form: FormDict
) -> Response:
    try:
        metric_actuals.record(db, user, initiative_id, metric_id, form)
    except Invalid as exc:
        refused(
            lambda fresh, exc=exc: _actuals_page(
                request, fresh, user, initiative_id, metric_id, form, errors_of(exc), 422
            )
        )
    return after_write(request, f"/initiatives/{initiative_id}/metrics/{metric_id}/actuals")


@router.post("/initiatives/{initiative_id}/metrics/{metric_id}/actuals/{actual_id}/remove")
def remove_actual(
    request: Request, db: SessionDep, user: CurrentUser, initiative_id: int, metric_id: int, actual_id: int
) -> Response:
    metric_actuals.remove(db, user, initiative_id, metric_id, actual_id)
    return after_write(request, f"/initiatives/{initiative_id}/metrics/{metric_id}/actuals")


PARTS: dict[str, dict[str, Any]] = {
    "red_lines": {"one": "red line", "bools": ("internal",)},
    "staff": {"one": "staff line", "bools": ("dedicated", "internal")},
    "resources": {"one": "resource", "bools": ("dedicated", "internal")},
    "leverage": {"one": "leverage tool", "bools": ("do_no_harm_assessment", "internal")},
    "metrics": {"one": "metric", "bools": ("internal",)},
}


def _line_page(
    request: Request,
    db: Any,
    user: User,
    initiative_id: int,
    part: str,
    f: dict[str, Any],
    status: int = 200,
    **ctx: Any,
) -> Response:
    form = initiative_page.line_form(db, user, initiative_id, part)
    return render(
        request,
        "initiatives/line_form.html",
        block="form" if status != 200 else None,
        status_code=status,
        part=part,
        one=PARTS[part]["one"],
        t=form.initiative,
        choices=form.choices,
        f=f,
        **ctx,
    )


def _line_data(part: str, form: dict[str, Any]) -> tuple[dict[str, Any], int]:
    data = checkbox(form, *PARTS[part]["bools"])
    version = _opt_int(str(data.pop("version", "") or "")) or 0
    return data, version


def _known(part: str) -> None:
    if part not in PARTS:
        raise NotFound("No such part of an initiative")


@router.get("/initiatives/{initiative_id}/{part}/new")
def new_line_page(
    request: Request, db: SessionDep, user: CurrentUser, initiative_id: int, part: str
) -> Response:
    _known(part)
    defaults = {"dedicated": part == "staff", "fte": "1"}
    return _line_page(request, db, user, initiative_id, part, defaults, errors={}, line=None)


@router.post("/initiatives/{initiative_id}/{part}/new")
def add_line(
    request: Request, db: SessionDep, user: CurrentUser, initiative_id: int, part: str, form: FormDict
) -> Response:
    _known(part)
    data, _ = _line_data(part, form)
    try:
        initiatives.add_line(db, user, initiative_id, part, data)
    except Invalid as exc:
        refused(
            lambda fresh, exc=exc: _line_page(
                request, fresh, user, initiative_id, part, form, 422, errors=errors_of(exc), line=None
            )
        )
    return after_write(request, f"/initiatives/{initiative_id}#{part}")


@router.get("/initiatives/{initiative_id}/{part}/{line_id}/edit")
def edit_line_page(
    request: Request, db: SessionDep, user: CurrentUser, initiative_id: int, part: str, line_id: int
) -> Response:
    _known(part)
    line = initiative_page.line(db, user, initiative_id, part, line_id)
    f = {k: ("" if v is None else v) for k, v in line.model_dump().items()}
    if part == "metrics" and line.kind_inferred:
        f["kind"] = ""
    return _line_page(request, db, user, initiative_id, part, f, errors={}, line=line)


@router.post("/initiatives/{initiative_id}/{part}/{line_id}/edit")
def edit_line(
    request: Request,
    db: SessionDep,
    user: CurrentUser,
    initiative_id: int,
    part: str,
    line_id: int,
    form: FormDict,
) -> Response:
    _known(part)
    data, version = _line_data(part, form)
    try:
        initiatives.update_line(db, user, initiative_id, part, line_id, data, version)
    except Invalid as exc:
        refused(
            lambda fresh, exc=exc: _line_refused(
                request, fresh, user, initiative_id, part, line_id, form, 422, exc
            )
        )
    except Conflict as exc:
        refused(
            lambda fresh, exc=exc: _line_refused(
                request, fresh, user, initiative_id, part, line_id, form, 409, exc
            )
        )
    return after_write(request, f"/initiatives/{initiative_id}#{part}")


def _line_refused(
    request: Request,
    db: Any,
    user: User,
    initiative_id: int,
    part: str,
    line_id: int,
    form: dict[str, Any],
    status: int,
    exc: Invalid | Conflict,
) -> Response:
    """The item's form again: its errors beside the fields, or the conflict at the version saved now."""
    line = initiative_page.line(db, user, initiative_id, part, line_id)
    if isinstance(exc, Invalid):
        return _line_page(
            request, db, user, initiative_id, part, form, status, errors=errors_of(exc), line=line
        )
    typed = dict(form)
    typed["version"] = line.version
    return _line_page(
        request, db, user, initiative_id, part, typed, status, errors={}, line=line, conflict=exc
    )


@router.post("/initiatives/{initiative_id}/{part}/{line_id}/remove")
def remove_line(
    request: Request, db: SessionDep, user: CurrentUser, initiative_id: int, part: str, line_id: int
) -> Response:
    _known(part)
    initiatives.remove_line(db, user, initiative_id, part, line_id)
    return after_write(request, f"/initiatives/{initiative_id}#{part}")
