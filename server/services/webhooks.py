"""Webhooks: an organisation's admin names a URL, Accord posts to it what happens.

Events come from the event table, read after a cursor by the fan-out (a worker task,
`accord.deliveries.fan_out`). For each webhook, an event becomes a delivery only if
the webhook's organisation may see it, and its body is built by the same services the
pages use, read as that organisation (`_reader`, the one place this module meets the
visibility layer). The body is fixed when the delivery is made; every try posts the
same body with the same `Accord-Delivery` id, signed afresh:

    Accord-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>

The secret is derived from the workspace's secret key and the webhook's salt, shown
once, and never stored.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
from pydantic import Field, field_validator
from sqlalchemy import func, update
from sqlmodel import Session, col, select

from server import events
from server.models import Event, Initiative, LogEntry, Organisation, SharingGrant, User
from server.models.base import utcnow
from server.models.webhooks import (
    WEBHOOK_KINDS,
    DeliveryCursor,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
)
from server.services import alerts, audience, decisions
from server.services.errors import Invalid, NotAllowed, NotFound
from server.services.pages import Window
from server.services.validation import ITEMS_MAX, Bounded, parse, text, text_or_blank
from server.settings import get_settings

# The task that sends it, by its name in `server.broker` (which these services do not import).
DELIVER_WEBHOOK = "accord.webhooks.deliver"

# The stored event kinds the fan-out reads, and what each is called to a receiver.
ALERT_KINDS = {
    "alert.raised": "alert.opened",
    "alert.reopened": "alert.opened",
    "alert.resolved": "alert.resolved",
}
GRANT_KINDS = ("sharing.granted", "sharing.withdrawn")
FANNED_OUT = tuple(sorted(events.FANNED_OUT))
CURSOR = "fan_out"
# An event this old is committed or never will be: the cursor's mark may pass it.
SETTLE_SECONDS = 30
BATCH = 500
SIGNATURE_TOLERANCE_SECONDS = 300


# ---------------------------------------------------------------- the reader


def _reader(org: Organisation) -> User:
    """The organisation as a reader: what any of its people may see through it.

    Not stored and not a person: it holds no grant made to one person, and a
    humanitarian organisation, like its field contributors, has no home government.
    """
    role = "field_contributor" if org.kind == "humanitarian_org" else "desk_officer"
    reader = User(id=0, email="", name=org.name, organisation_id=org.id or 0, role=role, active=True)
    reader.organisation = org
    return reader


# ---------------------------------------------------------------- registering


class WebhookData(Bounded):
    url: str = text("url", 8)
    kinds: list[str] = Field(min_length=1, max_length=ITEMS_MAX)
    description: str = text_or_blank("short")

    @field_validator("kinds", mode="before")
    @classmethod
    def _listed(cls, v: Any) -> Any:
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list):
            return v  # not a list: the field's own check names it
        return [k for k in v if str(k).strip()]

    @field_validator("kinds")
    @classmethod
    def _known(cls, v: list[str]) -> list[str]:
        unknown = [k for k in v if k not in WEBHOOK_KINDS]
        if unknown:
            raise ValueError(f"unknown kind {unknown[0]!r}; choose from {', '.join(WEBHOOK_KINDS)}")
        return sorted(set(v), key=WEBHOOK_KINDS.index)


def check_url(url: str) -> str:
    """The URL if Accord may post to it; `Invalid` naming what is wrong otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Invalid.field("url", "give an http or https URL with a host")
    if parts.username or parts.password:
        raise Invalid.field("url", "leave credentials out of the URL; verify the signature instead")
    if not get_settings().webhook_allow_private_hosts and _private(parts.hostname):
        raise Invalid.field("url", "the host is a private, loopback or link-local address")
    return url


def _private(host: str) -> bool:
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False  # unknown now; checked again before every try
    for info in infos:
        addr = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_reserved or addr.is_multicast:
            return True
    return False


def _require_admin(actor: User) -> None:
    if actor.role != "admin" or not actor.active:
        raise NotAllowed("Only an admin of your organisation manages its webhooks")


def signing_secret(hook: Webhook) -> str:
    """The webhook's secret: derived, never stored, changed by a new salt."""
    key = get_settings().secret_key.encode()
    return hmac.new(key, f"accord-webhook:{hook.id}:{hook.salt}".encode(), hashlib.sha256).hexdigest()


