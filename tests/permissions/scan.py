"""The body scan: every GET route of the matrix, as every role, with every id of every
kind there is, as a page, as each htmx fragment and as JSON, plus the live stream;
each body and frame is searched for the strings the ground truth forbids that role."""

from __future__ import annotations

import html
import io
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import anyio
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from server.models import (
    Alert,
    Crisis,
    FieldReport,
    Initiative,
    LeverageTool,
    LogEntry,
    Metric,
    RedLine,
    ResourceLine,
    StaffLine,
)
from tests.permissions.routes import PARAM, fill
from tests.permissions.test_matrix import load_matrix
from tests.permissions.truth import Secret, Truth

LINE_TABLES: dict[str, Any] = {
    "red_lines": RedLine,
    "staff": StaffLine,
    "resources": ResourceLine,
    "leverage": LeverageTool,
    "metrics": Metric,
}
# The blocks an htmx request may ask a page for (by HX-Target), as the routes name them.
FRAGMENTS: dict[str, tuple[str, ...]] = {
    "GET /": ("alerts", "waiting", "activity"),
    "GET /alerts": ("inbox",),
    "GET /coordination": ("requests", "coordination_summary"),
    "GET /decisions": ("log",),
    "GET /initiatives": ("results",),
    "GET /reports": ("report_list", "report_form"),
    "GET /crises/{crisis_id}": ("timeline",),
    "GET /initiatives/{initiative_id}": (
        "initiative",
        "alerts",
        "decision_log",
        "decision_form",
        "comments",
        "comment_form",
        "reports",
        "report_form",
    ),
}
# Filters that name a track or a crisis: a filter must not open what the list hides.
BY_TRACK = (
    "/api/v1/decisions",
    "/decisions",
    "/api/v1/field-reports",
    "/api/v1/alerts?status=all&",
    "/alerts?status=all&department=all&",
)
BY_CRISIS = ("/api/v1/initiatives", "/initiatives", "/api/v1/field-reports")
EXTRA = (
    "/api/v1/alerts?status=all",
    "/alerts?status=all",
    "/alerts?status=all&department=all",
    "/api/v1/initiatives?shared_with_us=true",
)
# Framework pages: the same for everyone and without data, read once as anonymous.
STATIC = {
    "GET /api/v1/openapi.json",
    "GET /api/v1/docs",
    "GET /docs/oauth2-redirect",
    "GET /redoc",
    "GET /healthz",
    "GET /readyz",
    "GET /metrics",
}
# Lists in the export that are a directory of names, like a form's select.
EXPORT_DIRECTORY = ("organisations", "crises", "parties", "interlocutors")
_SELECT = re.compile(r"<select\b.*?</select>", re.S | re.I)
# The Principles page's prose (the paper's words, how each check works) is the same for
# every reader: a common word in it ("conditionality") names nothing of a track.
_PROSE = re.compile(r'<div class="check-prose">.*?</div>', re.S)


@dataclass(frozen=True)
class Hit:
    """A forbidden string found in what a role received."""

    route: str
    role: str
    url: str
    kind: str
    text: str
    what: str

    def __str__(self) -> str:
        return f"{self.route} as {self.role} [{self.url}]: {self.text!r} ({self.what})"


