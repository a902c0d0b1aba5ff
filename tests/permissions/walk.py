"""Walking every GET route of the matrix as one role, with every id and key there is."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from server.models import (
    Alert,
    AlertInitiative,
    Comment,
    CoordinationRequest,
    FieldReport,
    Initiative,
    LogEntry,
    Metric,
    RedLine,
    SharingGrant,
)
from tests.permissions import world as w
from tests.permissions.routes import PARAM
from tests.permissions.test_matrix import call, load_matrix


@dataclass
class Answer:
    route: str
    url: str
    status: int
    body: str


def get_routes() -> list[tuple[str, dict[str, Any]]]:
    """The GET routes of the matrix (mounts left out: static files hold no data)."""
    return [(k, s) for k, s in load_matrix()["routes"].items() if k.startswith("GET ")]


def responses(client: TestClient, world: w.World, role: str, **params: Any) -> Iterator[Answer]:
    """Every GET route once, with the matrix's path parameters (or those given)."""
    from tests.permissions import test_matrix

    test_matrix.MATRIX_PARAMS.clear()
    test_matrix.MATRIX_PARAMS.update(load_matrix().get("params", {}))
    for key, spec in get_routes():
        spec = {**spec, "params": {**spec.get("params", {}), **params}}
        status, body = call(client, world, key, spec, role)
        yield Answer(key, key, status, body.decode(errors="replace"))
    for extra in ("?shared_with_us=true", "?q=a"):
        status, body = call(client, world, "GET /api/v1/initiatives", {"query": extra}, role)
        yield Answer("GET /api/v1/initiatives", extra, status, body.decode(errors="replace"))


def all_ids(db: Session) -> dict[str, list[Any]]:
    """Per object kind: every id (1..max+5) or key to try."""

    def ints(model: Any) -> list[int]:
        ids = [i for i in db.exec(select(model.id)).all() if i is not None]
        return list(range(1, max(ids, default=0) + 6))

    return {
        "initiative_key": list(db.exec(select(Initiative.key)).all()) + ["t-no-such-track"],
        "report_key": list(db.exec(select(FieldReport.key)).all()) + ["fr-no-such-report"],
        "initiative": ints(Initiative),
        "decision": (ints(LogEntry)),
        "comment": (ints(Comment)),
        "report": ints(FieldReport),
        "grant": (ints(SharingGrant)),
        "request": (ints(CoordinationRequest)),
        "alert": (ints(Alert)),
        # The matrix fills {part} with red_lines.
        "line": (ints(RedLine)),
        "metric": ints(Metric),
    }


# Which kind of object a path parameter names; `key` depends on the route.
PARAM_KINDS = {
    "initiative_id": "initiative",
    "other_id": "initiative",
    "decision_id": "decision",
    "comment_id": "comment",
    "report_id": "report",
    "grant_id": "grant",
    "request_id": "request",
    "alert_id": "alert",
    "line_id": "line",
    "metric_id": "metric",
}


def param_kind(route: str, name: str) -> str | None:
    if name == "key":
        return "report" if "field-reports" in route or "/reports" in route else "initiative"
    return PARAM_KINDS.get(name)


def candidates_for(route: str, name: str, ids: dict[str, list[Any]]) -> list[Any]:
    """What to guess for one path parameter: keys for a key, integers for an id."""
    kind = param_kind(route, name)
    if kind is None:
        return []
    return ids[f"{kind}_key"] if name == "key" else ids[kind]


def visible_truth(db: Session, world: w.World, role: str) -> dict[str, set[Any]]:
    """What the role may see, written out from the world's own story, not from access.py."""
    ids = world.ids
    home_tracks = {
        "partner_granted": set(),
        "partner_ungranted": {ids["kestrel_id"]},
        "field": set(),
    }[role]
    shared_tracks = {"partner_granted": {ids["shared_id"]}, "partner_ungranted": set(), "field": set()}[role]
    tracks = home_tracks | shared_tracks
    keys = set(db.exec(select(Initiative.key).where(Initiative.id.in_(tracks))).all()) if tracks else set()  # type: ignore[union-attr]
    org_id = world.users[role].organisation_id
    reports = {
        r.id: r
        for r in db.exec(select(FieldReport)).all()
        if r.initiative_id in tracks or r.org_id == org_id or (r.initiative_id is None and role != "field")
    }
    # An alert is its owning government's own assessment: a partner reads the alerts of
    # its own tracks (blind notices included), not those of a track only shared with it.
    alerts = {
        a
        for a, i in db.exec(select(AlertInitiative.alert_id, AlertInitiative.initiative_id)).all()
        if i in home_tracks
    }
    return {
        "initiative": tracks | keys,
        "decision": {
            e.id
            for e in db.exec(select(LogEntry).where(LogEntry.entry_type == "decision")).all()
            if e.initiative_id in tracks
        },
        "comment": {
            c.id
            for c in db.exec(select(Comment)).all()
            if c.initiative_id in tracks and (not c.internal or c.initiative_id in home_tracks)
        },
        "report": set(reports) | {r.key for r in reports.values()},
        # Whom a track is shared with stays home: a partner sees no grant.
        "grant": {g.id for g in db.exec(select(SharingGrant)).all() if g.initiative_id in home_tracks},
        "request": {
            r.id
            for r in db.exec(select(CoordinationRequest)).all()
            if r.from_initiative_id in tracks or r.to_initiative_id in tracks
        },
        "alert": alerts,
        "line": {
            row.id
            for row in db.exec(select(RedLine)).all()
            if row.initiative_id in tracks and (not row.internal or row.initiative_id in home_tracks)
        },
        # A metric (and its values) is as visible as its track; an internal one stays home.
        "metric": {
            m.id
            for m in db.exec(select(Metric)).all()
            if m.initiative_id in tracks and (not m.internal or m.initiative_id in home_tracks)
        },
    }


def path_params(route: str) -> list[str]:
    return [m.group(1) for m in PARAM.finditer(route)]