def register(db: Session, actor: User, data: WebhookData | dict[str, Any]) -> tuple[Webhook, str]:
    """A new webhook of the actor's organisation, and its secret (shown this once)."""
    _require_admin(actor)
    data = parse(WebhookData, data)
    check_url(data.url)
    last = db.exec(select(func.max(Event.id))).one()
    hook = Webhook(
        org_id=actor.organisation_id,
        url=data.url,
        kinds=data.kinds,
        description=data.description,
        salt=secrets.token_hex(16),
        since_event_id=int(last or 0),
        created_by_id=actor.id,
    )
    db.add(hook)
    db.flush()
    return hook, signing_secret(hook)


def listing(db: Session, actor: User, window: Window | None = None) -> list[Webhook]:
    """The webhooks of the actor's organisation, for its admins, by id (or one page of them)."""
    _require_admin(actor)
    q = select(Webhook).where(Webhook.org_id == actor.organisation_id, col(Webhook.removed_at).is_(None))
    return list(db.exec(window.apply(q, col(Webhook.id)) if window else q.order_by(col(Webhook.id))).all())


def get(db: Session, actor: User, webhook_id: int) -> Webhook:
    """One webhook of the actor's organisation; another organisation's is `NotFound`."""
    hook = db.get(Webhook, webhook_id)
    if hook is None or hook.org_id != actor.organisation_id or hook.removed_at is not None:
        raise NotFound("No such webhook")
    _require_admin(actor)
    return hook


def set_active(db: Session, actor: User, webhook_id: int, active: bool) -> Webhook:
    """Pause or resume a webhook; a paused one gets no new deliveries and sends no retries."""
    hook = get(db, actor, webhook_id)
    hook.active = active
    db.add(hook)
    db.flush()
    return hook


def rotate_secret(db: Session, actor: User, webhook_id: int) -> tuple[Webhook, str]:
    """A new secret for the webhook (shown this once); the old one stops at once."""
    hook = get(db, actor, webhook_id)
    hook.salt = secrets.token_hex(16)
    db.add(hook)
    db.flush()
    return hook, signing_secret(hook)


def remove(db: Session, actor: User, webhook_id: int) -> Webhook:
    """Remove a webhook; its delivery log is kept."""
    hook = get(db, actor, webhook_id)
    hook.active = False
    hook.removed_at = utcnow()
    db.add(hook)
    db.flush()
    return hook


@dataclass
class DeliveryView:
    delivery: WebhookDelivery
    attempts: list[WebhookAttempt] = field(default_factory=list)


def delivery_log(
    db: Session, actor: User, webhook_id: int, limit: int = 100, window: Window | None = None
) -> list[DeliveryView]:
    """The webhook's newest deliveries, each with every try (with a `window`, one page of them)."""
    hook = get(db, actor, webhook_id)
    q = select(WebhookDelivery).where(WebhookDelivery.webhook_id == hook.id)
    q = (
        window.apply(q, col(WebhookDelivery.id))
        if window
        else q.order_by(col(WebhookDelivery.id).desc()).limit(limit)
    )
    rows = list(db.exec(q).all())
    views = {r.id: DeliveryView(r) for r in rows if r.id is not None}
    if views:
        for a in db.exec(
            select(WebhookAttempt)
            .where(col(WebhookAttempt.delivery_id).in_(list(views)))
            .order_by(col(WebhookAttempt.number))
        ).all():
            views[a.delivery_id].attempts.append(a)
    return list(views.values())


# ---------------------------------------------------------------- signing


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The `Accord-Signature` header for a body posted at `timestamp`."""
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify_signature(
    secret: str,
    header: str,
    body: bytes,
    now: float | None = None,
    tolerance: int = SIGNATURE_TOLERANCE_SECONDS,
) -> bool:
    """What a receiver does: check the MAC over the timestamp and body, and the timestamp's age."""
    try:
        fields = dict(part.split("=", 1) for part in header.split(","))
        stamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - stamp) > tolerance:
        return False
    expected = signature(secret, stamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, fields.get("v1", ""))


# ---------------------------------------------------------------- fan-out


