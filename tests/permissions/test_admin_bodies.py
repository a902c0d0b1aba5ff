"""The admin screens, by body: no role reads a person or an organisation of another government there.

Every GET route of the admin screens in `matrix.yaml`, as every role of the matrix's
world, with every person and organisation id of the world (not only the matrix's one):
the answer must hold no name or e-mail of a person outside the reader's government, and
no name of another government's organisation that the reader has no other reason to know.
"""

from __future__ import annotations

import html

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from server.app import create_app
from server.models import Organisation, User
from tests.permissions import world as w
from tests.permissions.routes import fill
from tests.permissions.test_matrix import load_matrix


def test_admin_pages_hold_no_one_of_another_government(db: Session, db_backend: str) -> None:
    world = w.build(db, with_checks=False)
    people = list(db.exec(select(User)).all())
    orgs = list(db.exec(select(Organisation)).all())
    gov_of = {o.id: o.government_key for o in orgs}
    db.commit()
    routes = [r for r in load_matrix()["routes"] if r.startswith("GET /admin")]
    assert len(routes) >= 6
    failures: list[str] = []
    with TestClient(create_app(), raise_server_exceptions=False) as client:
        for role in w.ROLES:
            if role == "anonymous":
                continue
            me = world.users[role]
            mine = gov_of[me.organisation_id]
            strangers = [p for p in people if gov_of[p.organisation_id] != mine]
            foreign_orgs = [o for o in orgs if o.government_key != mine]
            for route in routes:
                path = route.split(" ", 1)[1]
                if "{user_id}" in path:
                    urls = [fill(path, {"user_id": p.id}) for p in people]
                elif "{org_id}" in path:
                    urls = [fill(path, {"org_id": o.id}) for o in orgs]
                else:
                    urls = [path]
                for url in urls:
                    r = client.get(url, headers=world.headers(role))
                    body = html.unescape(r.text)
                    # What the page shows of its own (the header names the reader's organisation).
                    main = body.split('<main id="main">', 1)[-1]
                    for p in strangers:
                        for text in (p.email, p.name):
                            if text in main:
                                failures.append(
                                    f"{role} {url} ({r.status_code}): {text!r} of another government"
                                )
                    for o in foreign_orgs:
                        if o.name in main:
                            failures.append(f"{role} {url} ({r.status_code}): organisation {o.name!r}")
                    if role != "admin" and r.status_code == 200:
                        failures.append(f"{role} {url}: 200 on an admin screen")
    assert not failures, "\n".join(failures[:40])
