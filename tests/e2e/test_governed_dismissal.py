"""Governed dismissal in three browsers (`accord serve`: web, worker and beat).

The foreign ministry dismisses a high-severity alert from its card, with a reason and a
date to reopen on; it waits, still open, for a second department; the development
agency confirms it and it leaves the inbox. The ministry then adds another symbolic
metric: the worker reopens the alert, whose card says what changed. The coordinator's
dismissals page shows it reopened by new evidence, with its date and who confirmed.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from server.db import get_engine
from server.domain.checks import run_all
from server.models import Alert, Initiative
from server.services import loader, reconcile
from tests.e2e.conftest import start_server, stop_server
from tests.e2e.test_governance_pages import COORDINATOR, DEV, MFA
from tests.factories import document, initiative, load, person
from tests.workers.conftest import wait_for

pytestmark = pytest.mark.e2e

REASON = "Visits are the agreed first phase of the talks"
REOPEN_ON = "2099-01-15"
FINGERPRINT = "N3:symbolic_only:t1"


@pytest.fixture
def served(db: Session, tmp_path) -> Iterator[tuple[str, int, int]]:  # type: ignore[no-untyped-def]
    pytest.importorskip("server.cli_workers")
    load(
        db,
        document(
            initiatives=[
                initiative(
                    "t1",
                    title="Access talks for the northern valleys",
                    end="2099-12-31",
                    metrics=[{"name": "ministerial visits", "kind": "symbolic"}],
                )
            ]
        ),
    )
    for org, role in (
        ("varnia-mfa", "desk_officer"),
        ("varnia-dev", "desk_officer"),
        ("varnia-mfa", "coordinator"),
    ):
        person(db, org, role)
    loaded = loader.load_all(db)
    reconcile.reconcile(db, run_all(loaded.snapshot), loaded.ids, None, None)
    tid = db.exec(select(Initiative.id).where(Initiative.key == "t1")).one()
    alert = db.exec(select(Alert).where(Alert.fingerprint == FINGERPRINT)).one()
    assert alert.severity == "high"
    db.commit()
    argv = [sys.executable, "-m", "server", "serve", "--host", "127.0.0.1", "--port", "{port}"]
    proc, base = start_server(tmp_path, argv)
    try:
        yield base, tid, int(alert.id)
    finally:
        stop_server(proc)


def _status() -> str:
    with Session(get_engine()) as s:
        return s.exec(select(Alert.status).where(Alert.fingerprint == FINGERPRINT)).one()


def test_dismiss_confirm_and_reopen_on_new_evidence(served, signed_in) -> None:  # type: ignore[no-untyped-def]
    base, tid, alert_id = served
    mfa = signed_in(base, MFA)
    mfa.goto(f"{base}/initiatives/{tid}")
    card = mfa.locator(f"#alert-{alert_id}")
    # A date to reopen on that is not after today is refused beside the field.
    card.get_by_label("Reason to dismiss").fill(REASON)
    card.get_by_label("Reopen on (optional)").fill("2020-01-01")
    card.get_by_role("button", name="Dismiss with reason").click()
    expect(mfa.locator(f"#expires-{alert_id}-error")).to_be_visible()
    card = mfa.locator(f"#alert-{alert_id}")
    # The refused form, once settled, gives its invalid field the focus; typing before that
    # could land in a form about to be replaced.
    expect(card.get_by_label("Reopen on (optional)")).to_be_focused()
    card.get_by_label("Reason to dismiss").fill(REASON)
    card.get_by_label("Reopen on (optional)").fill(REOPEN_ON)
    expect(card.get_by_label("Reason to dismiss")).to_have_value(REASON)
    card.get_by_role("button", name="Dismiss with reason").click()
    expect(mfa.locator(f"#alert-{alert_id}")).to_contain_text("awaiting confirmation")
    assert _status() == "open"

    # The ministry cannot confirm its own dismissal; the development agency can.
    expect(
        mfa.locator(f"#alert-{alert_id}").get_by_role("button", name="Confirm the dismissal")
    ).to_have_count(0)
    dev = signed_in(base, DEV)
    dev.goto(f"{base}/alerts?department=all")
    dev.locator(f"#alert-{alert_id}").get_by_role("button", name="Confirm the dismissal").click()
    expect(dev.locator(f"#alert-{alert_id}")).to_have_count(0)
    assert _status() == "dismissed"

    # New evidence: another symbolic metric. The worker reopens the alert, saying what changed.
    mfa.goto(f"{base}/initiatives/{tid}/metrics/new")
    mfa.get_by_label("Metric", exact=True).fill("press conferences held")
    mfa.get_by_label("Kind").select_option("symbolic")
    mfa.get_by_role("button", name="Add").click()
    mfa.wait_for_url(f"{base}/initiatives/{tid}#metrics")
    wait_for(lambda: _status() == "open", 60, 0.25, what="the worker reopening the alert")
    mfa.goto(f"{base}/alerts")
    reopened = mfa.locator(f"#alert-{alert_id} .reopened")
    expect(reopened).to_contain_text("Reopened")
    expect(reopened.locator("ul").first).to_contain_text("press conferences held")

    # The coordinator reads it among the government's dismissals: reopened, with its date.
    coordinator = signed_in(base, COORDINATOR)
    coordinator.goto(f"{base}/dismissals")
    row = coordinator.locator("#all-dismissals + .table-wrap tbody tr").first
    for words in (
        "reopened by new evidence",
        REASON,
        REOPEN_ON,
        "Desk Officer of Varnia, Development Agency",
    ):
        expect(row).to_contain_text(words)
