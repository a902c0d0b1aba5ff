"""Webhooks end to end: a real worker posts to a real HTTP receiver running in the test."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlmodel import Session, col, select

from server.db import get_engine
from server.models import Initiative, User
from server.models.webhooks import WebhookAttempt, WebhookDelivery
from server.relay import relay_pending
from server.services import decisions, sharing, webhooks
from server.services.errors import Invalid, NotAllowed, NotFound
from server.settings import get_settings
from tests import factories
from tests.web.conftest import signin_form
from tests.workers.conftest import Worker, wait_for

PUBLIC = "Open the northern convoy route on Tuesdays and Fridays"
INTERNAL = "Hold back the reconstruction pledge until the Garvel talks close"
PRIVATE = "Talk to the river elders before the partners hear of it"
PRIVATE_TITLE = "Delta back channel"


class Receiver:
    """An HTTP server on a free port that records every post and answers from a script."""

    def __init__(self, answers: list[int] | None = None) -> None:
        self.answers = list(answers or [])
        self.got: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the http.server name)
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver._lock:
                    code = receiver.answers.pop(0) if receiver.answers else 200
                    receiver.got.append({"headers": dict(self.headers), "body": body, "answered": code})
                self.send_response(code)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/accord"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def received(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self.got)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receivers() -> Iterator[Callable[..., Receiver]]:
    made: list[Receiver] = []

    def make(answers: list[int] | None = None) -> Receiver:
        r = Receiver(answers)
        made.append(r)
        return r

    yield make
    for r in made:
        r.close()


@pytest.fixture
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Receivers on this machine are allowed, and the backoff is short (the worker inherits it)."""
    monkeypatch.setenv("ACCORD_WEBHOOK_ALLOW_PRIVATE_HOSTS", "true")
    monkeypatch.setenv("ACCORD_WEBHOOK_BACKOFF_SECONDS", "0.25")
    monkeypatch.setenv("ACCORD_WEBHOOK_TIMEOUT_SECONDS", "5")
    get_settings.cache_clear()


def _world(db: Session) -> dict[str, Any]:
    factories.load(
        db,
        factories.document(
            initiatives=[
                factories.initiative(
                    "shared",
                    title="Access talks for the northern valleys",
                    end="2099-12-31",
                    shared_with=[{"government": "ostmark", "level": "sign-off"}],
                ),
                factories.initiative("private", title=PRIVATE_TITLE, end="2099-12-31"),
            ]
        ),
    )
    ids = {t.key: t.id for t in db.exec(select(Initiative)).all()}
    return {
        "shared": ids["shared"],
        "private": ids["private"],
        "varnia_admin": factories.person(db, "varnia-mfa", "admin"),
        "desk": factories.person(db, "varnia-mfa", "desk_officer"),
        "ostmark_admin": factories.person(db, "ostmark-fa", "admin"),
    }


def _decide(
    db: Session,
    actor: User,
    initiative_id: int,
    text: str,
    internal: bool = False,
    touches: list[int] | None = None,
) -> int:
    data = {
        "text": text,
        "date": date(2026, 6, 1),
        "kind": "other",
        "internal": internal,
        "touches": touches or [],
    }
    entry = decisions.log(db, actor, initiative_id, data)
    db.commit()
    assert entry.id is not None
    return entry.id


def _deliveries() -> list[WebhookDelivery]:
    with Session(get_engine()) as s:
        return list(s.exec(select(WebhookDelivery).order_by(col(WebhookDelivery.id))).all())


def _attempts(delivery_id: int) -> list[WebhookAttempt]:
    with Session(get_engine()) as s:
        return list(
            s.exec(
                select(WebhookAttempt)
                .where(WebhookAttempt.delivery_id == delivery_id)
                .order_by(col(WebhookAttempt.number))
            ).all()
        )


def _log_of(w: Worker) -> str:
    return w.log()[-6000:]


# ---------------------------------------------------------------- with a real worker


