"""Turning input into typed data, with every error named by its field in plain words.

The bounds themselves (text caps, the integer range, dates) live in `server.domain.limits`
and are re-exported here: the service models, the API's request models, the forms'
`maxlength` and `accord import` all read the same numbers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from server.domain.limits import (
    BODY_MAX_BYTES,
    CAPS,
    DATE_MAX,
    DATE_MIN,
    HAS_NUL,
    ID_MAX,
    INT_MAX,
    INT_MIN,
    ITEMS_MAX,
    NOT_FINITE,
    OUT_OF_RANGE,
    TITLE_MIN,
    Amount,
    Bounded,
    Day,
    DbInt,
    Id,
    OptionalId,
    dates_message,
    find_problems,
    problem,
    text,
    text_or_blank,
)
from server.services.errors import FieldError, Invalid

__all__ = [
    "BODY_MAX_BYTES",
    "CAPS",
    "DATE_MAX",
    "DATE_MIN",
    "HAS_NUL",
    "ID_MAX",
    "INT_MAX",
    "INT_MIN",
    "ITEMS_MAX",
    "NOT_FINITE",
    "OUT_OF_RANGE",
    "TITLE_MIN",
    "Amount",
    "Bounded",
    "Day",
    "DbInt",
    "Id",
    "OptionalId",
    "as_db_int",
    "check_text",
    "dates_message",
    "find_problems",
    "loc_path",
    "message",
    "parse",
    "problem",
    "reversed_dates",
    "text",
    "text_or_blank",
]

M = TypeVar("M", bound=BaseModel)

# What to say when a field of this name is missing or not a choice, rather than the type's words.
CHOOSE: dict[str, str] = {
    "crisis_id": "Choose a crisis",
    "initiative_id": "Choose a track",
    "other_id": "Choose a track",
    "org_id": "Choose an organisation",
    "party_ids": "Choose a party from the list",
    "touches": "Choose departments from the list",
    "alert_id": "Choose an alert",
    "kind": "Choose a kind",
    "status": "Choose a status",
    "source_kind": "Choose a source",
    "trigger": "Choose what happens when it is crossed",
    "level": "Choose a level",
    "date": "Enter a date",
    "start": "Enter a date",
    "end": "Enter a date",
    "until": "Enter a date",
}

_INT = re.compile(r"^\s*[+-]?\d+\s*$")


def loc_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _field(loc: tuple[Any, ...]) -> str:
    names = [p for p in loc if isinstance(p, str) and p not in ("body", "query", "path", "header", "form")]
    return names[-1] if names else ""


def message(error: Mapping[str, Any]) -> str:
    """One Pydantic error in plain words, fit to show beside its field."""
    kind = str(error.get("type", ""))
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    name = _field(tuple(error.get("loc", ())))
    chosen = CHOOSE.get(name)
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "missing":
        return chosen or "This is required"
    in_path = bool(error.get("loc")) and tuple(error.get("loc", ()))[0] in ("path", "query", "header")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        if in_path:
            return "Must be a whole number"
        return chosen if chosen and name.endswith(("_id", "_ids", "touches")) else "Enter a whole number"
    if kind in ("float_parsing", "float_type", "decimal_parsing"):
        return "Enter a number"
    if kind == "finite_number":
        return NOT_FINITE
    if kind in ("date_parsing", "date_from_datetime_parsing", "date_type", "date_from_datetime_inexact"):
        return "Enter a date as YYYY-MM-DD"
    if kind in ("bool_parsing", "bool_type"):
        return "Choose yes or no"
    if kind in ("literal_error", "enum"):
        return chosen or f"Choose one of {ctx.get('expected', 'the listed values')}"
    if kind == "string_too_short":
        n = int(ctx.get("min_length", 1))
        return "Write something here" if n <= 1 else f"Write at least {n} characters"
    if kind == "string_too_long":
        n = int(ctx.get("max_length", 0))
        return f"Keep it to {n:,} characters or fewer"
    if kind == "too_long":
        return f"At most {int(ctx.get('max_length', 0)):,} entries"
    if kind == "too_short":
        return chosen or "Choose at least one"
    if kind in ("less_than_equal", "less_than"):
        limit = ctx.get("le", ctx.get("lt"))
        if limit is not None and int(limit) >= ID_MAX:
            return OUT_OF_RANGE
        return f"Enter {limit} or less" if kind == "less_than_equal" else f"Enter less than {limit}"
    if kind in ("greater_than_equal", "greater_than"):
        limit = ctx.get("ge", ctx.get("gt"))
        if name.endswith("_id") or name == "id":
            return chosen or "Is not a known item"
        return f"Enter {limit} or more" if kind == "greater_than_equal" else f"Enter more than {limit}"
    if kind in ("string_type", "list_type", "dict_type", "model_type", "model_attributes_type"):
        return "Is not the right kind of value"
    return str(error.get("msg", "")).removeprefix("Value error, ").removeprefix("Assertion failed, ")


def blanks_as_none(data: Any) -> Any:
    """A form's blank fields read as none (`{"until": ""}` as `{"until": None}`); anything
    that is not a mapping as it came, for the model to refuse by name."""
    return {k: (None if v == "" else v) for k, v in data.items()} if isinstance(data, dict) else data


def parse(model: type[M], data: Any) -> M:
    """Validate `data` as `model`, or raise `Invalid` naming each bad field in plain words."""
    if isinstance(data, model):
        return data
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = [FieldError(loc_path(tuple(e["loc"])), message(e)) for e in exc.errors()]
        named = {e.loc for e in errors}
        errors += [e for e in reversed_dates(data) if e.loc not in named]
        raise Invalid("; ".join(f"{e.loc}: {e.message}" for e in errors), errors) from None


def reversed_dates(data: Any) -> list[FieldError]:
    """Both fields marked when an end comes before its start, said even beside other errors."""
    if not isinstance(data, Mapping):
        return []
    try:
        start = dt.date.fromisoformat(str(data.get("start") or ""))
        end = dt.date.fromisoformat(str(data.get("end") or ""))
    except ValueError:
        return []
    if end >= start:
        return []
    return [
        FieldError("start", "The start date is after the end date"),
        FieldError("end", "The end date is before the start date"),
    ]


def check_text(loc: str, value: str | None, cap: str, min_length: int = 0) -> str:
    """A text a service takes as a bare argument (a reason, a label), held to `CAPS[cap]`."""
    value = (value or "").replace("\r\n", "\n").strip()
    if "\x00" in value:
        raise Invalid.field(loc, HAS_NUL)
    if len(value) > CAPS[cap]:
        raise Invalid.field(loc, f"Keep it to {CAPS[cap]:,} characters or fewer")
    if len(value) < min_length:
        raise Invalid.field(
            loc, "Write something here" if min_length <= 1 else f"Write at least {min_length} characters"
        )
    return value


def as_db_int(value: Any) -> int | None:
    """`value` as an integer an integer column holds, or None (not a whole number, or out of range).

    The range is PostgreSQL's `integer` (`ID_MAX`), which every id and version column is.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        n = value
    elif isinstance(value, str) and len(value) < 40 and _INT.match(value):
        n = int(value)
    else:
        return None
    return n if -ID_MAX - 1 <= n <= ID_MAX else None
