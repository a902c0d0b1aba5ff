"""With the worker running (`accord serve`): an edit that breaks a principle raises an alert on
the open page, and its dismissal with a reason shows in the decision log."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from server.models import Initiative
from tests.e2e.conftest import start_server, stop_server
from tests.factories import document, initiative, load, person

pytestmark = pytest.mark.e2e

MFA = "desk_officer.varnia-mfa@example.test"


@pytest.fixture
def served(db: Session, tmp_path) -> Iterator[tuple[str, int]]:  # type: ignore[no-untyped-def]
    pytest.importorskip("server.cli_workers")
    load(
        db,
        document(
            initiatives=[initiative("t1", title="Access talks for the northern valleys", end="2030-12-31")]
        ),
    )
    person(db, "varnia-mfa", "desk_officer")
    tid = db.exec(select(Initiative.id).where(Initiative.key == "t1")).one()
    db.commit()
    argv = [sys.executable, "-m", "server", "serve", "--host", "127.0.0.1", "--port", "{port}"]
    proc, base = start_server(tmp_path, argv)
    try:
        yield base, tid
    finally:
        stop_server(proc)


def test_alert_appears_after_an_edit_and_its_dismissal_is_logged(served, signed_in) -> None:  # type: ignore[no-untyped-def]
    base, tid = served
    page = signed_in(base, MFA)
    page.goto(f"{base}/initiatives/{tid}")
    alerts = page.locator("#alerts")
    expect(alerts).not_to_contain_text("N5")
    # In a second tab, add an active sanction without a do-no-harm analysis (principle N5).
    editor = page.context.new_page()
    editor.goto(f"{base}/initiatives/{tid}/leverage/new")
    editor.get_by_label("Kind").select_option("sanction")
    editor.get_by_label("Description").fill("Travel bans on checkpoint commanders")
    editor.get_by_label("Status").select_option("active")
    editor.get_by_role("button", name="Add").click()
    editor.wait_for_url(f"{base}/initiatives/{tid}#leverage")

    n5 = alerts.locator("article.alert").filter(has_text="N5")
    expect(n5).to_be_visible(timeout=30000)
    n5.get_by_label("Reason to dismiss").fill("Assessment filed with the sanctions unit")
    n5.get_by_role("button", name="Dismiss with reason").click()
    # A high-severity alert waits, still open, for a second department to confirm.
    expect(alerts.locator("article.alert").filter(has_text="N5")).to_contain_text(
        "awaiting confirmation", timeout=5000
    )
    page.goto(f"{base}/decisions?initiative_id={tid}")
    expect(page.locator("#log")).to_contain_text("Assessment filed with the sanctions unit")