@pytest.mark.worker
def test_delivery_arrives_signed_and_verifiable(
    on_redis: str,
    fast_retries: None,
    db: Session,
    workers: Callable[..., Worker],
    receivers: Callable[..., Receiver],
) -> None:
    world = _world(db)
    rx = receivers()
    hook, secret = webhooks.register(
        db, world["varnia_admin"], {"url": rx.url, "kinds": ["decision.logged", "signoff.given"]}
    )
    db.commit()
    w = workers()
    decision_id = _decide(db, world["desk"], world["shared"], PUBLIC)
    relay_pending()
    try:
        wait_for(lambda: rx.received(), 60, what="the delivery")
    except AssertionError:
        print(_log_of(w))
        raise
    got = rx.received()[0]
    headers = {k.lower(): v for k, v in got["headers"].items()}
    assert webhooks.verify_signature(secret, headers["accord-signature"], got["body"])
    assert not webhooks.verify_signature("another secret", headers["accord-signature"], got["body"])
    assert not webhooks.verify_signature(secret, headers["accord-signature"], got["body"] + b" ")
    body = json.loads(got["body"])
    assert body["kind"] == "decision.logged" == headers["accord-event"]
    assert body["id"] == headers["accord-delivery"]
    assert body["data"]["decision"]["id"] == decision_id
    assert body["data"]["decision"]["text"] == PUBLIC
    wait_for(lambda: [d.status for d in _deliveries()] == ["delivered"], 30, what="the delivery logged")
    (delivery,) = _deliveries()
    assert delivery.delivery_key == headers["accord-delivery"] and delivery.tries == 1
    assert [a.status_code for a in _attempts(delivery.id or 0)] == [200]


@pytest.mark.worker
def test_receiver_down_for_three_tries_gets_the_fourth(
    on_redis: str,
    fast_retries: None,
    db: Session,
    workers: Callable[..., Worker],
    receivers: Callable[..., Receiver],
) -> None:
    world = _world(db)
    rx = receivers(answers=[503, 503, 503])
    webhooks.register(db, world["varnia_admin"], {"url": rx.url, "kinds": ["decision.logged"]})
    db.commit()
    w = workers()
    _decide(db, world["desk"], world["shared"], PUBLIC)
    relay_pending()
    try:
        wait_for(lambda: len(rx.received()) >= 4, 90, what="four tries")
        wait_for(lambda: [d.status for d in _deliveries()] == ["delivered"], 30, what="the delivery logged")
    except AssertionError:
        print(_log_of(w))
        raise
    got = rx.received()
    assert [g["answered"] for g in got] == [503, 503, 503, 200]
    # Every try is the same delivery: one idempotency id, one body; each signed afresh.
    assert len({g["headers"]["Accord-Delivery"] for g in got}) == 1
    assert len({g["body"] for g in got}) == 1
    (delivery,) = _deliveries()
    assert delivery.tries == 4 and delivery.delivered_at is not None
    attempts = _attempts(delivery.id or 0)
    assert [a.status_code for a in attempts] == [503, 503, 503, 200]
    assert [a.error for a in attempts[:3]] == ["answered 503"] * 3
    gaps = [(b.at - a.at).total_seconds() for a, b in zip(attempts, attempts[1:], strict=False)]
    # Exponential backoff: 0.25 s, 0.5 s, 1 s after the first, second and third failures.
    assert gaps[0] >= 0.2 and gaps[1] >= 0.45 and gaps[2] >= 0.9, gaps
    time_after = len(rx.received())
    assert time_after == 4  # delivered: no further try


@pytest.mark.worker
def test_partner_webhook_never_carries_an_unshared_track(
    on_redis: str,
    fast_retries: None,
    db: Session,
    workers: Callable[..., Worker],
    receivers: Callable[..., Receiver],
) -> None:
    world = _world(db)
    home_rx, partner_rx = receivers(), receivers()
    every = list(webhooks.WEBHOOK_KINDS)
    webhooks.register(db, world["varnia_admin"], {"url": home_rx.url, "kinds": every})
    webhooks.register(db, world["ostmark_admin"], {"url": partner_rx.url, "kinds": every})
    db.commit()
    w = workers()
    _decide(db, world["desk"], world["private"], PRIVATE)
    _decide(db, world["desk"], world["shared"], INTERNAL, internal=True)
    sharing.grant(db, world["desk"], world["private"], {"org_id": _org_id(db, "relief-net"), "level": "view"})
    db.commit()
    _decide(db, world["desk"], world["shared"], PUBLIC)
    relay_pending()
    try:
        # The home hears of all four changes; the partner of the public decision only.
        wait_for(lambda: len(home_rx.received()) >= 4, 60, what="the home's deliveries")
        wait_for(
            lambda: _deliveries() and all(d.status == "delivered" for d in _deliveries()),
            30,
            what="every delivery done",
        )
    except AssertionError:
        print(_log_of(w))
        raise
    partner = [json.loads(g["body"]) for g in partner_rx.received()]
    assert [(b["kind"], b["data"]["decision"]["text"]) for b in partner] == [("decision.logged", PUBLIC)]
    raw = b"".join(g["body"] for g in partner_rx.received()).decode()
    for secret in (PRIVATE, PRIVATE_TITLE, INTERNAL, '"private"', f'"id":{world["private"]},'):
        assert secret not in raw, secret
    home_kinds = sorted(json.loads(g["body"])["kind"] for g in home_rx.received())
    # The home also hears of the alerts the checks raised on its tracks; a partner never does.
    changes = [k for k in home_kinds if not k.startswith("alert.")]
    assert changes == ["decision.logged", "decision.logged", "decision.logged", "grant.changed"]
    wait_for(
        lambda: any(json.loads(g["body"])["kind"] == "alert.opened" for g in home_rx.received()),
        60,
        what="an alert told to the home",
    )
    assert not any(json.loads(g["body"])["kind"].startswith("alert.") for g in partner_rx.received())


