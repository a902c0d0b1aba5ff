"""Initiatives: the list, one initiative's page, and the forms to record and edit them."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from server.auth import CurrentUser, SessionDep
from server.services import admin, answers, comments, crises, initiative_page, initiatives, sharing
from server.services.errors import Conflict, Invalid
from web.routes._common import (
    PAGE_DEPENDENCIES,
    FormDict,
    after_write,
    as_db_id,
    as_list,
    checkbox,
    errors_of,
    is_htmx,
    refused,
    target_block,
)
from web.templating import render

if TYPE_CHECKING:
    from server.models import User

router = APIRouter(dependencies=PAGE_DEPENDENCIES)

PAGE_BLOCKS = (
    "initiative",
    "alerts",
    "decision_log",
    "decision_form",
    "comments",
    "comment_form",
    "reports",
    "report_form",
)
LIST_BLOCKS = ("results",)


def _opt_int(value: str | None) -> int | None:
    return as_db_id(value)


# ---------------------------------------------------------------- list


@router.get("/initiatives")
def listing(
    request: Request,
    db: SessionDep,
    user: CurrentUser,
    crisis_id: str = "",
    owner_id: str = "",
    kind: str = "",
    status: str = "",
    has_alerts: str = "",
    q: str = "",
) -> Response:
    filters = initiatives.Filters(
        crisis_id=_opt_int(crisis_id),
        owner_id=_opt_int(owner_id),
        kind=kind or None,
        status=status or None,
        has_alerts={"yes": True, "no": False}.get(has_alerts),
        q=q.strip() or None,
    )
    rows = initiatives.listing(db, user, filters)
    f = {
        "crisis_id": crisis_id,
        "owner_id": owner_id,
        "kind": kind,
        "status": status,
        "has_alerts": has_alerts,
        "q": q,
    }
    return render(
        request,
        "initiatives/list.html",
        block=target_block(request, LIST_BLOCKS),
        rows=rows,
        f=f,
        filtered=any(f.values()),
        choices=crises.choices(db, user),
    )


# ---------------------------------------------------------------- create and edit


def _initiative_data(form: dict[str, Any]) -> tuple[dict[str, Any], int]:
    data = checkbox(form, "impact_assessment", "compliance_monitoring")
    data["party_ids"] = as_list(form.get("party_ids"))
    version = _opt_int(str(data.pop("version", "") or "")) or 0
    return data, version


def _typed(form: dict[str, Any]) -> dict[str, Any]:
    f = dict(form)
    f["party_ids"] = [str(p) for p in as_list(form.get("party_ids"))]
    return f


def _form_page(
    request: Request, db: Any, user: User, f: dict[str, Any], status: int = 200, **ctx: Any
) -> Response:
    return render(
        request,
        "initiatives/form.html",
        block="form" if status != 200 else None,
        status_code=status,
        f=f,
        choices=crises.choices(db, user),
        **ctx,
    )


@router.get("/initiatives/new")
def new_page(request: Request, db: SessionDep, user: CurrentUser, crisis_id: str = "") -> Response:
    f = {"status": "active", "kind": "humanitarian", "crisis_id": crisis_id, "party_ids": []}
    return _form_page(request, db, user, f, errors={}, initiative=None)


@router.post("/initiatives/new")
def create(request: Request, db: SessionDep, user: CurrentUser, form: FormDict) -> Response:
    data, _ = _initiative_data(form)
    try:
        made = initiatives.create(db, user, data)
    except Invalid as exc:
        refused(
            lambda fresh, exc=exc: _form_page(
                request, fresh, user, _typed(form), 422, errors=errors_of(exc), initiative=None
            )
        )
    return after_write(request, f"/initiatives/{made.id}")


def _as_form(values: dict[str, Any], version: int) -> dict[str, Any]:
    f = dict(values)
    f["aims"] = "\n".join(values.get("aims") or [])
    f["objectives"] = "\n".join(values.get("objectives") or [])
    f["party_ids"] = [str(p) for p in values.get("party_ids") or []]
    f["start"] = values["start"].isoformat() if values.get("start") else ""
    f["end"] = values["end"].isoformat() if values.get("end") else ""
    f["version"] = version
    return f


@router.get("/initiatives/{initiative_id}/edit")
def edit_page(request: Request, db: SessionDep, user: CurrentUser, initiative_id: int) -> Response:
    page = initiative_page.edit_form(db, user, initiative_id)
    return _form_page(
        request,
        db,
        user,
        _as_form(page.values, page.initiative.version),
        errors={},
        initiative=page.initiative,
    )


@router.post("/initiatives/{initiative_id}/edit")
def edit(request: Request, db: SessionDep, user: CurrentUser, initiative_id: int, form: FormDict) -> Response:
    data, version = _initiative_data(form)
    try:
        initiatives.update(db, user, initiative_id, data, version)
    except Invalid as exc:
        refused(lambda fresh, exc=exc: _edit_refused(request, fresh, user, initiative_id, form, exc))
    except Conflict as exc:
        refused(lambda fresh, exc=exc: _edit_conflict(request, fresh, user, initiative_id, form, exc))
    return after_write(request, f"/initiatives/{initiative_id}")


def _edit_refused(
    request: Request, db: Any, user: User, initiative_id: int, form: dict[str, Any], exc: Invalid
) -> Response:
    current = initiative_page.edit_form(db, user, initiative_id)
    return _form_page(
        request, db, user, _typed(form), 422, errors=errors_of(exc), initiative=current.initiative
    )


def _edit_conflict(
    request: Request, db: Any, user: User, initiative_id: int, form: dict[str, Any], exc: Conflict
) -> Response:
    """The form as the person filled it, beside what is saved now, at the version saved now."""
    current, changed = initiative_page.edit_conflict(db, user, initiative_id, _initiative_data(form)[0])
    typed = _typed(form)
    typed["version"] = current.initiative.version
    return _form_page(
        request,
        db,
        user,
        typed,
        409,
        errors={},
        initiative=current.initiative,
        conflict=exc,
        current=_as_form(current.values, 0),
        changed=changed,
    )


@router.post("/initiatives/{initiative_id}/status")
def set_status(
    request: Request, db: SessionDep, user: CurrentUser, initiative_id: int, form: FormDict
) -> Response:
    try:
        initiatives.set_status(
            db, user, initiative_id, str(form.get("status", "")), _opt_int(form.get("version")) or 0
        )
    except (Invalid, Conflict) as exc:
        refused(
            lambda fresh, exc=exc: _page(
                request, fresh, user, initiative_id, None, exc.status, status_error=exc.detail
            )
        )
    return after_write(request, f"/initiatives/{initiative_id}")


# ---------------------------------------------------------------- one initiative's page


def _page(
    request: Request,
    db: Any,
    user: User,
    initiative_id: int,
    block: str | None,
    status: int = 200,
    headers: dict[str, str] | None = None,
    **ctx: Any,
) -> Response:
    # A fragment reads only what its block shows; a full page reads everything.
    page = initiative_page.page(db, user, initiative_id, block if is_htmx(request) else None)
    ctx.setdefault("errors", {})
    ctx.setdefault("typed", {})
    return render(
        request,
        "initiatives/detail.html",
        block=block,
        status_code=status,
        headers=headers,
        p=page,
        v=page.view,
        t=page.view.initiative,
        url=f"/initiatives/{initiative_id}",
        today=date.today(),
        share_level=admin.share_level(db, user.government),
        **ctx,
    )


@router.get("/initiatives/{initiative_id}")
@answers.kept
def detail(request: Request, db: SessionDep, user: CurrentUser, initiative_id: int) -> Response:
    kept = answers.lookup(request, db, initiative_id)
    if kept is not None:
        return kept
    page = _page(request, db, user, initiative_id, target_block(request, PAGE_BLOCKS))
    answers.offer(request, db, initiative_id)
    return page


def _in_page_write(
    request: Request,
    db: Any,
    user: User,
    initiative_id: int,
    form_block: str,
    list_block: str,
    write: Any,
    typed: dict[str, Any],
) -> Response:
    """Run a write from a form on the initiative page and answer with the right block."""
    try:
        write()
    except Invalid as exc:
        refused(
            lambda fresh, exc=exc: _page(
                request,
                fresh,
                user,
                initiative_id,
                form_block,
                422,
                errors={form_block: errors_of(exc)},
                typed={form_block: typed},
            )
        )
    if not is_htmx(request):
        return after_write(request, f"/initiatives/{initiative_id}#{list_block}")
    db.flush()
    return _page(
        request, db, user, initiative_id, form_block, headers={"HX-Trigger": f"refresh-{list_block}"}
    )


@router.post("/initiatives/{initiative_id}/comments")
def comment(
    request: Request, db: SessionDep, user: CurrentUser, initiative_id: int, form: FormDict
) -> Response:
    data = checkbox(form, "internal")
    return _in_page_write(
        request,
        db,
        user,
        initiative_id,
        "comment_form",
        "comments",
        lambda: comments.add(db, user, initiative_id, data),
        form,
    )


@router.post("/initiatives/{initiative_id}/comments/{comment_id}/remove")
def remove_comment(
    request: Request, db: SessionDep, user: CurrentUser, initiative_id: int, comment_id: int
) -> Response:
    comments.remove(db, user, comment_id)
    return after_write(request, f"/initiatives/{initiative_id}#comments")


@router.post("/initiatives/{initiative_id}/reports")
def report(
    request: Request, db: SessionDep, user: CurrentUser, initiative_id: int, form: FormDict
) -> Response:
    data = {k: v for k, v in form.items() if k in ("date", "source_kind", "text", "red_line_breached")}
    return _in_page_write(
        request,
        db,
        user,
        initiative_id,
        "report_form",
        "reports",
        lambda: initiative_page.file_report(db, user, initiative_id, data),
        form,
    )


@router.post("/initiatives/{initiative_id}/coordination")
def coordinate(
    request: Request, db: SessionDep, user: CurrentUser, initiative_id: int, form: FormDict
) -> Response:
    other = _opt_int(form.get("other_id"))
    try:
        if form.get("unlink"):
            initiatives.unlink_coordinated(db, user, initiative_id, other or 0)
        else:
            initiatives.link_coordinated(db, user, initiative_id, other or 0)
    except Invalid as exc:
        refused(
            lambda fresh, exc=exc: _page(
                request, fresh, user, initiative_id, None, 422, link_error=errors_of(exc)
            )
        )
    return after_write(request, f"/initiatives/{initiative_id}#coordination")


@router.post("/initiatives/{initiative_id}/sharing")
def share(
    request: Request, db: SessionDep, user: CurrentUser, initiative_id: int, form: FormDict
) -> Response:
    target = str(form.get("target", ""))
    data: dict[str, Any] = {"level": form.get("level", "view")}
    if target.startswith("org:"):
        data["org_id"] = _opt_int(target[4:])
    elif target.startswith("gov:"):
        data["government"] = target[4:]
    try:
        sharing.grant(db, user, initiative_id, data)
    except Invalid as exc:
        refused(
            lambda fresh, exc=exc: _page(
                request, fresh, user, initiative_id, None, 422, share_error=errors_of(exc)
            )
        )
    return after_write(request, f"/initiatives/{initiative_id}#sharing")


@router.post("/initiatives/{initiative_id}/sharing/{grant_id}/withdraw")
def withdraw(
    request: Request, db: SessionDep, user: CurrentUser, initiative_id: int, grant_id: int
) -> Response:
    sharing.withdraw(db, user, grant_id)
    return after_write(request, f"/initiatives/{initiative_id}#sharing")
