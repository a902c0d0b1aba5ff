"""The admin screens: a government's organisations, its people, the settings, and the admin log."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from server.auth import CurrentUser, SessionDep
from server.services import admin, delegations
from server.services.errors import Conflict, Invalid
from web.routes._common import PAGE_DEPENDENCIES, FormDict, after_write, errors_of, refused
from web.templating import forget_workspace_name, render

router = APIRouter(dependencies=PAGE_DEPENDENCIES)


def render_admin(request: Request, db: Any, user: Any, template: str, **context: Any) -> Response:
    """An admin page, which names the admin's government."""
    return render(request, template, gov_name=admin.government_name(db, user), **context)


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _errors(exc: Invalid | Conflict) -> dict[str, str]:
    return errors_of(exc) if isinstance(exc, Invalid) else {"_form": exc.detail}


@router.get("/admin")
def overview(request: Request, db: SessionDep, user: CurrentUser) -> Response:
    return render_admin(
        request,
        db,
        user,
        "admin/overview.html",
        counts=admin.counts(db, user),
        log=admin.log(db, user),
        actions=admin.ACTION_NAMES,
        section="overview",
    )


# ------------------------------------------------------------ organisations


def _orgs_page(
    request: Request,
    db: Any,
    user: Any,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    return render_admin(
        request,
        db,
        user,
        "admin/organisations.html",
        status_code=422 if errors else 200,
        orgs=admin.organisations(db, user),
        kinds=admin.KIND_NAMES,
        f=form or {},
        errors=errors or {},
        section="organisations",
    )


@router.get("/admin/organisations")
def organisations(request: Request, db: SessionDep, user: CurrentUser) -> Response:
    return _orgs_page(request, db, user)


@router.post("/admin/organisations")
def create_organisation(request: Request, db: SessionDep, user: CurrentUser, form: FormDict) -> Response:
    data = {"name": form.get("name", ""), "kind": form.get("kind", "")}
    try:
        org = admin.create_organisation(db, user, data)
    except Invalid as exc:
        errs = errors_of(exc)
        refused(lambda fresh: _orgs_page(request, fresh, user, data, errs))
    return after_write(request, f"/admin/organisations/{org.id}")


def _org_page(
    request: Request,
    db: Any,
    user: Any,
    org_id: int,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 422,
) -> Response:
    org = admin.organisation(db, user, org_id)
    return render_admin(
        request,
        db,
        user,
        "admin/organisation.html",
        status_code=status if errors else 200,
        org=org,
        kinds=admin.KIND_NAMES,
        f=form or {"name": org.name, "kind": org.kind, "version": org.version},
        errors=errors or {},
        section="organisations",
    )


@router.get("/admin/organisations/{org_id}")
def organisation(request: Request, db: SessionDep, user: CurrentUser, org_id: int) -> Response:
    return _org_page(request, db, user, org_id)


@router.post("/admin/organisations/{org_id}")
def edit_organisation(
    request: Request, db: SessionDep, user: CurrentUser, org_id: int, form: FormDict
) -> Response:
    data = {"name": form.get("name", ""), "kind": form.get("kind", "")}
    try:
        admin.edit_organisation(db, user, org_id, data, _int(form.get("version")))
    except (Invalid, Conflict) as exc:
        errs = _errors(exc)
        shown = {**data, "version": exc.extra.get("version", form.get("version"))}
        status = exc.status
        refused(lambda fresh: _org_page(request, fresh, user, org_id, shown, errs, status))
    return after_write(request, "/admin/organisations")


# ------------------------------------------------------------ people


def _people_page(
    request: Request,
    db: Any,
    user: Any,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    return render_admin(
        request,
        db,
        user,
        "admin/people.html",
        status_code=422 if errors else 200,
        people=admin.people(db, user),
        org_options=[(o.id, o.name) for o in admin.organisations(db, user)],
        roles=admin.ROLE_NAMES,
        f=form or {},
        errors=errors or {},
        section="people",
        **extra,
    )


@router.get("/admin/people")
def people(request: Request, db: SessionDep, user: CurrentUser) -> Response:
    return _people_page(request, db, user)


@router.post("/admin/people")
def invite(request: Request, db: SessionDep, user: CurrentUser, form: FormDict) -> Response:
    data = {
        "email": form.get("email", ""),
        "name": form.get("name", ""),
        "organisation_id": form.get("organisation_id", ""),
        "role": form.get("role", ""),
    }
    try:
        person, password = admin.invite(db, user, data)
    except Invalid as exc:
        errs = errors_of(exc)
        refused(lambda fresh: _people_page(request, fresh, user, data, errs))
    # The first password is shown on this answer only: only its hash is stored.
    return _people_page(
        request, db, user, invited=person, password=password, delegated=delegations.naming(db, person)
    )


def _person_page(
    request: Request, db: Any, user: Any, user_id: int, errors: dict[str, str] | None = None
) -> Response:
    person = admin.person(db, user, user_id)
    return render_admin(
        request,
        db,
        user,
        "admin/person.html",
        status_code=422 if errors else 200,
        person=person,
        delegated=delegations.naming(db, person),
        roles=admin.ROLE_NAMES,
        errors=errors or {},
        section="people",
    )


@router.get("/admin/people/{user_id}")
def person(request: Request, db: SessionDep, user: CurrentUser, user_id: int) -> Response:
    return _person_page(request, db, user, user_id)


@router.post("/admin/people/{user_id}/role")
def set_role(request: Request, db: SessionDep, user: CurrentUser, user_id: int, form: FormDict) -> Response:
    try:
        admin.set_role(db, user, user_id, str(form.get("role", "")), _int(form.get("version")))
    except (Invalid, Conflict) as exc:
        errs = _errors(exc)
        refused(lambda fresh: _person_page(request, fresh, user, user_id, errs))
    return after_write(request, f"/admin/people/{user_id}")


@router.post("/admin/people/{user_id}/deactivate")
def deactivate(request: Request, db: SessionDep, user: CurrentUser, user_id: int) -> Response:
    try:
        admin.deactivate(db, user, user_id)
    except Invalid as exc:
        errs = errors_of(exc)
        refused(lambda fresh: _person_page(request, fresh, user, user_id, errs))
    return after_write(request, f"/admin/people/{user_id}")


@router.post("/admin/people/{user_id}/reactivate")
def reactivate(request: Request, db: SessionDep, user: CurrentUser, user_id: int) -> Response:
    admin.reactivate(db, user, user_id)
    return after_write(request, f"/admin/people/{user_id}")


# ------------------------------------------------------------ settings


def _settings_page(
    request: Request,
    db: Any,
    user: Any,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    s = admin.settings(db, user)
    shown = form or {
        "workspace_name": s.workspace_name or "",
        "judging_date": s.judging_date.isoformat() if s.judging_date else "",
        "share_level": s.share_level,
    }
    return render_admin(
        request,
        db,
        user,
        "admin/settings.html",
        status_code=422 if errors else 200,
        s=s,
        levels=admin.LEVEL_NAMES,
        f=shown,
        errors=errors or {},
        section="settings",
    )


@router.get("/admin/settings")
def settings_page(request: Request, db: SessionDep, user: CurrentUser) -> Response:
    return _settings_page(request, db, user)


@router.post("/admin/settings")
def save_settings(request: Request, db: SessionDep, user: CurrentUser, form: FormDict) -> Response:
    data: dict[str, Any] = {"share_level": form.get("share_level", ""), "version": _int(form.get("version"))}
    for name in ("workspace_name", "judging_date"):
        if name in form:
            data[name] = form[name]
    try:
        admin.save_settings(db, user, data)
    except (Invalid, Conflict) as exc:
        errs = _errors(exc)
        refused(lambda fresh: _settings_page(request, fresh, user, {**form}, errs))
    forget_workspace_name()
    return after_write(request, "/admin/settings")
