"""Server-side sign-in sessions, CSRF tokens, the sign-in throttle and API tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from server.models import ApiToken, AuthSession, SigninAttempt, User
from server.models.base import utcnow
from server.services import users
from server.services.errors import Invalid
from server.settings import get_settings

SIGNIN_FAILED = "The email or password is not right."


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class SignedIn:
    user: User
    session: AuthSession
    token: str  # goes into the cookie; only its digest is stored


def throttle_delay(db: Session, account: str, client: str) -> float:
    """Seconds the next attempt must wait, from recent failures per account and per address."""
    s = get_settings()
    since = utcnow() - timedelta(minutes=s.signin_window_minutes)
    by_account = db.exec(
        select(func.count()).where(SigninAttempt.account == account, col(SigninAttempt.at) >= since)
    ).one()
    by_client = db.exec(
        select(func.count()).where(SigninAttempt.client == client, col(SigninAttempt.at) >= since)
    ).one()
    worst = max(by_account - s.signin_max_failures + 1, (by_client - 4 * s.signin_max_failures) + 1, 0)
    return 0.0 if worst <= 0 else float(min(2 ** (worst - 1), 300))


def last_failure(db: Session, account: str, client: str) -> datetime | None:
    return db.exec(
        select(func.max(SigninAttempt.at)).where(
            (SigninAttempt.account == account) | (SigninAttempt.client == client)
        )
    ).one()


def sign_in(db: Session, email: str, password: str, client: str, user_agent: str = "") -> SignedIn:
    """Check the password and open a new session (a new id: no fixation).

    Every refusal says the same thing, so the answer never tells whether an account exists;
    repeated failures for an account or from an address must wait, longer each time.
    """
    account = email.strip().lower()
    delay = throttle_delay(db, account, client)
    if delay:
        last = last_failure(db, account, client)
        if last is not None and (utcnow() - last).total_seconds() < delay:
            raise Invalid(f"Too many failed sign-ins. Try again in {int(delay)} seconds.")
    user = users.by_email(db, account)
    if not users.check_password(user, password) or user is None or not user.active:
        db.add(SigninAttempt(account=account, client=client))
        db.flush()
        raise Invalid(SIGNIN_FAILED)
    db.execute(delete(SigninAttempt).where(col(SigninAttempt.account) == account))
    assert user.id is not None
    token = secrets.token_urlsafe(32)
    session = AuthSession(
        id=_digest(token), user_id=user.id, csrf_token=secrets.token_urlsafe(32), user_agent=user_agent[:300]
    )
    db.add(session)
    db.flush()
    return SignedIn(user, session, token)


def resolve(db: Session, token: str | None) -> tuple[User, AuthSession] | None:
    """The live session for a cookie token, or None if absent, ended or timed out."""
    if not token:
        return None
    session = db.get(AuthSession, _digest(token))
    if session is None or session.ended_at is not None:
        return None
    s = get_settings()
    now = utcnow()
    if now - session.created_at > timedelta(
        hours=s.session_absolute_hours
    ) or now - session.last_seen_at > timedelta(minutes=s.session_idle_minutes):
        return None
    user = db.get(User, session.user_id)
    if user is None or not user.active:
        return None
    return user, session


def needs_touch(session: AuthSession) -> bool:
    """Activity is stamped at most once per `session_touch_seconds`, to keep reads cheap."""
    return (utcnow() - session.last_seen_at).total_seconds() > get_settings().session_touch_seconds


def touch(db: Session, session: AuthSession) -> None:
    """Record activity now, for the idle timeout, in the caller's (write) transaction."""
    now = utcnow()
    touch_id(db, session.id, now)
    # The caller's copy may be detached or belong to another session: record the new time
    # as already saved, so nothing is written back twice.
    set_committed_value(session, "last_seen_at", now)


def touch_id(db: Session, session_id: str, now: datetime | None = None) -> None:
    """Record activity for the session with this id (a read stamps it after its answer)."""
    db.execute(
        update(AuthSession)
        .where(col(AuthSession.id) == session_id, col(AuthSession.ended_at).is_(None))
        .values(last_seen_at=now or utcnow())
    )


def sign_out(db: Session, session: AuthSession) -> None:
    db.execute(update(AuthSession).where(col(AuthSession.id) == session.id).values(ended_at=utcnow()))


def sign_out_others(db: Session, session: AuthSession) -> int:
    """End every other session of the same person; returns how many ended."""
    result = db.execute(
        update(AuthSession)
        .where(
            col(AuthSession.user_id) == session.user_id,
            col(AuthSession.id) != session.id,
            col(AuthSession.ended_at).is_(None),
        )
        .values(ended_at=utcnow())
    )
    return int(cast(CursorResult[Any], result).rowcount or 0)


def csrf_ok(session: AuthSession, token: str | None) -> bool:
    return bool(token) and hmac.compare_digest(session.csrf_token, token or "")


def create_api_token(db: Session, user: User, label: str = "") -> str:
    assert user.id is not None
    token = "acc_" + secrets.token_urlsafe(32)
    db.add(ApiToken(id=_digest(token), user_id=user.id, label=label))
    db.flush()
    return token


def resolve_api_token(db: Session, token: str) -> User | None:
    row = db.get(ApiToken, _digest(token))
    if row is None or row.revoked_at is not None:
        return None
    user = db.get(User, row.user_id)
    return user if user is not None and user.active else None
