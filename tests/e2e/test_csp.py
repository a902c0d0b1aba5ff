"""In Chromium, under the Content-Security-Policy every answer carries: the main pages and the
API reference load with no CSP violation, and htmx (with its SSE extension) still works."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Route, expect
from sqlmodel import Session, select

from server.models import Crisis, Initiative, Organisation
from server.services import decisions
from tests.e2e.conftest import PASSWORD, start_server, stop_server
from tests.factories import document, initiative, load, person

pytestmark = pytest.mark.e2e

MFA = "desk_officer.varnia-mfa@example.test"

# Run before any page script, outside the page's CSP: every violation is kept for the test.
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def served(db: Session, tmp_path: Path) -> Iterator[tuple[str, dict[str, int]]]:
    load(
        db,
        document(
            initiatives=[
                initiative("t1", title="Access talks for the northern valleys", end="2030-12-31"),
                initiative("t2", title="Delta dialogue", crisis="delta", kind="political"),
            ]
        ),
    )
    user = person(db, "varnia-mfa", "desk_officer")
    tid = db.exec(select(Initiative.id).where(Initiative.key == "t1")).one()
    other = db.exec(select(Initiative.id).where(Initiative.key == "t2")).one()
    fin = db.exec(select(Organisation.id).where(Organisation.key == "varnia-fin")).one()
    decisions.log(db, user, tid, {"text": "Ask for weekly convoys", "date": "2026-05-20", "touches": [fin]})
    crisis = db.exec(select(Crisis.id)).first()
    db.commit()
    assert tid is not None and other is not None and crisis is not None
    proc, base = start_server(tmp_path)
    try:
        yield base, {"track": tid, "other": other, "crisis": crisis}
    finally:
        stop_server(proc)


def _watched(browser: Browser) -> tuple[Page, list[str]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(WATCH)
    page = context.new_page()
    console: list[str] = []

    def keep(msg: ConsoleMessage) -> None:
        # A CSP refusal, and any other error the page's scripts meet, fail the test.
        if (
            msg.type == "error"
            or "Content Security Policy" in msg.text
            or "Content-Security-Policy" in msg.text
        ):
            console.append(f"{msg.type}: {msg.text}")

    page.on("console", keep)
    page.on("pageerror", lambda exc: console.append(f"page error: {exc}"))
    # The console says only "Failed to load resource"; name the resource.
    page.on(
        "response",
        lambda r: console.append(f"{r.status} on {r.request.method} {r.url}") if r.status >= 400 else None,
    )
    return page, console


def _sign_in(page: Page, base: str) -> None:
    page.goto(base + "/signin")
    page.fill("#email", MFA)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")


def _violations(page: Page, console: list[str]) -> list[str]:
    return [*page.evaluate("window.__csp || []"), *console]


def test_pages_pass_the_csp_and_htmx_still_works(served, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    base, ids = served
    page, console = _watched(browser)
    page.goto(base + "/signin")
    assert "content-security-policy" in (page.context.request.get(base + "/signin").headers)
    page.fill("#email", MFA)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")
    problems: list[str] = []
    paths = [
        "/",
        "/initiatives",
        f"/initiatives/{ids['track']}",
        "/initiatives/new",
        "/decisions",
        "/alerts",
        "/crises",
        f"/crises/{ids['crisis']}",
        "/reports",
        "/coordination",
        "/principles",
        "/delegations",
        "/account",
    ]
    for path in paths:
        page.goto(base + path)
        # Not "networkidle": the live stream stays open. A moment for deferred scripts and swaps.
        page.wait_for_timeout(400)
        # htmx and its SSE extension loaded and running on every page.
        assert page.evaluate("typeof htmx === 'object' && htmx.version.startsWith('2.')"), path
        problems += [f"{path}: {v}" for v in _violations(page, console)]
        console.clear()
    assert not problems, "\n".join(problems)

    # A fragment through htmx: the decision log's filter swaps #log without a page load.
    page.goto(base + "/decisions")
    page.evaluate("window.__marker = 'same page'")
    with page.expect_response(
        lambda r: "/decisions" in r.url and r.request.headers.get("hx-request") == "true"
    ) as answer:
        page.select_option("#kind", "other")
    assert answer.value.status == 200
    expect(page.locator("#log")).to_be_visible()
    assert page.evaluate("window.__marker") == "same page"  # swapped, not reloaded
    # The live stream is open (the SSE extension's EventSource on /events).
    with page.expect_request(lambda r: r.url.endswith("/events"), timeout=10_000):
        page.goto(base + "/alerts")
    assert not _violations(page, console)


def test_no_inline_style_is_allowed_or_needed() -> None:
    """The policy allows no inline style at all, and no template writes a `style` attribute."""
    from server.edge import CSP

    assert "unsafe-inline" not in CSP and "style-src-attr" not in CSP
    templates = Path(__file__).resolve().parents[2] / "web" / "templates"
    found = [
        f"{p.relative_to(templates)}: {line.strip()[:80]}"
        for p in templates.rglob("*.html")
        for line in p.read_text().splitlines()
        if re.search(r"\sstyle\s*=", line)
    ]
    assert not found, found


def test_a_crisis_timeline_draws_its_bars_under_the_csp(served, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    """The timeline's years and bars are placed by SVG geometry: each bar starts and spans where its dates say."""
    base, ids = served
    page, console = _watched(browser)
    _sign_in(page, base)
    page.goto(f"{base}/crises/{ids['crisis']}")
    bars = page.locator("#timeline rect.tl-bar")
    expect(bars.first).to_be_visible()
    lane = page.locator("#timeline svg.tl-lane").first.bounding_box()
    bar = bars.first.bounding_box()
    assert (
        lane
        and bar
        and bar["width"] > 4
        and lane["x"] <= bar["x"]
        and bar["x"] + bar["width"] <= lane["x"] + lane["width"] + 1
    )
    # Drawn in its colour by the stylesheet, not black as an unstyled SVG shape would be.
    assert (
        page.evaluate("getComputedStyle(document.querySelector('#timeline rect.tl-bar')).fill")
        != "rgb(0, 0, 0)"
    )
    assert page.locator("#timeline svg.tl-years text").count() >= 1
    assert not _violations(page, console), _violations(page, console)


