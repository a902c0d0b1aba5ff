"""Bad input stopped at the edge: a request body limit, and numbers and text no field could hold.

The limit counts the bytes as they arrive (a missing or false `Content-Length` is no way
round it) and answers 413: problem details for the API, a plain page for a form. The
`in_bounds` dependency runs before every route: an integer in the path or the query that
the database cannot hold, and in a JSON body any such integer, `Infinity` or `NaN`, or a NUL
in text, answer 422 naming the field, before any service reads them.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.services.errors import FieldError, Invalid
from server.services.validation import BODY_MAX_BYTES, HAS_NUL, OUT_OF_RANGE, as_db_int, find_problems

# Query parameters that carry free text, where a long run of digits is a search, not a number.
FREE_TEXT = frozenset({"q", "next", "search", "text"})


class BodyTooLarge(HTTPException):
    """The request body passed the limit; nothing of it was read into a service."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, "Request body too large")
        self.limit = limit

    @property
    def words(self) -> str:
        return (
            f"The request sent more than {_size(self.limit)}, the most Accord reads in one go; "
            "nothing was saved. Shorten the longest text and send it again."
        )


def _size(n: int) -> str:
    return f"{n / 1_000_000:g} MB" if n >= 1_000_000 else f"{n / 1000:g} kB"


class BodyLimitMiddleware:
    """Refuse a request body larger than `limit` bytes (413), counted as it streams in."""

    def __init__(self, app: ASGIApp, limit: int = BODY_MAX_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        limit = self.limit
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            if declared is not None and declared > limit:
                raise BodyTooLarge(limit)
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, counted, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            n = as_db_int(value.decode("latin-1"))
            return n if n is not None and n >= 0 else None
    return None


def _is_json(request: Request) -> bool:
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return ctype == "application/json" or ctype.endswith("+json")


async def in_bounds(request: Request) -> None:
    """Refuse, naming the field, an id or number out of the database's range and bad JSON values."""
    errors: list[FieldError] = []
    for name, value in request.path_params.items():
        if isinstance(value, str) and value.strip().lstrip("+-").isdigit() and as_db_int(value) is None:
            errors.append(FieldError(name, OUT_OF_RANGE))
    for name, value in request.query_params.multi_items():
        if name in FREE_TEXT:
            continue
        if value.strip().lstrip("+-").isdigit() and as_db_int(value) is None:
            errors.append(FieldError(name, OUT_OF_RANGE))
        elif "\x00" in value:
            errors.append(FieldError(name, HAS_NUL))
    if not errors and request.method in ("POST", "PUT", "PATCH") and _is_json(request):
        try:
            body: Any = await request.json()
        except ValueError:
            body = None  # the route's own parsing names a malformed body
        errors += [FieldError(loc, msg) for loc, msg in find_problems(body)]
    if errors:
        raise Invalid("; ".join(f"{e.loc}: {e.message}" for e in errors), errors)