def _org_id(db: Session, key: str) -> int:
    from server.models import Organisation

    org = db.exec(select(Organisation).where(Organisation.key == key)).one()
    assert org.id is not None
    return org.id


# ---------------------------------------------------------------- the service alone


def test_fan_out_builds_each_body_as_the_organisation_may_read_it(
    db: Session, fast_retries: None, db_backend: str
) -> None:
    world = _world(db)
    home, _ = webhooks.register(
        db,
        world["varnia_admin"],
        {"url": "http://127.0.0.1:9/h", "kinds": ["decision.logged", "signoff.given", "signoff.declined"]},
    )
    partner, _ = webhooks.register(
        db,
        world["ostmark_admin"],
        {"url": "http://127.0.0.1:9/p", "kinds": ["decision.logged", "signoff.given", "signoff.declined"]},
    )
    db.commit()
    _decide(db, world["desk"], world["private"], PRIVATE)
    _decide(db, world["desk"], world["shared"], INTERNAL, internal=True)
    public = _decide(db, world["desk"], world["shared"], PUBLIC, touches=[_org_id(db, "ostmark-fa")])
    ostmark_desk = factories.person(db, "ostmark-fa", "desk_officer")
    decisions.sign_off(db, ostmark_desk, public, declined=True, reason="Not before the convoy runs")
    db.commit()
    cursor, batch = webhooks.pending_events(db)
    made = webhooks.fan_out(db, batch)
    webhooks.advance(db, cursor, batch)
    db.commit()
    rows = {d.id: d for d in db.exec(select(WebhookDelivery)).all()}
    assert set(made) == set(rows)
    to_partner = [json.loads(d.body) for d in rows.values() if d.webhook_id == partner.id]
    to_home = [json.loads(d.body) for d in rows.values() if d.webhook_id == home.id]
    assert sorted(b["kind"] for b in to_partner) == ["decision.logged", "signoff.declined"]
    assert sorted(b["kind"] for b in to_home) == ["decision.logged"] * 3 + ["signoff.declined"]
    assert all(
        PRIVATE not in d.body and INTERNAL not in d.body for d in rows.values() if d.webhook_id == partner.id
    )
    # A second pass finds nothing new: nothing is sent twice.
    cursor, batch = webhooks.pending_events(db)
    assert webhooks.fan_out(db, batch) == []


def test_only_an_admin_manages_webhooks_and_only_their_own(db: Session, fast_retries: None) -> None:
    world = _world(db)
    hook, secret = webhooks.register(
        db, world["varnia_admin"], {"url": "http://127.0.0.1:9/h", "kinds": ["alert.opened"]}
    )
    db.commit()
    assert len(secret) == 64 and secret not in {hook.salt}
    with pytest.raises(NotAllowed):
        webhooks.register(db, world["desk"], {"url": "http://127.0.0.1:9/h", "kinds": ["alert.opened"]})
    with pytest.raises(NotFound):
        webhooks.get(db, world["ostmark_admin"], hook.id or 0)
    with pytest.raises(Invalid):
        webhooks.register(
            db, world["varnia_admin"], {"url": "ftp://example.test/x", "kinds": ["alert.opened"]}
        )
    with pytest.raises(Invalid):
        webhooks.register(
            db, world["varnia_admin"], {"url": "http://127.0.0.1:9/h", "kinds": ["alert.deleted"]}
        )
    _, rotated = webhooks.rotate_secret(db, world["varnia_admin"], hook.id or 0)
    assert rotated != secret


