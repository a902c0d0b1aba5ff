"""Two people in two browsers: a decision and its sign-off appear live; a stale edit keeps its text."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from server.models import Initiative
from tests.e2e.conftest import start_server, stop_server
from tests.factories import document, initiative, load, person

pytestmark = pytest.mark.e2e

MFA = "desk_officer.varnia-mfa@example.test"
DEV = "desk_officer.varnia-dev@example.test"


@pytest.fixture
def server(db: Session, tmp_path) -> Iterator[tuple[str, int]]:  # type: ignore[no-untyped-def]
    load(
        db,
        document(
            initiatives=[
                initiative(
                    "t1",
                    title="Access talks for the northern valleys",
                    resources=[
                        {
                            "kind": "funding",
                            "amount": 1000,
                            "currency": "EUR",
                            "org": "varnia-dev",
                            "until": "2026-12-31",
                        }
                    ],
                )
            ]
        ),
    )
    person(db, "varnia-mfa", "desk_officer")
    person(db, "varnia-dev", "desk_officer")
    tid = db.exec(select(Initiative.id).where(Initiative.key == "t1")).one()
    db.commit()
    proc, base = start_server(tmp_path)
    try:
        yield base, tid
    finally:
        stop_server(proc)


def test_decision_and_sign_off_appear_live_in_the_other_browser(server, signed_in) -> None:  # type: ignore[no-untyped-def]
    base, tid = server
    mfa = signed_in(base, MFA)
    dev = signed_in(base, DEV)
    mfa.goto(f"{base}/initiatives/{tid}")
    dev.goto(f"{base}/initiatives/{tid}")
    # Both pages listen to the stream before anything happens.
    dev.wait_for_function(
        "() => document.body['htmx-internal-data'] && document.body['htmx-internal-data'].sseEventSource && document.body['htmx-internal-data'].sseEventSource.readyState === 1"
    )
    mfa.wait_for_function(
        "() => document.body['htmx-internal-data'] && document.body['htmx-internal-data'].sseEventSource && document.body['htmx-internal-data'].sseEventSource.readyState === 1"
    )

    # The development agency is proposed (it owns a resource) and pre-checked.
    dev_box = mfa.get_by_label(re.compile(r"Varnia, Development Agency"))
    expect(dev_box).to_be_checked()
    mfa.get_by_label("Decision", exact=True).fill("Offer the reconstruction fund for convoy access")
    mfa.get_by_role("button", name="Log the decision").click()

    # The other browser sees it without a reload, with its own sign-off waiting.
    decision = dev.locator("#decision_log .decision").filter(has_text="Offer the reconstruction fund")
    expect(decision).to_be_visible(timeout=5000)
    expect(decision.locator(".state.waiting")).to_be_visible()
    dev.get_by_role("button", name=re.compile("Sign off for Varnia, Development Agency")).click()
    expect(dev.locator("#decision_log")).to_contain_text(
        "signed off by Desk Officer of Varnia, Development Agency"
    )

    # The first browser sees the sign-off arrive; once every department has signed, complete.
    mine = mfa.locator("#decision_log .decision").filter(has_text="Offer the reconstruction fund")
    expect(mine).to_contain_text("signed off by Desk Officer of Varnia, Development Agency", timeout=5000)
    own = mfa.get_by_role("button", name=re.compile("Sign off for Varnia, Ministry of Foreign Affairs"))
    if own.count():
        own.click()
    expect(mfa.locator("#decision_log .state.complete")).to_be_visible(timeout=5000)
    expect(dev.locator("#decision_log .state.complete")).to_be_visible(timeout=5000)


def test_second_save_of_the_same_initiative_shows_the_conflict_and_keeps_the_text(server, signed_in) -> None:  # type: ignore[no-untyped-def]
    base, tid = server
    first = signed_in(base, MFA)
    second = signed_in(base, MFA)
    first.goto(f"{base}/initiatives/{tid}/edit")
    second.goto(f"{base}/initiatives/{tid}/edit")
    first.get_by_label("Title").fill("Access talks, northern valleys (first)")
    first.get_by_role("button", name="Save changes").click()
    first.wait_for_url(f"{base}/initiatives/{tid}")

    second.get_by_label("Title").fill("My own careful title")
    second.get_by_label("Description").fill("Words I do not want to lose")
    second.get_by_role("button", name="Save changes").click()
    conflict = second.locator(".notice.conflict")
    expect(conflict).to_contain_text("Someone else saved this initiative")
    expect(conflict).to_contain_text("Access talks, northern valleys (first)")
    expect(second.get_by_label("Title")).to_have_value("My own careful title")
    expect(second.get_by_label("Description")).to_have_value("Words I do not want to lose")
    # Saving again from the conflict form keeps what this person typed.
    second.get_by_role("button", name="Save changes").click()
    second.wait_for_url(f"{base}/initiatives/{tid}")
    expect(second.locator("h1")).to_have_text("My own careful title")
