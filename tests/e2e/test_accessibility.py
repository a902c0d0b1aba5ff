"""Accessibility of the main pages in the demo workspace, checked in Debian's Chromium.

axe-core (the engine of axe-playwright-python, a dev dependency, injected into each page)
must find no serious or critical violation on the main pages, at 1280 px and at 375 px,
signed in as a desk officer, as a partner and as an admin, and signed out.

As a desk officer, at 1280 px and at 375 px, every main page must also have:
- text that meets WCAG 2.x AA contrast against its effective background (4.5:1, 3:1 for large text);
- a label for every form control (a <label>, aria-label or aria-labelledby);
- no horizontal scrolling of the page at 375 px (a wide table may scroll inside its own box);
and each page must render its main content with JavaScript disabled.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from server.settings import get_settings
from tests.e2e.conftest import ARGS, CHROMIUM, start_server, stop_server

pytestmark = pytest.mark.e2e

EMAIL = "desk.mfa@varnia.example"
PARTNER = "reviewer@tessaly.example"
ADMIN = "admin@varnia.example"
PASSWORD = "accord-demo-2026"
WIDTHS = (1280, 375)
AXE_JS = Path(str(files("axe_playwright_python") / "axe.min.js"))

# Pages a desk officer reads all day; "{...}" parts are filled from the demo (see `paths`).
PAGES = [
    "/",
    "/initiatives",
    "/initiatives/{first}",
    "/initiatives/{own}",
    "/initiatives/{own}/edit",
    "/initiatives/{own}/leverage/new",
    "{values}",
    "/initiatives/new",
    "/decisions",
    "/alerts",
    "/alerts?status=dismissed",
    "/crises",
    "/crises/{crisis}",
    "/account",
    "/coordination",
    "/principles",
]
# What a partner (an allied state's reviewer) reads: "{shared}" is the first track shared with it.
PARTNER_PAGES = [
    "/",
    "/initiatives",
    "/initiatives/{shared}",
    "/alerts",
    "/crises",
    "/principles",
    "/account",
]
# The admin screens, with the first organisation and person listed.
ADMIN_PAGES = [
    "/admin",
    "/admin/organisations",
    "/admin/organisations/{org}",
    "/admin/people",
    "/admin/people/{person}",
    "/admin/settings",
]

# axe-core's violations of impact serious or critical, each with up to five of its elements.
AXE_RUN = r"""
async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " " + (n.failureSummary || "").split("\n").slice(1, 2).join("").trim()),
    }));
}
"""

# WCAG 2.x relative luminance and contrast ratio, computed in the page for every visible
# element that has text of its own. The background is found by walking up the ancestors and
# compositing every translucent background-color until an opaque one (or white, the canvas).
CONTRAST_JS = r"""
() => {
  const parse = (s) => {
    const m = s.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, bottom) => {  // top composited over an opaque bottom
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat([1]);
  };
  const lum = (c) => {
    const ch = c.slice(0, 3).map((v) => {
      v = v / 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
  };
  const ratio = (a, b) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const name = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
      let s = e.tagName.toLowerCase();
      if (e.id) { parts.unshift(s + "#" + e.id); break; }
      if (e.classList.length) s += "." + [...e.classList].join(".");
      parts.unshift(s);
    }
    return parts.join(" > ");
  };
  const visible = (el, cs) => {
    if (cs.visibility !== "visible" || cs.display === "none") return false;
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) return false;          // .sr-only and the like
    if (r.right <= 0 || r.bottom + window.scrollY <= 0) return false;  // moved off-screen (.skip)
    for (let e = el; e; e = e.parentElement) {
      if (getComputedStyle(e).opacity === "0") return false;
    }
    return true;
  };
  const failures = [];
  let checked = 0;
  for (const el of document.body.querySelectorAll("*")) {
    if (["SCRIPT", "STYLE", "OPTION", "OPTGROUP", "TITLE", "NOSCRIPT"].includes(el.tagName)) continue;
    if (el.matches(":disabled")) continue;                    // inactive controls are exempt
    const own = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join("").trim();
    if (!own) continue;
    const cs = getComputedStyle(el);
    if (!visible(el, cs)) continue;
    // Translucent layers between the text and the first opaque background, innermost first.
    const layers = [];
    let opacity = 1;
    let base = [255, 255, 255, 1];
    for (let e = el; e; e = e.parentElement) {
      const ecs = getComputedStyle(e);
      const bg = parse(ecs.backgroundColor);
      if (bg && bg[3] > 0) {
        if (bg[3] >= 1) { base = bg; break; }
        layers.push(bg);
      }
      opacity *= Number(ecs.opacity);
    }
    let back = base;
    for (const layer of layers.reverse()) back = over(layer, back);
    const fg = parse(cs.color);
    const text = over([fg[0], fg[1], fg[2], fg[3] * opacity], back);
    const size = parseFloat(cs.fontSize);
    const bold = Number(cs.fontWeight) >= 700;
    const large = size >= 24 || (size >= 18.66 && bold);
    const need = large ? 3 : 4.5;
    const r = ratio(text, back);
    checked += 1;
    if (r < need - 0.005) {
      failures.push({
        where: name(el),
        text: own.replace(/\s+/g, " ").slice(0, 50),
        ratio: Math.round(r * 100) / 100,
        need,
        color: cs.color,
        background: "rgb(" + back.slice(0, 3).map(Math.round).join(", ") + ")",
      });
    }
  }
  return { checked, failures };
}
"""

LABELS_JS = r"""
() => {
  const out = [];
  const skip = ["hidden", "submit", "button", "reset", "image"];
  for (const el of document.querySelectorAll("input, select, textarea")) {
    if (el.tagName === "INPUT" && skip.includes((el.getAttribute("type") || "text").toLowerCase())) continue;
    const labelled = (el.labels && el.labels.length && [...el.labels].some((l) => l.textContent.trim()))
      || (el.getAttribute("aria-label") || "").trim()
      || (el.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean)
           .some((id) => { const t = document.getElementById(id); return t && t.textContent.trim(); });
    if (!labelled) {
      out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.name ? "[name=" + el.name + "]" : ""));
    }
  }
  return out;
}
"""

OVERFLOW_JS = r"""
() => {
  const doc = document.scrollingElement;
  const width = window.innerWidth;
  const wide = [];
  if (doc.scrollWidth > width + 1) {
    for (const el of document.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.right > width + 1 && r.width > 0) {
        let clipped = false;
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
          const ox = getComputedStyle(p).overflowX;
          if (ox !== "visible" && p.getBoundingClientRect().right <= width + 1) { clipped = true; break; }
        }
        if (!clipped) {
          const s = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.classList.length ? "." + [...el.classList].join(".") : "");
          wide.push(s + " (right edge " + Math.round(r.right) + "px)");
        }
      }
    }
  }
  return { scrollWidth: doc.scrollWidth, width, wide: wide.slice(0, 8) };
}
"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo workspace with its alerts, served on a free port; yields the base URL."""
    work = tmp_path_factory.mktemp("a11y")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ACCORD_DATA_DIR", str(work / "data"))
        mp.setenv("ACCORD_DATABASE_URL", f"sqlite:///{work / 'accord.db'}")
        mp.setenv("ACCORD_SECRET_KEY", "test-secret-key-0123456789abcdef0123456789")
        mp.setenv("ACCORD_WEB_RELAY", "false")
        mp.setenv("ACCORD_ARGON2_TIME_COST", "1")
        mp.setenv("ACCORD_ARGON2_MEMORY_KIB", "1024")
        get_settings.cache_clear()
        env = dict(os.environ)
        subprocess.run([sys.executable, "-m", "server", "demo"], check=True, capture_output=True, env=env)
        subprocess.run(
            [sys.executable, "-c", "from workers.tasks import check_everything_now; check_everything_now()"],
            check=True,
            capture_output=True,
            env=env,
        )
        proc, base = start_server(work)
        try:
            yield base
        finally:
            stop_server(proc)
    get_settings.cache_clear()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's Chromium is not installed at /usr/bin/chromium")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def sign_in(
    browser: Browser, base: str, width: int, javascript: bool = True, email: str = EMAIL
) -> BrowserContext:
    # axe-core goes in as an inline script, which the app's Content-Security-Policy refuses.
    context = browser.new_context(
        viewport={"width": width, "height": 900}, java_script_enabled=javascript, bypass_csp=True
    )
    page = context.new_page()
    page.goto(base + "/signin")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")
    page.close()
    return context


