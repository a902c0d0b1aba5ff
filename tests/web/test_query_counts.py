"""Reads follow a track's neighbourhood: the same number of queries at 200 and 2,000 tracks.

One initiative's page, a fragment of it, the JSON read of the track and a decision's
sign-off state are measured for its owner's desk officer and for a partner it is shared
with, on a workspace of 200 tracks and again after 1,800 more were added on the same
crisis and parties; every statement the database receives is counted.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlmodel import Session, select

from server.app import create_app
from server.db import get_engine
from server.models import Crisis, Initiative, InitiativeParty, Metric, Organisation, Party, SharingGrant
from server.services import answers, decisions, sharing
from server.settings import get_settings
from tests.factories import document, initiative, load, person
from tests.web.conftest import sign_in


def _tracks(first: int, count: int) -> list[dict]:
    return [
        initiative(
            f"bulk-{n}",
            owner=("varnia-mfa", "varnia-dev", "ostmark-fa")[n % 3],
            title=f"Convoy talks {n}",
            metrics=[{"name": f"checkpoints reopened {n}", "kind": "outcome"}],
            staff=[{"org": "varnia-dev", "fte": 1}] if n % 3 != 2 else [],
            shared_with=[{"government": "ostmark", "level": "comment"}] if n % 5 == 0 and n % 3 != 2 else [],
        )
        for n in range(first, first + count)
    ]


def _add_tracks(db: Session, first: int, count: int) -> None:
    """More tracks on the same crisis and party, written straight to the tables."""
    orgs = {o.key: o.id for o in db.exec(select(Organisation)).all()}
    crisis = db.exec(select(Crisis.id).where(Crisis.key == "corridor")).one()
    party = db.exec(select(Party.id).where(Party.key == "lfa")).one()
    rows = [
        Initiative(
            key=f"bulk-{n}",
            owner_id=orgs[("varnia-mfa", "varnia-dev", "ostmark-fa")[n % 3]],
            title=f"Convoy talks {n}",
            kind="humanitarian",
            crisis_id=crisis,
            aims=["humanitarian access to the northern valleys"],
        )
        for n in range(first, first + count)
    ]
    db.add_all(rows)
    db.flush()
    for row in rows:
        db.add(InitiativeParty(initiative_id=row.id, party_id=party))
        db.add(Metric(initiative_id=row.id, name=f"checkpoints reopened {row.key}", kind="outcome"))
        if row.id % 5 == 0:
            db.add(SharingGrant(initiative_id=row.id, government="ostmark", level="comment"))
    db.commit()


@contextmanager
def counted() -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn, cursor, statement, *_):  # type: ignore[no-untyped-def]
        statements.append(statement)

    engines = {get_engine(), get_engine(write=True)}
    for engine in engines:
        event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", count)


def _measure(clients: dict[str, TestClient], track_id: int, decision_id: int) -> dict[tuple[str, str], int]:
    reads = {
        "page": (f"/initiatives/{track_id}", {}),
        "alerts fragment": (f"/initiatives/{track_id}", {"HX-Request": "true", "HX-Target": "alerts"}),
        "decision log fragment": (
            f"/initiatives/{track_id}",
            {"HX-Request": "true", "HX-Target": "decision_log"},
        ),
        "comments fragment": (f"/initiatives/{track_id}", {"HX-Request": "true", "HX-Target": "comments"}),
        "api track": (f"/api/v1/initiatives/{track_id}", {}),
        "api sign-off state": (f"/api/v1/decisions/{decision_id}/status", {}),
    }
    out = {}
    for who, client in clients.items():
        for name, (url, headers) in reads.items():
            client.get(url, headers=headers)  # warm: nothing cached may be counted once only
            with counted() as statements:
                answer = client.get(url, headers=headers)
            assert answer.status_code == 200, (who, name, answer.text)
            out[(who, name)] = len(statements)
    return out


def test_reads_cost_the_same_number_of_queries_at_200_and_2000_tracks(
    db: Session, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    # The reads themselves are counted, not answers reused from the cache
    # (`tests/web/test_answer_cache.py` counts those).
    monkeypatch.setenv("ACCORD_ANSWER_CACHE_ENTRIES", "0")
    get_settings.cache_clear()
    answers.reset()
    request.addfinalizer(answers.reset)
    focus = initiative(
        "focus",
        title="Northern valleys access",
        shared_with=[{"government": "ostmark", "level": "sign-off"}],
        staff=[{"org": "varnia-dev", "fte": 0.5, "internal": True}],
        leverage=[{"kind": "sanction", "description": "Asset freeze", "org": "varnia-fin"}],
        metrics=[{"name": "checkpoints lifted", "kind": "outcome"}],
        coordinated_with=["bulk-3", "bulk-6"],
    )
    load(db, document(initiatives=[*_tracks(0, 199), focus]))
    owner = person(db, "varnia-mfa", "desk_officer")
    partner = person(db, "ostmark-fa", "partner_reviewer")
    track = db.exec(select(Initiative).where(Initiative.key == "focus")).one()
    fin = db.exec(select(Organisation).where(Organisation.key == "varnia-fin")).one()
    ost = db.exec(select(Organisation).where(Organisation.key == "ostmark")).one()
    entry = decisions.log(
        db,
        owner,
        track.id,
        {"text": "Ask for weekly convoys", "date": "2026-05-20", "touches": [fin.id, ost.id]},
    )
    sharing.grant(db, owner, track.id, {"org_id": fin.id, "level": "view"})
    db.commit()
    assert len(db.exec(select(Initiative.id)).all()) == 200
    db.commit()  # the test's session holds SQLite's write lock until it ends a transaction

    app = create_app()
    with TestClient(app, follow_redirects=False) as a, TestClient(app, follow_redirects=False) as b:
        sign_in(a, owner.email)
        sign_in(b, partner.email)
        clients = {"owner": a, "partner": b}
        small = _measure(clients, track.id, entry.id)
        _add_tracks(db, 199, 1800)
        assert len(db.exec(select(Initiative.id)).all()) == 2000
        db.commit()
        large = _measure(clients, track.id, entry.id)
    print("queries per read:", small)
    assert small == large
    # And the counts are small: a page is a few dozen statements, a fragment fewer.
    assert max(small.values()) < 80, small
    assert small[("owner", "alerts fragment")] < small[("owner", "page")]
