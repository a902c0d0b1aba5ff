"""A person's own account: their date format, their sessions and their API tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from server.models import ApiToken, AuthSession, User
from server.services import mail, sessions
from server.services.errors import Invalid

# The formats a person may choose, shown as today's date in each.
DATE_FORMATS = ("%d %b %Y", "%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y")


@dataclass
class Account:
    user: User
    live_sessions: int
    tokens: int
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
    tokens = db.exec(
        select(func.count())
        .select_from(ApiToken)
        .where(col(ApiToken.user_id) == actor.id, col(ApiToken.revoked_at).is_(None))
    ).one()
    today = date.today()
    chosen = mail.choices(db, actor)
    return Account(
        actor,
        int(live),
        int(tokens),
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


def new_api_token(db: Session, actor: User, label: str) -> str:
    """A new API token for the actor; shown once, only its digest is kept."""
    label = label.strip()
    if not label:
        raise Invalid.field("label", "name the token, for example the script that will use it")
    return sessions.create_api_token(db, actor, label[:200])
