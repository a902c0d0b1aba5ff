"""The JSON API, one router per area; every router here is mounted under /api/v1."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI

from server.api import (
    alerts,
    comments,
    coordination,
    decisions,
    delegations,
    export,
    exports,
    field_reports,
    initiatives,
    sharing,
    tokens,
    webhooks,
)

ROUTERS: list[APIRouter] = [
    initiatives.router,
    decisions.router,
    delegations.router,
    comments.router,
    field_reports.router,
    sharing.router,
    coordination.router,
    export.router,
    exports.router,
    alerts.router,
    tokens.router,
    webhooks.router,
]


def install_openapi(app: FastAPI, prefix: str) -> None:
    """The OpenAPI document: every error of every API operation as RFC 9457 problem details."""
    from fastapi.openapi.utils import get_openapi

    from server.api.http import PROBLEM_STATUSES
    from server.api.schemas import Problem

    def build() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        doc = get_openapi(title=app.title, version=app.version, routes=app.routes, description=DESCRIPTION)
        schemas = doc.setdefault("components", {}).setdefault("schemas", {})
        problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(problem.pop("$defs", {}))
        schemas["Problem"] = problem
        for name in ("HTTPValidationError", "ValidationError"):
            schemas.pop(name, None)
        ref = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for path, operations in doc.get("paths", {}).items():
            if not path.startswith(prefix + "/"):
                continue
            for operation in operations.values():
                answers = operation.setdefault("responses", {})
                for code, text in PROBLEM_STATUSES.items():
                    answers.setdefault(str(code), {"description": text})
                for code, answer in answers.items():
                    if int(code) >= 400:
                        answer["content"] = ref
                        if answer.get("description") == "Validation Error":
                            answer["description"] = PROBLEM_STATUSES[422]
        app.openapi_schema = doc
        return doc

    app.openapi = build  # type: ignore[method-assign]


DESCRIPTION = """The JSON API of Accord. Send an API token as `Authorization: Bearer <token>`.

Lists come a page at a time in a stable order by id (`limit`, at most 1000); when there is
more, the answer's `Link: <url>; rel="next"` names the next page (an opaque `cursor`).
A single record's `ETag` is its version: send it back as `If-Match` on a write, and a
stale one answers 412. Every error is problem details (`application/problem+json`, RFC
9457); invalid input names each field's path in `errors`."""
