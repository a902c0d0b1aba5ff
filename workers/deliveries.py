"""The tasks that carry Accord's news out: webhook deliveries and e-mail.

- `accord.deliveries.fan_out` reads new events after its cursor, makes the webhook
  deliveries and sign-off notices they owe (each built as its receiver may see it),
  and relays them. Events wake it through the outbox; beat runs it too, for any
  wake-up lost and for events that committed out of order.
- `accord.webhooks.deliver` posts one delivery; a failed try is retried after an
  exponential backoff, up to `ACCORD_WEBHOOK_MAX_TRIES`, each try in the delivery log.
- `accord.mail.digests` makes the day's digests (beat); `accord.mail.send` sends one mail.

No network call runs inside a database transaction: a task reads what to send, sends
it, then records how it went.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task
from celery.signals import task_postrun

from server.broker import DELIVER_WEBHOOK, FAN_OUT, MAIL_DIGESTS, RUN_INITIATIVE, SEND_MAIL, SWEEP
from server.db import session_scope
from server.relay import relay_pending
from server.services import mail, webhooks
from server.settings import get_settings
from workers.celery_app import app

log = logging.getLogger("accord.workers")


def fan_out_now() -> dict[str, int]:
    """One pass of the fan-out, in one transaction, then relay what it made."""
    made = notices = events = 0
    while True:
        with session_scope(write=True) as db:
            cursor, batch = webhooks.pending_events(db)
            made_now = webhooks.fan_out(db, batch)
            notices_now = mail.notices_for(db, batch)
            webhooks.advance(db, cursor, batch)
        made += len(made_now)
        notices += len(notices_now)
        events += len(batch)
        if len(batch) < webhooks.BATCH:
            break
    if made or notices:
        relay_pending()
    return {"events": events, "deliveries": made, "notices": notices}


@app.task(name=FAN_OUT)
def fan_out() -> dict[str, int]:
    """Make the deliveries and notices that new events owe; send again what the broker lost."""
    result = fan_out_now()
    with session_scope(write=True) as db:
        resent = len(webhooks.resend_stale(db)) + len(mail.resend_stale(db))
    if resent:
        relay_pending()
        log.warning("fan-out: %d deliveries or mails were pending with no try due; sent again", resent)
    if result["deliveries"] or result["notices"]:
        log.info(
            "fan-out: %d events, %d webhook deliveries, %d sign-off notices",
            result["events"],
            result["deliveries"],
            result["notices"],
        )
    return result


@task_postrun.connect
def _wake_after_checks(
    task: Task | None = None, retval: Any = None, state: str | None = None, **_: Any
) -> None:
    """A check run that raised, reopened or resolved an alert wakes the fan-out, if a webhook listens.

    Sent straight to the broker, with no outbox row: a lost wake-up costs only the
    time until beat's next fan-out.
    """
    if task is None or task.name not in (RUN_INITIATIVE, SWEEP) or state != "SUCCESS":
        return
    if not isinstance(retval, dict) or not any(retval.get(k) for k in ("raised", "reopened", "resolved")):
        return
    try:
        with session_scope(write=False) as db:
            if not webhooks.wants_alerts(db):
                return
        fan_out.apply_async(queue="notify", routing_key="notify")
    except Exception as exc:  # the database's or the broker's own errors
        log.warning("fan-out not woken after a check run (%s); beat will run it", exc)


@app.task(name=DELIVER_WEBHOOK, bind=True, max_retries=None)
def deliver(self: Task, delivery_id: int) -> dict[str, Any]:
    """Post one delivery; on failure, try again after the backoff the delivery has earned."""
    delivery_id = int(delivery_id)
    with session_scope(write=False) as db:
        wait = webhooks.due_in(db, delivery_id)
        out = webhooks.outgoing(db, delivery_id) if wait <= 0 else None
    if wait > 0:
        # Early: a broker that hands back a waiting message before its time.
        raise self.retry(countdown=wait)
    if out is None:
        return {"delivery_id": delivery_id, "skipped": True}
    result = webhooks.post(out)
    with session_scope(write=True) as db:
        again = webhooks.record(db, delivery_id, result)
    if again is not None:
        log.info("webhook delivery %s: %s; next try in %.1f s", delivery_id, result.error, again)
        raise self.retry(countdown=again)
    return {"delivery_id": delivery_id, "status_code": result.status_code, "ok": result.ok}


@app.task(name=MAIL_DIGESTS)
def digests() -> int:
    """Make today's digests, once each, from the digest hour on."""
    with session_scope(write=True) as db:
        made = mail.digests_due(db)
    if made:
        relay_pending()
        log.info("mail: %d daily digests to send", len(made))
    return len(made)


@app.task(name=SEND_MAIL, bind=True, max_retries=None)
def send_mail(self: Task, message_id: int) -> str:
    """Write one mail as its reader may read it now and hand it to the SMTP server."""
    message_id = int(message_id)
    with session_scope(write=False) as db:
        pending = mail.is_pending(db, message_id)
        written = mail.compose(db, message_id) if pending else None
    if not pending:
        return "done"
    if written is None:
        with session_scope(write=True) as db:
            mail.mark(db, message_id, "skipped")
        return "skipped"
    try:
        mail.send(written)
    except mail.MailNotSent as exc:
        s = get_settings()
        with session_scope(write=True) as db:
            tries = mail.mark(db, message_id, "retry", str(exc))
            if tries >= s.webhook_max_tries:
                mail.mark(db, message_id, "failed", str(exc))
        if tries >= s.webhook_max_tries:
            log.warning("mail %s not sent after %d tries: %s", message_id, tries, exc)
            return "failed"
        raise self.retry(countdown=webhooks.backoff(tries)) from exc
    with session_scope(write=True) as db:
        mail.mark(db, message_id, "sent")
    return "sent"
