"""The API against its own OpenAPI document, by Schemathesis, as a desk officer with a real token.

Stateless: every operation, with data that fits its schema and data that breaks it (an
unknown field, a wrong type, an id past the database's range). Stateful: sequences that
feed one answer's ids into the next call (a track created, then read, edited and given
items). Every answer must be no 5xx, of a status and content type the document declares,
and match its schema; data that breaks the schema must be refused. The examples are
bounded and fixed (derandomised), so the run is the same on every machine and short; it runs
on SQLite and on PostgreSQL, each against one seeded workspace that the operations share.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlmodel import Session

from server import db as dbmod
from server.app import create_app
from server.services import sessions
from tests.conftest import database
from tests.factories import document, initiative, load, person

# The document needs no database; each call reaches the test's own (the app reads its
# settings per request).
APP = create_app()
DOC = APP.openapi()


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = DOC["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


@schemathesis.check
def unknown_fields_rejected(ctx: Any, response: Any, case: Any) -> None:
    """A body field or query parameter the operation does not declare is refused, never ignored."""
    operation = DOC["paths"].get(case.operation.path, {}).get(case.method.lower())
    if operation is None:  # a method the path does not take: answered 405 (`status_code_conformance`)
        return
    declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
    unknown = [f"query {k}" for k in (case.query or {}) if k not in declared]
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    if body is not None and isinstance(case.body, dict):
        body = _resolve(body)
        if body.get("additionalProperties") is False:
            unknown += [f"body {k}" for k in case.body if k not in body.get("properties", {})]
    if unknown and not 400 <= response.status_code < 500:
        raise AssertionError(f"{', '.join(unknown)} accepted with status {response.status_code}")


# Not `negative_data_rejection` as a whole: request models read JSON the way Pydantic does
# by default, so `0` for a boolean or `"3"` for an id is taken as meant; unknown fields and
# values out of range are refused, and the check above holds the API to the first.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    unknown_fields_rejected,
]
EXAMPLES = 12
QUICK = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def seed(db: Session) -> str:
    """A workspace with tracks that carry items, a partner's shared track, and a desk officer's token."""
    load(
        db,
        document(
            initiatives=[
                initiative(
                    "t1",
                    title="Access talks for the northern valleys",
                    red_lines=[{"text": "no armed escorts for aid convoys", "trigger": "pause"}],
                    metrics=[{"name": "checkpoints reopened for aid convoys", "kind": "outcome"}],
                    resources=[{"kind": "funding", "amount": 1000, "currency": "EUR", "org": "varnia-dev"}],
                ),
                initiative("t2", title="Delta dialogue", crisis="delta", kind="political"),
                initiative("t3", owner="ostmark-fa", title="Ostmark's valley talks"),
            ]
        ),
    )
    desk = person(db, "varnia-mfa", "desk_officer")
    token = sessions.create_api_token(db, desk, "schemathesis")
    db.commit()
    return token


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def token(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One seeded workspace per database for the whole module: the operations fuzz it in turn,
    as a client would, and the run spends its time on requests rather than on set-up."""
    backend = str(request.param)
    if backend not in request.config.getoption("--db").split(","):
        pytest.skip(f"--db does not name {backend}")
    with pytest.MonkeyPatch.context() as mp, database(request, backend, tmp_path_factory.mktemp(backend), mp):
        with Session(dbmod.get_engine(write=True), expire_on_commit=False) as db:
            token = seed(db)
        yield token


schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", APP)
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], max_examples=EXAMPLES
)


@schema.parametrize()
@QUICK
def test_every_operation(case: Any, token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)


def test_call_sequences(token: str) -> None:
    machine = schema.as_state_machine()

    class Signed(machine):  # type: ignore[misc, valid-type]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": {"Authorization": f"Bearer {token}"}}

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            case.validate_response(response, checks=CHECKS)

    Signed.run(
        settings=settings(
            max_examples=15,
            stateful_step_count=6,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )
