"""Contradictory leverage in two browsers (`accord serve`: web, worker and beat).

Kestrel's desk officer aims a sanction at the Highland Civil Authority with the leverage
form; Varnia's desk officer offers the same party an incentive on its own unshared track
over the same months. The worker raises the alert, and each inbox reads it blind: its own
tool, the party and the other organisation, never the other side's tool. Varnia moves its
offer after the sanction ends (the near miss: in sequence) and the alert leaves both
inboxes; moved back, it returns; a request to coordinate from its notice, accepted by
Kestrel, clears it for good. Neither browser receives a word of the other's tools.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from server.db import get_engine
from server.models import Alert, LeverageTool
from tests.e2e.test_blind_notices import KESTREL, KESTREL_FO, VARNIA, VARNIA_MFA, Recorder
from tests.permissions import world as w
from tests.workers.conftest import wait_for

pytestmark = pytest.mark.e2e

PARTY = "Highland Civil Authority"
SANCTION = "Freeze the Authority's Orvik port dues"
INCENTIVE = "Salt-pan concessions for the Authority"


def _clash(status: str) -> int:
    """The contradictory-leverage alert's id, once the worker has it in `status`."""

    def probe() -> int | None:
        with Session(get_engine()) as s:
            a = s.exec(select(Alert).where(Alert.kind == "contradictory_leverage")).first()
            return a.id if a is not None and a.status == status else None

    found = wait_for(probe, 60, 0.25, what=f"the contradictory-leverage alert {status}")
    return int(found)


def _add_tool(
    page: Page, base: str, track: int, kind: str, text: str, status: str, start: str, end: str
) -> None:
    page.goto(f"{base}/initiatives/{track}/leverage/new")
    page.get_by_label("Kind").select_option(kind)
    page.get_by_label("Description").fill(text)
    page.get_by_label("Status").select_option(status)
    page.get_by_label("Aimed at").select_option(label=PARTY)
    page.get_by_label("Proposed or applied from").fill(start)
    page.get_by_label("Until").fill(end)
    page.get_by_label("A do-no-harm analysis was made").check()
    page.get_by_role("button", name="Add").click()
    page.wait_for_url(f"{base}/initiatives/{track}#leverage")
    expect(page.locator("#leverage")).to_contain_text(f"aimed at {PARTY}")


def _move_offer(page: Page, base: str, track: int, start: str, end: str) -> None:
    with Session(get_engine()) as s:
        tool = s.exec(select(LeverageTool).where(LeverageTool.initiative_id == track)).one()
    page.goto(f"{base}/initiatives/{track}/leverage/{tool.id}/edit")
    page.get_by_label("Proposed or applied from").fill(start)
    page.get_by_label("Until").fill(end)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{base}/initiatives/{track}#leverage")


def _inbox(page: Page, base: str, alert_id: int):  # type: ignore[no-untyped-def]
    page.goto(f"{base}/alerts?department=all")
    return page.locator(f"#alert-{alert_id}")


def test_an_incentive_against_a_sanction_is_raised_blind_cleared_and_coordinated(
    two_owners, signed_in
) -> None:  # type: ignore[no-untyped-def]
    base, world = two_owners
    private, kestrel_track = world.ids["private_id"], world.ids["kestrel_id"]
    varnia, kestrel = signed_in(base, VARNIA), signed_in(base, KESTREL)
    seen_by_varnia, seen_by_kestrel = Recorder(varnia.context), Recorder(kestrel.context)

    _add_tool(kestrel, base, kestrel_track, "sanction", SANCTION, "active", "2026-03-01", "2026-12-31")
    _add_tool(varnia, base, private, "incentive", INCENTIVE, "proposed", "2026-05-01", "2026-10-31")
    alert_id = _clash("open")

    # Each owner reads its own tool, the party and the other organisation.
    card = _inbox(varnia, base, alert_id)
    for words in (PARTY, KESTREL_FO, INCENTIVE):
        expect(card).to_contain_text(words)
    expect(card).not_to_contain_text(SANCTION)
    theirs = _inbox(kestrel, base, alert_id)
    for words in (PARTY, VARNIA_MFA, SANCTION):
        expect(theirs).to_contain_text(words)
    expect(theirs).not_to_contain_text(INCENTIVE)

    # The near miss: the offer comes only after the sanction ends. The alert clears.
    _move_offer(varnia, base, private, "2027-01-01", "2027-06-30")
    _clash("resolved")
    expect(_inbox(varnia, base, alert_id)).to_have_count(0)
    expect(_inbox(kestrel, base, alert_id)).to_have_count(0)

    # Offered at the same time again: the same alert comes back, on the track page too.
    _move_offer(varnia, base, private, "2026-05-01", "2026-10-31")
    _clash("open")
    varnia.goto(f"{base}/initiatives/{private}")
    expect(varnia.locator(f"#alert-{alert_id}")).to_contain_text(PARTY)

    # Varnia asks Kestrel to coordinate from the alert's notice; Kestrel accepts.
    notice = _inbox(varnia, base, alert_id).locator(f"#notice-{alert_id}")
    expect(notice).to_contain_text(KESTREL_FO)
    notice.get_by_role("button", name="Request coordination").click()
    expect(notice).to_contain_text("pending")
    kestrel.goto(f"{base}/coordination")
    pending = kestrel.locator("#incoming .coordination-request").filter(has_text="pending")
    expect(pending).to_have_count(1)
    pending.get_by_role("button", name="Accept").click()
    expect(kestrel.locator("#coordinated")).to_contain_text(f"a track of {VARNIA_MFA}")
    _clash("resolved")
    expect(_inbox(varnia, base, alert_id)).to_have_count(0)

    assert len(seen_by_varnia.bodies) >= 8 and len(seen_by_kestrel.bodies) >= 8
    assert not seen_by_varnia.leaks((SANCTION, *w.KESTREL_SECRETS))
    assert not seen_by_kestrel.leaks((INCENTIVE, *w.VARNIA_PRIVATE_SECRETS))
