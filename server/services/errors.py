"""The one small hierarchy of domain errors, mapped to responses in one place."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every error a service raises on purpose."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class NotFound(DomainError):
    """Absent, or not visible to the actor: the two are never told apart."""

    status = 404
    title = "Not found"


class NotAllowed(DomainError):
    """Visible to the actor, but not theirs to change."""

    status = 403
    title = "Not allowed"


class Conflict(DomainError):
    """Someone else saved first, or the change collides with existing state."""

    status = 409
    title = "Conflict"


class FieldError:
    """One invalid field: its path (`title`, `metrics[2].kind`) and the message."""

    def __init__(self, loc: str, message: str) -> None:
        self.loc = loc
        self.message = message

    def as_dict(self) -> dict[str, str]:
        return {"loc": self.loc, "message": self.message}


class Invalid(DomainError):
    """Input that breaks a rule; `errors` name each field."""

    status = 422
    title = "Invalid input"

    def __init__(self, detail: str, errors: list[FieldError] | None = None) -> None:
        super().__init__(detail)
        self.errors = errors or []

    @classmethod
    def field(cls, loc: str, message: str) -> Invalid:
        return cls(f"{loc}: {message}", [FieldError(loc, message)])
