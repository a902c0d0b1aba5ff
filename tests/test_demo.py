"""The demo workspace shows the product: every principle alerts, near misses stay quiet, every role signs in."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from sqlmodel import Session

from server import demo
from server.domain.checks import MODULES, all_checks, run_all
from server.domain.snapshot import Finding, parse_document
from server.models.people import ROLES
from server.services import loader
from tests.factories import load
from tests.web.conftest import signin_form

KINDS = ("department", "state", "humanitarian_org", "multilateral")


def _touches(f: Finding, key: str) -> bool:
    return key in f.subjects or key in f.initiatives


@pytest.fixture
def findings(db: Session, db_backend: str) -> list[Finding]:
    """Every check over the demo as stored in the database (what `accord checks run` judges)."""
    load(db, demo.document())
    return run_all(loader.load_all(db).snapshot)


def test_every_principle_raises_its_true_alerts_and_not_its_near_misses(findings: list[Finding]) -> None:
    principles = {m.ID for m in all_checks()}
    assert len(principles) == len(MODULES) == 10
    raised = Counter(f.principle for f in findings)
    assert set(raised) == principles, f"principles without an alert on the demo: {principles - set(raised)}"
    assert {p for p, _, _ in demo.TRUE_ALERTS} == principles
    # By principle and subject: how a check names the kind of a finding may change.
    for principle, kind, subject in demo.TRUE_ALERTS:
        assert any(f.principle == principle and _touches(f, subject) for f in findings), (
            f"{principle} ({kind}) on {subject} is not raised"
        )
    assert {p for p, _, _ in demo.NEAR_MISSES} == principles
    for principle, track, why in demo.NEAR_MISSES:
        hits = [f.message for f in findings if f.principle == principle and _touches(f, track)]
        assert not hits, f"near miss {principle} on {track} ({why}) raised: {hits}"
    # A demo, not an alarm: most tracks raise nothing at all.
    tracks = {i["key"] for i in demo.document()["initiatives"]}
    alerted = {k for f in findings for k in f.initiatives}
    assert len(alerted) < len(tracks) / 2, sorted(alerted)


def test_the_demo_has_the_size_of_a_real_workspace() -> None:
    doc = demo.document(date(2026, 6, 1))
    ws = parse_document(doc)
    governments = {o.government for o in ws.organisations if o.government}
    assert len(governments) == 3
    assert len(ws.organisations) >= 15
    assert {o.kind for o in ws.organisations} == set(KINDS)
    assert len(ws.crises) == 4
    assert 55 <= len(ws.initiatives) <= 70
    running = [i for i in ws.initiatives if i.status == "active"]
    assert all(i.resources and i.metrics and i.staff for i in running if i.key != "corridor-ceasefire")
    assert sum(bool(i.leverage) for i in ws.initiatives) >= 8
    assert len(ws.field_reports) >= 30 and {r.source_kind for r in ws.field_reports} == {
        "ngo",
        "un",
        "local_actor",
        "embassy",
    }
    entries = len(ws.decisions) + sum(len(d.signoffs) for d in ws.decisions)
    assert 250 <= entries <= 600
    oldest = min(d.date for d in ws.decisions)
    assert date(2026, 6, 1) - timedelta(days=186) <= oldest <= date(2026, 6, 1) - timedelta(days=170)
    assert max(d.date for d in ws.decisions) < date(2026, 6, 1)
    assert max(r.date for r in ws.field_reports) < date(2026, 6, 1)


def test_the_demo_is_the_same_for_the_same_day() -> None:
    day = date(2026, 3, 14)
    assert demo.document(day) == demo.document(day)
    later = demo.document(day + timedelta(days=10))
    first, second = demo.document(day)["decisions"], later["decisions"]
    assert [d["text"] for d in first] == [d["text"] for d in second]
    assert all(
        date.fromisoformat(b["date"]) - date.fromisoformat(a["date"]) == timedelta(days=10)
        for a, b in zip(first, second, strict=True)
    )


def test_a_login_for_every_role_and_every_kind_of_organisation() -> None:
    orgs = {o["key"]: o for o in demo.ORGANISATIONS}
    emails = [email for email, _, _, _ in demo.PEOPLE]
    assert len(set(emails)) == len(emails)
    assert {role for _, _, _, role in demo.PEOPLE} == set(ROLES)
    assert {orgs[org]["kind"] for _, _, org, _ in demo.PEOPLE} == set(KINDS)
    # The multilateral body that owns tracks has a login of its own.
    assert any(
        orgs[org]["kind"] == "multilateral" and role == "desk_officer" for _, _, org, role in demo.PEOPLE
    )
    # Every government has a coordinator or an admin, and every partner state a login.
    for government in {o["government"] for o in demo.ORGANISATIONS if o["government"]}:
        assert any(orgs[org]["government"] == government for _, _, org, _ in demo.PEOPLE), government


def test_every_login_signs_in(db_url: str) -> None:
    """The demo as `accord demo` loads it: each login it prints opens a session."""
    from fastapi.testclient import TestClient

    from server import cli
    from server.app import create_app

    logins = cli.load_demo()
    assert [email for email, _, _, _ in logins] == [email for email, _, _, _ in demo.PEOPLE]
    assert cli.demo_logins() == logins
    client = TestClient(create_app(), follow_redirects=False)
    for email, _role, _org, _kind in logins:
        client.cookies.clear()
        r = client.post("/signin", data=signin_form(client, email, demo.DEMO_PASSWORD, next="/"))
        assert r.status_code == 303 and r.headers["location"] == "/", (email, r.status_code)
        assert client.get("/").status_code == 200, email


def test_the_demo_shows_a_delegation_in_use_and_a_dismissal_awaiting_a_second_department(db_url: str) -> None:
    from sqlmodel import Session, select

    from server import cli
    from server.db import get_engine
    from server.models import AlertDismissal, Delegation, LogEntry, User
    from server.services import alerts, decisions

    cli.load_demo()
    with Session(get_engine()) as db:
        row = db.exec(select(Delegation)).one()
        assert row.key == demo.DELEGATION["key"] and row.delegate_person_id is not None
        used = [
            e
            for e in db.exec(select(LogEntry).where(LogEntry.entry_type == "signoff")).all()
            if e.payload.get("delegation") == row.key
        ]
        assert len(used) == 1
        coordinator = db.exec(select(User).where(User.email == "coordinator@varnia.example")).one()
        state = decisions.status(db, coordinator, used[0].decision_id)
        assert any(r.signoff and r.signoff.delegation == row.key for r in state.signed)
        waiting = db.exec(select(AlertDismissal)).one()
        assert waiting.state == "awaiting" and waiting.severity == "high"
        officer = db.exec(select(User).where(User.email == "desk.fin@varnia.example")).one()
        view = alerts.get(db, officer, waiting.alert_id)
        assert view.status == "open" and view.awaiting_confirmation and view.may_confirm


def test_the_demo_shows_contradictory_leverage_and_a_metric_chart_with_actuals(db_url: str) -> None:
    """The demo as `accord demo` loads it: the contradictory-leverage alert is open and each
    owner reads it blind (its own tool, the party, the other organisation), and the track
    page of corridor-access draws its outcome against its target with the values measured."""
    import re

    from fastapi.testclient import TestClient
    from sqlmodel import Session, select

    from server import cli
    from server.app import create_app
    from server.db import get_engine
    from server.models import Initiative, Metric, User
    from server.services import alerts

    cli.load_demo()
    with Session(get_engine()) as db:

        def clash(email: str) -> alerts.AlertView:
            reader = db.exec(select(User).where(User.email == email)).one()
            views = [v for v in alerts.list_visible(db, reader) if v.kind == "contradictory_leverage"]
            assert len(views) == 1, (email, [v.message for v in views])
            return views[0]

        varnia, tessaly = clash("desk.mfa@varnia.example"), clash("desk.mer@tessaly.example")
        for view, own, other in (
            (varnia, "corridor-access", "Tessaly"),
            (tessaly, "tessaly-lfa-travel-bans", "Varnia"),
        ):
            assert view.status == "open" and view.severity == "high" and view.partial
            assert [key for _, key in view.initiatives] == [own]
            assert "Lowland Freedom Army" in view.message and other in view.message
        assert "Reconstruction fund" in " ".join(varnia.evidence)
        assert "Reconstruction fund" not in tessaly.message + " ".join(tessaly.evidence)
        assert "Travel bans" not in varnia.message + " ".join(varnia.evidence)
        track = db.exec(select(Initiative).where(Initiative.key == "corridor-access")).one()
        outcome = db.exec(
            select(Metric).where(
                Metric.initiative_id == track.id, Metric.name == "checkpoints reopened for aid convoys"
            )
        ).one()
    client = TestClient(create_app(), follow_redirects=False)
    client.post("/signin", data=signin_form(client, "desk.mfa@varnia.example", demo.DEMO_PASSWORD, next="/"))
    page = client.get(f"/initiatives/{track.id}")
    assert page.status_code == 200
    figure = re.search(
        rf'<figure class="metric-chart" id="metric-{outcome.id}-chart">.*?</figure>', page.text, re.S
    )
    assert figure is not None, "no chart of the outcome on the track page"
    svg = figure.group(0)
    assert len(re.findall(r'<circle class="value"', svg)) == 6  # the six values measured
    assert '<circle class="baseline"' in svg and '<line class="target"' in svg
    # The alert is on the track's page too, as its owner reads it.
    assert f'id="alert-{varnia.id}"' in page.text
