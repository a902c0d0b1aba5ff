"""Two browsers, owners of two unshared overlapping tracks of two states (`accord serve`:
web, worker and beat). Varnia sees the blind notice and asks to coordinate; Kestrel declines
with a reason; Varnia reads it and asks again; Kestrel accepts; both see their track
coordinated with "a track of" the other, and the worker clears the overlap alert. No HTML
either browser receives holds a word of the other side's track."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, Response, expect

from tests.permissions import world as w

pytestmark = pytest.mark.e2e

VARNIA = "owner_desk@example.test"  # desk officer of Varnia's foreign ministry: the private track
KESTREL = "kestrel_desk@example.test"  # desk officer of Kestrel's foreign office: its own track
VARNIA_MFA = "Varnia, Ministry of Foreign Affairs"
KESTREL_FO = "Kestrel, Foreign Office"
REASON = "Our channel with the council is confidential until the spring"


class Recorder:
    """Every HTML body one browser receives: whole pages and htmx fragments alike."""

    def __init__(self, context: BrowserContext) -> None:
        self.bodies: list[tuple[str, str]] = []
        context.on("response", self._keep)

    def _keep(self, response: Response) -> None:
        if "text/html" not in response.headers.get("content-type", ""):
            return
        if 300 <= response.status < 400:
            return
        self.bodies.append((response.url, response.text()))

    def leaks(self, secrets: tuple[str, ...]) -> list[tuple[str, str]]:
        return [(url, s) for url, body in self.bodies for s in secrets if s.lower() in body.lower()]


def _notice(page: Page, alert_id: int):  # type: ignore[no-untyped-def]
    return page.locator(f"#notice-{alert_id}")


def test_request_decline_then_accept_between_two_states(two_owners, signed_in) -> None:  # type: ignore[no-untyped-def]
    base, world = two_owners
    alert_id = world.ids["alert_id"]
    varnia = signed_in(base, VARNIA)
    kestrel = signed_in(base, KESTREL)
    seen_by_varnia, seen_by_kestrel = Recorder(varnia.context), Recorder(kestrel.context)

    # Varnia's inbox: the notice names only Kestrel's foreign office and the crisis.
    varnia.goto(f"{base}/alerts")
    card = varnia.locator(f"#alert-{alert_id}")
    expect(card).to_contain_text(f"a track of {KESTREL_FO}")
    notice = _notice(varnia, alert_id)
    expect(notice).to_contain_text(f"With: {KESTREL_FO} · Crisis: Saltmarsh Delta crisis")
    notice.get_by_role("button", name="Request coordination").click()
    # htmx swaps the notice in place: the request waits, and no second button is offered.
    expect(notice).to_contain_text(f"You asked {KESTREL_FO} to coordinate")
    expect(notice).to_contain_text("pending")
    expect(notice.get_by_role("button")).to_have_count(0)

    # Kestrel's dashboard counts the request; the requests page offers the answers.
    kestrel.goto(f"{base}/")
    summary = kestrel.locator("#coordination_summary")
    expect(summary).to_contain_text("1 request to coordinate waiting for your answer")
    summary.get_by_role("link", name="1 request to coordinate waiting for your answer").click()
    kestrel.wait_for_url(f"{base}/coordination#incoming")
    incoming = kestrel.locator("#incoming .coordination-request").first
    expect(incoming).to_contain_text(f"{VARNIA_MFA} asks to coordinate with your track")
    expect(incoming).to_contain_text(w.KESTREL_SECRETS[0])  # its own track, by title

    # Declining without a reason: the message appears beside the field.
    incoming.get_by_role("button", name="Decline").click()
    error = kestrel.locator(".coordination-request .field-error")
    expect(error).to_be_visible()
    expect(kestrel.get_by_label("Reason to decline")).to_have_attribute("aria-invalid", "true")
    # With the keyboard: type the reason and press Enter.
    reason = kestrel.get_by_label("Reason to decline")
    reason.fill(REASON)
    reason.press("Enter")
    expect(kestrel.locator("#incoming")).to_contain_text("declined")
    expect(kestrel.locator("#incoming")).to_contain_text(REASON)

    # Varnia reads the decline and its reason, and asks again from the notice.
    varnia.goto(f"{base}/coordination")
    outgoing = varnia.locator("#outgoing")
    expect(outgoing).to_contain_text("declined")
    expect(outgoing).to_contain_text(REASON)
    varnia.goto(f"{base}/alerts")
    notice = _notice(varnia, alert_id)
    expect(notice).to_contain_text(REASON)
    notice.get_by_role("button", name="Request coordination again").click()
    expect(notice.get_by_role("button")).to_have_count(0)
    expect(notice).to_contain_text("pending")

    # Kestrel accepts the second request, without sharing its track back.
    kestrel.goto(f"{base}/coordination")
    pending = kestrel.locator("#incoming .coordination-request").filter(has_text="pending")
    expect(pending).to_have_count(1)
    expect(pending.get_by_label(f"Also share my track with {VARNIA_MFA} (read only)")).not_to_be_checked()
    pending.get_by_role("button", name="Accept").click()
    coordinated = kestrel.locator("#coordinated")
    expect(coordinated).to_contain_text(
        f"Your track {w.KESTREL_SECRETS[0]} is coordinated with a track of {VARNIA_MFA}"
    )

    varnia.goto(f"{base}/coordination")
    expect(varnia.locator("#outgoing")).to_contain_text("accepted")
    expect(varnia.locator("#coordinated")).to_contain_text(
        f"Your track {w.VARNIA_PRIVATE_SECRETS[0]} is coordinated with a track of {KESTREL_FO}"
    )

    # The worker re-checks the linked tracks: the overlap alert leaves both inboxes (live).
    for page in (varnia, kestrel):
        page.goto(f"{base}/alerts")
        expect(page.locator(f"#alert-{alert_id}")).to_have_count(0, timeout=30000)
    varnia.goto(f"{base}/initiatives/{world.ids['private_id']}")
    expect(varnia.locator("#alerts")).not_to_contain_text(KESTREL_FO)

    # Neither browser received a word of the other's track, in any page or fragment.
    assert len(seen_by_varnia.bodies) >= 8 and len(seen_by_kestrel.bodies) >= 8
    assert not seen_by_varnia.leaks(w.KESTREL_SECRETS)
    assert not seen_by_kestrel.leaks(w.VARNIA_PRIVATE_SECRETS)
