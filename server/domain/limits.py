"""The bounds every input is held to, wherever it comes from: a form, the API or a workspace document.

One table of text caps, the database's integer range, finite amounts and sane dates. The
service models (`server.services.*Data`), the API's request models, the workspace document
(`accord import`) and the forms' `maxlength` all read these names, so the same text is
refused the same way everywhere. `server.services.validation` re-exports them for the
layers that may not import the domain directly.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any, Final

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator

# Any integer in a request must fit 64 bits (SQLite's INTEGER overflows past them).
INT_MIN: Final = -(2**63)
INT_MAX: Final = 2**63 - 1
# Ids, versions and every other integer column are PostgreSQL `integer` (32 bits, the
# range of a serial id): a larger id can name no row, and PostgreSQL refuses to compare it
# with the column, so it is refused at the edge (422) on both databases alike.
ID_MAX: Final = 2**31 - 1

# The dates a record may carry: nothing in Accord predates 1990 or plans past 2100.
DATE_MIN: Final = dt.date(1990, 1, 1)
DATE_MAX: Final = dt.date(2100, 12, 31)

# The largest request body the server reads (forms and JSON alike).
BODY_MAX_BYTES: Final = 1_000_000

# Text caps, in characters, by the kind of text a field holds.
CAPS: Final[dict[str, int]] = {
    "key": 200,  # an external reference (`t-...`, an organisation's key)
    "name": 200,  # a person, organisation, crisis, party, metric or interlocutor
    "title": 300,  # a track's title
    "short": 200,  # a currency, a target, a region, a label
    "item": 1_000,  # one aim, objective or red line
    "description": 20_000,  # a track's or leverage tool's description
    "reason": 2_000,  # why an alert was dismissed, a sign-off declined, a request made or refused
    "comment": 5_000,
    "decision": 5_000,  # a decision's text
    "report": 10_000,  # a field report's text
    "url": 2_000,
    "email": 320,
}
TITLE_MIN: Final = 3
ITEMS_MAX: Final = 100  # aims, objectives, touched departments, parties: entries in one list

NOT_FINITE: Final = "Must be a number (not Infinity or NaN)"
OUT_OF_RANGE: Final = "Is out of range"
HAS_NUL: Final = "Must not contain NUL characters"


def dates_message() -> str:
    return f"Must be between {DATE_MIN:%d %B %Y} and {DATE_MAX:%d %B %Y}"


def problem(value: Any) -> str | None:
    """What is wrong with one plain value wherever it appears, or None: NUL, range, finiteness, date."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        return HAS_NUL if "\x00" in value else None
    if isinstance(value, int):
        return None if INT_MIN <= value <= INT_MAX else OUT_OF_RANGE
    if isinstance(value, float):
        return None if math.isfinite(value) else NOT_FINITE
    if isinstance(value, dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        return None if DATE_MIN <= day <= DATE_MAX else dates_message()
    return None


def find_problems(value: Any, path: str = "") -> list[tuple[str, str]]:
    """Every (path, message) of a bad plain value inside nested lists and dicts (a JSON body)."""
    out: list[tuple[str, str]] = []
    if isinstance(value, dict):
        for k, v in value.items():
            out += find_problems(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, (list, tuple)):
        for n, v in enumerate(value):
            out += find_problems(v, f"{path}[{n}]")
    else:
        msg = problem(value)
        if msg is not None:
            out.append((path, msg))
    return out


def _sound(value: Any) -> Any:
    """Refuse a value that breaks a bound whatever its field (for `Bounded` models)."""
    found = find_problems(value)
    if found:
        raise ValueError(found[0][1])
    return value


def _newlines(value: Any) -> Any:
    # A browser sends a textarea's line breaks as CRLF but counts them as one for maxlength.
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


class Bounded(BaseModel):
    """Input with every value in bounds: no NUL in text, integers the database holds, finite
    numbers, dates between `DATE_MIN` and `DATE_MAX`. Unknown fields are refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _one_newline(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [_newlines(v) for v in value]
        return _newlines(value)

    @field_validator("*", mode="after")
    @classmethod
    def _in_bounds(cls, value: Any) -> Any:
        return _sound(value)


def text(cap: str, min_length: int = 0) -> Any:
    """A `Field` for text capped by `CAPS[cap]` (`title: str = text("title", 3)`)."""
    return Field(min_length=min_length, max_length=CAPS[cap])


def text_or_blank(cap: str) -> Any:
    """A `Field` for optional text capped by `CAPS[cap]`, blank by default."""
    return Field(default="", max_length=CAPS[cap])


# Integers and numbers the database holds, each refused with a plain word otherwise.
DbInt = Annotated[int, AfterValidator(_sound)]
Id = Annotated[int, Field(ge=1, le=ID_MAX)]
Amount = Annotated[float, Field(ge=0, allow_inf_nan=False), AfterValidator(_sound)]
Day = Annotated[dt.date, AfterValidator(_sound)]


def _blank_none(value: Any) -> Any:
    return None if value == "" else value


OptionalId = Annotated[Id | None, BeforeValidator(_blank_none)]
