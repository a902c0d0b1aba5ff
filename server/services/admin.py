"""The admin screens' services: a government's organisations, its people, and the settings.

An admin administers their own government only: its organisations (those whose
government is the admin's) and the people who work in them. Another government's
organisation or person is `NotFound`; anyone but an admin is `NotAllowed`. The
workspace's own facts (its name, the date its checks judge against) belong to the
host government's admins when the workspace has one, else to every admin. Every
change is written to the admin log (`AdminEntry`), which a government's admins read.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from typing import Any

from pydantic import ConfigDict, Field, field_validator
from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from server import events
from server.db import add_first
from server.models import AdminEntry, GovernmentSetting, Organisation, User
from server.models.organisations import ORG_KINDS
from server.models.people import ROLES
from server.services import users, workspace_meta
from server.services.audience import LEVELS
from server.services.errors import Conflict, Invalid, NotAllowed, NotFound
from server.services.initiative_common import flush_versioned
from server.services.validation import CAPS, Bounded, parse, text

SWEEP = "accord.sweep"  # the workers' name for "check every track again" (server.broker.SWEEP)
KIND_NAMES = {
    "department": "Department",
    "state": "State",
    "humanitarian_org": "Humanitarian organisation",
    "multilateral": "Multilateral body",
}
ROLE_NAMES = {
    "admin": "Admin",
    "coordinator": "Coordinator",
    "desk_officer": "Desk officer",
    "partner_reviewer": "Partner reviewer",
    "field_contributor": "Field contributor",
}
ACTION_NAMES = {
    "organisation.created": "Organisation added",
    "organisation.changed": "Organisation changed",
    "person.invited": "Person invited",
    "person.role": "Role changed",
    "person.deactivated": "Person deactivated",
    "person.reactivated": "Person reactivated",
    "settings.share_level": "Sharing level",
    "workspace.name": "Workspace renamed",
    "workspace.judging_date": "Judging date set",
}
LEVEL_NAMES = {"view": "Read", "comment": "Read and comment", "sign-off": "Read, comment and sign off"}


def require_admin(actor: User) -> None:
    """Admins only: anyone else may not use the admin screens (403)."""
    if actor.role != "admin" or not actor.active:
        raise NotAllowed("Only an admin manages organisations, people and settings")


def government_name(db: Session, actor: User) -> str:
    """The name of the actor's government: its state's, or its own organisation's when it has none."""
    gov = actor.government
    state = db.exec(select(Organisation).where(Organisation.key == gov)).first()
    return state.name if state is not None else actor.organisation.name


def _gov_of_org() -> Any:
    return func.coalesce(Organisation.government, Organisation.key)


def _log(
    db: Session, actor: User, action: str, subject: str, detail: str = "", *, everyone: bool = False
) -> None:
    db.add(
        AdminEntry(
            government=None if everyone else actor.government,
            actor_id=actor.id,
            actor_name=actor.name,
            action=action,
            subject=subject[:320],
            detail=detail[:500],
        )
    )


# ------------------------------------------------------------ organisations


class OrganisationData(Bounded):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = text("name", 2)
    kind: str

    @field_validator("kind")
    @classmethod
    def _kind(cls, v: str) -> str:
        if v not in ORG_KINDS:
            raise ValueError("choose a kind from the list")
        return v


def organisations(db: Session, actor: User) -> list[Organisation]:
    """The organisations of the admin's government, the state first, then by name."""
    require_admin(actor)
    rows = db.exec(
        select(Organisation).where(_gov_of_org() == actor.government).order_by(Organisation.name)
    ).all()
    return sorted(rows, key=lambda o: (o.kind != "state", o.name.lower()))


def organisation(db: Session, actor: User, org_id: int) -> Organisation:
    """One organisation of the admin's own government; another government's is `NotFound`."""
    org = db.get(Organisation, org_id)
    if org is None or org.government_key != actor.government:
        raise NotFound("No such organisation")
    require_admin(actor)
    return org


def _new_org_key(db: Session, government: str, name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40].strip("-") or "org"
    key = slug if slug.startswith(government) else f"{government}-{slug}"
    while db.exec(select(Organisation.id).where(Organisation.key == key)).first() is not None:
        key = f"{government}-{slug}-{secrets.token_hex(2)}"
    return key[:120]


def _check_state(db: Session, government: str, kind: str, org_id: int | None) -> None:
    """A government has one state (the organisation that speaks for it as a whole)."""
    if kind != "state":
        return
    other = db.exec(
        select(Organisation).where(
            _gov_of_org() == government, Organisation.kind == "state", col(Organisation.id) != (org_id or 0)
        )
    ).first()
    if other is not None:
        raise Invalid.field(
            "kind", f"your government already has its state, {other.name}; choose another kind"
        )


def create_organisation(db: Session, actor: User, data: OrganisationData | dict[str, Any]) -> Organisation:
    """A new organisation in the admin's own government."""
    require_admin(actor)
    data = parse(OrganisationData, data)
    government = actor.government
    _check_state(db, government, data.kind, None)
    org = Organisation(
        key=_new_org_key(db, government, data.name), name=data.name, kind=data.kind, government=government
    )
    db.add(org)
    db.flush()
    _log(db, actor, "organisation.created", org.name, KIND_NAMES[org.kind])
    return org


