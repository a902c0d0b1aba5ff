"""A metric with a baseline and target, its values recorded in the browser, and its chart on the track page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from server.models import Initiative
from tests.e2e.conftest import start_server, stop_server
from tests.factories import document, initiative, load, person

pytestmark = pytest.mark.e2e

MFA = "desk_officer.varnia-mfa@example.test"
METRIC = "days a convoy waits at the bridge"


@pytest.fixture
def server(db: Session, tmp_path) -> Iterator[tuple[str, int]]:  # type: ignore[no-untyped-def]
    load(db, document(initiatives=[initiative("t1", title="Access talks for the northern valleys")]))
    person(db, "varnia-mfa", "desk_officer")
    tid = db.exec(select(Initiative.id).where(Initiative.key == "t1")).one()
    db.commit()
    proc, base = start_server(tmp_path)
    try:
        yield base, tid
    finally:
        stop_server(proc)


def test_a_metric_is_added_measured_and_drawn(server, signed_in) -> None:  # type: ignore[no-untyped-def]
    base, tid = server
    page = signed_in(base, MFA)
    page.goto(f"{base}/initiatives/{tid}/metrics/new")
    page.get_by_label("Metric", exact=True).fill(METRIC)
    page.get_by_label("Kind").select_option("outcome")
    page.get_by_label("Baseline value").fill("9")
    page.get_by_role("button", name="Add").click()
    # A baseline without its date comes back beside the field, with what was typed.
    expect(page.locator("#baseline_date-error")).to_be_visible()
    expect(page.get_by_label("Metric", exact=True)).to_have_value(METRIC)
    page.get_by_label("Measured on").fill("2026-01-10")
    page.get_by_label("Target value").fill("2")
    page.get_by_label("Target date").fill("2026-09-30")
    page.get_by_label("Which way is better").select_option("down")
    page.get_by_role("button", name="Add").click()
    page.wait_for_url(f"{base}/initiatives/{tid}#metrics")

    metrics = page.locator("#metrics")
    expect(metrics).to_contain_text("lower is better")
    expect(metrics.locator("svg[role=img] title")).to_have_text(
        f"{METRIC}: values measured against the baseline and the target"
    )
    metrics.get_by_role("link", name=f"Record a value of {METRIC}").click()

    for n, (day, value) in enumerate((("2026-02-28", "8"), ("2026-03-31", "6"))):
        page.get_by_label("End of the period measured").fill(day)
        page.get_by_label("Value", exact=True).fill(value)
        page.get_by_role("button", name="Record").click()
        expect(page.locator("#values table.actuals tbody tr")).to_have_count(n + 1)
        expect(page.locator("#values table.actuals tbody tr").nth(n).locator("td").nth(1)).to_have_text(value)
    # The same date twice is refused beside the date, and nothing is written.
    page.get_by_label("End of the period measured").fill("2026-03-31")
    page.get_by_label("Value", exact=True).fill("5")
    page.get_by_role("button", name="Record").click()
    expect(page.locator("#date-error")).to_contain_text("already recorded for this date")
    expect(page.locator("#values table.actuals tbody tr")).to_have_count(2)

    page.goto(f"{base}/initiatives/{tid}")
    chart = page.locator("#metrics figure.metric-chart")
    svg = chart.locator("svg[role=img]")
    expect(svg).to_be_visible()
    # Accessible: named by its title and described, and no script draws it.
    labelled = svg.get_attribute("aria-labelledby") or ""
    assert all(page.locator(f"#{i}").count() == 1 for i in labelled.split())
    expect(svg.locator("desc")).to_have_text(
        "baseline 9 on 2026-01-10; 2 values measured from 2026-02-28 to 2026-03-31, the last 6; "
        "target 2 by 2026-09-30. A lower value is better."
    )
    expect(svg.locator("circle.value")).to_have_count(2)
    expect(svg.locator("circle.baseline")).to_have_count(1)
    expect(svg.locator("line.target")).to_have_count(1)
    assert chart.locator("script").count() == 0
    # The same values in words, for whoever does not see the chart.
    chart.locator("summary").click()
    rows = chart.locator("table tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.nth(3)).to_contain_text("target")
    # It stays readable on a phone.
    page.set_viewport_size({"width": 375, "height": 800})
    box = svg.bounding_box()
    assert box is not None and box["width"] <= 375
