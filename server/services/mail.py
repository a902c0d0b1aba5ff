"""E-mail: a notice when a sign-off is asked of a person, and a daily digest.

Each is chosen on the account page. A mail is made once per person and subject (a
row of `mail_message`), sent by a worker (`accord.mail.send`), and written only when
it is sent, read as its recipient through the same services as the pages: a mail
names nothing its reader could not open, and a notice whose decision the reader can
no longer see, or no longer needs to sign, is not sent at all.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlmodel import Session, col, select

from server import events
from server.models import Event, LogEntry, User
from server.models.base import utcnow
from server.models.webhooks import MailMessage, MailPreference
from server.services import alerts, decisions, policy
from server.services.errors import NotFound
from server.services.validation import parse
from server.settings import get_settings

# The task that sends it, by its name in `server.broker` (which these services do not import).
SEND_MAIL = "accord.mail.send"


class MailChoices(BaseModel):
    model_config = ConfigDict(extra="forbid")

    signoff_notices: bool = False
    daily_digest: bool = False


def choices(db: Session, actor: User) -> MailPreference:
    """The actor's choices (both off until they choose)."""
    found = db.get(MailPreference, actor.id)
    return found or MailPreference(user_id=actor.id or 0)


def set_choices(db: Session, actor: User, data: MailChoices | dict[str, Any]) -> MailPreference:
    """Record which mail the actor wants."""
    data = parse(MailChoices, data)
    row = db.get(MailPreference, actor.id) or MailPreference(user_id=actor.id or 0)
    row.signoff_notices = data.signoff_notices
    row.daily_digest = data.daily_digest
    row.updated_at = utcnow()
    db.add(row)
    db.flush()
    return row


# ---------------------------------------------------------------- what is owed


def notices_for(db: Session, batch: list[Event]) -> list[int]:
    """Sign-off notices the logged decisions in `batch` owe; the ids of the mails made."""
    made: list[int] = []
    for event in batch:
        if event.kind != "decision.logged" or "decision_id" not in event.payload:
            continue
        entry = db.get(LogEntry, int(event.payload["decision_id"]))
        if entry is None or entry.id is None or not entry.touches:
            continue
        # Who might be asked: anyone who signs and chose notices. The departments the
        # decision names are not all: the rule may require others, and a delegate signs
        # for a department not their own; `_asked_of` asks the rule itself.
        people = db.exec(
            select(User)
            .join(MailPreference, col(MailPreference.user_id) == User.id)
            .where(
                col(MailPreference.signoff_notices).is_(True),
                col(User.active).is_(True),
                col(User.role).in_(policy.SIGNER_ROLES),
            )
        ).all()
        for person in people:
            if _asked_of(db, person, entry.id):
                made += _owe(db, person, "signoff_notice", str(entry.id))
    return made


def _asked_of(db: Session, person: User, decision_id: int) -> bool:
    """Whether the person may read the decision and may sign it off now, for their own
    department or under a delegation."""
    try:
        entry, _ = decisions.get_decision(db, person, decision_id)
    except NotFound:
        return False
    if decisions.sign_offers(db, person, [entry]).get(decision_id):
        return True
    return bool(decisions.delegated_offers(db, person, [entry]).get(decision_id))


def digests_due(db: Session, now: datetime | None = None) -> list[int]:
    """Today's digests, from the digest hour on, for everyone who chose one; ids of the mails made."""
    now = now or utcnow()
    if now.hour < get_settings().digest_hour_utc:
        return []
    people = db.exec(
        select(User)
        .join(MailPreference, col(MailPreference.user_id) == User.id)
        .where(col(MailPreference.daily_digest).is_(True), col(User.active).is_(True))
    ).all()
    made: list[int] = []
    for person in people:
        made += _owe(db, person, "digest", now.date().isoformat())
    return made


def _owe(db: Session, person: User, kind: str, ref: str) -> list[int]:
    assert person.id is not None
    exists = db.exec(
        select(MailMessage.id).where(
            MailMessage.user_id == person.id, MailMessage.kind == kind, MailMessage.ref == ref
        )
    ).first()
    if exists is not None:
        return []
    row = MailMessage(user_id=person.id, kind=kind, ref=ref)
    db.add(row)
    db.flush()
    assert row.id is not None
    events.enqueue(db, SEND_MAIL, message_id=row.id)
    return [row.id]


def resend_stale(db: Session, grace_seconds: float = 300.0) -> list[int]:
    """Send again the pending mails whose message the broker lost; their ids."""
    s = get_settings()
    cutoff = utcnow() - timedelta(seconds=s.webhook_backoff_max_seconds + grace_seconds)
    rows = db.exec(
        select(MailMessage.id).where(MailMessage.status == "pending", col(MailMessage.created_at) < cutoff)
    ).all()
    ids = [i for i in rows if i is not None]
    for message_id in ids:
        events.enqueue(db, SEND_MAIL, message_id=message_id)
    return ids


# ---------------------------------------------------------------- writing


