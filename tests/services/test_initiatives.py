"""Initiative edits: optimistic locking under real concurrency, and who may do what."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlmodel import Session, select

from server.db import get_engine
from server.models import Crisis, Initiative, Organisation, Party
from server.services import decisions, initiatives, users
from server.services.errors import Conflict, Invalid, NotAllowed, NotFound
from tests.factories import document, initiative, load, person


@pytest.fixture
def world(db: Session, db_backend: str) -> dict:
    load(
        db, document(initiatives=[initiative("t1"), initiative("t-ost", owner="ostmark-fa", crisis="delta")])
    )
    people = {
        "mfa": person(db, "varnia-mfa", "desk_officer"),
        "dev": person(db, "varnia-dev", "desk_officer"),
        "coord": person(db, "varnia-mfa", "coordinator", email="coord@example.test"),
        "admin": person(db, "varnia-mfa", "admin", email="admin@example.test"),
        "partner": person(db, "ostmark", "partner_reviewer"),
        "field": person(db, "relief-net", "field_contributor"),
    }
    t1 = db.exec(select(Initiative).where(Initiative.key == "t1")).one()
    db.commit()  # end the fixture's transaction: on SQLite it holds the write lock
    return {"t1": t1, **people}


def _form(db: Session, t: Initiative, **changes: object) -> dict:
    data = {name: getattr(t, name) for name in initiatives.EDITABLE}
    data["party_ids"] = initiatives.party_ids(db, t.id)
    data.update(changes)
    return data


def test_two_concurrent_edits_from_one_version_one_wins(world: dict) -> None:
    t1 = world["t1"]
    version = t1.version
    barrier = threading.Barrier(2, timeout=30)
    outcomes: list[str] = []
    lock = threading.Lock()

    def edit(title: str) -> None:
        # Both start from the version they loaded before either saved; on SQLite the
        # second writer then waits for the first (BEGIN IMMEDIATE), on PostgreSQL for its row lock.
        barrier.wait()
        with Session(get_engine(write=True), expire_on_commit=False) as s:
            actor = s.get(type(world["mfa"]), world["mfa"].id)
            current = s.get(Initiative, t1.id)
            form = _form(s, current, title=title)
            try:
                initiatives.update(s, actor, t1.id, form, version)
                s.commit()
                result = "saved"
            except Conflict:
                s.rollback()
                result = "conflict"
            with lock:
                outcomes.append(result)

    threads = [threading.Thread(target=edit, args=(f"Title from editor {n}",)) for n in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["conflict", "saved"]
    with Session(get_engine()) as s:
        saved = s.get(Initiative, t1.id)
        assert saved.version == version + 1
        assert saved.title in ("Title from editor 1", "Title from editor 2")


def test_stale_edit_reports_what_changed(db: Session, world: dict) -> None:
    t1 = world["t1"]
    v = t1.version
    initiatives.update(db, world["mfa"], t1.id, _form(db, t1, title="Renamed by a colleague"), v)
    db.commit()
    with pytest.raises(Conflict) as caught:
        initiatives.update(
            db, world["mfa"], t1.id, _form(db, t1, title="My own title", description="typed"), v
        )
    assert "title" in caught.value.extra["changed"]
    assert caught.value.extra["current"]["title"] == "Renamed by a colleague"


def test_invalid_edit_names_the_field(db: Session, world: dict) -> None:
    t1 = world["t1"]
    with pytest.raises(Invalid) as caught:
        initiatives.update(
            db, world["mfa"], t1.id, _form(db, t1, start=date(2026, 5, 1), end=date(2026, 1, 1)), t1.version
        )
    assert "end date is before the start date" in caught.value.detail
    with pytest.raises(Invalid) as caught:
        initiatives.update(db, world["mfa"], t1.id, _form(db, t1, title=""), t1.version)
    assert [e.loc for e in caught.value.errors] == ["title"]


def test_desk_officer_of_another_department_may_read_but_not_edit(db: Session, world: dict) -> None:
    t1 = world["t1"]
    assert initiatives.view(db, world["dev"], t1.id).initiative.key == "t1"
    with pytest.raises(NotAllowed):
        initiatives.update(db, world["dev"], t1.id, _form(db, t1, title="Taken over"), t1.version)


def test_coordinator_of_the_government_may_edit(db: Session, world: dict) -> None:
    t1 = world["t1"]
    initiatives.update(db, world["coord"], t1.id, _form(db, t1, title="Coordinated title"), t1.version)


def test_partner_without_grant_gets_not_found(db: Session, world: dict) -> None:
    t1 = world["t1"]
    with pytest.raises(NotFound):
        initiatives.view(db, world["partner"], t1.id)
    with pytest.raises(NotFound):
        initiatives.update(db, world["partner"], t1.id, _form(db, t1), t1.version)
    assert [i.key for i in initiatives.listing(db, world["partner"])] == ["t-ost"]


def test_field_contributor_sees_nothing_unshared(db: Session, world: dict) -> None:
    assert initiatives.listing(db, world["field"]) == []
    with pytest.raises(NotFound):
        initiatives.view(db, world["field"], world["t1"].id)


@pytest.mark.parametrize("role", ["partner", "field"])
def test_only_government_roles_create_initiatives(db: Session, world: dict, role: str) -> None:
    crisis = db.exec(select(Crisis)).first()
    with pytest.raises(NotAllowed):
        initiatives.create(
            db, world[role], {"title": "A new track", "kind": "humanitarian", "crisis_id": crisis.id}
        )


def test_create_records_who_and_writes_outbox(db: Session, world: dict) -> None:
    from server.models import Event, OutboxRow

    crisis = db.exec(select(Crisis)).first()
    party = db.exec(select(Party)).first()
    made = initiatives.create(
        db,
        world["mfa"],
        {
            "title": "Protection dialogue",
            "kind": "humanitarian",
            "crisis_id": crisis.id,
            "party_ids": [party.id],
        },
    )
    assert made.created_by_id == world["mfa"].id and made.owner_id == world["mfa"].organisation_id
    assert db.exec(select(OutboxRow).where(OutboxRow.task == "accord.checks.run_initiative")).all()
    assert db.exec(select(Event).where(Event.initiative_id == made.id)).all()


def test_lines_need_edit_rights(db: Session, world: dict) -> None:
    t1 = world["t1"]
    with pytest.raises(NotAllowed):
        initiatives.add_line(db, world["dev"], t1.id, "metrics", {"name": "clinics open", "kind": "outcome"})
    metric = initiatives.add_line(db, world["mfa"], t1.id, "metrics", {"name": "press releases issued"})
    assert metric.kind_inferred and metric.kind in ("symbolic", "output")


def test_decision_needs_edit_rights_and_signoff_needs_a_required_department(db: Session, world: dict) -> None:
    t1 = world["t1"]
    dev_org = db.exec(select(Organisation).where(Organisation.key == "varnia-dev")).one()
    with pytest.raises(NotAllowed):
        decisions.log(db, world["dev"], t1.id, {"text": "Open a new channel", "date": "2026-06-01"})
    entry = decisions.log(
        db,
        world["mfa"],
        t1.id,
        {
            "text": "Offer the fund for access",
            "kind": "leverage",
            "date": "2026-06-01",
            "touches": [dev_org.id],
        },
    )
    db.commit()
    state = decisions.status(db, world["mfa"], entry.id)
    # The proposer's department signed by logging it; the touched one is still missing.
    assert {r.org for r in state.missing} == {"varnia-dev"}
    assert {r.org for r in state.signed} == {"varnia-mfa"}
    fin = person(db, "varnia-fin", "desk_officer")
    with pytest.raises(NotAllowed):
        decisions.sign_off(db, fin, entry.id)
    decisions.sign_off(db, world["dev"], entry.id)
    db.commit()
    with pytest.raises(Conflict):
        decisions.sign_off(db, world["dev"], entry.id)
    with pytest.raises(NotFound):
        decisions.sign_off(db, world["partner"], entry.id)
    with pytest.raises(Invalid):
        decisions.sign_off(db, world["dev"], entry.id, declined=True, reason="  ")
    with pytest.raises(Conflict):
        decisions.sign_off(db, world["mfa"], entry.id)


def test_only_admins_create_people(db: Session, world: dict) -> None:
    org = db.exec(select(Organisation).where(Organisation.key == "varnia-dev")).one()
    with pytest.raises(NotAllowed):
        users.create(
            db,
            world["coord"],
            "new@example.test",
            "New Person",
            org.id,
            "desk_officer",
            "long enough password",
        )
    made = users.create(
        db, world["admin"], "new@example.test", "New Person", org.id, "desk_officer", "long enough password"
    )
    assert made.password_hash.startswith("$argon2id$")
    ost = db.exec(select(Organisation).where(Organisation.key == "ostmark")).one()
    with pytest.raises(Invalid):
        users.create(
            db, world["admin"], "other@example.test", "Other", ost.id, "desk_officer", "long enough password"
        )


def test_a_partner_department_sees_and_signs_for_its_state(db: Session, db_backend: str) -> None:
    load(
        db,
        document(
            initiatives=[initiative("t1", shared_with=[{"government": "ostmark", "level": "sign-off"}])],
            decisions=[
                {
                    "key": "d1",
                    "initiative": "t1",
                    "date": "2026-05-02",
                    "text": "Joint protection monitoring with Ostmark",
                    "kind": "agreement",
                    "touches_departments": ["varnia-mfa", "ostmark"],
                    "signoffs": [{"org": "varnia-mfa", "by": "A. Terzi", "date": "2026-05-02"}],
                }
            ],
        ),
    )
    ost = person(db, "ostmark-fa", "desk_officer")
    waiting = decisions.waiting_for(db, ost)
    assert [e.key for e, _ in waiting] == ["d1"]
    # The same rule that lists it lets the department sign for its state.
    decisions.sign_off(db, ost, waiting[0][0].id)
    db.commit()
    assert decisions.waiting_for(db, ost) == []
    assert decisions.status(db, ost, waiting[0][0].id).complete


def test_an_internal_change_is_stamped_for_the_home_only(db: Session, db_backend: str) -> None:
    """Adding, editing or removing an internal item moves the home's "last changed", not the
    track's version or the last change a partner reads; an edit that leaves `internal` out
    keeps the item internal."""
    load(db, document(initiatives=[initiative("t1", shared_with=["ostmark"])]))
    mfa = person(db, "varnia-mfa", "desk_officer")
    dev = person(db, "varnia-dev", "desk_officer")
    partner = person(db, "ostmark", "partner_reviewer")
    t1 = db.exec(select(Initiative).where(Initiative.key == "t1")).one()
    db.commit()
    assert t1.id is not None
    version, stamp = t1.version, t1.updated_at

    line = initiatives.add_line(
        db, mfa, t1.id, "metrics", {"name": "quiet calls", "kind": "output", "internal": True}
    )
    db.commit()
    edited = initiatives.update_line(
        db, mfa, t1.id, "metrics", line.id, {"name": "quiet calls held"}, line.version
    )
    db.commit()
    assert edited.internal, "an edit that does not mention `internal` must not publish the item"

    abroad = initiatives.view(db, partner, t1.id)
    assert (abroad.initiative.version, abroad.changed_at, abroad.changed_by_id) == (version, stamp, None)
    home = initiatives.view(db, dev, t1.id)
    assert home.changed_at is not None and home.changed_at > stamp
    assert home.changed_by_id == mfa.id

    initiatives.add_line(db, mfa, t1.id, "metrics", {"name": "families with clean water", "kind": "outcome"})
    db.commit()
    abroad = initiatives.view(db, partner, t1.id)
    assert abroad.initiative.version > version and abroad.changed_by_id == mfa.id