def edit_organisation(
    db: Session, actor: User, org_id: int, data: OrganisationData | dict[str, Any], version: int
) -> Organisation:
    """Rename an organisation or change its kind; its government stays."""
    org = organisation(db, actor, org_id)
    data = parse(OrganisationData, data)
    if org.version != version:
        raise Conflict("Someone else saved this organisation after you opened it", version=org.version)
    if org.key == actor.government and data.kind != org.kind:
        raise Invalid.field("kind", "this organisation is the government itself; its kind stays")
    _check_state(db, actor.government, data.kind, org.id)
    changes = []
    if data.name != org.name:
        changes.append(f"name: {org.name} → {data.name}")
    if data.kind != org.kind:
        changes.append(f"kind: {KIND_NAMES[org.kind]} → {KIND_NAMES[data.kind]}")
        # Whose sign-off a decision needs depends on the kinds: every track is judged again.
        events.enqueue(db, SWEEP)
    org.name, org.kind = data.name, data.kind
    db.add(org)
    flush_versioned(db)
    if changes:
        _log(db, actor, "organisation.changed", org.name, "; ".join(changes))
    return org


# ------------------------------------------------------------ people


class InviteData(Bounded):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    email: str = text("email", 3)
    name: str = text("name", 1)
    organisation_id: int
    role: str

    @field_validator("email")
    @classmethod
    def _email(cls, v: str) -> str:
        local, _, domain = v.partition("@")
        if not local or "." not in domain or " " in v:
            raise ValueError("enter an e-mail address, such as name@ministry.example")
        return v.lower()

    @field_validator("role")
    @classmethod
    def _role(cls, v: str) -> str:
        if v not in ROLES:
            raise ValueError("choose a role from the list")
        return v


def _role(role: str) -> str:
    if role not in ROLES:
        raise Invalid.field("role", "choose a role from the list")
    return role


def people(db: Session, actor: User) -> list[User]:
    """Everyone who works in an organisation of the admin's government, deactivated ones too."""
    require_admin(actor)
    own = select(Organisation.id).where(_gov_of_org() == actor.government)
    return list(
        db.exec(
            select(User)
            .where(col(User.organisation_id).in_(own))
            .order_by(col(User.active).desc(), User.name)
        ).all()
    )


def person(db: Session, actor: User, user_id: int) -> User:
    """One person of the admin's own government; anyone else is `NotFound`."""
    user = db.get(User, user_id)
    if user is None or user.government != actor.government:
        raise NotFound("No such person")
    require_admin(actor)
    return user


def invite(db: Session, actor: User, data: InviteData | dict[str, Any]) -> tuple[User, str]:
    """A new person in one of the admin's organisations, and their first password (shown once)."""
    require_admin(actor)
    try:
        data = parse(InviteData, data)
    except Invalid as exc:
        raise Invalid(
            exc.detail, [e if e.loc != "organisation_id" else _choose_org(e) for e in exc.errors]
        ) from None
    _role(data.role)
    org = db.get(Organisation, data.organisation_id)
    if org is None or org.government_key != actor.government:
        raise Invalid.field("organisation_id", "choose one of your government's organisations")
    password = secrets.token_urlsafe(12)
    try:
        user = users.create(db, actor, data.email, data.name, org.id, data.role, password)
    except Conflict:
        raise Invalid.field("email", "a person with this email already has an account") from None
    _log(db, actor, "person.invited", f"{user.name} <{user.email}>", f"{ROLE_NAMES[user.role]}, {org.name}")
    return user, password


def _choose_org(e: Any) -> Any:
    e.message = "choose one of your government's organisations"
    return e


def set_role(db: Session, actor: User, user_id: int, role: str, version: int) -> User:
    """Give a person another role; an admin does not change their own (no one would be left to undo it)."""
    user = person(db, actor, user_id)
    _role(role)
    if user.id == actor.id and role != user.role:
        raise Invalid.field("role", "you cannot change your own role; ask another admin")
    if user.version != version:
        raise Conflict("Someone else changed this person after you opened the page", version=user.version)
    if role == user.role:
        return user
    before = user.role
    user.role = role
    db.add(user)
    flush_versioned(db)
    _log(
        db, actor, "person.role", f"{user.name} <{user.email}>", f"{ROLE_NAMES[before]} → {ROLE_NAMES[role]}"
    )
    return user


def deactivate(db: Session, actor: User, user_id: int) -> User:
    """Stop a person signing in; their sessions and API tokens end at once."""
    user = person(db, actor, user_id)
    if user.id == actor.id:
        raise Invalid.field("_form", "you cannot deactivate yourself; ask another admin")
    if user.active:
        users.deactivate(db, user)
        _log(db, actor, "person.deactivated", f"{user.name} <{user.email}>")
    return user