@dataclass(frozen=True)
class Mail:
    message_id: int
    to: str
    subject: str
    text: str


def compose(db: Session, message_id: int) -> Mail | None:
    """The mail as its recipient may read it now; None if it is sent or has nothing to say."""
    row = db.get(MailMessage, message_id)
    if row is None or row.status != "pending":
        return None
    person = db.get(User, row.user_id)
    if person is None or not person.active:
        return None
    if row.kind == "signoff_notice":
        return _notice(db, row, person)
    if row.kind == "digest":
        return _digest(db, row, person)
    return None


def _link(path: str) -> str:
    return get_settings().public_url.rstrip("/") + path


def _notice(db: Session, row: MailMessage, person: User) -> Mail | None:
    assert row.id is not None
    decision_id = int(row.ref)
    if not _asked_of(db, person, decision_id):
        return None
    entry, track = decisions.get_decision(db, person, decision_id)
    state = decisions.statuses(db, person, [entry]).get(decision_id)
    missing = [r.name for r in state.requirements if r.state == "missing"] if state else []
    lines = [
        f"Dear {person.name},",
        "",
        f"Your sign-off is asked on a decision of {track.title}:",
        "",
        f"  {entry.text}",
        "",
        f"Dated {entry.date.isoformat()}, logged by {entry.actor_name or 'Accord'}.",
    ]
    if missing:
        lines.append(f"Still waiting for: {', '.join(missing)}.")
    lines += ["", f"Sign off or decline: {_link(f'/initiatives/{track.id}#decision-{decision_id}')}", ""]
    lines += _footer()
    return Mail(row.id, person.email, f"Sign-off asked: {track.title}", "\n".join(lines))


def _digest(db: Session, row: MailMessage, person: User) -> Mail | None:
    assert row.id is not None
    open_alerts = alerts.by_severity(alerts.list_visible(db, person, statuses=("open",), limit=200))
    waiting = decisions.waiting_for(db, person)
    if not open_alerts and not waiting:
        return None
    lines = [
        f"Dear {person.name},",
        "",
        f"Your Accord digest for {date.fromisoformat(row.ref).isoformat()}.",
        "",
    ]
    if waiting:
        lines.append(f"Decisions waiting for your sign-off ({len(waiting)}):")
        for entry, state in waiting:
            lines.append(f"  - {state.initiative}: {entry.text} ({entry.date.isoformat()})")
            lines.append(f"    {_link(f'/initiatives/{entry.initiative_id}#decision-{entry.id}')}")
        lines.append("")
    if open_alerts:
        lines.append(f"Open alerts ({len(open_alerts)}):")
        for a in open_alerts:
            lines.append(f"  - [{a.principle}, {a.severity}] {a.message}")
        lines.append(f"    {_link('/alerts')}")
        lines.append("")
    lines += _footer()
    subject = f"Accord digest: {len(waiting)} sign-off(s) waiting, {len(open_alerts)} open alert(s)"
    return Mail(row.id, person.email, subject, "\n".join(lines))


def _footer() -> list[str]:
    return ["--", f"Choose which mail Accord sends you on your account page: {_link('/account')}"]


# ---------------------------------------------------------------- sending


class MailNotSent(Exception):
    """The SMTP server could not be reached or refused the mail; worth another try."""


def send(mail: Mail) -> None:
    """Hand the mail to the SMTP server of the settings."""
    s = get_settings()
    if not s.smtp_host:
        raise MailNotSent("no SMTP host is set (ACCORD_SMTP_HOST)")
    msg = EmailMessage()
    msg["From"] = s.mail_sender
    msg["To"] = mail.to
    msg["Subject"] = " ".join(mail.subject.split())[:200]
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="accord")
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(mail.text)
    try:
        smtp: smtplib.SMTP
        if s.smtp_tls == "ssl":
            smtp = smtplib.SMTP_SSL(
                s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_seconds, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_seconds)
        with smtp:
            if s.smtp_tls == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if s.smtp_user:
                smtp.login(s.smtp_user, s.smtp_password)
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailNotSent(f"{type(exc).__name__}: {exc}") from exc


def is_pending(db: Session, message_id: int) -> bool:
    row = db.get(MailMessage, message_id)
    return row is not None and row.status == "pending"


def mark(db: Session, message_id: int, status: str, error: str = "") -> int:
    """Record how a try went (`sent`, `skipped`, `retry` or `failed`); return the tries so far.

    Only a pending mail changes: one sent or given up stays as it is.
    """
    row = db.get(MailMessage, message_id)
    if row is None or row.status != "pending":
        return row.tries if row else 0
    if status in ("sent", "retry"):
        row.tries += 1
    if status != "retry":
        row.status = status
    if status == "sent":
        row.sent_at = utcnow()
        row.error = ""
    elif error:
        row.error = error[:500]
    db.add(row)
    db.flush()
    return row.tries


__all__ = [
    "Mail",
    "MailChoices",
    "MailNotSent",
    "choices",
    "compose",
    "digests_due",
    "mark",
    "notices_for",
    "resend_stale",
    "send",
]
