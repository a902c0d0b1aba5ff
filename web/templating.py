"""One template serves a page and its fragments (jinja2-fragments `block_name`)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2_fragments.fastapi import Jinja2Blocks

from server.services.validation import CAPS
from server.settings import get_settings

TEMPLATES = Jinja2Blocks(directory=str(Path(__file__).parent / "templates"))


def _fmt_date(value: date | datetime | None, fmt: str | None = None) -> str:
    if value is None:
        return ""
    return value.strftime(fmt or "%d %b %Y")


# Outside development the templates are the installed release's: no stat() of each one
# on every render to see whether it changed.
TEMPLATES.env.auto_reload = get_settings().environment == "development"
TEMPLATES.env.filters["date"] = _fmt_date
# The text caps every form shows as `maxlength` and in its hint: the services' own numbers.
TEMPLATES.env.globals["caps"] = CAPS


_name_cache: dict[str, tuple[float, str]] = {}


def workspace_name() -> str:
    """The workspace's name from the database (cached briefly), else the setting."""
    import time

    from server.services.workspace import read_name

    url = get_settings().sqlalchemy_url
    cached = _name_cache.get(url)
    if cached and time.monotonic() - cached[0] < 30:
        return cached[1]
    name = read_name() or get_settings().workspace_name
    _name_cache[url] = (time.monotonic(), name)
    return name


def forget_workspace_name() -> None:
    """Read the name afresh on the next page (it was just changed)."""
    _name_cache.clear()


def render(
    request: Request,
    template: str,
    block: str | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """Render a page, or only `block` of it when htmx asks for a fragment.

    `block` names the fragment an htmx request wants; a plain request gets the page.
    """
    user = getattr(request.state, "user", None)
    auth_session = getattr(request.state, "auth_session", None)
    ctx = {
        "request": request,
        "user": user,
        "csrf_token": auth_session.csrf_token if auth_session else "",
        "date_format": user.date_format if user else "%d %b %Y",
        "workspace_name": workspace_name(),
        **context,
    }
    want_fragment = block is not None and request.headers.get("hx-request") == "true"
    response: HTMLResponse = TEMPLATES.TemplateResponse(
        request,
        template,
        ctx,
        status_code=status_code,
        block_name=block if want_fragment else None,
        headers=headers,
    )
    response.headers["Vary"] = "HX-Request"
    return response