@dataclass
class Ids:
    """Every object of the world, by kind, read from the database (not through a service)."""

    tracks: list[tuple[int, str]]
    lines: list[tuple[str, int, int]]  # part, id, track id
    entries: list[int]
    reports: list[tuple[int, str | None]]
    requests: list[int]
    alerts: list[int]
    crises: list[int]
    n4_alerts: list[int] = field(default_factory=list)
    # The track an entry belongs to, and the tracks an alert concerns (by key).
    entry_tracks: dict[int, str] = field(default_factory=dict)
    alert_tracks: dict[int, set[str]] = field(default_factory=dict)
    # The world's named ids (`World.ids`), for the matrix's `$name` values.
    named: dict[str, Any] = field(default_factory=dict)

    @property
    def other_alerts(self) -> list[int]:
        return [a for a in self.alerts if a not in self.n4_alerts]

    @classmethod
    def read(cls, db: Session) -> Ids:
        lines = [
            (part, int(row.id), int(row.initiative_id))
            for part, model in LINE_TABLES.items()
            for row in db.exec(select(model)).all()
        ]
        from server.models import AlertInitiative, CoordinationRequest

        key_of = {i: k for i, k in db.exec(select(Initiative.id, Initiative.key)).all()}
        alert_tracks: dict[int, set[str]] = {}
        for alert_id, track_id in db.exec(
            select(AlertInitiative.alert_id, AlertInitiative.initiative_id)
        ).all():
            alert_tracks.setdefault(int(alert_id), set()).add(key_of[track_id])
        return cls(
            tracks=[(int(i.id), i.key) for i in db.exec(select(Initiative).order_by(Initiative.id)).all()],
            lines=lines,
            entries=[int(e) for e in db.exec(select(LogEntry.id)).all()],
            reports=[(int(r.id), r.key) for r in db.exec(select(FieldReport)).all()],
            requests=[int(r) for r in db.exec(select(CoordinationRequest.id)).all()],
            alerts=[int(a) for a in db.exec(select(Alert.id)).all()],
            crises=[int(c) for c in db.exec(select(Crisis.id)).all()],
            n4_alerts=[int(a) for a in db.exec(select(Alert.id).where(Alert.principle == "N4")).all()],
            entry_tracks={
                int(e): key_of[t]
                for e, t in db.exec(select(LogEntry.id, LogEntry.initiative_id)).all()
                if t is not None
            },
            alert_tracks=alert_tracks,
        )


@dataclass
class Request:
    route: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)


def _urls(route: str, ids: Ids, defaults: dict[str, Any]) -> Iterator[tuple[str, set[str]]]:
    """Each URL of a route with every id its parameters may take, and the track keys it names.

    A parameter of a kind the world does not enumerate takes the matrix's value."""
    path = route.split(" ", 1)[1]
    names = [m.group(1) for m in PARAM.finditer(path)]
    key_of = dict(ids.tracks)
    enumerated = {"decision_id", "report_id", "request_id", "alert_id", "crisis_id"}
    if len(names) == 1 and names[0] not in enumerated | {"initiative_id", "key"}:
        yield fill(path, defaults), set()
    elif not names:
        yield path, set()
    elif "line_id" in names:
        for part, line_id, track_id in ids.lines:
            yield (
                fill(path, {"initiative_id": track_id, "part": part, "line_id": line_id}),
                {key_of[track_id]},
            )
    elif "part" in names:
        # An empty form for a new item: every track once, every part in turn.
        parts = list(LINE_TABLES)
        for n, (track_id, key) in enumerate(ids.tracks):
            yield fill(path, {"initiative_id": track_id, "part": parts[n % len(parts)]}), {key}
    elif names == ["initiative_id"]:
        for track_id, key in ids.tracks:
            yield fill(path, {"initiative_id": track_id}), {key}
    elif names == ["key"] and "field-reports" in path:
        for _, report_key in ids.reports:
            if report_key:
                yield fill(path, {"key": report_key}), set()
        yield fill(path, {"key": "fr-no-such-report"}), set()
    elif names == ["key"]:
        for _, key in ids.tracks:
            yield fill(path, {"key": key}), {key}
        yield fill(path, {"key": "t-no-such-track"}), set()
    elif len(names) > 1:
        yield fill(path, defaults), set()
    else:
        (name,) = names
        values = {
            "decision_id": ids.entries,
            "report_id": [r for r, _ in ids.reports],
            "request_id": ids.requests,
            "alert_id": ids.n4_alerts + ids.other_alerts[:1] if "/notices/" in path else ids.alerts,
            "crisis_id": ids.crises,
        }[name]
        for value in [*values, max(values, default=0) + 1]:
            if name == "alert_id":
                keys = ids.alert_tracks.get(value, set())
            elif name == "decision_id":
                keys = {ids.entry_tracks[value]} if value in ids.entry_tracks else set()
            else:
                keys = set()
            yield fill(path, {name: value}), keys


