"""The permission matrix, by body: no role receives a string the ground truth keeps from it.

One rich world per backend (module scope: building it, acting in it and scanning it is
the expensive part), then one test per kind of secret and role. `truth.py` says what
each role must not receive, from the workspace document, the people and the facts the
test created; `scan.py` sends every GET route of `matrix.yaml` with every id of every
kind (pages, htmx fragments, JSON, the export) and reads the live stream.

A case that fails because of a known leak is marked `xfail(strict=True)` with the
finding of issue 11 it belongs to: once the leak is closed the case passes, the strict
mark turns that into a failure, and the mark must go.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import Session, select

from server import db as dbmod
from server.app import create_app
from server.domain import signoffs
from server.models import Alert, Delegation, Event, Initiative, LogEntry
from server.models.base import utcnow
from server.settings import get_settings
from tests.conftest import _empty_pg
from tests.permissions import test_matrix
from tests.permissions import world as w
from tests.permissions.scan import Ids, Scan, Scanner, frames, read_streams
from tests.permissions.truth import Facts, Person, Truth

ROLES = (*w.ROLES, "kestrel_desk", w.LORIA_DESK)
# The module's world is built, acted in and scanned once, inside its first test: that
# setup reads every route with every id, minutes on a busy machine, past the suite's
# per-test limit of 300 s. A limit still bounds a hang.
pytestmark = pytest.mark.timeout(1200)
DISMISS_REASON = "Settled at the Brennock table in March"
INTERNAL_LINE = "Walk away if the Dunmore depot is seized"
INTERNAL_COMMENT = "The Ostmark envoy leaves the talks in Quintember"
SHARED_COMMENT = "Convoy schedule sent to the Ostmark liaison"
INTERNAL_DECISION = "Quietly offer the Tessaly fuel credit"
INTERNAL_DECLINE = "The Morrow levy clause is unworkable"

# The findings of issue 11 each test stands for; a change made before the scan names
# the one its frames would show.
F2 = "issue 11 finding 2: a dismissal's reason and status crossing governments"
F3 = "issue 11 finding 3: stream frames of a track merely shared with a partner"
F7 = "issue 11 finding 7: a decision or a decline kept internal"
# A case that fails because of a known leak goes here, (test, role) -> the finding, and is
# marked xfail(strict=True): the mark must go when the leak is closed. None is open now.
KNOWN: dict[tuple[str, str], str] = {}


def cases(test: str, roles: tuple[str, ...] = ROLES) -> list[Any]:
    return [
        pytest.param(r, marks=pytest.mark.xfail(strict=True, reason=KNOWN[test, r]))
        if (test, r) in KNOWN
        else r
        for r in roles
    ]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        backends = [b.strip() for b in metafunc.config.getoption("--db").split(",") if b.strip()]
        metafunc.parametrize("backend", backends, indirect=True, scope="module")


# ---------------------------------------------------------------- one world per backend


@pytest.fixture(scope="module")
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def world_url(
    backend: str,
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    sqlite_template: Path,
) -> Iterator[str]:
    """A database for this module's world, configured as Accord's own (as `db_url` does per test)."""
    tmp = tmp_path_factory.mktemp(f"bodies-{backend}")
    if backend == "postgres":
        url = request.getfixturevalue("pg_url")
        _empty_pg(url)
    else:
        shutil.copy(sqlite_template, tmp / "accord.db")
        url = f"sqlite:///{tmp / 'accord.db'}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ACCORD_DATABASE_URL", url)
        mp.setenv("ACCORD_DATA_DIR", str(tmp / "data"))
        mp.setenv("ACCORD_SECRET_KEY", "test-secret-key-0123456789abcdef0123456789")
        mp.setenv("ACCORD_WEB_RELAY", "false")
        mp.setenv("ACCORD_ARGON2_TIME_COST", "1")
        mp.setenv("ACCORD_ARGON2_MEMORY_KIB", "1024")
        get_settings.cache_clear()
        yield url
        for engine in dbmod.engines(url):
            engine.dispose()
        dbmod.engines.cache_clear()
        get_settings.cache_clear()


@dataclass
class Trigger:
    """A change made before the scan: who made it, which events it wrote, who may learn of it."""

    label: str
    status: int
    events: tuple[int, int]  # (after, up to and including)
    audience: frozenset[str]
    finding: str


@dataclass
class Scanned:
    world: w.World
    truth: Truth
    scan: Scan
    ids: Ids
    triggers: list[Trigger]
    streams: dict[str, str]
    client: TestClient
    alerts: dict[str, int] = field(default_factory=dict)
    # What was sent out of the app: (reader, channel) for each webhook delivery and mail.
    outbound: list[tuple[str, str]] = field(default_factory=list)

    def headers(self, role: str, unsafe: bool = False) -> dict[str, str]:
        return self.world.headers(role, unsafe)


def _people(world: w.World) -> list[Person]:
    out = [Person("anonymous", None, "")]
    for role in ROLES:
        if role != "anonymous":
            u = world.users[role]
            org = u.organisation.key if u.organisation else None
            out.append(Person(role, org, u.role))
    return out


def _last_event(db: Session) -> int:
    return int(db.exec(select(func.coalesce(func.max(Event.id), 0))).one())


@pytest.fixture(scope="module")
def scanned(world_url: str, backend: str) -> Iterator[Scanned]:
    with Session(dbmod.get_engine(write=True), expire_on_commit=False) as db:
        world = w.build(db, rich=True)
        for u in world.users.values():
            _ = u.organisation  # loaded now, read after the session ends
        alerts = {a.fingerprint: int(a.id) for a in db.exec(select(Alert)).all() if a.id is not None}
        facts = Facts(
            comments=[
                ("t-shared", "Convoy timing agreed with the valley elders", False, "owner_desk"),
                ("t-shared", w.INTERNAL_TEXTS[3], True, "owner_desk"),
            ],
            alerts={
                int(a.id): (a.kind, tuple(_tracks_of(db, a)), tuple(a.subjects))
                for a in db.exec(select(Alert)).all()
                if a.id is not None
            },
            requests=[("t-kestrel", "t-private")],
            delegations=[("varnia", d.key) for d in db.exec(select(Delegation)).all()],
        )
        start = _last_event(db)
        fjord_v = db.exec(select(Initiative.id).where(Initiative.key == "t-fjord-v")).one()
        world.ids["fjord_v_id"] = fjord_v
        hooks = _register_webhooks(db, world)
        _stand_in(db)
        db.commit()
    client = TestClient(create_app(), raise_server_exceptions=False)
    client.__enter__()
    people = _people(world)
    truth0 = Truth(w.document(rich=True), people, facts)
    varnia = frozenset(r for r in ROLES if truth0.home(r) & {"t-shared"})
    sees_shared = frozenset(r for r in ROLES if "t-shared" in truth0.visible(r))
    sid = world.ids["shared_id"]
    triggers: list[Trigger] = []

    def act(
        label: str,
        role: str,
        method: str,
        url: str,
        body: dict[str, Any],
        audience: frozenset[str],
        finding: str,
    ) -> bool:
        """Make a change as `role`; whether it was accepted."""
        with Session(dbmod.get_engine()) as s:
            before = _last_event(s)
        r = client.request(method, url, headers=world.headers(role, unsafe=True), json=body)
        with Session(dbmod.get_engine()) as s:
            after = _last_event(s)
        triggers.append(Trigger(label, r.status_code, (before, after), audience, finding))
        return r.status_code < 300

    fjord = alerts["N4:parallel_tracks:t-fjord-k,t-fjord-v"]
    loria = alerts["N4:parallel_tracks:t-loria,t-shared"]
    act(
        "Varnia dismisses the fjord overlap with Kestrel",
        "coordinator",
        "POST",
        f"/api/v1/alerts/{fjord}/dismiss",
        {"reason": DISMISS_REASON},
        varnia,
        F2,
    )
    # A high-severity alert is set aside once a second department of Varnia confirms it.
    act(
        "Varnia's finance ministry confirms the dismissal",
        "other_desk",
        "POST",
        f"/api/v1/alerts/{fjord}/confirm",
        {},
        varnia,
        F2,
    )
    facts.dismissals.append((fjord, "varnia", DISMISS_REASON))
    act(
        "Varnia acknowledges the overlap of t-shared with Loria",
        "owner_desk",
        "POST",
        f"/api/v1/alerts/{loria}/acknowledge",
        {},
        varnia | {w.LORIA_DESK},
        F3,
    )
    act(
        "an internal red line on t-shared",
        "owner_desk",
        "POST",
        f"/api/v1/initiatives/{sid}/lines/red_lines",
        {"text": INTERNAL_LINE, "trigger": "withdraw", "internal": True},
        varnia,
        F3,
    )
    facts.internal_lines.append(("t-shared", "red_lines", INTERNAL_LINE))
    act(
        "an internal comment on t-shared",
        "owner_desk",
        "POST",
        f"/api/v1/initiatives/{sid}/comments",
        {"text": INTERNAL_COMMENT, "internal": True},
        varnia,
        F3,
    )
    facts.comments.append(("t-shared", INTERNAL_COMMENT, True, "owner_desk"))
    act(
        "a shared comment on t-shared",
        "owner_desk",
        "POST",
        f"/api/v1/initiatives/{sid}/comments",
        {"text": SHARED_COMMENT},
        sees_shared,
        "",
    )
    facts.comments.append(("t-shared", SHARED_COMMENT, False, "owner_desk"))
    fjord_v = world.ids["fjord_v_id"]
    everyone = frozenset(ROLES)
    # One field contributor reads the fjord track (a grant to a person); Ostmark had it
    # shared and withdrawn, and must read nothing of it.
    if act(
        "the fjord track shared with one field contributor",
        "coordinator",
        "POST",
        f"/api/v1/initiatives/{fjord_v}/grants",
        {"user_id": world.users["field"].id, "level": "comment"},
        everyone,
        "",
    ):
        facts.person_grants.append(("t-fjord-v", "field"))
    shared = client.post(
        f"/api/v1/initiatives/{fjord_v}/grants",
        headers=world.headers("coordinator", unsafe=True),
        json={"government": "ostmark", "level": "view"},
    )
    assert shared.status_code == 201, shared.text
    act(
        "the fjord track's grant to Ostmark withdrawn",
        "coordinator",
        "POST",
        f"/api/v1/grants/{shared.json()['id']}/withdraw",
        {},
        everyone,
        "",
    )
    # Until a decision and a decline can be kept internal these are refused; the facts
    # then hold nothing of them, and test_a_decision_and_a_decline_can_be_kept_internal fails.
    if act(
        "an internal decision on t-shared",
        "owner_desk",
        "POST",
        f"/api/v1/initiatives/{sid}/decisions",
        {"text": INTERNAL_DECISION, "date": "2026-06-01", "internal": True},
        varnia,
        F7,
    ):
        facts.internal_entries.append(("t-shared", INTERNAL_DECISION))
    if act(
        "finance declines d-shared internally",
        "other_desk",
        "POST",
        f"/api/v1/decisions/{world.ids['decision_id']}/signoff",
        {"declined": True, "reason": INTERNAL_DECLINE, "internal": True},
        varnia,
        F7,
    ):
        facts.internal_entries.append(("t-shared", INTERNAL_DECLINE))

    org_ids = {o.key: o.id for o in _organisations()}
    if act(
        "a decision on t-shared that asks Ostmark",
        "owner_desk",
        "POST",
        f"/api/v1/initiatives/{sid}/decisions",
        {
            "text": ASKS_OSTMARK,
            "date": "2026-06-01",
            "touches": [org_ids["varnia-dev"], org_ids["ostmark-fa"]],
        },
        sees_shared,
        "",
    ):
        facts.decisions.append(("t-shared", ASKS_OSTMARK))
    if act(
        "the development agency hands its sign-off to defence",
        "coordinator",
        "POST",
        "/api/v1/delegations",
        {
            "delegate_org_id": world.ids["def_org_id"],
            "starts_on": str(dt.date.today()),
            "ends_on": "2099-12-31",
        },
        varnia,
        "",
    ):
        with Session(dbmod.get_engine()) as s:
            dev_delegation = s.exec(
                select(Delegation).where(Delegation.department_id == org_ids["varnia-dev"])
            ).one()
        world.ids["dev_delegation_id"] = dev_delegation.id
        facts.delegations.append(("varnia", dev_delegation.key))
    if act(
        "a decision on t-shared that the development agency must sign",
        "owner_desk",
        "POST",
        f"/api/v1/initiatives/{sid}/decisions",
        {"text": ASKS_DEV, "date": "2026-06-01", "touches": [org_ids["varnia-dev"]]},
        sees_shared,
        "",
    ):
        facts.decisions.append(("t-shared", ASKS_DEV))
    with Session(dbmod.get_engine()) as s:
        world.ids["asks_dev_id"] = s.exec(select(LogEntry.id).where(LogEntry.text == ASKS_DEV)).one()
    if act(
        "defence signs it for the agency under its delegation",
        "def_desk",
        "POST",
        f"/api/v1/decisions/{world.ids['asks_dev_id']}/signoff",
        {"delegation_id": world.ids.get("dev_delegation_id")},
        sees_shared,
        "",
    ):
        # How the home reads it ("for <department>, delegated by <person>"): Varnia's alone.
        facts.internal_entries.append(("t-shared", f"delegated by {dev_delegation.granted_by}"))
    # The workers' turn: the checks judge the changes (alerts raised, events written).
    from workers.tasks import check_everything_now

    check_everything_now()
    with Session(dbmod.get_engine()) as db:
        alerts = {a.fingerprint: int(a.id) for a in db.exec(select(Alert)).all() if a.id is not None}
        facts.alerts = {
            int(a.id): (a.kind, tuple(_tracks_of(db, a)), tuple(a.subjects))
            for a in db.exec(select(Alert)).all()
            if a.id is not None
        }
    people += [Person(role, org, kind) for role, (org, kind) in hooks.values()]
    truth = Truth(w.document(rich=True), people, facts)
    with Session(dbmod.get_engine()) as db:
        ids = Ids.read(db)
    ids.named = dict(world.ids)
    headers = {r: world.headers(r) for r in ROLES}
    scanner = Scanner(truth)
    # SQLite answers every id of every kind; PostgreSQL, slower per request, every id of
    # what each role may see and one of what it may not (the queries are the same).
    scan = scanner.run(client, headers, ids, sample=backend == "postgres")
    streams = read_streams(client.app, headers, start)
    for role, text in streams.items():
        scanner.look(role, "GET /events", f"/events?after={start}", text.encode(), "text/event-stream")
    scan.frames = {role: frames(text) for role, text in streams.items()}
    _write_probes(client, world, scanner)
    outbound = _outbound(scanner, {hook_id: role for hook_id, (role, _) in hooks.items()}, start)
    yield Scanned(world, truth, scan, ids, triggers, streams, client, alerts, outbound)
    client.__exit__(None, None, None)


# Organisations with a webhook for every kind: each reads as the organisation itself.
HOOKED = ("ostmark-fa", "kestrel-fo", "loria-mfa", "relief-net", "varnia-mfa")
# People who chose every mail, and so get sign-off notices and a digest.
MAILED = ("partner_granted", "kestrel_desk", "loria_desk", "field", "owner_desk")
ASKS_OSTMARK = "Open a second convoy lane at the Dunmore ford"
# The development agency hands its sign-off to defence; a decision on t-shared that the
# agency must sign is signed for it by a defence officer under that delegation. Ostmark,
# which signs on the track, reads that the agency signed and by whom, never under which
# delegation nor who delegated it.
ASKS_DEV = "Pay the Dunmore ferrymen from the convoy budget"
STAND_IN = "Ines Harrow"


def _organisations() -> list[Any]:
    from server.models import Organisation

    with Session(dbmod.get_engine()) as db:
        return list(db.exec(select(Organisation)).all())


def _register_webhooks(db: Session, world: w.World) -> dict[int, tuple[str, tuple[str, str]]]:
    """A webhook of each organisation of HOOKED, and mail chosen by each person of MAILED.

    Returns, per webhook, the reader it stands for: the organisation as a whole (its people
    see the same tracks; a grant to one person is not the organisation's)."""
    from server.models import Organisation, User
    from server.models.webhooks import WEBHOOK_KINDS
    from server.services import mail, webhooks

    out: dict[int, tuple[str, tuple[str, str]]] = {}
    for key in HOOKED:
        org = db.exec(select(Organisation).where(Organisation.key == key)).one()
        admin = User(id=None, email="", name="", organisation_id=org.id, role="admin", active=True)
        hook, _ = webhooks.register(
            db, admin, {"url": f"https://hooks.example.test/{key}", "kinds": list(WEBHOOK_KINDS)}
        )
        kind = "field_contributor" if org.kind == "humanitarian_org" else "desk_officer"
        out[int(hook.id)] = (f"webhook of {key}", (key, kind))
    for role in MAILED:
        mail.set_choices(db, world.users[role], {"signoff_notices": True, "daily_digest": True})
    return out


def _stand_in(db: Session) -> None:
    """A defence officer of Varnia, signed in as `def_desk`, who signs for finance under its
    delegation (the world's: finance to defence). Named as a person is, not after a
    department, so that only what the product writes can say whom they stand in for."""
    import hashlib

    from server.models import AuthSession, Organisation
    from server.services import users

    org = db.exec(select(Organisation).where(Organisation.key == "varnia-def")).one()
    person = users.create(db, None, "def_desk@example.test", STAND_IN, org.id, "desk_officer", "x" * 12)
    digest = hashlib.sha256(w.token_of("def_desk").encode()).hexdigest()
    db.add(AuthSession(id=digest, user_id=person.id, csrf_token=w.csrf_of("def_desk")))


def _outbound(scanner: Scanner, hooks: dict[int, str], start: int) -> list[tuple[str, str]]:
    """Run the fan-out and the mail the workers would, and search every body they would send."""
    from server.models import Event
    from server.models.webhooks import WebhookDelivery
    from server.services import mail, webhooks

    sent: list[tuple[str, str]] = []
    email_role = {f"{r}@example.test": r for r in ROLES}
    with Session(dbmod.get_engine(write=True)) as db:
        _, batch = webhooks.pending_events(db)
        deliveries = webhooks.fan_out(db, batch)
        logged = list(db.exec(select(Event).where(Event.id > start).order_by(Event.id)).all())
        mails = mail.notices_for(db, logged) + mail.digests_due(db, utcnow().replace(hour=23))
        db.commit()
        for d in deliveries:
            out = webhooks.outgoing(db, d)
            row = db.get(WebhookDelivery, d)
            assert out is not None and row is not None
            role = hooks[row.webhook_id]
            scanner.look(role, f"webhook {out.kind}", f"delivery {d}", out.body, "application/json")
            sent.append((role, f"webhook {out.kind}"))
        for m in mails:
            composed = mail.compose(db, m)
            if composed is None:
                continue
            role = email_role[composed.to]
            text = f"{composed.subject}\n{composed.text}".encode()
            scanner.look(role, "mail", f"mail {m}: {composed.subject}", text, "text/plain")
            sent.append((role, f"mail {composed.subject.split(':')[0]}"))
    return sent


# Who answers the matrix's writes as a reader abroad: what a write answers (a JSON view,
# or with HX-Request the blocks it re-renders) is searched like any page.
WRITERS_ABROAD = ("partner_granted", "kestrel_desk")
# Writes about one's own session, account and webhooks answer nothing of any track.
PERSONAL = ("/signin", "/signout", "/account", "/api/v1/tokens", "/webhooks", "/api/v1/webhooks")


def _write_probes(client: TestClient, world: w.World, scanner: Scanner) -> None:
    """Every write of the matrix, as each reader abroad, as htmx; undone when it took."""
    matrix = test_matrix.load_matrix()
    test_matrix.MATRIX_PARAMS.clear()
    test_matrix.MATRIX_PARAMS.update(matrix.get("params", {}))
    with w.DbSnapshot() as snapshot:
        for key, spec in matrix["routes"].items():
            if key.split(" ", 1)[0] not in test_matrix.UNSAFE or key.split(" ", 1)[1].startswith(PERSONAL):
                continue
            for role in WRITERS_ABROAD:
                htmx = {**spec, "headers": {**spec.get("headers", {}), "HX-Request": "true"}}
                status, body = test_matrix.call(client, world, key, htmx, role)
                scanner.scan.requests += 1
                scanner.look(
                    role, key, f"{key} (htmx, as written)", body, "text/html" if body[:1] == b"<" else "json"
                )
                if status < 400:
                    snapshot.restore()


def _tracks_of(db: Session, alert: Alert) -> list[str]:
    from server.models import AlertInitiative

    return list(
        db.exec(
            select(Initiative.key)
            .join(AlertInitiative, AlertInitiative.initiative_id == Initiative.id)
            .where(AlertInitiative.alert_id == alert.id)
        ).all()
    )


def _report(hits: list[Any], limit: int = 40) -> str:
    lines = sorted({str(h) for h in hits})
    more = f"\n... and {len(lines) - limit} more" if len(lines) > limit else ""
    return f"{len(lines)} leak(s):\n" + "\n".join(lines[:limit]) + more


def _kind_test(scanned: Scanned, kind: str, role: str) -> None:
    hits = scanned.scan.of(kind, role)
    assert not hits, _report(hits)


# ---------------------------------------------------------------- one test per kind of secret


@pytest.mark.parametrize("role", cases("hidden_track"))
def test_hidden_tracks_stay_hidden(scanned: Scanned, role: str) -> None:
    """Titles, texts, aims, objectives, dates, keys, decisions, reports and parties of unseen tracks."""
    _kind_test(scanned, "hidden_track", role)


@pytest.mark.parametrize("role", cases("internal_item"))
def test_internal_items_stay_home(scanned: Scanned, role: str) -> None:
    """FTE, end dates, amounts, currencies, kinds and texts of internal items, and internal
    comments (issue 11, finding 1: they reached partners through sign-off reasons)."""
    _kind_test(scanned, "internal_item", role)


@pytest.mark.parametrize("role", cases("internal_department"))
def test_departments_only_internal_items_bring_in_stay_home(scanned: Scanned, role: str) -> None:
    """Issue 11, finding 1: the departments internal items bring in were named to partners."""
    _kind_test(scanned, "internal_department", role)


@pytest.mark.parametrize("role", cases("external_link"))
def test_external_links_stay_home(scanned: Scanned, role: str) -> None:
    """Issue 11, finding 4: the track page printed them for partners."""
    _kind_test(scanned, "external_link", role)


@pytest.mark.parametrize("role", cases("home_log"))
def test_home_log_texts_stay_home(scanned: Scanned, role: str) -> None:
    """Another government's dismissal reasons; internal decisions and declines (issue 11, findings 2 and 7)."""
    _kind_test(scanned, "home_log", role)


@pytest.mark.parametrize("role", cases("notice_org"))
def test_blind_notices_of_a_shared_track_stay_home(scanned: Scanned, role: str) -> None:
    """The third organisation named by a blind notice on a track the role only has shared
    with it (issue 11, finding 3)."""
    _kind_test(scanned, "notice_org", role)


@pytest.mark.parametrize("role", cases("grantee"))
def test_whom_a_track_is_shared_with_stays_home(scanned: Scanned, role: str) -> None:
    _kind_test(scanned, "grantee", role)


@pytest.mark.parametrize("role", cases("organisation"))
def test_no_organisation_named_without_reason(scanned: Scanned, role: str) -> None:
    _kind_test(scanned, "organisation", role)


@pytest.mark.parametrize("role", cases("stream"))
def test_stream_frames_only_of_what_the_role_may_see(scanned: Scanned, role: str) -> None:
    """Each change made before the scan reaches the streams of those who may learn of it,
    and no other (issue 11, findings 2 and 3)."""
    wrong = []
    for f in scanned.scan.frames.get(role, []):
        for t in scanned.triggers:
            if t.events[0] < f["id"] <= t.events[1] and role not in t.audience:
                wrong.append(f"{t.label} ({t.finding or 'new'}): frame {f['kind']} {f.get('payload')}")
    assert not wrong, _report(wrong)


def test_the_search_is_not_vacuous(scanned: Scanned) -> None:
    """Every secret reaches a role allowed to read it, and the scan covered what it claims."""
    forbidden = {s.text.lower(): s for r in ROLES for s in scanned.truth.forbidden(r)}
    never = sorted(f"{s.text!r} ({s.what})" for t, s in forbidden.items() if t not in scanned.scan.received)
    assert not never, f"{len(never)} secret(s) no allowed reader received:\n" + "\n".join(never)
    shared_comment = [t for t in scanned.triggers if t.label == "a shared comment on t-shared"][0]
    seen = [
        f
        for f in scanned.scan.frames["partner_granted"]
        if shared_comment.events[0] < f["id"] <= shared_comment.events[1]
    ]
    assert seen, "the partner's stream carries the shared comment"
    assert scanned.scan.statuses[200] > 500, scanned.scan.statuses
    # The grant to one field contributor took: the scan read the track as a reader abroad.
    fjord = scanned.client.get(
        f"/api/v1/initiatives/{scanned.world.ids['fjord_v_id']}", headers=scanned.headers("field")
    )
    assert fjord.status_code == 200 and "Skarn clinic is shelled" in fjord.text


# ---------------------------------------------------------------- derived data, by structure


def _get(scanned: Scanned, role: str, url: str) -> Any:
    r = scanned.client.get(url, headers=scanned.headers(role))
    assert r.status_code == 200, (url, role, r.status_code, r.text[:200])
    return r.json()


@pytest.mark.parametrize("role", cases("signoff_requirements", ROLES))
def test_signoff_requirements_from_what_the_reader_sees(scanned: Scanned, role: str) -> None:
    """Who must sign a decision, as a reader is told, follows from the track as that reader
    sees it (issue 11, finding 1)."""
    truth = scanned.truth
    checked = 0
    for track in sorted(truth.visible(role)):
        view = truth.view_for(role, track)
        entries = _get(
            scanned,
            role,
            f"/api/v1/decisions?initiative_id={dict((k, i) for i, k in scanned.ids.tracks)[track]}",
        )
        by_key = {e["key"]: e["id"] for e in entries if e.get("entry_type") == "decision" and e.get("key")}
        for d in truth.decisions_of(track):
            if d.key not in by_key:
                continue
            expected = set(signoffs.required_departments(d, view, truth.orgs))
            told = {
                req["org"]
                for req in _get(scanned, role, f"/api/v1/decisions/{by_key[d.key]}/status")["requirements"]
            }
            assert told <= expected, f"{d.key} as {role}: told of {sorted(told - expected)}"
            checked += 1
    if role in ("owner_desk", "partner_granted"):
        assert checked >= 2


@pytest.mark.parametrize("role", cases("blind_subjects", ROLES))
def test_blind_views_name_only_what_the_reader_sees(scanned: Scanned, role: str) -> None:
    """An alert read by someone who sees only some of its tracks names none of the rest, nor
    the party (issue 11, finding 5)."""
    truth = scanned.truth
    if role == "anonymous":
        return
    keys = truth.visible(role)
    wrong = []
    for a in _get(scanned, role, "/api/v1/alerts?status=all"):
        _, tracks, _ = truth.facts.alerts[a["id"]]
        if set(tracks) <= keys:
            continue  # the full view: every subject is the reader's to read
        extra = set(a["subjects"]) - keys
        if extra:
            wrong.append(f"alert {a['id']} ({a['kind']}): subjects {sorted(extra)}")
    assert not wrong, _report(wrong)


CLASH = "N4:contradictory_leverage:hca,t-kestrel,t-private"


@pytest.mark.parametrize(
    "role", cases("contradictory_leverage", ("owner_desk", "kestrel_desk", "partner_granted", "field"))
)
def test_contradictory_leverage_is_read_blind_by_each_owner(scanned: Scanned, role: str) -> None:
    """Varnia's incentive and Kestrel's sanction on the Highland council, at once and not
    coordinated: each owner is told, with its own tool, the party and the other
    organisation, and never the other track's tool; a partner of neither track hears
    nothing of it (issue 16, contradictory leverage)."""
    alert_id = scanned.alerts[CLASH]
    mine, theirs = {
        "owner_desk": (w.PRIVATE_INCENTIVE, w.KESTREL_SANCTION),
        "kestrel_desk": (w.KESTREL_SANCTION, w.PRIVATE_INCENTIVE),
    }.get(role, (None, None))
    r = scanned.client.get(f"/api/v1/alerts/{alert_id}", headers=scanned.headers(role))
    if mine is None or theirs is None:
        assert r.status_code == 404, (role, r.status_code)
        notices = scanned.client.get("/api/v1/coordination/notices", headers=scanned.headers(role))
        if notices.status_code == 200:
            assert alert_id not in {n["alert_id"] for n in notices.json()}
        return
    assert r.status_code == 200, r.text
    assert r.json()["partial"] is True
    assert mine["description"] in r.text, "the owner reads its own tool"
    assert theirs["description"] not in r.text, "the other track's tool stays with its owner"
    other = "Kestrel, Foreign Office" if role == "owner_desk" else "Varnia, Ministry of Foreign Affairs"
    assert other in r.text and "Highland Civil Authority" in r.text
    # Read as a blind notice from which to ask the other owner to coordinate.
    notices = _get(scanned, role, "/api/v1/coordination/notices")
    assert alert_id in {n["alert_id"] for n in notices}


@pytest.mark.parametrize("role", cases("dismissal_status", ("admin", "kestrel_desk", "partner_ungranted")))
def test_a_dismissal_stays_with_its_government(scanned: Scanned, role: str) -> None:
    """Varnia dismissed the fjord overlap with Kestrel: for Kestrel it is still open, and a
    notice (issue 11, finding 2)."""
    alert_id = scanned.alerts["N4:parallel_tracks:t-fjord-k,t-fjord-v"]
    status = _get(scanned, role, f"/api/v1/alerts/{alert_id}")["status"]
    if role == "admin":
        assert status == "dismissed"
    else:
        assert status == "open", f"Kestrel reads Varnia's dismissal: {status}"
        notices = _get(scanned, role, "/api/v1/coordination/notices")
        assert alert_id in {n["alert_id"] for n in notices}


@pytest.mark.parametrize("role", cases("internal_entries", ("owner_desk",)))
def test_a_decision_and_a_decline_can_be_kept_internal(scanned: Scanned, role: str) -> None:
    """The owner logs an internal decision, finance declines internally: both accepted, read
    at home (issue 11, finding 7)."""
    refused = [f"{t.label}: {t.status}" for t in scanned.triggers if t.finding == F7 and t.status >= 300]
    assert not refused, refused
    sid = scanned.world.ids["shared_id"]
    texts = str(_get(scanned, role, f"/api/v1/decisions?initiative_id={sid}"))
    assert INTERNAL_DECISION in texts and INTERNAL_DECLINE in texts
    assert {INTERNAL_DECISION.lower(), INTERNAL_DECLINE.lower()} <= set(scanned.scan.received)


def test_an_internal_change_is_not_news_abroad(scanned: Scanned) -> None:
    """A partner's view of a shared track does not move when only what stays home changes:
    neither its version nor its last change (when, and by whom) tells of internal items."""
    sid = scanned.world.ids["shared_id"]
    partner = "partner_granted"

    def seen() -> tuple[Any, list[str]]:
        data = _get(scanned, partner, f"/api/v1/initiatives/{sid}")
        page = scanned.client.get(f"/initiatives/{sid}", headers=scanned.headers(partner)).text
        last = re.findall(r"last changed[^<]*", page)
        return {k: data.get(k) for k in ("version", "updated_at")}, last

    before = seen()
    owner = scanned.headers("owner_desk", unsafe=True)
    added = scanned.client.post(
        f"/api/v1/initiatives/{sid}/lines/metrics",
        headers=owner,
        json={"name": "Quiet calls with the Harl mediator", "kind": "output", "internal": True},
    )
    assert added.status_code == 201, added.text
    line = scanned.client.put(
        f"/api/v1/initiatives/{sid}/lines/red_lines/{scanned.world.ids['internal_line_id']}",
        headers=owner,
        json={"text": "Walk away below fifty trucks a day", "trigger": "withdraw", "version": 1},
    )
    assert line.status_code == 200, line.text
    assert seen() == before


STATUS_CASES = ("request coordination on a shared track's alert", "unlink a track one cannot see")


@pytest.mark.parametrize(
    "case",
    cases("status", STATUS_CASES),
)
def test_what_one_may_not_see_answers_404(scanned: Scanned, case: str) -> None:
    """Writes that name what the caller may not see answer 404 and write nothing (issue 11,
    finding 8).

    Last in the module: they write to the world the other tests have read."""
    with Session(dbmod.get_engine()) as s:
        before = _last_event(s)
    if case == STATUS_CASES[0]:
        alert_id = scanned.alerts["N4:parallel_tracks:t-loria,t-shared"]
        r = scanned.client.post(
            "/coordination/requests",
            data={"alert_id": str(alert_id)},
            headers=scanned.headers("partner_granted", unsafe=True),
            follow_redirects=False,
        )
    else:
        own = dict((k, i) for i, k in scanned.ids.tracks)["t-fjord-k"]
        r = scanned.client.delete(
            f"/api/v1/initiatives/{own}/coordinated/{scanned.world.ids['private_id']}",
            headers=scanned.headers("kestrel_desk", unsafe=True),
        )
    with Session(dbmod.get_engine()) as s:
        after = _last_event(s)
    assert (r.status_code, after - before) == (404, 0), r.text[:200]


@pytest.mark.parametrize("reader", [f"webhook of {k}" for k in HOOKED])
def test_webhooks_deliver_only_what_their_organisation_may_see(scanned: Scanned, reader: str) -> None:
    """Every webhook delivery the changes of the scan owe, searched for what the organisation must not read."""
    hits = [h for h in scanned.scan.hits if h.role == reader]
    assert not hits, _report(hits)


@pytest.mark.parametrize("role", ("partner_granted", "owner_desk"))
def test_a_signoff_under_a_delegation_keeps_the_delegation_home(scanned: Scanned, role: str) -> None:
    """Defence signed for the development agency under the agency's delegation. Varnia reads
    on whose behalf; Ostmark, which signs on the track, reads that the agency signed, and by
    whom, and nothing of the delegation: not in the status, the log, the page, its stream,
    its webhook or its mail (the scan searched them all for the key and the words)."""
    trigger = [t for t in scanned.triggers if t.label.startswith("defence signs it")][0]
    assert trigger.status == 201, trigger
    decision = scanned.world.ids["asks_dev_id"]
    status = _get(scanned, role, f"/api/v1/decisions/{decision}/status")
    signed = {r["org"]: r for r in status["requirements"] if r["state"] == "signed"}
    assert signed["varnia-dev"]["signoff"]["by"] == STAND_IN
    page = scanned.client.get(
        f"/initiatives/{scanned.world.ids['shared_id']}", headers=scanned.headers(role)
    ).text
    with Session(dbmod.get_engine()) as db:
        row = db.get(Delegation, scanned.world.ids["dev_delegation_id"])
    assert row is not None
    if role == "owner_desk":
        assert signed["varnia-dev"]["signoff"]["delegation"] == row.key
        assert f"delegated by {row.granted_by}" in page
        return
    assert signed["varnia-dev"]["signoff"]["delegation"] is None
    assert "delegated by" not in page and row.key not in page
    hits = [h for h in scanned.scan.of("home_log", role) if row.key in str(h) or "delegated by" in str(h)]
    assert not hits, _report(hits)
    assert ("webhook of ostmark-fa", "webhook signoff.given") in scanned.outbound


def test_outbound_channels_carry_something(scanned: Scanned) -> None:
    """The search of webhooks and mail is not vacuous: the partner is told, by both."""
    sent = set(scanned.outbound)
    assert ("webhook of ostmark-fa", "webhook decision.logged") in sent, sorted(sent)
    assert ("partner_granted", "mail Sign-off asked") in sent, sorted(sent)
    assert ("partner_granted", "mail Accord digest") in sent, sorted(sent)
