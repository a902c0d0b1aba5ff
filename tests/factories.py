"""Factories: tests build their data from workspace documents and a few people."""

from __future__ import annotations

import copy
from typing import Any

from sqlmodel import Session, select

from server.domain.snapshot import parse_document
from server.models import Organisation, User
from server.services import users, workspace

BASE: dict[str, Any] = {
    "format": "accord-workspace/1",
    "today": "2026-06-01",
    "organisations": [
        {
            "key": "varnia-mfa",
            "name": "Varnia, Ministry of Foreign Affairs",
            "kind": "department",
            "government": "varnia",
        },
        {
            "key": "varnia-dev",
            "name": "Varnia, Development Agency",
            "kind": "department",
            "government": "varnia",
        },
        {
            "key": "varnia-fin",
            "name": "Varnia, Ministry of Finance and Trade",
            "kind": "department",
            "government": "varnia",
        },
        {
            "key": "varnia-def",
            "name": "Varnia, Ministry of Defence",
            "kind": "department",
            "government": "varnia",
        },
        {"key": "ostmark", "name": "Kingdom of Ostmark", "kind": "state", "government": "ostmark"},
        {
            "key": "ostmark-fa",
            "name": "Ostmark, Foreign Office",
            "kind": "department",
            "government": "ostmark",
        },
        {"key": "relief-net", "name": "Relief Network", "kind": "humanitarian_org"},
    ],
    "crises": [
        {"key": "corridor", "name": "Eastern Corridor crisis", "region": "Eastern Corridor"},
        {"key": "delta", "name": "Saltmarsh Delta crisis", "region": "Saltmarsh Delta"},
    ],
    "parties": [
        {"key": "lfa", "name": "Lowland Freedom Army", "kind": "armed_group"},
        {"key": "hca", "name": "Highland Civil Authority", "kind": "de_facto_authority"},
    ],
    "interlocutors": [{"key": "elders", "name": "Council of River Elders", "influences": ["lfa"]}],
}


def initiative(key: str, owner: str = "varnia-mfa", **fields: Any) -> dict[str, Any]:
    """An initiative in the workspace format with sensible defaults."""
    base: dict[str, Any] = {
        "key": key,
        "owner": owner,
        "title": f"Track {key}",
        "kind": "humanitarian",
        "crisis": "corridor",
        "parties": ["lfa"],
        "aims": ["humanitarian access to the northern valleys"],
        "start": "2026-01-10",
        "end": "2027-09-30",
        "status": "active",
    }
    base.update(fields)
    return base


def document(**parts: Any) -> dict[str, Any]:
    doc = copy.deepcopy(BASE)
    for name, value in parts.items():
        doc[name] = value
    return doc


def load(db: Session, doc: dict[str, Any]) -> None:
    """Import a workspace document and commit it."""
    workspace.import_document(db, parse_document(doc))
    db.commit()


def person(
    db: Session, org_key: str, role: str, email: str | None = None, password: str = "correct horse battery"
) -> User:
    org = db.exec(select(Organisation).where(Organisation.key == org_key)).one()
    user = users.create(
        db,
        actor=None,
        email=email or f"{role}.{org_key}@example.test",
        name=f"{role.replace('_', ' ').title()} of {org.name}",
        organisation_id=org.id,
        role=role,
        password=password,
    )
    db.commit()
    return user
