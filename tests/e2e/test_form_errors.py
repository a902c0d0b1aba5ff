"""A refused form, on a desk and on a phone: the first invalid field takes focus and is on the
screen, and its message in plain words stands right beside it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session

from tests.e2e.conftest import PASSWORD, start_server, stop_server
from tests.factories import document, initiative, load, person

pytestmark = pytest.mark.e2e

MFA = "desk_officer.varnia-mfa@example.test"
WIDTHS = {"desk": (1280, 900), "phone": (375, 812)}


@pytest.fixture
def server(db: Session, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    load(db, document(initiatives=[initiative("t1", title="Access talks for the northern valleys")]))
    person(db, "varnia-mfa", "desk_officer")
    db.commit()
    proc, base = start_server(tmp_path)
    try:
        yield base
    finally:
        stop_server(proc)


def sign_in(browser: Browser, base: str, width: int, height: int) -> Page:
    context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=width < 500)
    page = context.new_page()
    page.goto(base + "/signin")
    page.fill("#email", MFA)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")
    return page


def focused_id(page: Page) -> str:
    return str(page.evaluate("document.activeElement && document.activeElement.id"))


def box(page: Page, selector: str) -> dict[str, Any]:
    found = page.locator(selector).bounding_box()
    assert found is not None, f"{selector} is not drawn"
    return dict(found)


def assert_on_screen_with_its_message(page: Page, field: str, words: str) -> None:
    """`#field` has focus, lies within the viewport, and `#field-error` says `words` just below it."""
    expect(page.locator(f"#{field}")).to_be_focused()
    expect(page.locator(f"#{field}")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#{field}-error")).to_contain_text(words)
    described = page.get_attribute(f"#{field}", "aria-describedby") or ""
    assert f"{field}-error" in described.split()
    height = page.viewport_size["height"] if page.viewport_size else 0
    f, e = box(page, f"#{field}"), box(page, f"#{field}-error")
    assert 0 <= f["y"] and f["y"] + f["height"] <= height, f"#{field} is off the screen: {f}"
    assert 0 <= e["y"] and e["y"] + e["height"] <= height, f"#{field}-error is off the screen: {e}"
    gap = e["y"] - (f["y"] + f["height"])
    assert -1 <= gap <= 40, f"the message is {gap:.0f} px from its field"


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_no_crisis_chosen_focuses_the_crisis_with_plain_words(server, browser, width) -> None:  # type: ignore[no-untyped-def]
    page = sign_in(browser, server, *WIDTHS[width])
    page.goto(server + "/initiatives/new")
    page.fill("#title", "Convoy access talks")
    page.fill("#description", "Talks with the river elders on convoy access. " * 20)
    page.fill("#start", "2026-05-01")
    page.fill("#end", "2026-01-01")
    page.locator("#form button[type=submit]").click()
    assert_on_screen_with_its_message(page, "crisis_id", "Choose a crisis")
    # The reversed dates are marked too, both of them, each with its own message.
    expect(page.locator("#start")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#end-error")).to_contain_text("The end date is before the start date")
    assert "Input should be" not in page.content()
    # The cap is in the form: maxlength and the hint.
    expect(page.locator("#title")).to_have_attribute("maxlength", "300")
    expect(page.locator("#title-hint")).to_contain_text("Up to 300 characters")


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_reversed_dates_focus_the_first_date_far_down_the_form(server, browser, width) -> None:  # type: ignore[no-untyped-def]
    page = sign_in(browser, server, *WIDTHS[width])
    page.goto(server + "/initiatives/new")
    page.fill("#title", "Convoy access talks")
    page.fill("#description", "Talks with the river elders on convoy access. " * 30)
    page.select_option("#crisis_id", index=1)
    page.fill("#start", "2026-05-01")
    page.fill("#end", "2026-01-01")
    page.fill("#aims", "\n".join(f"aim {n}" for n in range(12)))
    page.locator("#form button[type=submit]").click()
    assert_on_screen_with_its_message(page, "start", "The start date is after the end date")
    expect(page.locator("#end-error")).to_be_visible()
    expect(page.locator("#title")).to_have_value("Convoy access talks")


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_a_report_dated_in_the_future_focuses_its_date(server, browser, width) -> None:  # type: ignore[no-untyped-def]
    page = sign_in(browser, server, *WIDTHS[width])
    page.goto(server + "/reports")
    page.select_option("#crisis_id", index=1)
    page.fill("#date", "2099-01-01")
    page.fill("#text", "Convoy turned back at the second checkpoint.")
    page.locator("#report_form button[type=submit]").click()
    assert_on_screen_with_its_message(page, "date", "cannot be dated after today")