def pending_events(db: Session) -> tuple[DeliveryCursor, list[Event]]:
    """The cursor (locked) and the events of the kinds fanned out that it has not done."""
    db.execute(
        update(DeliveryCursor)
        .where(col(DeliveryCursor.name) == CURSOR)
        .values(updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    cursor = db.get(DeliveryCursor, CURSOR, populate_existing=True)
    if cursor is None:
        cursor = DeliveryCursor(name=CURSOR, last_event_id=0, seen=[])
        db.add(cursor)
        db.flush()
    q = select(Event).where(col(Event.id) > cursor.last_event_id, col(Event.kind).in_(FANNED_OUT))
    if cursor.seen:
        q = q.where(col(Event.id).not_in(cursor.seen))
    return cursor, list(db.exec(q.order_by(col(Event.id)).limit(BATCH)).all())


def advance(db: Session, cursor: DeliveryCursor, done: Iterable[Event]) -> None:
    """Mark events done; move the mark past every event old enough to have settled."""
    seen = set(cursor.seen) | {e.id for e in done if e.id is not None}
    settled = utcnow() - timedelta(seconds=SETTLE_SECONDS)
    mark = db.exec(
        select(func.max(Event.id)).where(
            col(Event.created_at) < settled, col(Event.id) > cursor.last_event_id
        )
    ).one()
    if mark is not None:
        # Never past an event of a fanned-out kind not yet done.
        undone = db.exec(
            select(func.min(Event.id)).where(
                col(Event.id) > cursor.last_event_id,
                col(Event.id) <= mark,
                col(Event.kind).in_(FANNED_OUT),
                col(Event.id).not_in(seen or {0}),
            )
        ).one()
        cursor.last_event_id = int(undone) - 1 if undone is not None else int(mark)
    cursor.seen = sorted(i for i in seen if i > cursor.last_event_id)
    cursor.updated_at = utcnow()
    db.add(cursor)
    db.flush()


def wants_alerts(db: Session) -> bool:
    """Whether any live webhook is told of alerts (so a check run that changed one wakes the fan-out)."""
    hooks = db.exec(
        select(Webhook.kinds).where(col(Webhook.active).is_(True), col(Webhook.removed_at).is_(None))
    ).all()
    return any(k in ALERT_KINDS.values() for kinds in hooks for k in kinds)


def fan_out(db: Session, batch: list[Event]) -> list[int]:
    """Make the deliveries these events owe to webhooks; return their ids (sent after commit)."""
    if not batch:
        return []
    hooks = list(
        db.exec(select(Webhook).where(col(Webhook.active).is_(True), col(Webhook.removed_at).is_(None))).all()
    )
    made: list[int] = []
    for hook in hooks:
        org = db.get(Organisation, hook.org_id)
        if org is None:
            continue
        reader = _reader(org)
        aud = audience.of(reader)
        ids = [e.id for e in batch if e.id is not None and e.id > hook.since_event_id]
        if not ids:
            continue
        may = set(db.exec(select(Event.id).where(col(Event.id).in_(ids), aud.events())).all())
        told: set[tuple[str, str]] = set()
        for event in batch:
            if event.id not in may:
                continue
            built = _payload(db, reader, event)
            if built is None:
                continue
            kind, subject, data = built
            if kind not in hook.kinds or (kind, subject) in told:
                continue
            told.add((kind, subject))  # an alert's change is one event per track: one delivery
            made.append(_deliver_later(db, hook, event, kind, data))
    return made


def _deliver_later(db: Session, hook: Webhook, event: Event, kind: str, data: dict[str, Any]) -> int:
    assert event.id is not None and hook.id is not None
    key = str(uuid.uuid4())
    body = {
        "id": key,
        "kind": kind,
        "occurred_at": event.created_at.isoformat(timespec="seconds") + "Z",
        "webhook": hook.id,
        "data": data,
    }
    row = WebhookDelivery(
        webhook_id=hook.id,
        event_id=event.id,
        kind=kind,
        delivery_key=key,
        body=json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False),
    )
    db.add(row)
    db.flush()
    assert row.id is not None
    events.enqueue(db, DELIVER_WEBHOOK, delivery_id=row.id)
    return row.id


# ---------------------------------------------------------------- what a receiver reads


def _track(t: Initiative) -> dict[str, Any]:
    return {"id": t.id, "key": t.key, "title": t.title}


def _entry(db: Session, e: LogEntry) -> dict[str, Any]:
    org = db.get(Organisation, e.org_id) if e.org_id is not None else None
    return {
        "id": e.id,
        "type": e.entry_type,
        "key": e.key,
        "date": e.date.isoformat(),
        "kind": e.kind,
        "text": e.text,
        "touches": list(e.touches),
        "organisation": org.key if org else None,
        "by": e.actor_name or None,
        "decision_id": e.decision_id,
        "supersedes_id": e.supersedes_id,
        "entry_hash": e.entry_hash,
    }


def _payload(db: Session, reader: User, event: Event) -> tuple[str, str, dict[str, Any]] | None:
    """The kind, subject and data of an event as `reader` may read it; None if nothing is theirs."""
    p = event.payload
    try:
        if event.kind == "decision.logged":
            entry, track = decisions.get_decision(db, reader, int(p["decision_id"]))
            return (
                "decision.logged",
                f"entry:{entry.id}",
                {"decision": _entry(db, entry), "initiative": _track(track)},
            )
        if event.kind == "decision.signoff":
            return _signoff(db, reader, event)
        if event.kind in ALERT_KINDS:
            view = alerts.get(db, reader, int(p["alert_id"]))
            data = {
                "alert": {
                    "id": view.id,
                    "principle": view.principle,
                    "kind": view.kind,
                    "severity": view.severity,
                    "status": view.status,
                    "message": view.message,
                    "evidence": list(view.evidence),
                    "remedy": view.remedy,
                    "initiatives": [{"id": i, "key": k} for i, k in view.initiatives],
                }
            }
            return ALERT_KINDS[event.kind], f"alert:{view.id}", data
        if event.kind in GRANT_KINDS:
            return _grant(db, reader, event)
    except NotFound:
        return None
    return None


def _signoff(db: Session, reader: User, event: Event) -> tuple[str, str, dict[str, Any]] | None:
    entry, track = decisions.get_decision(db, reader, int(event.payload["decision_id"]))
    # The sign-off this event tells of: the decision's newest before the event (sign-offs
    # of one decision are appended one at a time, under the log's lock).
    row = db.exec(
        select(LogEntry)
        .where(
            LogEntry.decision_id == entry.id,
            col(LogEntry.entry_type).in_(("signoff", "decline")),
            col(LogEntry.created_at) <= event.created_at,
        )
        .order_by(col(LogEntry.id).desc())
    ).first()
    aud = audience.of(reader)
    if row is None or not aud.entry_visible_at(row, aud.is_home(db, track)):
        return None
    kind = "signoff.declined" if row.entry_type == "decline" else "signoff.given"
    data = {"signoff": _entry(db, row), "decision": _entry(db, entry), "initiative": _track(track)}
    return kind, f"entry:{row.id}", data


def _grant(db: Session, reader: User, event: Event) -> tuple[str, str, dict[str, Any]] | None:
    change = "granted" if event.kind == "sharing.granted" else "withdrawn"
    if event.initiative_id is None:
        # Addressed to the organisation a track is no longer shared with: only the track's id.
        track_id = int(event.payload.get("track", 0))
        return "grant.changed", f"grant:{event.id}", {"change": change, "initiative": {"id": track_id}}
    aud = audience.of(reader)
    track = aud.track(db, event.initiative_id)
    if not aud.is_home(db, track):
        return None
    grant = db.get(SharingGrant, int(event.payload["grant_id"]))
    if grant is None:
        return None
    target = None
    if grant.org_id is not None:
        org = db.get(Organisation, grant.org_id)
        target = {"organisation": org.key if org else None}
    elif grant.government is not None:
        target = {"government": grant.government}
    elif grant.user_id is not None:
        person = db.get(User, grant.user_id)
        target = {"person": person.email if person else None}
    data = {
        "change": change,
        "initiative": _track(track),
        "grant": {"id": grant.id, "level": grant.level, "with": target},
    }
    return "grant.changed", f"grant:{grant.id}:{change}", data


# ---------------------------------------------------------------- delivering


@dataclass(frozen=True)
class Outgoing:
    delivery_id: int
    url: str
    body: bytes
    key: str
    kind: str
    secret: str


@dataclass(frozen=True)
class TryResult:
    status_code: int | None
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def outgoing(db: Session, delivery_id: int) -> Outgoing | None:
    """What to post for a delivery; None if it is done, or its webhook paused or removed."""
    row = db.get(WebhookDelivery, delivery_id)
    if row is None or row.status != "pending":
        return None
    hook = db.get(Webhook, row.webhook_id)
    if hook is None or not hook.active or hook.removed_at is not None:
        return None
    assert row.id is not None
    return Outgoing(row.id, hook.url, row.body.encode(), row.delivery_key, row.kind, signing_secret(hook))


def post(out: Outgoing) -> TryResult:
    """One try: post the body, signed now; never raises for the receiver's failures."""
    started = time.monotonic()
    s = get_settings()
    try:
        check_url(out.url)
        stamp = int(time.time())
        response = httpx.post(
            out.url,
            content=out.body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": "Accord-Webhooks/1",
                "Accord-Delivery": out.key,
                "Accord-Event": out.kind,
                "Accord-Signature": signature(out.secret, stamp, out.body),
            },
            timeout=s.webhook_timeout_seconds,
            follow_redirects=False,
        )
        error = "" if 200 <= response.status_code < 300 else f"answered {response.status_code}"
        return TryResult(response.status_code, error, int((time.monotonic() - started) * 1000))
    except Invalid as exc:
        return TryResult(None, exc.detail, 0)
    except httpx.HTTPError as exc:
        return TryResult(None, f"{type(exc).__name__}: {exc}"[:500], int((time.monotonic() - started) * 1000))


