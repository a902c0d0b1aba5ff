"""In Chromium, at 1280 and 375 px wide: a coordination request asked from a track's page
reaches the other department as incoming; the inbox counts what the dashboard counts, and
its filters and pages work."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session

from tests.e2e.conftest import start_server, stop_server
from tests.web import test_alerts_inbox as inbox_world
from tests.web import test_coordination_departments as coordination_world

pytestmark = pytest.mark.e2e

WIDTHS = (1280, 375)
MFA = "Varnia, Ministry of Foreign Affairs"
OTHERS = ("Varnia, Ministry of Defence", "Varnia, Ministry of Finance and Trade", "Ostmark, Foreign Office")


@pytest.fixture
def coordination(db: Session, tmp_path) -> Iterator[tuple[str, dict[str, int]]]:  # type: ignore[no-untyped-def]
    world = coordination_world.build(db)
    proc, base = start_server(tmp_path)
    try:
        yield base, world
    finally:
        stop_server(proc)


@pytest.fixture
def alerts(db: Session, tmp_path) -> Iterator[tuple[str, dict[str, int]]]:  # type: ignore[no-untyped-def]
    world = inbox_world.build(db)
    proc, base = start_server(tmp_path)
    try:
        yield base, world
    finally:
        stop_server(proc)


def _at(page: Page, width: int) -> Page:
    page.set_viewport_size({"width": width, "height": 812 if width < 600 else 900})
    return page


@pytest.mark.parametrize("width", WIDTHS)
def test_a_request_reaches_the_other_department_as_incoming(coordination, signed_in, width: int) -> None:  # type: ignore[no-untyped-def]
    base, world = coordination
    alert, track = world["alert"], world["t-mfa-b"]
    mfa = _at(signed_in(base, "mfa@example.test"), width)
    mfa.goto(f"{base}/initiatives/{track}")
    notice = mfa.locator(f"#notice-{alert}")
    expect(notice).to_contain_text("Your track: Valley convoy planning")
    # Said once, with one button.
    expect(notice.locator("text=With:")).to_have_count(1)
    button = notice.get_by_role("button", name="Request coordination")
    expect(button).to_have_count(1)
    button.scroll_into_view_if_needed()
    button.click()
    for name in OTHERS:
        expect(notice).to_contain_text(f"You asked {name} to coordinate")
    expect(notice.get_by_role("button")).to_have_count(0)

    # Defence: the dashboard counts it, the requests page lists it as incoming, about its own track.
    defence = _at(signed_in(base, "def@example.test"), width)
    summary = defence.locator("#coordination_summary")
    expect(summary).to_contain_text("1 request to coordinate waiting for your answer")
    defence.goto(f"{base}/coordination")
    incoming = defence.locator("#incoming .coordination-request")
    expect(incoming).to_have_count(1)
    expect(incoming).to_contain_text(f"{MFA} asks to coordinate with your track")
    expect(incoming).to_contain_text("Valley deconfliction line")
    expect(defence.locator("#outgoing .coordination-request")).to_have_count(0)
    accept = incoming.get_by_role("button", name="Accept")
    accept.scroll_into_view_if_needed()
    expect(accept).to_be_visible()
    accept.click()
    expect(defence.locator("#incoming")).to_contain_text("accepted")

    # The foreign ministry reads the answer on its outgoing requests.
    mfa.goto(f"{base}/coordination")
    outgoing = mfa.locator("#outgoing .coordination-request")
    expect(outgoing).to_have_count(3)
    expect(outgoing.filter(has_text="Varnia, Ministry of Defence")).to_contain_text("accepted")
    for p in (mfa, defence):
        p.context.close()


def _number(text: str) -> int:
    m = re.search(r"\d+", text)
    assert m, text
    return int(m.group(0))


@pytest.mark.parametrize("width", WIDTHS)
def test_the_inbox_counts_what_the_dashboard_counts_and_filters(alerts, signed_in, width: int) -> None:  # type: ignore[no-untyped-def]
    base, _ = alerts
    page = _at(signed_in(base, "mfa@example.test"), width)
    page.goto(f"{base}/")
    dashboard = _number(page.locator("#dashboard-alerts-count").inner_text())
    nav = page.locator("#nav-alerts-count")
    expect(nav).to_have_text(re.compile(rf"\b{dashboard}$"))
    expect(page.locator("#chart svg title#chart-title")).to_have_count(1)
    page.goto(f"{base}/alerts")
    assert _number(page.locator("#inbox-total").inner_text()) == dashboard > 20
    cards = page.locator("#inbox article.alert:visible")
    assert cards.count() <= 20
    # The page is far shorter than every card: repeats are folded, twenty at most.
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < (9000 if width < 600 else 6000), height

    # Next page, then a filter by principle through the form.
    page.get_by_role("link", name="Next").click()
    page.wait_for_url(re.compile(r"page=2"))
    expect(page.locator("#inbox-total")).to_contain_text("page 2")
    page.get_by_label("Principle").select_option("D3")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"principle=D3"))
    badges = page.locator("#inbox article.alert .badge.principle")
    assert badges.count() > 0
    assert {t.strip() for t in badges.all_text_contents()} == {"D3"}
    d3 = _number(page.locator("#inbox-total").inner_text())
    assert 0 < d3 < dashboard
    # By severity too; then back to one's own open alerts.
    page.get_by_label("Severity").select_option("high")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"severity=high"))
    for text in page.locator("#inbox article.alert header").all_text_contents():
        assert "high" in text
    page.get_by_role("link", name="Your open alerts").click()
    page.wait_for_url(f"{base}/alerts")
    assert _number(page.locator("#inbox-total").inner_text()) == dashboard
    page.context.close()
