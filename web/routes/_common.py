"""Small helpers the page routes share: reading forms, naming errors, answering after a write."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any, NoReturn

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response

from server.auth import OptionalUser, SessionDep
from server.services.errors import Invalid
from server.services.validation import as_db_int

_INDEX = re.compile(r"\[\d+\]")


async def _read_form(request: Request) -> dict[str, Any]:
    """The posted form as a dict: one value per field, a list where a field repeats."""
    form = await request.form()
    out: dict[str, Any] = {}
    for key in form.keys():
        if key == "csrf_token":
            continue
        values = [v for v in form.getlist(key) if isinstance(v, str)]
        out[key] = values if len(values) > 1 or key.endswith("_ids") or key == "touches" else values[0]
    return out


FormDict = Annotated[dict[str, Any], Depends(_read_form)]


class Rerender(Exception):
    """A write the service refused (`Invalid`, `Conflict`, ...), and how to answer it.

    Raised from a route, it reaches the request's session dependency as an error, so the
    transaction rolls back (nothing of the refused write is kept, and on PostgreSQL a
    failed flush leaves nothing to trip over); the app then calls `render` with a fresh
    read session to draw the form with its errors. Only the dependency commits or rolls
    back: routes never do.
    """

    def __init__(self, render: Callable[[Any], Response]) -> None:
        super().__init__("a refused write, answered with a form")
        self.render = render


def refused(render: Callable[[Any], Response]) -> NoReturn:
    """Roll the request's transaction back and answer with `render(fresh_session)`."""
    raise Rerender(render)


def errors_of(exc: Invalid) -> dict[str, str]:
    """Field errors keyed by the form field they belong beside (`touches[2]` -> `touches`)."""
    out: dict[str, str] = {}
    for e in exc.errors:
        key = _INDEX.sub("", e.loc).split(".")[0] or "_form"
        out.setdefault(key, e.message)
    if not out:
        out["_form"] = exc.detail
    return out


def track_of(back: str) -> int | None:
    """The track a `back` path (`/initiatives/12#alerts`) returns to, or None for any other path."""
    if not back.startswith("/initiatives/"):
        return None
    return as_db_id(back.split("/")[2].split("#")[0].split("?")[0])


def as_db_id(value: Any) -> int | None:
    """A posted id as an integer the database holds, or None (blank, not a number, out of range)."""
    n = as_db_int(value.strip() if isinstance(value, str) else value)
    return n if n is not None and n >= 0 else None


def checkbox(form: dict[str, Any], *names: str) -> dict[str, Any]:
    """Unchecked boxes are absent from a post: make them False, checked ones True."""
    data = dict(form)
    for name in names:
        data[name] = name in form and form[name] not in ("", "0", "false", "off")
    return data


def as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [v for v in value if v != ""]
    return [value] if value != "" else []


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def target_block(request: Request, allowed: tuple[str, ...], default: str | None = None) -> str | None:
    """The block an htmx request asks for, by the id of the element it will swap."""
    target = request.headers.get("hx-target", "")
    return target if target in allowed else default


def after_write(request: Request, url: str) -> Response:
    """Send the person on to `url`: HX-Redirect for htmx, 303 otherwise (post/redirect/get)."""
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def _detach_identity(request: Request, db: SessionDep, user: OptionalUser) -> None:
    """Keep the signed-in person and their session readable after the request's transaction ends.

    A service error rolls the request's session back before the error page renders, and a
    rollback expires every instance it holds; detached, the two keep what was loaded, so the
    page header and the CSRF token still render. It also keeps the session's activity stamp
    out of the request's own (read) transaction.
    """
    org = user.organisation if user is not None else None
    for obj in (user, org, getattr(request.state, "auth_session", None)):
        if obj is not None and obj in db:
            db.expunge(obj)


PAGE_DEPENDENCIES = [Depends(_detach_identity)]