@pytest.fixture(scope="module")
def paths(demo: str, browser: Browser) -> list[str]:
    """The page list with real ids of the demo: the first initiative listed, the last one listed
    that this desk officer may edit (the demo's richest track), and the first crisis."""
    context = sign_in(browser, demo, 1280)
    page = context.new_page()
    page.goto(demo + "/initiatives")
    listed = page.eval_on_selector_all(
        "#results a[href^='/initiatives/']", "els => els.map(e => e.getAttribute('href'))"
    )
    own = values = None
    for href in reversed(listed):
        page.goto(demo + href)
        if page.locator(f"a[href='{href}/edit']").count():
            own = href
            # A metric's values page: its chart, the values and the form to record one.
            values = page.locator("#metrics a[href$='/actuals']").first.get_attribute("href")
            break
    page.goto(demo + "/crises")
    crisis = page.locator("main a[href^='/crises/']").first.get_attribute("href")
    context.close()
    assert listed and own and crisis and values
    ids = {
        "values": values,
        "first": listed[0].rsplit("/", 1)[1],
        "own": own.rsplit("/", 1)[1],
        "crisis": crisis.rsplit("/", 1)[1],
    }
    return [p.format(**ids) for p in PAGES]


@pytest.fixture(scope="module")
def contexts(demo: str, browser: Browser) -> Iterator[dict[int, BrowserContext]]:
    made = {width: sign_in(browser, demo, width) for width in WIDTHS}
    yield made
    for context in made.values():
        context.close()


