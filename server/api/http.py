"""What every API route shares: bounded ids, cursor pages, ETags and `If-Match`, problem answers."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Annotated, Any, Final, TypeVar

from fastapi import Header, Path, Query, Request, Response

from server.services.errors import Conflict, DomainError, FieldError, Invalid
from server.services.pages import Window
from server.services.validation import ID_MAX

# The range of an id column (PostgreSQL `integer`, a serial's range): an id past it is no id.
DB_INT_MAX: Final = ID_MAX


def id_path(description: str) -> Any:
    """A path id bounded to the database's range (1 to 2^31-1): past it, 422 naming it."""
    return _id(description)


def _id(description: str) -> Any:
    return Path(ge=1, le=DB_INT_MAX, description=description)


InitiativeId = Annotated[int, _id("A track's id")]
CrisisId = Annotated[int, _id("A crisis's id")]
AlertId = Annotated[int, _id("An alert's id")]
DecisionId = Annotated[int, _id("A decision's log entry id")]
CommentId = Annotated[int, _id("A comment's id")]
ReportId = Annotated[int, _id("A field report's id")]
GrantId = Annotated[int, _id("A grant's id")]
RequestId = Annotated[int, _id("A coordination request's id")]
WebhookId = Annotated[int, _id("A webhook's id")]
LineId = Annotated[int, _id("An item's id")]
OtherId = Annotated[int, _id("The other track's id")]
MetricId = Annotated[int, _id("A metric's id")]
ActualId = Annotated[int, _id("A metric value's id")]
Key = Annotated[str, Path(min_length=1, max_length=200, description="A key, as in the workspace document")]


def id_filter(description: str) -> Any:
    return Query(default=None, ge=1, le=DB_INT_MAX, description=description)


# ------------------------------------------------------------------ cursor pages

LIMIT_DEFAULT: Final = 200
LIMIT_MAX: Final = 1000
Limit = Annotated[int, Query(ge=1, le=LIMIT_MAX, description=f"Items per page (at most {LIMIT_MAX})")]
Cursor = Annotated[
    str | None,
    Query(
        max_length=200,
        description='Where to go on: the `cursor` of the `Link: <...>; rel="next"` of the page before',
    ),
]
PAGE_HEADERS: Final = {
    "Link": {
        "description": 'The next page, as `<url>; rel="next"`; absent on the last page',
        "schema": {"type": "string"},
    }
}
T = TypeVar("T")


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": last_id}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    """The id the page starts after, from a cursor this API gave; anything else is a 422 on `cursor`."""
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        after = json.loads(raw)["after"]
    except (ValueError, TypeError, KeyError, binascii.Error, UnicodeDecodeError):
        after = None
    if not isinstance(after, int) or isinstance(after, bool) or not 0 <= after <= DB_INT_MAX:
        raise Invalid.field("cursor", "is not a cursor this API gave; start again without it")
    return after


def window(cursor: str | None, limit: int, *, newest_first: bool = False) -> Window:
    """The page a request asks for, for a service that reads it in the database."""
    return Window(decode_cursor(cursor), limit, newest_first)


def next_page(
    request: Request, response: Response, rows: Sequence[T], limit: int, key: Callable[[T], int]
) -> list[T]:
    """The page out of `rows` (read with one more than `limit`), with a `Link` to the next when there is one."""
    out = list(rows[:limit])
    if len(rows) > limit:
        nxt = request.url.include_query_params(cursor=encode_cursor(key(out[-1])), limit=limit)
        response.headers["Link"] = f'<{nxt}>; rel="next"'
    return out


def page(
    request: Request,
    response: Response,
    items: Sequence[T],
    limit: int,
    cursor: str | None,
    *,
    key: Callable[[T], int],
    newest_first: bool = False,
) -> list[T]:
    """One page of a list computed in full (a short one, such as a track's overlap notices), by id."""
    after = decode_cursor(cursor)
    ordered = sorted(items, key=key, reverse=newest_first)
    if after is not None:
        ordered = [x for x in ordered if (key(x) < after if newest_first else key(x) > after)]
    return next_page(request, response, ordered[: limit + 1], limit, key)


# ------------------------------------------------------------------ ETag and If-Match


class PreconditionFailed(DomainError):
    """`If-Match` named a version that is no longer the current one."""

    status = 412
    title = "Precondition failed"


class PreconditionRequired(DomainError):
    """A versioned write that named no version at all."""

    status = 428
    title = "Precondition required"


IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        max_length=100,
        description='The `ETag` the record was read with (`"3"`); a stale one answers 412',
    ),
]
ETAG_HEADER: Final = {
    "ETag": {
        "description": "The record's version, for `If-Match` on a later write",
        "schema": {"type": "string"},
    }
}


def etag(version: int) -> str:
    return f'"{version}"'


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag(version)


def matched_version(if_match: str | None) -> int | None:
    """The version `If-Match` names (None when absent or `*`); one that names none answers 412."""
    if if_match is None or if_match.strip() == "*":
        return None
    value = if_match.strip()
    digits = value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else ""
    if not digits.isdigit() or len(digits) > 18:
        raise PreconditionFailed(f"If-Match {value[:40]!r} names no version of this record; read it again")
    return int(digits)


def version_of(if_match: str | None, body_version: int | None) -> int:
    """The version a write was made from: `If-Match` first, else the body's `version`, else 428."""
    version = matched_version(if_match)
    if version is not None:
        return version
    if body_version is not None:
        return body_version
    raise PreconditionRequired(
        "Send the version the record was read at: `If-Match` with its ETag, or `version`"
    )


@contextmanager
def precondition(if_match: str | None) -> Iterator[None]:
    """A stale version named by `If-Match` answers 412 (with the current version), not 409."""
    try:
        yield
    except Conflict as exc:
        if matched_version(if_match) is not None and "version" in exc.extra:
            raise PreconditionFailed(exc.detail, **exc.extra) from None
        raise


# ------------------------------------------------------------------ problem answers

PROBLEM_STATUSES: Final = {
    400: "Bad request",
    401: "Not signed in, or the token is not valid",
    403: "Not allowed",
    404: "Not found, or not visible to the caller (the two are never told apart)",
    409: "Conflict: someone else saved first, or the record is in another state",
    413: "Request body too large",
    422: "Invalid input: `errors` names each field's path",
    503: "The database is busy or unreachable; nothing was saved (see Retry-After)",
}
VERSIONED_STATUSES: Final = {
    412: "`If-Match` names a version that is no longer current",
    428: "No version was sent (`If-Match` or `version`)",
}


_KNOWN: dict[int, frozenset[str]] = {}


def _query_names(dependant: Any) -> Iterator[str]:
    for param in getattr(dependant, "query_params", ()):
        yield param.alias
    for sub in getattr(dependant, "dependencies", ()):
        yield from _query_names(sub)


async def known_query(request: Request) -> None:
    """A query parameter the operation does not take is refused (422 naming it), not ignored."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    known = _KNOWN.get(id(route))
    if known is None:
        known = frozenset(_query_names(dependant))
        _KNOWN[id(route)] = known
    unknown = sorted({name for name in request.query_params if name not in known})
    if unknown:
        errors = [FieldError(name, "unknown parameter") for name in unknown]
        raise Invalid("; ".join(f"{e.loc}: {e.message}" for e in errors), errors)