def requests_for(role: str, ids: Ids, truth: Truth, pdf: bool = True, sample: bool = False) -> list[Request]:
    """Everything the scan sends as one role.

    With `pdf` false the PDF renderings of the log are left out: they hold the rows of its
    CSV and print page (scanned for every role) and cost the most to make, so they are read
    once per government, see `Scanner.run`. With `sample` a route takes every id of what
    the role may see and one id of what it may not (instead of every one)."""
    visible = truth.visible(role)
    home = truth.home(role)

    def seen(route: str, keys: set[str]) -> bool:
        if "alert" in route or "notices" in route:  # alerts are their government's own
            return bool(keys & home)
        return keys <= visible

    out: list[Request] = []
    matrix = load_matrix()
    for route, spec in matrix["routes"].items():
        if not route.startswith("GET ") or spec.get("stream"):
            continue
        if route in STATIC and role != "anonymous":
            continue
        defaults = {**matrix.get("params", {}), **spec.get("params", {})}
        defaults = {k: ids.named.get(v[1:], v) if str(v).startswith("$") else v for k, v in defaults.items()}
        urls = list(_urls(route, ids, defaults))
        if route.endswith(".pdf"):
            urls = [(u, keys) for u, keys in urls if pdf and keys <= visible]
        if sample:
            hidden = [(u, keys) for u, keys in urls if not seen(route, keys)]
            urls = [(u, keys) for u, keys in urls if seen(route, keys)] + hidden[:1]
        if role == "anonymous":  # every route answers the sign-in page or 401, whatever the id
            urls = urls[:1]
        for url, keys in urls:
            out.append(Request(route, url + spec.get("query", "")))
            # A fragment of a page the role may not see answers as the page does (404);
            # only what the role reads is asked for block by block.
            if route in FRAGMENTS and keys <= visible and role != "anonymous":
                for block in FRAGMENTS[route]:
                    out.append(Request(f"{route} #{block}", url, {"HX-Request": "true", "HX-Target": block}))
    if role == "anonymous":
        return out
    for track_id, _ in ids.tracks:
        for base in BY_TRACK:
            sep = "" if base.endswith("&") else "?"
            out.append(
                Request(f"GET {base.split('?')[0]}?initiative_id", f"{base}{sep}initiative_id={track_id}")
            )
    for crisis_id in ids.crises:
        for base in BY_CRISIS:
            out.append(Request(f"GET {base}?crisis_id", f"{base}?crisis_id={crisis_id}"))
    for url in EXTRA:
        out.append(Request(f"GET {url}", url))
    return out


# ---------------------------------------------------------------- searching


def readable(body: bytes, content_type: str) -> tuple[str, str]:
    """The body as a reader sees it (entities and JSON escapes undone), whole and without directories."""
    if "pdf" in content_type:
        text = pdf_text(body)
        return text, text
    text = body.decode(errors="replace")
    if "json" in content_type:
        try:
            data = json.loads(text)
        except ValueError:
            return text, text
        whole = json.dumps(data, ensure_ascii=False)
        if isinstance(data, dict) and any(k in data for k in EXPORT_DIRECTORY):
            data = {k: v for k, v in data.items() if k not in EXPORT_DIRECTORY}
        return whole, json.dumps(data, ensure_ascii=False)
    whole = html.unescape(text)
    return whole, html.unescape(_PROSE.sub("", _SELECT.sub("", text)))


def pdf_text(body: bytes) -> str:
    """The text a PDF shows (its compressed streams would match keys by chance)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(body))
    return "\n".join(page.extract_text() or "" for page in reader.pages) + "\n" + str(reader.metadata or "")


class Searcher:
    """One role's forbidden strings, searched fast: a substring test first, the pattern after."""

    def __init__(self, secrets: list[Secret]) -> None:
        self.secrets = [(s, s.text.lower(), s.pattern()) for s in secrets]

    def find(self, whole: str, outside: str) -> list[Secret]:
        lw, lo = whole.lower(), outside.lower()
        found = []
        for s, low, pattern in self.secrets:
            text, lowered = (outside, lo) if s.directory else (whole, lw)
            if low in lowered and pattern.search(text):
                found.append(s)
        return found