def open_page(context: BrowserContext, url: str) -> Page:
    page = context.new_page()
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: HTTP {response and response.status}"
    page.wait_for_load_state("load")
    # Blocks filled in place on load (htmx) settle before anything is measured.
    page.wait_for_timeout(250)
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping')")
    # What a reader can unfold (evidence, the paper's words) is measured unfolded.
    page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    return page


def axe(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    return [
        f"axe {v['impact']} {v['id']} ({v['help']}): " + "; ".join(v["nodes"]) for v in page.evaluate(AXE_RUN)
    ]


def _first_link(context: BrowserContext, url: str, selector: str) -> str:
    page = context.new_page()
    page.goto(url)
    href = page.locator(selector).first.get_attribute("href")
    page.close()
    assert href, f"no {selector} on {url}"
    return href.rsplit("/", 1)[1]


def audit(page: Page, width: int) -> list[str]:
    problems: list[str] = []
    contrast = page.evaluate(CONTRAST_JS)
    assert contrast["checked"] > 0, "no text was checked"
    for f in contrast["failures"]:
        problems.append(
            f"contrast {f['ratio']} < {f['need']}: {f['where']} {f['text']!r} ({f['color']} on {f['background']})"
        )
    problems += [f"no label: {c}" for c in page.evaluate(LABELS_JS)]
    if width <= 375:
        overflow = page.evaluate(OVERFLOW_JS)
        if overflow["scrollWidth"] > overflow["width"] + 1:
            problems.append(
                f"scrolls sideways: {overflow['scrollWidth']}px wide in {overflow['width']}px; "
                + ", ".join(overflow["wide"])
            )
    return problems


@pytest.mark.parametrize("width", WIDTHS)
def test_main_pages_meet_contrast_labels_and_width(
    demo: str, browser: Browser, paths: list[str], contexts: dict[int, BrowserContext], width: int
) -> None:
    problems: list[str] = []
    for path in paths:
        page = open_page(contexts[width], demo + path)
        problems += [f"{path} @{width}px: {p}" for p in audit(page, width)]
        page.close()
    # A form sent empty shows its validation errors; those must be readable too.
    page = open_page(contexts[width], demo + "/initiatives/new")
    page.locator("main form button[type=submit]").last.click()
    page.locator("[aria-invalid='true']").first.wait_for()
    problems += [f"/initiatives/new (errors) @{width}px: {p}" for p in audit(page, width)]
    page.close()
    # Signed out: the sign-in page, and its refusal of a wrong password.
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = open_page(context, demo + "/signin")
    problems += [f"/signin @{width}px: {p}" for p in audit(page, width)]
    page.fill("#email", "nobody@varnia.example")
    page.fill("#password", "not the password")
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    problems += [f"/signin (refused) @{width}px: {p}" for p in audit(page, width)]
    context.close()
    assert not problems, "\n".join(problems)


def test_main_pages_read_without_javascript(demo: str, browser: Browser, paths: list[str]) -> None:
    problems: list[str] = []
    signed_out = browser.new_context(viewport={"width": 375, "height": 900}, java_script_enabled=False)
    page = signed_out.new_page()
    page.goto(demo + "/signin")
    if page.locator("h1").count() != 1 or page.locator("#email").count() != 1:
        problems.append("/signin: no heading or no e-mail field without JavaScript")
    signed_out.close()

    context = sign_in(browser, demo, 375, javascript=False)
    for path in paths:
        page = context.new_page()
        response = page.goto(demo + path)
        status = response.status if response else None
        h1 = page.locator("main h1")
        main_text = page.locator("main").inner_text().strip()
        if status != 200:
            problems.append(f"{path}: HTTP {status}")
        elif h1.count() != 1 or not h1.inner_text().strip():
            problems.append(f"{path}: no <h1> in <main> without JavaScript")
        elif main_text.lower().rstrip(".… ").endswith("loading") and len(main_text) < 80:
            problems.append(f"{path}: only a loading placeholder without JavaScript: {main_text!r}")
        elif len(main_text) <= len(h1.inner_text().strip()) + 20:
            problems.append(f"{path}: nothing but the heading without JavaScript: {main_text!r}")
        page.close()
    context.close()
    assert not problems, "\n".join(problems)


def test_the_checks_find_what_they_look_for(browser: Browser) -> None:
    """The checks themselves: a page with known faults gives exactly those findings, and no others."""
    context = browser.new_context(viewport={"width": 375, "height": 600})
    page = context.new_page()
    page.set_content(
        """<body style="margin:0;background:#fff">
        <h1>Fine heading</h1>
        <p id="grey" style="color:#999">Grey on white</p>
        <p id="big" style="color:#888;font-size:24px">Large grey text</p>
        <div style="background:rgba(0,0,0,.5)"><span id="veil" style="color:#444">Dark on veil</span></div>
        <p id="faded" style="opacity:.5">Faded</p>
        <span style="position:absolute;left:-999px;color:#eee">Off screen</span>
        <label for="ok">Name</label><input id="ok">
        <input id="bare" name="bare"><input type="hidden" name="h"><select aria-label="Kind"></select>
        <div id="wide" style="width:600px">wide</div>
        <div style="overflow-x:auto"><table style="width:900px"><tr><td>scrolls in its box</td></tr></table></div>
        </body>"""
    )
    contrast = page.evaluate(CONTRAST_JS)
    found = {f["where"].split("#")[-1]: f for f in contrast["failures"]}
    assert set(found) == {"grey", "veil", "faded"}, contrast["failures"]
    assert found["grey"]["ratio"] == 2.85 and found["grey"]["need"] == 4.5
    assert page.evaluate(LABELS_JS) == ["input#bare[name=bare]"]
    overflow = page.evaluate(OVERFLOW_JS)
    assert overflow["scrollWidth"] == 600 and overflow["wide"] == ["div#wide (right edge 600px)"]
    page.set_content(
        '<div style="overflow-x:auto"><table style="width:900px"><tr><td>x</td></tr></table></div>'
    )
    assert page.evaluate(OVERFLOW_JS)["scrollWidth"] <= 376
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_serious_or_critical_violation(
    demo: str, browser: Browser, paths: list[str], contexts: dict[int, BrowserContext], width: int
) -> None:
    problems: list[str] = []

    def check(context: BrowserContext, path: str, who: str) -> None:
        page = open_page(context, demo + path)
        problems.extend(f"{path} as {who} @{width}px: {p}" for p in axe(page))
        page.close()

    for path in paths:
        check(contexts[width], path, "desk officer")
    # A form sent empty, with its errors shown.
    page = open_page(contexts[width], demo + "/initiatives/new")
    page.locator("main form button[type=submit]").last.click()
    page.locator("[aria-invalid='true']").first.wait_for()
    problems += [f"/initiatives/new (errors) @{width}px: {p}" for p in axe(page)]
    page.close()

    partner = sign_in(browser, demo, width, email=PARTNER)
    shared = _first_link(partner, demo + "/initiatives", "#results a[href^='/initiatives/']")
    for path in PARTNER_PAGES:
        page = open_page(partner, demo + path.format(shared=shared))
        problems.extend(f"{path} as partner @{width}px: {p}" for p in axe(page) + audit(page, width))
        page.close()
    partner.close()

    admin = sign_in(browser, demo, width, email=ADMIN)
    ids = {
        "org": _first_link(admin, demo + "/admin/organisations", "main td a[href^='/admin/organisations/']"),
        "person": _first_link(admin, demo + "/admin/people", "main td a[href^='/admin/people/']"),
    }
    for path in ADMIN_PAGES:
        page = open_page(admin, demo + path.format(**ids))
        problems.extend(f"{path} as admin @{width}px: {p}" for p in axe(page) + audit(page, width))
        page.close()
    # The invite form sent empty, with its errors.
    page = open_page(admin, demo + "/admin/people")
    page.locator("main form button[type=submit]").last.click()
    page.locator("[aria-invalid='true']").first.wait_for()
    problems += [f"/admin/people (errors) @{width}px: {p}" for p in axe(page)]
    page.close()
    admin.close()

    signed_out = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = open_page(signed_out, demo + "/signin")
    problems += [f"/signin @{width}px: {p}" for p in axe(page)]
    page.fill("#email", "nobody@varnia.example")
    page.fill("#password", "not the password")
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    problems += [f"/signin (refused) @{width}px: {p}" for p in axe(page)]
    signed_out.close()
    assert not problems, "\n".join(problems)


def test_axe_finds_what_it_looks_for(browser: Browser) -> None:
    """The audit itself: a page with known faults gives those violations."""
    context = browser.new_context(viewport={"width": 375, "height": 600})
    page = context.new_page()
    page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main><h1>t</h1>'
        '<p style="color:#aaa;background:#fff">Grey on white</p>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        '<input id="bare"></main></body></html>'
    )
    found = {line.split(" ")[2] for line in axe(page)}
    assert {"color-contrast", "image-alt", "label"} <= found, found
    context.close()