def test_the_api_reference_renders_under_the_csp(served, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    """Swagger UI renders under the CSP with every request beyond Accord's own server
    refused, as on a machine with no internet: its assets ship in `web/static/vendor/`."""
    base, _ = served
    page, console = _watched(browser)
    outside: list[str] = []

    def only_ours(route: Route) -> None:
        if route.request.url.startswith(base):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_ours)
    page.goto(base + "/api/v1/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=30_000)
    assert "Accord" in page.inner_text(".swagger-ui .info .title")
    page.locator(".swagger-ui .opblock").first.click()
    page.wait_for_timeout(300)
    assert not _violations(page, console), _violations(page, console)
    assert not outside, f"the API reference reached beyond Accord: {outside}"


def test_a_page_may_not_be_framed(served, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    base, _ = served
    page, console = _watched(browser)
    page.goto(base + "/static/accord.css")  # same origin, then try to frame the sign-in page
    page.set_content(f'<iframe id="f" src="{base}/signin"></iframe>')
    page.wait_for_timeout(1000)
    frame = page.frame_locator("#f")
    assert frame.locator("#email").count() == 0


def test_live_blocks_refresh_for_their_own_track_only(served, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    """The track filter on live events runs from web/static/accord.js, with no eval."""
    base, ids = served
    page, console = _watched(browser)
    _sign_in(page, base)
    url = f"{base}/initiatives/{ids['track']}"
    with page.expect_request(lambda r: r.url.endswith("/events"), timeout=10_000):
        page.goto(url)
    page.wait_for_timeout(500)
    refreshes: list[str] = []
    page.on(
        "request",
        lambda r: (
            refreshes.append(r.headers.get("hx-target", ""))
            if r.headers.get("hx-request") == "true"
            else None
        ),
    )
    csrf = page.get_attribute('meta[name="csrf-token"]', "content") or ""

    def comment(track: int, text: str) -> None:
        r = page.context.request.post(
            f"{base}/api/v1/initiatives/{track}/comments", data={"text": text}, headers={"X-CSRF-Token": csrf}
        )
        assert r.status == 201, r.text()

    comment(ids["other"], "On the delta, not here")
    page.wait_for_timeout(2500)
    assert "comments" not in refreshes, refreshes
    comment(ids["track"], "Convoy schedule agreed")
    expect(page.locator("#comments")).to_contain_text("Convoy schedule agreed", timeout=15_000)
    assert "comments" in refreshes
    assert not _violations(page, console), _violations(page, console)
