"""A person's own account: their date format, their sessions and their API tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from server.models import AuthSession, User
from server.models.base import utcnow
from server.services import mail, sessions
from server.services.errors import Invalid

# The formats a person may choose, shown as today's date in each.
DATE_FORMATS = ("%d %b %Y", "%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y")


@dataclass
class TokenRow:
    """One API token as its owner sees it (never the token itself)."""

    ref: str
    label: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    state: str


@dataclass
class Account:
    user: User
    live_sessions: int
    tokens: list[TokenRow]
    formats: list[tuple[str, str]]
    # The e-mail they chose (server/services/mail.py).
    signoff_notices: bool = False
    daily_digest: bool = False


def overview(db: Session, actor: User) -> Account:
    """The actor's own account, with the date formats they may choose."""
    live = db.exec(
        select(func.count())
        .select_from(AuthSession)
        .where(col(AuthSession.user_id) == actor.id, col(AuthSession.ended_at).is_(None))
    ).one()
    assert actor.id is not None
    now = utcnow()
    tokens = [
        TokenRow(t.ref, t.label, t.scopes.split(), t.created_at, t.expires_at, sessions.token_state(t, now))
        for t in sessions.api_tokens_of(db, actor.id)
    ]
    today = date.today()
    chosen = mail.choices(db, actor)
    return Account(
        actor,
        int(live),
        tokens,
        [(f, today.strftime(f)) for f in DATE_FORMATS],
        chosen.signoff_notices,
        chosen.daily_digest,
    )


def set_date_format(db: Session, actor: User, fmt: str) -> User:
    """Show dates to the actor in `fmt`, one of `DATE_FORMATS`."""
    if fmt not in DATE_FORMATS:
        raise Invalid.field("date_format", "choose one of the formats shown")
    user = db.get(User, actor.id)
    assert user is not None
    user.date_format = fmt
    db.add(user)
    db.flush()
    return user


def set_mail(db: Session, actor: User, data: dict[str, Any]) -> None:
    """Which e-mail the actor wants: a notice when a sign-off is asked of them, a daily digest."""
    mail.set_choices(db, actor, data)


def new_api_token(db: Session, actor: User, data: dict[str, Any]) -> str:
    """A new API token for the actor from the account page's form; shown once, only its digest is kept."""
    label = str(data.get("label", "")).strip()
    if not label:
        raise Invalid.field("label", "name the token, for example the script that will use it")
    if len(label) > 200:
        raise Invalid.field("label", "at most 200 characters")
    scopes = ["read", *(s for s in ("write", "sign-off") if data.get(f"scope_{s}"))]
    try:
        days = int(str(data.get("days", sessions.DEFAULT_TOKEN_DAYS)))
    except ValueError:
        days = 0
    if days not in sessions.TOKEN_DAYS:
        raise Invalid.field("days", "choose one of the durations shown")
    return sessions.create_api_token(db, actor, label, scopes, days)


def revoke_api_token(db: Session, actor: User, ref: str) -> None:
    """End one of the actor's own tokens now."""
    sessions.revoke_api_token(db, ref, actor.id)