def record(db: Session, delivery_id: int, result: TryResult) -> float | None:
    """Log a try; return the seconds to wait before the next one, or None when done."""
    row = db.get(WebhookDelivery, delivery_id)
    if row is None or row.status != "pending":
        return None
    assert row.id is not None
    s = get_settings()
    row.tries += 1
    row.last_try_at = utcnow()
    db.add(
        WebhookAttempt(
            delivery_id=row.id,
            number=row.tries,
            status_code=result.status_code,
            error=result.error[:500],
            duration_ms=result.duration_ms,
        )
    )
    wait: float | None = None
    if result.ok:
        row.status = "delivered"
        row.delivered_at = utcnow()
    elif row.tries >= s.webhook_max_tries:
        row.status = "failed"
    else:
        wait = backoff(row.tries)
    db.add(row)
    db.flush()
    return wait


def due_in(db: Session, delivery_id: int) -> float:
    """Seconds until the delivery's next try is due (0 when due, or when nothing is left to do)."""
    row = db.get(WebhookDelivery, delivery_id)
    if row is None or row.status != "pending" or row.tries == 0 or row.last_try_at is None:
        return 0.0
    due = row.last_try_at + timedelta(seconds=backoff(row.tries))
    # A little early is on time: the countdown and the clocks are not exact.
    left = (due - utcnow()).total_seconds()
    return left if left > 1.0 else 0.0


