"""Turning input into typed data, with every error named by its field."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from server.services.errors import FieldError, Invalid

M = TypeVar("M", bound=BaseModel)


def loc_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def parse(model: type[M], data: Any) -> M:
    """Validate `data` as `model`, or raise `Invalid` naming each bad field."""
    if isinstance(data, model):
        return data
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = [
            FieldError(
                loc_path(tuple(e["loc"])),
                "unknown field"
                if e["type"] == "extra_forbidden"
                else str(e["msg"]).removeprefix("Value error, "),
            )
            for e in exc.errors()
        ]
        raise Invalid("; ".join(f"{e.loc}: {e.message}" for e in errors), errors) from None
