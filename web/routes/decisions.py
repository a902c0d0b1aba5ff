"""The decision log: logging decisions, signing off or declining, and the log page."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from server.auth import CurrentUser, SessionDep
from server.services import decision_log, decisions
from server.services.decisions import LogFilters
from server.services.errors import Conflict, Invalid, NotAllowed
from web.routes._common import (
    PAGE_DEPENDENCIES,
    FormDict,
    after_write,
    as_list,
    checkbox,
    errors_of,
    is_htmx,
    refused,
    target_block,
)
from web.routes.auth import _safe_next
from web.routes.initiatives import _in_page_write, _opt_int, _page
from web.templating import render

router = APIRouter(dependencies=PAGE_DEPENDENCIES)


@router.post("/initiatives/{initiative_id}/decisions")
def log_decision(
    request: Request, db: SessionDep, user: CurrentUser, initiative_id: int, form: FormDict
) -> Response:
    data = {k: form.get(k) for k in ("text", "kind", "date")}
    data["internal"] = checkbox(form, "internal")["internal"]
    data["touches"] = as_list(form.get("touches"))
    supersedes = _opt_int(form.get("supersedes_id"))
    typed = dict(form, touches=[str(t) for t in data["touches"]])
    return _in_page_write(
        request,
        db,
        user,
        initiative_id,
        "decision_form",
        "decision_log",
        lambda: decisions.log(db, user, initiative_id, data, supersedes_id=supersedes),
        typed,
    )


def _delegation(form: dict[str, object]) -> int | None:
    value = str(form.get("delegation_id") or "").strip()
    return int(value) if value.isdigit() else None


def _answer(
    request: Request, db: SessionDep, user: CurrentUser, decision_id: int, form: FormDict, declined: bool
) -> Response:
    back = _safe_next(str(form.get("back") or "/decisions"))
    try:
        row = decisions.sign_off(
            db,
            user,
            decision_id,
            declined=declined,
            reason=str(form.get("reason") or ""),
            internal=checkbox(form, "internal")["internal"],
            delegation_id=_delegation(form),
        )
    except (Invalid, Conflict, NotAllowed) as exc:
        errs = errors_of(exc) if isinstance(exc, Invalid) else {"_form": exc.detail}

        def again(fresh: Any, status: int = exc.status) -> Response:
            entry = decision_log.decision(fresh, user, decision_id)
            assert entry.initiative_id is not None
            return _page(
                request,
                fresh,
                user,
                entry.initiative_id,
                "decision_log",
                status,
                errors={f"signoff-{decision_id}": errs},
            )

        refused(again)
    if is_htmx(request) and row.initiative_id is not None:
        db.flush()
        return _page(
            request, db, user, row.initiative_id, "decision_log", headers={"HX-Trigger": "refresh-waiting"}
        )
    return after_write(request, back)


@router.post("/decisions/{decision_id}/signoff")
def sign_off(
    request: Request, db: SessionDep, user: CurrentUser, decision_id: int, form: FormDict
) -> Response:
    return _answer(request, db, user, decision_id, form, declined=False)


@router.post("/decisions/{decision_id}/decline")
def decline(
    request: Request, db: SessionDep, user: CurrentUser, decision_id: int, form: FormDict
) -> Response:
    return _answer(request, db, user, decision_id, form, declined=True)


@router.get("/decisions")
def log_page(
    request: Request,
    db: SessionDep,
    user: CurrentUser,
    initiative_id: str = "",
    org_id: str = "",
    kind: str = "",
) -> Response:
    filters = LogFilters(initiative_id=_opt_int(initiative_id), org_id=_opt_int(org_id), kind=kind or None)
    page = decision_log.page(db, user, filters)
    f = {"initiative_id": initiative_id, "org_id": org_id, "kind": kind}
    return render(
        request,
        "decisions/log.html",
        block=target_block(request, ("log",)),
        lp=page,
        f=f,
        filtered=any(f.values()),
    )
