"""People: creating them, their roles, and checking passwords (argon2id)."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import Field, field_validator
from sqlalchemy import update
from sqlmodel import Session, col, select

from server.models import ApiToken, AuthSession, Organisation, User
from server.models.base import utcnow
from server.models.people import ROLES
from server.services import delegations, policy
from server.services.errors import Conflict, Invalid
from server.services.validation import Bounded, Id, parse, text
from server.settings import get_settings


@lru_cache
def _hasher(time_cost: int, memory_kib: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)  # argon2id


@lru_cache
def _dummy_hash(time_cost: int, memory_kib: int) -> str:
    # Verifying against this keeps a missing account as slow as a wrong password.
    return _hasher(time_cost, memory_kib).hash("no account has this password")


def _cost() -> tuple[int, int]:
    s = get_settings()
    return s.argon2_time_cost, s.argon2_memory_kib


class UserData(Bounded):
    email: str = text("email", 3)
    name: str = text("name", 1)
    organisation_id: Id
    role: str
    password: str = Field(min_length=10, max_length=1000)

    @field_validator("email")
    @classmethod
    def _email(cls, v: str) -> str:
        if "@" not in v or v.startswith("@") or v.endswith("@"):
            raise ValueError("enter an email address")
        return v.lower()

    @field_validator("role")
    @classmethod
    def _role(cls, v: str) -> str:
        if v not in ROLES:
            raise ValueError(f"choose one of {', '.join(ROLES)}")
        return v


def hash_password(password: str) -> str:
    return _hasher(*_cost()).hash(password)


def check_password(user: User | None, password: str) -> bool:
    """True if the password is the user's; as slow for a missing user as for a wrong one."""
    try:
        hasher = _hasher(*_cost())
        return (
            hasher.verify(user.password_hash if user else _dummy_hash(*_cost()), password)
            and user is not None
        )
    except (VerificationError, InvalidHashError):
        return False


def create(
    db: Session,
    actor: User | None,
    email: str,
    name: str,
    organisation_id: int | None,
    role: str,
    password: str,
    *,
    password_hash: str | None = None,
) -> User:
    """A new person; only an admin (or the system) may create one.

    A delegation of sign-off that names the person, made before their account existed
    (imported with the workspace), is tied to the new account (`delegations.link_people`),
    so that they find its Sign button; every way of creating a person comes here.

    `password_hash`, when given, is `hash_password(password)` made once for several
    people who share a password (the demo's logins), so it is not hashed again.
    """
    policy.require_role(actor, "admin")
    data = parse(
        UserData,
        {
            "email": email,
            "name": name,
            "organisation_id": organisation_id,
            "role": role,
            "password": password,
        },
    )
    org = db.get(Organisation, data.organisation_id)
    if org is None:
        raise Invalid.field("organisation_id", "unknown organisation")
    if actor is not None and org.government_key != actor.government:
        raise Invalid.field("organisation_id", "choose an organisation of your own government")
    if db.exec(select(User).where(User.email == data.email)).first() is not None:
        raise Conflict("A person with this email already exists")
    user = User(
        email=data.email,
        name=data.name,
        organisation_id=data.organisation_id,
        role=data.role,
        password_hash=password_hash or hash_password(data.password),
    )
    db.add(user)
    db.flush()
    db.refresh(user)
    delegations.link_people(db, user)
    return user


def by_email(db: Session, email: str) -> User | None:
    return db.exec(select(User).where(User.email == email.strip().lower())).first()


def in_organisation(db: Session, organisation_id: int) -> list[User]:
    return list(
        db.exec(
            select(User).where(User.organisation_id == organisation_id, col(User.active)).order_by(User.name)
        ).all()
    )


def deactivate(db: Session, user: User) -> None:
    """Stop a person: no sign-in, and every session and API token of theirs ends now.

    Their records stay (decisions, sign-offs and comments name them); `reactivate`
    lets them sign in again, with new sessions and tokens only.
    """
    now = utcnow()
    user.active = False
    db.add(user)
    db.execute(
        update(AuthSession)
        .where(col(AuthSession.user_id) == user.id, col(AuthSession.ended_at).is_(None))
        .values(ended_at=now)
    )
    db.execute(
        update(ApiToken)
        .where(col(ApiToken.user_id) == user.id, col(ApiToken.revoked_at).is_(None))
        .values(revoked_at=now)
    )
    db.flush()


def reactivate(db: Session, user: User) -> None:
    """Let a deactivated person sign in again (their old sessions and tokens stay ended)."""
    user.active = True
    db.add(user)
    db.flush()
