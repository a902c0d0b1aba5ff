"""Leverage aimed at a party over dates, metrics with a baseline and target, and their measured values."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from server.models import Initiative, LeverageTool, Metric, MetricActual, Party
from tests.factories import document, initiative, load, person


@pytest.fixture
def tracks(db: Session) -> dict[str, object]:
    load(
        db,
        document(
            initiatives=[
                initiative(
                    "t1",
                    title="Access talks for the northern valleys",
                    shared_with=["ostmark-fa"],
                    metrics=[
                        {
                            "name": "checkpoints reopened for aid convoys",
                            "kind": "outcome",
                            "baseline": {"date": "2026-01-10", "value": 1},
                            "target_value": 4,
                            "target_date": "2026-09-30",
                            "actuals": [
                                {"date": "2026-02-28", "value": 1},
                                {"date": "2026-03-31", "value": 2},
                            ],
                        },
                        {
                            "name": "ministerial visits planned",
                            "kind": "symbolic",
                            "internal": True,
                            "actuals": [{"date": "2026-03-31", "value": 7}],
                        },
                    ],
                ),
            ]
        ),
    )
    t1 = db.exec(select(Initiative).where(Initiative.key == "t1")).one()
    metrics = {m.name: m for m in db.exec(select(Metric).where(Metric.initiative_id == t1.id)).all()}
    db.commit()
    return {
        "t1": t1.id,
        "outcome": metrics["checkpoints reopened for aid convoys"].id,
        "internal": metrics["ministerial visits planned"].id,
        "mfa": person(db, "varnia-mfa", "desk_officer"),
        "ost": person(db, "ostmark-fa", "desk_officer"),
    }


def test_the_track_page_draws_each_measured_metric(
    client: TestClient, login: Callable[[str], str], tracks: dict[str, object]
) -> None:
    login("desk_officer.varnia-mfa@example.test")
    html = client.get(f"/initiatives/{tracks['t1']}").text
    assert '<svg viewBox="0 0 320 150"' in html and 'role="img"' in html
    assert f'aria-labelledby="metric-{tracks["outcome"]}-title metric-{tracks["outcome"]}-desc"' in html
    assert "<title id=" in html and "<desc id=" in html
    assert (
        "baseline 1 on 2026-01-10; 2 values measured from 2026-02-28 to 2026-03-31, the last 2; target 4 by 2026-09-30"
        in html
    )
    assert "<script" not in html.split('<figure class="metric-chart"')[1].split("</figure>")[0]
    assert '<th scope="col">Value</th>' in html


def test_record_a_value_then_remove_it(
    client: TestClient, login: Callable[[str], str], tracks: dict[str, object], db: Session
) -> None:
    csrf = login("desk_officer.varnia-mfa@example.test")
    url = f"/initiatives/{tracks['t1']}/metrics/{tracks['outcome']}/actuals"
    assert "Record a value" in client.get(url).text
    r = client.post(url, data={"csrf_token": csrf, "date": "2026-04-30", "value": "3"})
    assert r.status_code == 303 and r.headers["location"] == url
    page = client.get(url).text
    assert "the last 3" in page
    row = db.exec(select(MetricActual).where(MetricActual.date == "2026-04-30")).one()  # type: ignore[arg-type]
    db.commit()  # the test's session must not hold SQLite's lock while the app writes
    r = client.post(f"{url}/{row.id}/remove", data={"csrf_token": csrf})
    assert r.status_code == 303
    assert "the last 2" in client.get(url).text


def test_bad_values_come_back_beside_their_fields(
    client: TestClient, login: Callable[[str], str], tracks: dict[str, object]
) -> None:
    csrf = login("desk_officer.varnia-mfa@example.test")
    url = f"/initiatives/{tracks['t1']}/metrics/{tracks['outcome']}/actuals"
    r = client.post(url, data={"csrf_token": csrf, "date": "2026-03-31", "value": "5"})
    assert r.status_code == 422
    assert 'id="date-error"' in r.text and "already recorded for this date" in r.text
    r = client.post(
        url, data={"csrf_token": csrf, "date": "soon", "value": "many"}, headers={"HX-Request": "true"}
    )
    assert r.status_code == 422 and 'id="date-error"' in r.text and 'id="value-error"' in r.text
    assert "<html" not in r.text, "htmx gets the block alone"


def test_a_partner_reads_shared_values_but_never_an_internal_metric(
    client: TestClient, login: Callable[[str], str], tracks: dict[str, object]
) -> None:
    csrf = login("desk_officer.ostmark-fa@example.test")
    page = client.get(f"/initiatives/{tracks['t1']}").text
    assert "checkpoints reopened" in page and "ministerial visits planned" not in page
    base = f"/initiatives/{tracks['t1']}/metrics"
    shown = client.get(f"{base}/{tracks['outcome']}/actuals")
    assert shown.status_code == 200 and "Record a value" not in shown.text
    assert client.get(f"{base}/{tracks['internal']}/actuals").status_code == 404
    assert (
        client.post(
            f"{base}/{tracks['internal']}/actuals",
            data={"csrf_token": csrf, "date": "2026-04-30", "value": "1"},
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"{base}/{tracks['outcome']}/actuals",
            data={"csrf_token": csrf, "date": "2026-04-30", "value": "1"},
        ).status_code
        == 403
    )


def test_leverage_form_aims_a_tool_at_a_party_over_dates(
    client: TestClient, login: Callable[[str], str], tracks: dict[str, object], db: Session
) -> None:
    csrf = login("desk_officer.varnia-mfa@example.test")
    lfa = db.exec(select(Party).where(Party.key == "lfa")).one()
    db.commit()
    url = f"/initiatives/{tracks['t1']}/leverage/new"
    form = client.get(url).text
    assert 'name="party_id"' in form and "Every party of the track" in form and 'name="start"' in form
    bad = {
        "csrf_token": csrf,
        "kind": "incentive",
        "status": "proposed",
        "party_id": str(lfa.id),
        "start": "2026-05-01",
        "end": "2026-04-01",
    }
    r = client.post(url, data=bad)
    assert r.status_code == 422 and 'id="end-error"' in r.text
    r = client.post(url, data={**bad, "end": "2026-08-31", "description": "Reconstruction fund"})
    assert r.status_code == 303
    tool = db.exec(select(LeverageTool).where(LeverageTool.initiative_id == tracks["t1"])).one()
    assert (tool.party_id, str(tool.start), str(tool.end)) == (lfa.id, "2026-05-01", "2026-08-31")
    db.commit()
    assert "aimed at Lowland Freedom Army" in client.get(f"/initiatives/{tracks['t1']}").text


def test_metric_form_keeps_baseline_target_and_direction(
    client: TestClient, login: Callable[[str], str], tracks: dict[str, object], db: Session
) -> None:
    csrf = login("desk_officer.varnia-mfa@example.test")
    url = f"/initiatives/{tracks['t1']}/metrics/new"
    data = {
        "csrf_token": csrf,
        "name": "days a convoy waits at the bridge",
        "kind": "outcome",
        "baseline_value": "9",
        "baseline_date": "",
        "target_value": "2",
        "target_date": "2026-09-30",
        "direction": "down",
    }
    r = client.post(url, data=data)
    assert r.status_code == 422 and 'id="baseline_date-error"' in r.text
    r = client.post(url, data={**data, "baseline_date": "2026-01-10"})
    assert r.status_code == 303
    m = db.exec(select(Metric).where(Metric.name == "days a convoy waits at the bridge")).one()
    assert (m.baseline_value, m.target_value, m.direction) == (9, 2, "down")
    db.commit()
    edit = client.get(f"/initiatives/{tracks['t1']}/metrics/{m.id}/edit").text
    assert 'value="2026-01-10"' in edit and '<option value="down" selected>' in edit


def test_the_api_records_lists_and_removes_values(
    client: TestClient, login: Callable[[str], str], tracks: dict[str, object]
) -> None:
    csrf = login("desk_officer.varnia-mfa@example.test")
    base = f"/api/v1/initiatives/{tracks['t1']}/metrics/{tracks['outcome']}/actuals"
    headers = {"X-CSRF-Token": csrf}
    made = client.post(base, json={"date": "2026-04-30", "value": 3.5}, headers=headers)
    assert made.status_code == 201 and made.json()["value"] == 3.5
    assert [a["date"] for a in client.get(base).json()] == ["2026-02-28", "2026-03-31", "2026-04-30"]
    bad = client.post(base, json={"date": "2026-04-30", "value": "x"}, headers=headers)
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")
    assert "value" in bad.text
    twice = client.post(base, json={"date": "2026-04-30", "value": 4}, headers=headers)
    assert twice.status_code == 422 and "date" in twice.text
    detail = client.get(f"/api/v1/initiatives/{tracks['t1']}").json()
    (outcome,) = [m for m in detail["lines"]["metrics"] if m["id"] == tracks["outcome"]]
    assert outcome["baseline_value"] == 1 and outcome["target_value"] == 4 and len(outcome["actuals"]) == 3
    assert client.delete(f"{base}/{made.json()['id']}", headers=headers).status_code == 204
    assert len(client.get(base).json()) == 2


def test_the_api_keeps_an_internal_metrics_values_home(
    client: TestClient, login: Callable[[str], str], tracks: dict[str, object]
) -> None:
    login("desk_officer.ostmark-fa@example.test")
    base = f"/api/v1/initiatives/{tracks['t1']}/metrics"
    assert client.get(f"{base}/{tracks['internal']}/actuals").status_code == 404
    detail = client.get(f"/api/v1/initiatives/{tracks['t1']}").json()
    assert [m["name"] for m in detail["lines"]["metrics"]] == ["checkpoints reopened for aid convoys"]
    assert "7.0" not in str(detail["lines"]) and "ministerial" not in str(detail)
