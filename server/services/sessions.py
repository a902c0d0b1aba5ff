"""Server-side sign-in sessions, CSRF tokens, the sign-in throttle and API tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from server import generation
from server.models import ApiToken, AuthSession, SigninAttempt, User
from server.models.base import utcnow
from server.services import users
from server.services.errors import Invalid, NotFound
from server.settings import get_settings

SIGNIN_FAILED = "The email or password is not right."


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def signin_nonce(current: str | None) -> str:
    """The pre-session nonce for the sign-in form's cookie: the browser's own if it has a sound one."""
    if current and 20 <= len(current) <= 64 and current.replace("-", "").replace("_", "").isalnum():
        return current
    return secrets.token_urlsafe(24)


def signin_token(nonce: str) -> str:
    """The sign-in form's hidden field for a nonce: only this server can make it.

    The nonce rides in a SameSite=Strict cookie, so a form posted from another site
    carries neither the cookie nor the field that matches it (login CSRF).
    """
    key = get_settings().secret_key.encode()
    return hmac.new(key, f"signin:{nonce}".encode(), hashlib.sha256).hexdigest()


def signin_token_ok(nonce: str | None, token: str | None) -> bool:
    if not nonce or not token:
        return False
    return hmac.compare_digest(signin_token(nonce), token)


@dataclass
class SignedIn:
    user: User
    session: AuthSession
    token: str  # goes into the cookie; only its digest is stored


def _wait(failures: int, allowed: int) -> float:
    """Seconds to wait after `failures` where `allowed` are free: doubling, at most five minutes."""
    over = failures - allowed + 1
    return 0.0 if over <= 0 else float(min(2 ** (over - 1), 300))


def throttle_wait(db: Session, account: str, client: str) -> float:
    """Seconds still to wait before this address may try this account again (0: go ahead).

    Failures count per address and account, and per address over all accounts (four
    times as many allowed): an address that keeps failing slows down, while the
    account's owner, from an address of their own, is never held back by it. Never per
    account alone, which would let anyone lock a known account's owner out.
    """
    s = get_settings()
    now = utcnow()
    since = now - timedelta(minutes=s.signin_window_minutes)
    from_client = col(SigninAttempt.client) == client
    recent = col(SigninAttempt.at) >= since
    pair_count, pair_last = db.exec(
        select(func.count(), func.max(SigninAttempt.at)).where(
            from_client, col(SigninAttempt.account) == account, recent
        )
    ).one()
    client_count, client_last = db.exec(
        select(func.count(), func.max(SigninAttempt.at)).where(from_client, recent)
    ).one()
    left = 0.0
    for wait, last in (
        (_wait(int(pair_count), s.signin_max_failures), pair_last),
        (_wait(int(client_count), 4 * s.signin_max_failures), client_last),
    ):
        if wait and last is not None:
            left = max(left, wait - (now - last).total_seconds())
    return max(left, 0.0)


def sign_in(db: Session, email: str, password: str, client: str, user_agent: str = "") -> SignedIn:
    """Check the password and open a new session (a new id: no fixation).

    Every refusal says the same thing, so the answer never tells whether an account exists;
    repeated failures from an address must wait, longer each time (`throttle_wait`).
    """
    account = email.strip().lower()
    wait = throttle_wait(db, account, client)
    if wait:
        raise Invalid(f"Too many failed sign-ins. Try again in {max(int(wait), 1)} seconds.")
    user = users.by_email(db, account)
    if not users.check_password(user, password) or user is None or not user.active:
        db.add(SigninAttempt(account=account, client=client))
        db.flush()
        raise Invalid(SIGNIN_FAILED)
    # Only this address's failures on this account: another address's stay counted.
    db.execute(
        delete(SigninAttempt).where(
            col(SigninAttempt.account) == account, col(SigninAttempt.client) == client
        )
    )
    assert user.id is not None
    token = secrets.token_urlsafe(32)
    session = AuthSession(
        id=_digest(token), user_id=user.id, csrf_token=secrets.token_urlsafe(32), user_agent=user_agent[:300]
    )
    db.add(session)
    db.flush()
    return SignedIn(user, session, token)


def resolve(db: Session, token: str | None) -> tuple[User, AuthSession] | None:
    """The live session for a cookie token, or None if absent, ended or timed out.

    One statement: the session, its person and the write marks (the workspace's, and the
    tracks' `generation.want` named), read in one snapshot (`remember_generation`).
    """
    if not token:
        return None
    found = db.exec(
        select(AuthSession, User, *generation.columns(db))
        .join(User, col(User.id) == col(AuthSession.user_id))
        .where(col(AuthSession.id) == _digest(token))
    ).first()
    if found is None:
        return None
    session, user = found[0], found[1]
    remember_generation(db, list(found[2:]))
    if not session_live(session.created_at, session.last_seen_at, session.ended_at, user.active):
        return None
    return user, session


def session_live(
    created_at: datetime, last_seen_at: datetime, ended_at: datetime | None, active: bool
) -> bool:
    """Whether a session counts: not ended, within its absolute and idle limits, its person active."""
    if ended_at is not None or not active:
        return False
    s = get_settings()
    now = utcnow()
    return now - created_at <= timedelta(hours=s.session_absolute_hours) and now - last_seen_at <= timedelta(
        minutes=s.session_idle_minutes
    )


def remember_generation(db: Session, values: list[Any]) -> None:
    """Keep the write marks read with the reader's identity, for the answer cache."""
    db.info[generation.KEY] = generation.remember(db, values)


def needs_touch(session: AuthSession) -> bool:
    """Activity is stamped at most once per `session_touch_seconds`, to keep reads cheap."""
    return touch_due(session.last_seen_at)


def touch_due(last_seen_at: datetime) -> bool:
    return (utcnow() - last_seen_at).total_seconds() > get_settings().session_touch_seconds


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
        # No page or API answer shows it: it does not move the write generation.
        .execution_options(**{generation.UNCOUNTED: True})
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


# What a token may do: `read` answers safe methods (every token has it), `write` every
# other change, `sign-off` signing off and declining decisions.
SCOPES = ("read", "write", "sign-off")
TOKEN_DAYS = (7, 30, 90, 365)
DEFAULT_TOKEN_DAYS = 90
MAX_TOKEN_DAYS = 365


class TokenRefused(Exception):
    """A bearer token that is unknown, revoked, expired, or whose owner may no longer sign in."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


@dataclass(frozen=True)
class Bearer:
    """A live API token's owner and what the token may do."""

    user: User
    ref: str
    scopes: frozenset[str]


def token_state(row: ApiToken, now: datetime | None = None) -> str:
    """ "live", "expired" or "revoked"."""
    return _token_state(row.revoked_at, row.expires_at, now)


def _token_state(
    revoked_at: datetime | None, expires_at: datetime | None, now: datetime | None = None
) -> str:
    if revoked_at is not None:
        return "revoked"
    if expires_at is not None and expires_at <= (now or utcnow()):
        return "expired"
    return "live"


def create_api_token(
    db: Session,
    user: User,
    label: str = "",
    scopes: Iterable[str] = SCOPES,
    days: int = DEFAULT_TOKEN_DAYS,
) -> str:
    """A new token for `user`; returned once, only its digest is kept.

    Callers decide who may ask (a signed-in session or the command line, never a token).
    """
    assert user.id is not None
    chosen = {"read", *scopes}
    unknown = sorted(chosen - set(SCOPES))
    if unknown:
        raise Invalid.field("scopes", f"unknown scope {unknown[0]!r}; choose from {', '.join(SCOPES)}")
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise Invalid.field("expires_in_days", f"a token lasts from 1 to {MAX_TOKEN_DAYS} days")
    ref = secrets.token_hex(6)
    token = f"acc_{ref}_{secrets.token_urlsafe(32)}"
    db.add(
        ApiToken(
            id=_digest(token),
            ref=ref,
            user_id=user.id,
            label=label,
            scopes=" ".join(s for s in SCOPES if s in chosen),
            expires_at=utcnow() + timedelta(days=days),
        )
    )
    db.flush()
    return token


def resolve_api_token(db: Session, token: str) -> Bearer:
    """The owner and scopes of a live token; raises `TokenRefused` otherwise.

    On the path of every API request: one query by primary key, the owner and their
    organisation joined in.
    """
    found = db.exec(
        select(ApiToken, User, *generation.columns(db))
        .join(User, col(User.id) == col(ApiToken.user_id))
        .where(col(ApiToken.id) == _digest(token))
    ).first()
    if found is None:
        raise TokenRefused("The API token is not known")
    row, user = found[0], found[1]
    remember_generation(db, list(found[2:]))
    _refuse_token(row.revoked_at, row.expires_at, user.active)
    return Bearer(user, row.ref, row.scope_set)


def _refuse_token(revoked_at: datetime | None, expires_at: datetime | None, active: bool) -> None:
    state = _token_state(revoked_at, expires_at)
    if state != "live":
        raise TokenRefused(f"The API token is {state}")
    if not active:
        raise TokenRefused("The API token's owner can no longer sign in")


def ref_of(token: str) -> str:
    """The ref a token carries after `acc_` ("" for one made before refs existed)."""
    parts = token.split("_", 2)
    return parts[1] if len(parts) == 3 and parts[0] == "acc" else ""


def api_token_by_ref(db: Session, ref: str) -> ApiToken:
    row = db.exec(select(ApiToken).where(col(ApiToken.ref) == ref)).first()
    if row is None:
        raise NotFound(f"No API token {ref!r}")
    return row


def api_tokens_of(db: Session, user_id: int) -> list[ApiToken]:
    """A person's tokens, newest first, ended ones included."""
    return list(
        db.exec(
            select(ApiToken).where(col(ApiToken.user_id) == user_id).order_by(col(ApiToken.created_at).desc())
        ).all()
    )


def revoke_api_token(db: Session, ref: str, owner_id: int | None) -> ApiToken:
    """End the token named `ref` now; `owner_id` None is the operator (the command line).

    A token of someone else is `NotFound`, as if it did not exist.
    """
    row = api_token_by_ref(db, ref)
    if owner_id is not None and row.user_id != owner_id:
        raise NotFound(f"No API token {ref!r}")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        db.add(row)
        db.flush()
    return row


@dataclass(frozen=True)
class Identity:
    """Who a credential names, read with the write marks in one plain statement (`identities`).

    The answer cache's path (`services.answers`): no ORM objects, the same rules as
    `resolve` and `resolve_api_token` (`session_live`, `_refuse_token`).
    """

    user_id: int
    session_id: str | None
    token_ref: str | None
    scopes: frozenset[str]
    touch_due: bool


@dataclass(frozen=True)
class Identities:
    """What one statement read: each credential's holder, the workspace's mark, the tracks' marks."""

    found: dict[tuple[str, bool], Identity | TokenRefused | None]
    generation: str
    marks: dict[int, str]


def identities(engine: Any, credentials: Iterable[tuple[str, bool]], tracks: Iterable[int]) -> Identities:
    """The live sessions (`(token, False)`) and API tokens (`(token, True)`) of these credentials.

    One statement on a pooled connection, so one snapshot for all: the sessions and tokens
    with their people, the workspace's mark and these tracks' marks. A credential maps to
    its `Identity`; to None when it is an unknown, ended or timed-out session; to the
    `TokenRefused` it would raise when it is a refused token.
    """
    asked = {(t, b) for t, b in credentials if t or b}
    wanted = frozenset(int(t) for t in tracks)
    digests = {(_digest(t), b): (t, b) for t, b in asked}
    sql, params = _identities_sql(
        engine.dialect, [d for d, b in digests if b], [d for d, b in digests if not b], wanted
    )
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        try:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        finally:
            cursor.close()
    finally:
        raw.close()  # back to the pool, which rolls the statement's snapshot back
    mark, marks = "", dict.fromkeys(wanted, "")
    read: dict[tuple[str, bool], tuple[Any, ...]] = {}
    for kind, digest, *rest in rows:
        if kind == "marks":
            mark, marks = generation.parse(rest[1]), generation.pairs_of(rest[2], wanted)
        else:
            read[(str(digest), kind == "token")] = tuple(rest)
    found = {credential: _holder(read.get(key), key[1]) for key, credential in digests.items()}
    return Identities(found, mark, marks)


def identity(engine: Any, token: str, bearer: bool) -> Identity | None:
    """One credential's holder (`identities`); a refused token raises `TokenRefused`."""
    found = identities(engine, [(token, bearer)], ()).found.get((token, bearer))
    if isinstance(found, TokenRefused):
        raise found
    return found


def _holder(row: tuple[Any, ...] | None, bearer: bool) -> Identity | TokenRefused | None:
    if row is None:
        return TokenRefused("The API token is not known") if bearer else None
    user_id, name, scopes, created, second, ended_or_revoked, active = row
    if bearer:
        try:
            _refuse_token(_at(ended_or_revoked), _at(second), bool(active))
        except TokenRefused as refused:
            return refused
        return Identity(int(user_id), None, str(name), frozenset(str(scopes).split()), False)
    first, last_seen = _at(created), _at(second)
    if (
        first is None
        or last_seen is None
        or not session_live(first, last_seen, _at(ended_or_revoked), bool(active))
    ):
        return None
    return Identity(int(user_id), str(name), None, frozenset(), touch_due(last_seen))


def _identities_sql(
    dialect: Any, tokens: list[str], cookies: list[str], tracks: frozenset[int]
) -> tuple[str, tuple[str, ...]]:
    """One statement: a row per token and per session found (kind, digest, user, name, scopes,
    created, last seen or expiry, end or revocation, active), then one row of marks."""
    param = "?" if dialect.paramstyle == "qmark" else "%s"
    parts = []
    if tokens:
        parts.append(
            "SELECT 'token', t.id, t.user_id, t.ref, t.scopes, NULL, t.expires_at, t.revoked_at, p.active "
            f"FROM api_token t JOIN person p ON p.id = t.user_id WHERE t.id IN ({', '.join([param] * len(tokens))})"
        )
    if cookies:
        parts.append(
            "SELECT 'session', s.id, s.user_id, s.id, NULL, s.created_at, s.last_seen_at, s.ended_at, p.active "
            f"FROM auth_session s JOIN person p ON p.id = s.user_id WHERE s.id IN ({', '.join([param] * len(cookies))})"
        )
    parts.append(
        f"SELECT 'marks', NULL, NULL, {generation.columns_sql(dialect.name, tracks)}, NULL, NULL, NULL, NULL"
    )
    return " UNION ALL ".join(parts), (*tokens, *cookies)


def _at(value: Any) -> datetime | None:
    """A timestamp as the driver gives it: a datetime (PostgreSQL) or ISO text (SQLite)."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))
