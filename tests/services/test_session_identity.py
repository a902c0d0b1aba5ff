"""The answer cache's one-statement identity read agrees with the routes' own, case by case.

`sessions.identity` reads a session or token, its person and the write marks in one plain
statement (no ORM objects); `sessions.resolve` and `sessions.resolve_api_token` are what
the routes' dependencies use. Every state a credential can be in is judged by both, on
SQLite and PostgreSQL, and they must agree: who it is, or that it counts for nothing.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text, update
from sqlmodel import Session, col

from server import generation
from server.db import get_engine
from server.models import ApiToken, AuthSession, User
from server.models.base import utcnow
from server.services import sessions
from server.settings import get_settings
from tests.factories import document, initiative, load, person

# Every test here runs on SQLite and on PostgreSQL: the statement is written per dialect.
pytestmark = pytest.mark.usefixtures("db_backend")


@pytest.fixture
def owner(db: Session) -> User:
    load(db, document(initiatives=[initiative("t1")]))
    user = person(db, "varnia-mfa", "desk_officer")
    db.commit()
    return user


def _session(db: Session, user: User) -> tuple[str, str]:
    signed = sessions.sign_in(db, user.email, "correct horse battery", "127.0.0.1")
    db.commit()
    return signed.token, signed.session.id


def _both_sessions(db: Session, token: str) -> tuple[object, object]:
    db.expire_all()
    routes = sessions.resolve(db, token)
    db.rollback()
    quick = sessions.identity(get_engine(), token, False)
    return routes, quick


@pytest.mark.parametrize(
    "change",
    ["live", "ended", "idle", "too_old", "deactivated"],
)
def test_a_session_counts_for_the_cache_exactly_when_it_counts_for_the_routes(
    db: Session, owner: User, change: str
) -> None:
    token, session_id = _session(db, owner)
    s = get_settings()
    now = utcnow()
    values: dict[str, object] = {
        "live": {},
        "ended": {"ended_at": now},
        "idle": {"last_seen_at": now - timedelta(minutes=s.session_idle_minutes + 1)},
        "too_old": {"created_at": now - timedelta(hours=s.session_absolute_hours + 1)},
        "deactivated": {},
    }[change]  # type: ignore[assignment]
    if values:
        db.execute(update(AuthSession).where(col(AuthSession.id) == session_id).values(**values))  # type: ignore[arg-type]
    if change == "deactivated":
        db.execute(update(User).where(col(User.id) == owner.id).values(active=False))
    db.commit()
    routes, quick = _both_sessions(db, token)
    if change == "live":
        assert routes is not None and quick is not None
        assert quick.user_id == owner.id and quick.session_id == session_id and quick.token_ref is None  # type: ignore[attr-defined]
    else:
        assert routes is None and quick is None


def test_an_unknown_or_missing_cookie_is_nobody(db: Session, owner: User) -> None:
    assert sessions.identity(get_engine(), "not-a-session", False) is None
    assert sessions.resolve(db, "not-a-session") is None


def test_a_session_due_its_activity_stamp_says_so(db: Session, owner: User) -> None:
    token, session_id = _session(db, owner)
    quick = sessions.identity(get_engine(), token, False)
    assert quick is not None and not quick.touch_due
    stale = utcnow() - timedelta(seconds=get_settings().session_touch_seconds + 5)
    db.execute(update(AuthSession).where(col(AuthSession.id) == session_id).values(last_seen_at=stale))
    db.commit()
    quick = sessions.identity(get_engine(), token, False)
    assert quick is not None and quick.touch_due


@pytest.mark.parametrize("change", ["live", "revoked", "expired", "deactivated", "unknown"])
def test_a_token_counts_for_the_cache_exactly_when_it_counts_for_the_routes(
    db: Session, owner: User, change: str
) -> None:
    token = sessions.create_api_token(db, owner, "test", scopes=("read", "write"))
    db.commit()
    digest = sessions._digest(token)
    if change == "revoked":
        db.execute(update(ApiToken).where(col(ApiToken.id) == digest).values(revoked_at=utcnow()))
    elif change == "expired":
        db.execute(
            update(ApiToken)
            .where(col(ApiToken.id) == digest)
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    elif change == "deactivated":
        db.execute(update(User).where(col(User.id) == owner.id).values(active=False))
    elif change == "unknown":
        token = token[:-4] + "xxxx"
    db.commit()
    db.expire_all()
    if change == "live":
        bearer = sessions.resolve_api_token(db, token)
        quick = sessions.identity(get_engine(), token, True)
        assert quick is not None
        assert (quick.user_id, quick.token_ref, quick.scopes) == (bearer.user.id, bearer.ref, bearer.scopes)
        assert quick.session_id is None and not quick.touch_due
        return
    with pytest.raises(sessions.TokenRefused) as by_routes:
        sessions.resolve_api_token(db, token)
    db.rollback()
    with pytest.raises(sessions.TokenRefused) as by_cache:
        sessions.identity(get_engine(), token, True)
    assert by_cache.value.detail == by_routes.value.detail


def test_the_marks_come_with_the_identities_in_one_statement(db: Session, owner: User) -> None:
    cookie, session_id = _session(db, owner)
    token = sessions.create_api_token(db, owner, "test")
    db.execute(text(generation.bump_statement()))
    db.commit()
    track, never_changed = 1, 999_999
    with Session(get_engine()) as reading:
        generation.want(reading, [track, never_changed])
        sessions.resolve(reading, cookie)
        expected_generation = reading.info[generation.KEY]
        expected_marks = generation.marks(reading, [track, never_changed])
        reading.rollback()
    asked = [(cookie, False), (token, True), ("unknown", False), ("unknown", True), ("", False)]
    read = sessions.identities(get_engine(), asked, [track, never_changed])
    assert read.generation == expected_generation != ""
    assert read.marks == expected_marks and read.marks[never_changed] == ""
    by_cookie, by_token = read.found[(cookie, False)], read.found[(token, True)]
    assert isinstance(by_cookie, sessions.Identity) and by_cookie.session_id == session_id
    assert isinstance(by_token, sessions.Identity) and by_token.token_ref == sessions.ref_of(token)
    assert read.found[("unknown", False)] is None
    assert isinstance(read.found[("unknown", True)], sessions.TokenRefused)
    assert ("", False) not in read.found  # no credential: nothing to ask


def test_with_no_credential_the_marks_are_still_read(db: Session, owner: User) -> None:
    read = sessions.identities(get_engine(), [], [1])
    assert read.found == {} and read.marks == {1: ""}