def test_private_hosts_are_refused_unless_allowed(db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    world = _world(db)
    monkeypatch.setenv("ACCORD_WEBHOOK_ALLOW_PRIVATE_HOSTS", "false")
    get_settings.cache_clear()
    for url in (
        "http://127.0.0.1:8000/x",
        "http://10.1.2.3/x",
        "http://[::1]/x",
        "http://169.254.169.254/latest",
    ):
        with pytest.raises(Invalid, match="private"):
            webhooks.register(db, world["varnia_admin"], {"url": url, "kinds": ["alert.opened"]})
    db.rollback()


def test_signature_scheme() -> None:
    body = b'{"id":"x"}'
    header = webhooks.signature("s3cret", 1_700_000_000, body)
    assert header.startswith("t=1700000000,v1=") and len(header.split("v1=")[1]) == 64
    assert webhooks.verify_signature("s3cret", header, body, now=1_700_000_100)
    assert not webhooks.verify_signature("s3cret", header, body, now=1_700_000_000 + 301)
    assert not webhooks.verify_signature("s3cret", "v1=abc", body)


# ---------------------------------------------------------------- pages and API


def _client_as(email: str) -> Any:
    from fastapi.testclient import TestClient

    from server.app import create_app

    client = TestClient(create_app(), follow_redirects=False)
    r = client.post("/signin", data=signin_form(client, email))
    assert r.status_code == 303, r.text
    return client


def _csrf(html: str) -> str:
    import re

    m = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert m
    return m.group(1)


def test_pages_register_show_the_secret_once_and_log_each_try(db: Session, fast_retries: None) -> None:
    world = _world(db)
    desk_email, other_email = world["desk"].email, world["ostmark_admin"].email
    db.commit()
    with _client_as(world["varnia_admin"].email) as admin:
        csrf = _csrf(admin.get("/webhooks").text)
        r = admin.post(
            "/webhooks",
            data={
                "csrf_token": csrf,
                "url": "http://127.0.0.1:9/hook",
                "kinds": ["decision.logged", "grant.changed"],
            },
        )
        assert r.status_code == 200 and "Shown only now" in r.text
        (hook,) = webhooks.listing(db, world["varnia_admin"])
        secret = webhooks.signing_secret(hook)
        db.commit()  # the test's own transaction must not hold SQLite's write lock
        assert secret in r.text
        assert (
            secret not in admin.get("/webhooks").text and secret not in admin.get(f"/webhooks/{hook.id}").text
        )
        r = admin.post(
            "/webhooks", data={"csrf_token": csrf, "url": "gopher://x", "kinds": "decision.logged"}
        )
        assert r.status_code == 422 and "http or https" in r.text
        # A delivery that failed once, then arrived, as its log shows it.
        _decide(db, world["desk"], world["shared"], PUBLIC)
        cursor, batch = webhooks.pending_events(db)
        (made,) = webhooks.fan_out(db, batch)
        webhooks.advance(db, cursor, batch)
        db.commit()
        assert webhooks.record(db, made, webhooks.TryResult(None, "ConnectError: refused", 3)) == 0.25
        assert webhooks.record(db, made, webhooks.TryResult(200, "", 12)) is None
        db.commit()
        page = admin.get(f"/webhooks/{hook.id}").text
        assert "ConnectError: refused" in page and "delivered" in page
        api = admin.get(f"/api/v1/webhooks/{hook.id}/deliveries").json()
        assert [a["status_code"] for a in api[0]["attempts"]] == [None, 200]
        assert api[0]["status"] == "delivered" and api[0]["tries"] == 2
        assert admin.post(f"/webhooks/{hook.id}/pause", data={"csrf_token": csrf}).status_code == 303
        db.expire_all()
        assert not webhooks.get(db, world["varnia_admin"], hook.id or 0).active
        db.commit()
    with _client_as(desk_email) as desk:
        assert desk.get("/webhooks").status_code == 403
        assert desk.get("/api/v1/webhooks").status_code == 403
    with _client_as(other_email) as other:
        assert other.get(f"/webhooks/{hook.id}").status_code == 404
        r = other.get(f"/api/v1/webhooks/{hook.id}/deliveries")
        assert r.status_code == 404 and PUBLIC not in r.text


def test_a_delivery_whose_message_was_lost_is_sent_again(db: Session, fast_retries: None) -> None:
    from datetime import timedelta

    from server.models import OutboxRow

    world = _world(db)
    webhooks.register(
        db, world["varnia_admin"], {"url": "http://127.0.0.1:9/h", "kinds": ["decision.logged"]}
    )
    db.commit()
    _decide(db, world["desk"], world["shared"], PUBLIC)
    cursor, batch = webhooks.pending_events(db)
    (made,) = webhooks.fan_out(db, batch)
    webhooks.advance(db, cursor, batch)
    db.commit()
    assert webhooks.resend_stale(db) == []  # just made: its message is on its way
    row = db.get(WebhookDelivery, made)
    assert row is not None
    row.created_at -= timedelta(minutes=10)
    db.add(row)
    db.commit()
    assert webhooks.resend_stale(db) == [made]
    db.commit()
    sends = db.exec(select(OutboxRow).where(OutboxRow.task == "accord.webhooks.deliver")).all()
    assert [r.payload["delivery_id"] for r in sends] == [made, made]
