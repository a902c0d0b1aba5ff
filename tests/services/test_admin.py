"""The admin services: an admin manages their own government's organisations, people and settings."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from server.models import AdminEntry, ApiToken, AuthSession, Organisation, OutboxRow
from server.services import admin, sessions, users, workspace
from server.services.errors import Conflict, Invalid, NotAllowed, NotFound
from tests.factories import document, load, person


@pytest.fixture
def people(db: Session) -> dict[str, object]:
    load(db, document())
    return {
        "admin": person(db, "varnia-mfa", "admin"),
        "desk": person(db, "varnia-dev", "desk_officer"),
        "ost_admin": person(db, "ostmark-fa", "admin"),
        "ost_desk": person(db, "ostmark-fa", "desk_officer"),
    }


def _org(db: Session, key: str) -> Organisation:
    return db.exec(select(Organisation).where(Organisation.key == key)).one()


def test_an_admin_lists_only_their_own_government(db: Session, people: dict) -> None:
    orgs = {o.key for o in admin.organisations(db, people["admin"])}
    assert orgs == {"varnia-mfa", "varnia-dev", "varnia-fin", "varnia-def"}
    names = {p.email for p in admin.people(db, people["admin"])}
    assert names == {people["admin"].email, people["desk"].email}
    assert {p.email for p in admin.people(db, people["ost_admin"])} == {
        people["ost_admin"].email,
        people["ost_desk"].email,
    }


def test_another_governments_records_are_not_found(db: Session, people: dict) -> None:
    ost_org = _org(db, "ostmark-fa")
    with pytest.raises(NotFound):
        admin.organisation(db, people["admin"], ost_org.id)
    with pytest.raises(NotFound):
        admin.person(db, people["admin"], people["ost_desk"].id)
    with pytest.raises(NotFound):
        admin.deactivate(db, people["admin"], people["ost_desk"].id)
    with pytest.raises(NotFound):
        admin.set_role(db, people["admin"], people["ost_desk"].id, "admin", people["ost_desk"].version)
    with pytest.raises(NotFound):
        admin.edit_organisation(db, people["admin"], ost_org.id, {"name": "Taken", "kind": "department"}, 1)


def test_a_desk_officer_may_not_administer(db: Session, people: dict) -> None:
    desk = people["desk"]
    for call in (
        lambda: admin.organisations(db, desk),
        lambda: admin.people(db, desk),
        lambda: admin.settings(db, desk),
        lambda: admin.log(db, desk),
        lambda: admin.create_organisation(db, desk, {"name": "Varnia, Health", "kind": "department"}),
        lambda: admin.invite(
            db,
            desk,
            {
                "email": "x@varnia.example",
                "name": "X",
                "organisation_id": desk.organisation_id,
                "role": "admin",
            },
        ),
        lambda: admin.person(db, desk, people["admin"].id),
        lambda: admin.deactivate(db, desk, people["admin"].id),
    ):
        with pytest.raises(NotAllowed):
            call()


def test_organisations_are_created_in_the_admins_government_and_logged(db: Session, people: dict) -> None:
    org = admin.create_organisation(
        db, people["admin"], {"name": "Varnia, Ministry of Health", "kind": "department"}
    )
    assert org.government == "varnia" and org.key == "varnia-ministry-of-health"
    with pytest.raises(Invalid) as exc:
        admin.create_organisation(db, people["admin"], {"name": "", "kind": "castle"})
    assert {e.loc for e in exc.value.errors} == {"name", "kind"}
    # Ostmark has its state already: a second one is refused by the field.
    with pytest.raises(Invalid) as exc:
        admin.create_organisation(db, people["ost_admin"], {"name": "Ostmark again", "kind": "state"})
    assert exc.value.errors[0].loc == "kind"
    edited = admin.edit_organisation(
        db,
        people["admin"],
        org.id,
        {"name": "Varnia, Ministry of Health and Care", "kind": "department"},
        org.version,
    )
    assert edited.name == "Varnia, Ministry of Health and Care"
    with pytest.raises(Conflict):
        admin.edit_organisation(db, people["admin"], org.id, {"name": "Stale", "kind": "department"}, 1)
    log = admin.log(db, people["admin"])
    assert [e.action for e in log] == ["organisation.changed", "organisation.created"]
    assert admin.log(db, people["ost_admin"]) == []


def test_an_invited_person_signs_in_with_the_password_shown_once(db: Session, people: dict) -> None:
    dev = _org(db, "varnia-dev")
    user, password = admin.invite(
        db,
        people["admin"],
        {
            "email": "New.Person@Varnia.example",
            "name": "New Person",
            "organisation_id": dev.id,
            "role": "desk_officer",
        },
    )
    db.commit()
    assert user.email == "new.person@varnia.example" and len(password) >= 12
    assert users.check_password(user, password)
    assert password not in user.password_hash
    with pytest.raises(Invalid) as exc:
        admin.invite(
            db,
            people["admin"],
            {
                "email": "new.person@varnia.example",
                "name": "Again",
                "organisation_id": dev.id,
                "role": "desk_officer",
            },
        )
    assert exc.value.errors[0].loc == "email"
    # Not into another government's organisation.
    with pytest.raises(Invalid) as exc:
        admin.invite(
            db,
            people["admin"],
            {
                "email": "spy@varnia.example",
                "name": "Spy",
                "organisation_id": _org(db, "ostmark-fa").id,
                "role": "desk_officer",
            },
        )
    assert exc.value.errors[0].loc == "organisation_id"


def test_deactivation_ends_sessions_and_tokens(db: Session, people: dict) -> None:
    desk = people["desk"]
    signed = sessions.sign_in(db, desk.email, "correct horse battery", "127.0.0.1")
    token = sessions.create_api_token(db, desk, "script")
    db.commit()
    assert sessions.resolve(db, signed.token) is not None
    admin.deactivate(db, people["admin"], desk.id)
    db.commit()
    assert sessions.resolve(db, signed.token) is None
    with pytest.raises(sessions.TokenRefused):
        sessions.resolve_api_token(db, token)
    assert all(
        s.ended_at is not None for s in db.exec(select(AuthSession).where(AuthSession.user_id == desk.id))
    )
    assert all(t.revoked_at is not None for t in db.exec(select(ApiToken).where(ApiToken.user_id == desk.id)))
    with pytest.raises(Invalid):
        sessions.sign_in(db, desk.email, "correct horse battery", "127.0.0.1")
    db.rollback()
    admin.reactivate(db, people["admin"], desk.id)
    db.commit()
    assert sessions.sign_in(db, desk.email, "correct horse battery", "127.0.0.1").user.id == desk.id
    # The old token stays ended.
    with pytest.raises(sessions.TokenRefused):
        sessions.resolve_api_token(db, token)
    actions = [e.action for e in db.exec(select(AdminEntry).order_by(AdminEntry.id))]
    assert actions == ["person.deactivated", "person.reactivated"]


def test_an_admin_neither_deactivates_nor_demotes_themselves(db: Session, people: dict) -> None:
    me = people["admin"]
    with pytest.raises(Invalid):
        admin.deactivate(db, me, me.id)
    with pytest.raises(Invalid):
        admin.set_role(db, me, me.id, "desk_officer", me.version)
    changed = admin.set_role(db, me, people["desk"].id, "coordinator", people["desk"].version)
    assert changed.role == "coordinator"
    with pytest.raises(Invalid):
        admin.set_role(db, me, people["desk"].id, "emperor", changed.version)


def test_settings_the_host_government_sets_the_workspace(db: Session, people: dict) -> None:
    workspace.set_host(db, "varnia")
    db.commit()
    ost = admin.settings(db, people["ost_admin"])
    assert not ost.may_change_workspace and ost.share_level == "view"
    # Ostmark's admin sets Ostmark's sharing level, not the workspace's date.
    admin.save_settings(db, people["ost_admin"], {"share_level": "comment", "version": 0})
    db.commit()
    assert admin.share_level(db, "ostmark") == "comment" and admin.share_level(db, "varnia") == "view"
    with pytest.raises(NotAllowed):
        admin.save_settings(
            db, people["ost_admin"], {"share_level": "comment", "version": 1, "judging_date": "2026-07-01"}
        )
    db.rollback()
    before = len(db.exec(select(OutboxRow).where(OutboxRow.task == admin.SWEEP)).all())
    s = admin.save_settings(
        db,
        people["admin"],
        {"share_level": "view", "version": 0, "workspace_name": "Inland Seas", "judging_date": "2026-07-01"},
    )
    assert s.workspace_name == "Inland Seas" and str(s.judging_date) == "2026-07-01"
    assert workspace.today(db).isoformat() == "2026-07-01"
    assert len(db.exec(select(OutboxRow).where(OutboxRow.task == admin.SWEEP)).all()) == before + 1
    with pytest.raises(Invalid) as exc:
        admin.save_settings(
            db, people["admin"], {"share_level": "view", "version": 0, "judging_date": "1st of July"}
        )
    assert exc.value.errors[0].loc == "judging_date" and "2026-06-01" in exc.value.errors[0].message
    # The workspace's changes reach every admin's log; a government's own only its admins'.
    assert {e.action for e in admin.log(db, people["ost_admin"])} == {
        "settings.share_level",
        "workspace.name",
        "workspace.judging_date",
    }
    assert {e.action for e in admin.log(db, people["admin"])} == {"workspace.name", "workspace.judging_date"}
