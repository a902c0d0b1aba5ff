"""The permission matrix: every route of the app, as every role, against a real database.

`matrix.yaml` names, for each route (`METHOD /path` as the app declares it), the
request to send and the status each role must get. The test walks the app's real
route table: a route missing from the file fails the test with the lines to add.
Every cell then runs through the running app on SQLite and PostgreSQL; a write that
succeeded is undone before the next cell, so every cell meets the same world.

Set ACCORD_MATRIX_RECORD=<file> to write the statuses observed, in the file's own
shape, for review when routes are added.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import yaml
from fastapi.testclient import TestClient
from sqlmodel import Session

from server.app import create_app
from tests.permissions import world as w
from tests.permissions.routes import RouteKey, app_routes, fill, stream_status

MATRIX_FILE = Path(__file__).with_name("matrix.yaml")
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def load_matrix() -> dict[str, Any]:
    return yaml.safe_load(MATRIX_FILE.read_text())


def expected_for(spec: dict[str, Any]) -> dict[str, int]:
    """Each role's expected status; `default` fills the roles not named."""
    expect = dict(spec["expect"])
    default = expect.pop("default", None)
    out = {}
    for role in w.ROLES:
        value = expect.get(role, default)
        if value is None:
            raise AssertionError(f"no expected status for role {role}")
        out[role] = int(value)
    unknown = set(expect) - set(w.ROLES)
    assert not unknown, f"unknown roles in matrix: {unknown}"
    return out


def _suggestion(key: RouteKey) -> str:
    anon = 401 if key.path.startswith("/api/") else 303
    return (
        f'  "{key}":\n'
        f"    # fill in: body/form for writes, params for path parameters not under params:\n"
        f"    expect: {{default: 200, anonymous: {anon}}}\n"
    )


def test_every_route_is_in_the_matrix() -> None:
    """A route the file does not list fails here, with the entries to paste into matrix.yaml."""
    listed = set(load_matrix()["routes"])
    actual = app_routes(create_app())
    missing = [k for k in actual if str(k) not in listed]
    stale = sorted(listed - {str(k) for k in actual})
    message = ""
    if missing:
        message += (
            f"{len(missing)} route(s) of the app are not in {MATRIX_FILE.name}; add under routes:\n"
            + "".join(_suggestion(k) for k in missing)
        )
    if stale:
        message += f"\n{len(stale)} entr(ies) in {MATRIX_FILE.name} match no route any more:\n" + "\n".join(
            f"  {s}" for s in stale
        )
    assert not message, message


def _body(spec: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """The request's JSON or form body, with `$name` strings replaced by the world's values."""

    def sub(x: Any) -> Any:
        if isinstance(x, str) and re.fullmatch(r"\$\w+", x):
            return values[x[1:]]
        if isinstance(x, str) and "$" in x:
            return re.sub(r"\$(\w+)", lambda m: str(values[m.group(1)]), x)
        if isinstance(x, dict):
            return {k: sub(v) for k, v in x.items()}
        if isinstance(x, list):
            return [sub(v) for v in x]
        return x

    out: dict[str, Any] = {}
    if "body" in spec:
        out["json"] = sub(spec["body"])
    if "form" in spec:
        out["data"] = sub(spec["form"])
    return out


def call(client: TestClient, world: w.World, key: str, spec: dict[str, Any], role: str) -> tuple[int, bytes]:
    """Send the route's request as the role; the status and body it got."""
    method, path = key.split(" ", 1)
    values = {**world.ids, **MATRIX_PARAMS, **spec.get("params", {})}
    values = {
        k: (world.ids[v[1:]] if isinstance(v, str) and v.startswith("$") else v) for k, v in values.items()
    }
    if method == "MOUNT":
        method, path = "GET", path + "/" + spec["sample"]
    url = fill(path, values) + spec.get("query", "")
    headers = world.headers(role, unsafe=method in UNSAFE)
    headers.update(spec.get("headers", {}))
    if spec.get("stream"):
        return stream_status(client.app, url, headers)
    r = client.request(method, url, headers=headers, follow_redirects=False, **_body(spec, values))
    return r.status_code, r.content


MATRIX_PARAMS: dict[str, Any] = {}


def test_permission_matrix(db: Session, db_backend: str) -> None:
    """Every listed route, every role: the status the matrix says, on this backend."""
    matrix = load_matrix()
    world = w.build(db)
    MATRIX_PARAMS.clear()
    MATRIX_PARAMS.update(matrix.get("params", {}))
    actual = {str(k) for k in app_routes(create_app())}
    failures: list[str] = []
    observed: dict[str, dict[str, int]] = {}
    with w.DbSnapshot() as snapshot, TestClient(create_app(), raise_server_exceptions=False) as client:
        for key, spec in matrix["routes"].items():
            if key not in actual:
                continue  # reported by test_every_route_is_in_the_matrix
            expected = expected_for(spec)
            observed[key] = {}
            for role in w.ROLES:
                status, body = call(client, world, key, spec, role)
                observed[key][role] = status
                if status != expected[role]:
                    failures.append(
                        f"{key} as {role}: expected {expected[role]}, got {status}: {body[:200]!r}"
                    )
                if key.split(" ", 1)[0] in UNSAFE and status < 400 or spec.get("restore"):
                    snapshot.restore()
    record = os.environ.get("ACCORD_MATRIX_RECORD")
    if record:
        Path(record).write_text(json.dumps(observed, indent=1))
    assert not failures, f"{len(failures)} cell(s) differ on {db_backend}:\n" + "\n".join(failures)