def reactivate(db: Session, actor: User, user_id: int) -> User:
    """Let a deactivated person sign in again."""
    user = person(db, actor, user_id)
    if not user.active:
        users.reactivate(db, user)
        _log(db, actor, "person.reactivated", f"{user.name} <{user.email}>")
    return user


# ------------------------------------------------------------ settings


@dataclass
class Settings:
    """What the settings page shows: the workspace's facts and the government's own settings."""

    workspace_name: str | None
    judging_date: dt.date | None
    host: str | None
    may_change_workspace: bool
    share_level: str
    version: int


class SettingsData(Bounded):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    share_level: str
    version: int
    workspace_name: str | None = Field(default=None, max_length=CAPS["name"])
    judging_date: dt.date | None = None

    @field_validator("share_level")
    @classmethod
    def _level(cls, v: str) -> str:
        if v not in LEVELS:
            raise ValueError("choose a level from the list")
        return v

    @field_validator("judging_date", mode="before")
    @classmethod
    def _date(cls, v: Any) -> Any:
        if v is None or v == "":
            return None
        if isinstance(v, dt.date):
            return v
        try:
            return dt.date.fromisoformat(str(v).strip())
        except ValueError:
            raise ValueError("enter a date such as 2026-06-01, or leave it empty for the real date") from None


def may_change_workspace(db: Session, actor: User) -> bool:
    """The host government's admins, or every admin of a workspace that has no host."""
    host = workspace_meta.host(db)
    return actor.role == "admin" and actor.active and (host is None or host == actor.government)


def share_level(db: Session, government: str) -> str:
    """The level a government's sharing form starts at."""
    row = db.get(GovernmentSetting, government)
    return row.share_level if row else "view"


def settings(db: Session, actor: User) -> Settings:
    require_admin(actor)
    row = db.get(GovernmentSetting, actor.government)
    return Settings(
        workspace_name=workspace_meta.get_name(db),
        judging_date=workspace_meta.judging_date(db),
        host=workspace_meta.host(db),
        may_change_workspace=may_change_workspace(db, actor),
        share_level=row.share_level if row else "view",
        version=row.version if row else 0,
    )


def save_settings(db: Session, actor: User, data: SettingsData | dict[str, Any]) -> Settings:
    """Save the government's settings and, for those who may, the workspace's name and judging date."""
    require_admin(actor)
    data = parse(SettingsData, data)
    current = settings(db, actor)
    if data.version != current.version:
        raise Conflict("Another admin saved the settings after you opened the page", version=current.version)
    # The workspace's fields count only when the form carried them (it shows them to those who may).
    new_name = data.workspace_name if "workspace_name" in data.model_fields_set else None
    new_date = data.judging_date if "judging_date" in data.model_fields_set else current.judging_date
    renamed = new_name is not None and new_name != (current.workspace_name or "")
    redated = new_date != current.judging_date
    if (renamed or redated) and not current.may_change_workspace:
        raise NotAllowed("The workspace's name and judging date are set by its host government's admins")
    if renamed and not new_name:
        raise Invalid.field("workspace_name", "give the workspace a name")
    if data.share_level != current.share_level:
        row = db.get(GovernmentSetting, actor.government)
        if row is None:
            first = GovernmentSetting(government=actor.government, share_level=data.share_level)
            if not add_first(db, first):
                raise Conflict("Another admin saved the settings after you opened the page")
        else:
            row.share_level = data.share_level
            db.add(row)
            flush_versioned(db)
        _log(db, actor, "settings.share_level", "Sharing starts at", LEVEL_NAMES[data.share_level])
    if renamed and new_name:
        workspace_meta.set_name(db, new_name)
        _log(db, actor, "workspace.name", new_name, everyone=True)
    if redated:
        workspace_meta.set_judging_date(db, new_date)
        shown = new_date.isoformat() if new_date else "the real date"
        _log(db, actor, "workspace.judging_date", shown, everyone=True)
        # Every alert depends on the date it is judged at: the workers judge everything again.
        events.enqueue(db, SWEEP)
    db.flush()
    return settings(db, actor)


# ------------------------------------------------------------ the log


def log(db: Session, actor: User, limit: int = 100) -> list[AdminEntry]:
    """The admin changes the actor's government made, and those to the workspace itself, newest first."""
    require_admin(actor)
    return list(
        db.exec(
            select(AdminEntry)
            .where(or_(col(AdminEntry.government) == actor.government, col(AdminEntry.government).is_(None)))
            .order_by(col(AdminEntry.id).desc())
            .limit(limit)
        ).all()
    )


def counts(db: Session, actor: User) -> dict[str, int]:
    """How many organisations and active people the admin's government has (the overview's figures)."""
    require_admin(actor)
    own = select(Organisation.id).where(_gov_of_org() == actor.government)
    orgs = db.exec(
        select(func.count()).select_from(Organisation).where(_gov_of_org() == actor.government)
    ).one()
    active = db.exec(
        select(func.count()).select_from(User).where(col(User.organisation_id).in_(own), col(User.active))
    ).one()
    return {"organisations": int(orgs), "people": int(active)}
