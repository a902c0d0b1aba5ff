"""The admin screens through the pages, per role: Varnia's admin, Ostmark's admin, a desk officer."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from server.models import Initiative, Organisation, User
from tests.factories import person
from tests.web.conftest import signin_form


@pytest.fixture
def admins(db: Session, workspace: dict[str, User]) -> dict[str, User]:
    return {
        **workspace,
        "admin": person(db, "varnia-mfa", "admin"),
        "ost_admin": person(db, "ostmark-fa", "admin"),
    }


def _org_id(db: Session, key: str) -> int:
    org_id = db.exec(select(Organisation.id).where(Organisation.key == key)).one()
    db.commit()  # no transaction left open: on SQLite it would lock the app's writes out
    assert org_id is not None
    return org_id


def test_a_desk_officer_is_refused_every_admin_page(
    client: TestClient, login: Callable[[str], str], admins: dict[str, User], db: Session
) -> None:
    csrf = login(admins["mfa"].email)
    for path in ("/admin", "/admin/organisations", "/admin/people", "/admin/settings"):
        r = client.get(path)
        assert r.status_code == 403, path
        assert "Only an admin" in r.text
    assert client.get(f"/admin/people/{admins['dev'].id}").status_code == 403
    # Another government's person is not there at all.
    assert client.get(f"/admin/people/{admins['ost'].id}").status_code == 404
    r = client.post(
        "/admin/people",
        data={
            "csrf_token": csrf,
            "name": "X",
            "email": "x@varnia.example",
            "organisation_id": "1",
            "role": "admin",
        },
    )
    assert r.status_code == 403
    # No link to the admin screens in the navigation for them.
    assert 'href="/admin"' not in client.get("/").text


def test_varnias_admin_sees_only_varnias_people_and_organisations(
    client: TestClient, login: Callable[[str], str], admins: dict[str, User], db: Session
) -> None:
    login(admins["admin"].email)
    people = client.get("/admin/people").text
    orgs = client.get("/admin/organisations").text
    for u in (admins["mfa"], admins["dev"], admins["admin"]):
        assert u.email in people
    for u in (admins["ost"], admins["ost_admin"]):
        assert u.email not in people and u.name not in people
    assert "Ostmark" not in people and "Ostmark" not in orgs and "Relief Network" not in orgs
    assert "Varnia, Ministry of Finance and Trade" in orgs
    assert client.get(f"/admin/people/{admins['ost'].id}").status_code == 404
    assert client.get(f"/admin/organisations/{_org_id(db, 'ostmark-fa')}").status_code == 404
    assert 'href="/admin"' in client.get("/").text
    # Every form of the admin screens carries the session's CSRF token.
    for path in (
        "/admin/organisations",
        "/admin/people",
        "/admin/settings",
        f"/admin/people/{admins['mfa'].id}",
    ):
        page = client.get(path).text
        assert 'name="csrf_token" value=""' not in page and 'name="csrf_token" value="' in page, path


def test_ostmarks_admin_manages_ostmark_and_not_varnia(
    client: TestClient, login: Callable[[str], str], admins: dict[str, User], db: Session
) -> None:
    csrf = login(admins["ost_admin"].email)
    people = client.get("/admin/people").text
    assert admins["ost"].email in people and admins["mfa"].email not in people and "Varnia" not in people
    r = client.post(f"/admin/people/{admins['mfa'].id}/deactivate", data={"csrf_token": csrf})
    assert r.status_code == 404
    r = client.post(
        f"/admin/organisations/{_org_id(db, 'varnia-mfa')}",
        data={"csrf_token": csrf, "name": "Taken over", "kind": "department", "version": "1"},
    )
    assert r.status_code == 404
    db.expire_all()
    assert db.get(User, admins["mfa"].id).active  # type: ignore[union-attr]
    db.commit()
    # Nor may it place a new person in a Varnian organisation.
    r = client.post(
        "/admin/people",
        data={
            "csrf_token": csrf,
            "name": "Mole",
            "email": "mole@ostmark.example",
            "organisation_id": str(_org_id(db, "varnia-mfa")),
            "role": "desk_officer",
        },
    )
    assert r.status_code == 422 and "choose one of your government" in r.text


def _invite_vera(client: TestClient, db: Session, csrf: str) -> Any:
    """The admin invites Vera Lind as a desk officer of the development agency."""
    return client.post(
        "/admin/people",
        data={
            "csrf_token": csrf,
            "name": "Vera Lind",
            "email": "vera.lind@varnia.example",
            "organisation_id": str(_org_id(db, "varnia-dev")),
            "role": "desk_officer",
        },
    )


def test_invite_shows_the_password_once_and_the_person_signs_in(
    client: TestClient, login: Callable[[str], str], admins: dict[str, User], db: Session
) -> None:
    csrf = login(admins["admin"].email)
    r = _invite_vera(client, db, csrf)
    assert r.status_code == 200, r.text
    password = re.search(r'<code class="secret">([^<]+)</code>', r.text)
    assert password is not None
    assert password.group(1) not in client.get("/admin/people").text
    assert "Person invited: Vera Lind" in client.get("/admin").text
    with TestClient(client.app, follow_redirects=False) as other:
        r = other.post(
            "/signin", data=signin_form(other, "vera.lind@varnia.example", password.group(1), next="/")
        )
        assert r.status_code == 303


def test_an_invalid_invite_answers_by_the_fields(
    client: TestClient, login: Callable[[str], str], admins: dict[str, User]
) -> None:
    csrf = login(admins["admin"].email)
    r = client.post(
        "/admin/people",
        data={"csrf_token": csrf, "name": "", "email": "nobody", "organisation_id": "", "role": ""},
    )
    assert r.status_code == 422
    for field in ("name", "email", "organisation_id", "role"):
        assert f'id="{field}-error"' in r.text, field
    assert "Input should be" not in r.text


def test_deactivating_signs_the_person_out(
    client: TestClient, login: Callable[[str], str], admins: dict[str, User], db: Session
) -> None:
    with TestClient(client.app, follow_redirects=False) as theirs:
        r = theirs.post(
            "/signin", data=signin_form(theirs, admins["dev"].email, "correct horse battery", next="/")
        )
        assert r.status_code == 303
        assert theirs.get("/initiatives").status_code == 200
        csrf = login(admins["admin"].email)
        r = client.post(f"/admin/people/{admins['dev'].id}/deactivate", data={"csrf_token": csrf})
        assert r.status_code == 303
        assert theirs.get("/initiatives").status_code == 303  # back to the sign-in page
        page = client.get(f"/admin/people/{admins['dev'].id}").text
        assert "deactivated" in page and "Reactivate" in page
        r = client.post(f"/admin/people/{admins['dev'].id}/reactivate", data={"csrf_token": csrf})
        assert r.status_code == 303
        r = theirs.post(
            "/signin", data=signin_form(theirs, admins["dev"].email, "correct horse battery", next="/")
        )
        assert r.status_code == 303


def test_organisations_and_settings_through_the_pages(
    client: TestClient, login: Callable[[str], str], admins: dict[str, User], db: Session
) -> None:
    csrf = login(admins["admin"].email)
    r = client.post(
        "/admin/organisations",
        data={"csrf_token": csrf, "name": "Varnia, Ministry of Health", "kind": "department"},
    )
    assert r.status_code == 303
    org_page = client.get(r.headers["location"])
    assert "Varnia, Ministry of Health" in org_page.text
    r = client.post("/admin/organisations", data={"csrf_token": csrf, "name": "", "kind": ""})
    assert r.status_code == 422 and 'id="name-error"' in r.text and 'id="kind-error"' in r.text
    # A stale edit answers 409 with the form kept.
    r = client.post(
        r"/admin/organisations/" + str(_org_id(db, "varnia-dev")),
        data={
            "csrf_token": csrf,
            "name": "Varnia, Development Cooperation",
            "kind": "department",
            "version": "99",
        },
    )
    assert r.status_code == 409 and "Varnia, Development Cooperation" in r.text
    r = client.post(
        "/admin/settings",
        data={
            "csrf_token": csrf,
            "share_level": "comment",
            "version": "0",
            "workspace_name": "Inland Seas",
            "judging_date": "",
        },
    )
    assert r.status_code == 303
    page = client.get("/admin/settings").text
    assert 'value="comment" selected' in page and "Inland Seas" in page
    # The sharing form of a Varnian track starts at the level chosen.
    track_id = db.exec(select(Initiative.id).where(Initiative.key == "t1")).one()
    db.commit()
    form = (
        client.get(f"/initiatives/{track_id}").text.split('id="share-level"', 1)[1].split("</select>", 1)[0]
    )
    assert '<option value="comment" selected>' in form
    r = client.post(
        "/admin/settings",
        data={
            "csrf_token": csrf,
            "share_level": "comment",
            "version": "1",
            "workspace_name": "Inland Seas",
            "judging_date": "soon",
        },
    )
    assert r.status_code == 422 and 'id="judging_date-error"' in r.text


def test_inviting_the_person_a_delegation_names_ties_it_to_them(
    client: TestClient, login: Callable[[str], str], admins: dict[str, User], db: Session
) -> None:
    """The admin screens follow the one rule of `users.create`: the delegations page says the
    named delegate has no account yet; once invited, the invitation and the person's page say
    under which delegation they sign, and the delegations page no longer waits."""
    from tests.factories import load
    from tests.services.test_delegations import named

    load(db, named("Vera Lind"))
    csrf = login(admins["admin"].email)
    waiting = client.get("/delegations").text
    assert 'Vera Lind <span class="muted">(no account yet' in waiting
    r = _invite_vera(client, db, csrf)
    assert r.status_code == 200, r.text
    assert (
        "Vera Lind is the delegate named in Varnia, Ministry of the Interior's delegation of sign-off"
        in r.text
    )
    vera = db.exec(select(User).where(User.email == "vera.lind@varnia.example")).one()
    db.commit()
    assert (
        "Signs off for Varnia, Ministry of the Interior under a delegation"
        in client.get(f"/admin/people/{vera.id}").text
    )
    assert "no account yet" not in client.get("/delegations").text
