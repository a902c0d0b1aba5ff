"""Delegated sign-off and governed dismissal in a browser: the delegations form, a sign-off
made under a delegation, a high-severity dismissal confirmed by a second department, and
the coordinators' dismissals page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from server.domain.checks import run_all
from server.models import Alert, Initiative
from server.services import alerts, decisions, loader, reconcile
from tests.e2e.conftest import start_server, stop_server
from tests.factories import document, initiative, load, person

pytestmark = pytest.mark.e2e

MFA = "desk_officer.varnia-mfa@example.test"
DEV = "desk_officer.varnia-dev@example.test"
COORDINATOR = "coordinator.varnia-mfa@example.test"
TITLE = "Access talks for the northern valleys"


@pytest.fixture
def server(db: Session, tmp_path) -> Iterator[tuple[str, int, int]]:  # type: ignore[no-untyped-def]
    today = dt.date.today()
    doc = document(
        initiatives=[
            initiative(
                "t1",
                title=TITLE,
                end="2099-12-31",
                resources=[
                    {
                        "kind": "funding",
                        "amount": 1000,
                        "currency": "EUR",
                        "org": "varnia-dev",
                        "until": "2099-12-31",
                    }
                ],
                metrics=[{"name": "ministerial visits", "kind": "symbolic"}],
            )
        ]
    )
    doc["today"] = today.isoformat()
    load(db, doc)
    mfa = person(db, "varnia-mfa", "desk_officer")
    person(db, "varnia-dev", "desk_officer")
    person(db, "varnia-mfa", "coordinator")
    tid = db.exec(select(Initiative.id).where(Initiative.key == "t1")).one()
    decisions.log(
        db, mfa, tid, {"text": "Ask the valley authorities for weekly convoy access", "date": today}
    )
    loaded = loader.load_all(db)
    reconcile.reconcile(db, run_all(loaded.snapshot), loaded.ids, None, None)
    high = db.exec(select(Alert).where(Alert.fingerprint == "N3:symbolic_only:t1")).one()
    assert high.severity == "high"
    alerts.dismiss(db, mfa, high.id, "Visits are the agreed first phase")
    db.commit()
    proc, base = start_server(tmp_path)
    try:
        yield base, tid, high.id
    finally:
        stop_server(proc)


def test_delegate_sign_under_it_confirm_a_dismissal(server, signed_in) -> None:  # type: ignore[no-untyped-def]
    base, tid, alert_id = server
    today = dt.date.today()

    # The development agency hands its sign-off on the track to the foreign ministry.
    dev = signed_in(base, DEV)
    dev.goto(f"{base}/delegations")
    dev.get_by_label("From", exact=True).fill(today.isoformat())
    dev.get_by_label("To (included)").fill((today + dt.timedelta(days=7)).isoformat())
    dev.get_by_role("button", name="Delegate sign-off").click()
    # No delegate named: the form comes back with the message by the field.
    expect(dev.locator("#delegate-error")).to_be_visible()
    dev.get_by_label("Delegate", exact=True).select_option(label="Varnia, Ministry of Foreign Affairs")
    dev.get_by_label("For", exact=True).select_option(label=TITLE)
    dev.get_by_role("button", name="Delegate sign-off").click()
    table = dev.locator("table.delegations")
    expect(table).to_contain_text("Varnia, Ministry of Foreign Affairs")
    expect(table).to_contain_text(f"track {TITLE}")

    # The ministry's desk officer signs for the agency, and the page says on whose behalf.
    mfa = signed_in(base, MFA)
    mfa.goto(f"{base}/initiatives/{tid}")
    mfa.get_by_role("button", name="Sign off for Varnia, Development Agency (delegated)").click()
    log = mfa.locator("#decision_log")
    expect(log).to_contain_text(
        "for Varnia, Development Agency, delegated by Desk Officer of Varnia, Development Agency"
    )
    expect(log).to_contain_text("Complete")

    # The high-severity dismissal waits for a second department: the agency confirms it.
    # (The inbox opens on the reader's own department's tracks; this alert is the ministry's.)
    dev.goto(f"{base}/alerts?department=all")
    card = dev.locator(f"#alert-{alert_id}")
    expect(card).to_contain_text("awaiting confirmation")
    card.get_by_role("button", name="Confirm the dismissal").click()
    expect(dev.locator(f"#alert-{alert_id}")).to_have_count(0)

    # The coordinator reads it among the government's dismissals.
    coordinator = signed_in(base, COORDINATOR)
    coordinator.goto(f"{base}/alerts")
    coordinator.get_by_role("link", name="Dismissals per principle and department").click()
    expect(coordinator.locator("h1")).to_have_text("Dismissed alerts")
    rows = coordinator.locator("table").last
    expect(rows).to_contain_text("Visits are the agreed first phase")
    expect(rows).to_contain_text("Desk Officer of Varnia, Development Agency")
