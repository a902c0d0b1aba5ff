"""The Sign button is shown exactly when the service accepts the sign-off.

For every role, in the owner's department, a named department, a department not named,
the partner named on the decision and a field organisation, and for every level a
track may be shared with the partner at (none, view, comment, sign-off): the page
offers the button if and only if `decisions.sign_off` accepts it, and the dashboard's
"waiting for your sign-off" lists the decision exactly then too.
"""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from server.app import create_app
from server.db import get_engine
from server.models import Initiative, Organisation, User
from server.services import decisions
from server.services.errors import DomainError
from tests.factories import document, initiative, load, person
from tests.web.conftest import sign_in

LEVELS = ("none", "view", "comment", "sign-off")
PEOPLE = [
    *[("varnia-mfa", role) for role in ("admin", "coordinator", "desk_officer", "partner_reviewer")],
    *[
        ("varnia-fin", role)
        for role in ("admin", "coordinator", "desk_officer", "partner_reviewer", "field_contributor")
    ],
    ("varnia-dev", "desk_officer"),
    *[
        ("ostmark-fa", role)
        for role in ("admin", "coordinator", "desk_officer", "partner_reviewer", "field_contributor")
    ],
    ("relief-net", "field_contributor"),
]


def _accepted(user_id: int, decision_id: int) -> bool:
    """Whether the service takes the sign-off; whatever it does is rolled back."""
    with Session(get_engine(write=True)) as s:
        try:
            user = s.get(User, user_id)
            assert user is not None
            decisions.sign_off(s, user, decision_id)
            return True
        except DomainError:
            return False
        finally:
            s.rollback()


def test_the_sign_button_is_offered_exactly_when_the_service_accepts(db: Session) -> None:
    tracks = [
        initiative(
            f"t-{level}",
            title=f"Track shared at {level}",
            shared_with=[] if level == "none" else [{"government": "ostmark", "level": level}],
        )
        for level in LEVELS
    ]
    load(db, document(initiatives=tracks))
    owner = person(db, "varnia-mfa", "desk_officer", email="logger@example.test")
    people = {(org, role): person(db, org, role) for org, role in PEOPLE}
    orgs = {o.key: o.id for o in db.exec(select(Organisation)).all()}
    entries: dict[str, tuple[int, int]] = {}
    for level in LEVELS:
        track = db.exec(select(Initiative).where(Initiative.key == f"t-{level}")).one()
        entry = decisions.log(
            db,
            owner,
            track.id,
            {
                "text": "Ask the valley authorities for weekly convoys",
                "date": "2026-05-20",
                "touches": [orgs["varnia-fin"], orgs["ostmark"]],
            },
        )
        entries[level] = (track.id, entry.id)
    db.commit()

    app = create_app()
    mismatches = []
    offered = 0
    for (org, role), user in people.items():
        with TestClient(app, follow_redirects=False) as client:
            sign_in(client, user.email)
            waiting = {w["decision"]["id"] for w in client.get("/api/v1/decisions/waiting").json()}
            for level, (track_id, decision_id) in entries.items():
                page = client.get(f"/initiatives/{track_id}")
                button = page.status_code == 200 and f'action="/decisions/{decision_id}/signoff"' in page.text
                accepted = _accepted(user.id, decision_id)
                offered += button
                if button != accepted or (decision_id in waiting) != accepted:
                    mismatches.append(
                        (org, role, level, page.status_code, button, decision_id in waiting, accepted)
                    )
    assert not mismatches, "\n".join(map(str, mismatches))
    # Not empty either way: finance (four signing roles, every level) and the partner at sign-off level.
    assert offered == 4 * len(LEVELS) + 4