@dataclass
class Scan:
    hits: list[Hit] = field(default_factory=list)
    # Each secret string (lower case) and the roles allowed to read it that did receive it.
    received: dict[str, set[str]] = field(default_factory=dict)
    statuses: Counter[int] = field(default_factory=Counter)
    requests: int = 0
    frames: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def of(self, kind: str, role: str) -> list[Hit]:
        return [h for h in self.hits if h.kind == kind and h.role == role]


class Scanner:
    def __init__(self, truth: Truth) -> None:
        self.truth = truth
        self.searchers = {r: Searcher(truth.forbidden(r)) for r in truth.people}
        allowed = truth.allowed_somewhere()
        # Strings still to be seen by a role allowed to read them: proof that the search bites.
        self.pending = {t: roles for t, roles in allowed.items() if roles}
        self.scan = Scan()

    def look(self, role: str, route: str, url: str, body: bytes, content_type: str) -> None:
        whole, outside = readable(body, content_type)
        for s in self.searchers[role].find(whole, outside):
            self.scan.hits.append(Hit(route, role, url, s.kind, s.text, s.what))
        if self.pending:
            lw = whole.lower()
            for text in [t for t, roles in self.pending.items() if role in roles and t in lw]:
                self.scan.received.setdefault(text, set()).add(role)
                del self.pending[text]

    def run(
        self, client: TestClient, headers: dict[str, dict[str, str]], ids: Ids, sample: bool = False
    ) -> Scan:
        pdf_read: set[str | None] = set()
        for role in headers:
            # The people of one government read the same log (what stays home is its own).
            person = self.truth.people[role]
            group = self.truth.government(person.org) if person.kind != "field_contributor" else role
            pdf = group not in pdf_read
            pdf_read.add(group)
            for req in requests_for(role, ids, self.truth, pdf, sample):
                r = client.get(req.url, headers=headers[role] | req.headers, follow_redirects=False)
                self.scan.requests += 1
                self.scan.statuses[r.status_code] += 1
                self.look(role, req.route, req.url, r.content, r.headers.get("content-type", ""))
        return self.scan


# ---------------------------------------------------------------- the live stream


def read_streams(
    app: Any, headers: dict[str, dict[str, str]], after: int, seconds: float = 2.0
) -> dict[str, str]:
    """Each role's `/events` stream from the cursor `after`, read for `seconds` at most.

    The streams run side by side on one event loop; each is hung up once its backlog has
    come and nothing more arrived for a moment (or the time is up).
    """
    out = {role: "" for role in headers}

    async def one(role: str) -> None:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": "/events",
            "raw_path": b"/events",
            "query_string": f"after={after}".encode(),
            "root_path": "",
            "headers": [(k.lower().encode(), v.encode()) for k, v in headers[role].items()]
            + [(b"host", b"testserver")],
            "client": ("127.0.0.1", 50000),
            "server": ("testserver", 80),
            "app": app,
        }
        hang_up = anyio.Event()
        last = {"t": anyio.current_time()}

        async def receive() -> dict[str, Any]:
            if not last.get("sent"):
                last["sent"] = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await hang_up.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.body" and message.get("body"):
                out[role] += message["body"].decode(errors="replace")
                last["t"] = anyio.current_time()

        async with anyio.create_task_group() as tg:

            async def watch() -> None:
                start = anyio.current_time()
                while anyio.current_time() - start < seconds:
                    await anyio.sleep(0.1)
                    if "data:" in out[role] and anyio.current_time() - last["t"] > 0.6:
                        break
                hang_up.set()
                await anyio.sleep(0.2)
                tg.cancel_scope.cancel()

            tg.start_soon(watch)
            await app(scope, receive, send)

    async def main() -> None:
        async with anyio.create_task_group() as tg:
            for role in headers:
                tg.start_soon(one, role)

    anyio.run(main)
    return out


def frames(stream: str) -> list[dict[str, Any]]:
    """The data of each event of an SSE stream's text."""
    return [json.loads(line[5:]) for line in stream.splitlines() if line.startswith("data:")]