def resend_stale(db: Session, grace_seconds: float = 300.0) -> list[int]:
    """Send again the pending deliveries whose message the broker lost; their ids.

    A delivery is stale when no try is due any more: never tried well after it was
    made, or last tried longer ago than the longest backoff, plus the grace.
    """
    s = get_settings()
    now = utcnow()
    fresh = now - timedelta(seconds=grace_seconds)
    waited = now - timedelta(seconds=s.webhook_backoff_max_seconds + grace_seconds)
    rows = db.exec(
        select(WebhookDelivery.id).where(
            WebhookDelivery.status == "pending",
            (col(WebhookDelivery.last_try_at).is_(None) & (col(WebhookDelivery.created_at) < fresh))
            | (col(WebhookDelivery.last_try_at) < waited),
        )
    ).all()
    ids = [i for i in rows if i is not None]
    for delivery_id in ids:
        events.enqueue(db, DELIVER_WEBHOOK, delivery_id=delivery_id)
    return ids


def backoff(tries: int) -> float:
    """Seconds before the next try after `tries` failed ones: doubling, capped."""
    s = get_settings()
    return float(min(s.webhook_backoff_max_seconds, s.webhook_backoff_seconds * 2 ** (tries - 1)))


__all__ = [
    "FANNED_OUT",
    "WEBHOOK_KINDS",
    "DeliveryView",
    "Outgoing",
    "TryResult",
    "WebhookData",
    "advance",
    "backoff",
    "delivery_log",
    "due_in",
    "fan_out",
    "get",
    "listing",
    "outgoing",
    "pending_events",
    "post",
    "record",
    "register",
    "remove",
    "resend_stale",
    "rotate_secret",
    "set_active",
    "signature",
    "signing_secret",
    "verify_signature",
    "wants_alerts",
]
