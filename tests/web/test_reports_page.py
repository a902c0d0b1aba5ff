"""The field reports page: what each person reads, and filing a report on a crisis."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from server.models import Crisis, FieldReport
from tests.factories import document, initiative, load, person
from tests.web.conftest import sign_in

OWN_CRISIS_REPORT = "Fuel queues at the Vell depot since Monday"
SHARED_TRACK_REPORT = "Convoy turned back at the ford checkpoint"
UNSHARED_TRACK_REPORT = "Ostmark embassy heard of a new roadblock near Tarn"


def _world(db: Session) -> dict[str, Any]:
    """A track shared with Relief Network, one of Ostmark shared with nobody, a report on each."""
    load(
        db,
        document(
            initiatives=[
                initiative(
                    "t-open", title="Access talks for the northern valleys", shared_with=["relief-net"]
                ),
                initiative("t-home", title="Delta dialogue", crisis="delta", kind="political"),
                initiative("t-ost", owner="ostmark-fa", title="Ostmark river liaison"),
            ],
            field_reports=[
                {
                    "key": "fr-open",
                    "initiative": "t-open",
                    "org": "varnia-mfa",
                    "date": "2026-05-10",
                    "source_kind": "embassy",
                    "text": SHARED_TRACK_REPORT,
                    "red_line_breached": "No armed escorts on convoys",
                },
                {
                    "key": "fr-ost",
                    "initiative": "t-ost",
                    "org": "ostmark-fa",
                    "date": "2026-05-11",
                    "source_kind": "embassy",
                    "text": UNSHARED_TRACK_REPORT,
                },
            ],
        ),
    )
    out = {
        "field": person(db, "relief-net", "field_contributor").email,
        "desk": person(db, "varnia-mfa", "desk_officer").email,
        **{key: db.exec(select(Crisis.id).where(Crisis.key == key)).one() for key in ("corridor", "delta")},
    }
    # End the test's transaction: on SQLite an open one locks out the app's writes.
    db.commit()
    return out


def _count(db: Session) -> int:
    n = int(db.exec(select(func.count()).select_from(FieldReport)).one())
    db.commit()
    return n


def _form(csrf: str, **fields: object) -> dict[str, object]:
    base: dict[str, object] = {"date": "2026-05-20", "source_kind": "ngo", "csrf_token": csrf}
    base.update(fields)
    return base


def test_field_contributor_files_a_crisis_report_and_sees_it(db: Session, client: TestClient) -> None:
    w = _world(db)
    csrf = sign_in(client, w["field"])
    empty = client.get("/reports")
    assert empty.status_code == 200
    assert 'href="/reports"' in empty.text and "File a field report on a crisis" in empty.text
    r = client.post(
        "/reports",
        data=_form(
            csrf,
            crisis_id=w["corridor"],
            text=OWN_CRISIS_REPORT,
            red_line_breached="Aid workers detained",
        ),
    )
    assert r.status_code == 303 and r.headers["location"] == "/reports"
    page = client.get("/reports").text
    assert OWN_CRISIS_REPORT in page and "Eastern Corridor crisis" in page
    assert "Red line reported breached: Aid workers detained" in page
    # Newest first: the report of 20 May comes before the one of 10 May.
    assert page.index(OWN_CRISIS_REPORT) < page.index(SHARED_TRACK_REPORT)


def test_htmx_filing_answers_a_fresh_form_and_refreshes_the_list(db: Session, client: TestClient) -> None:
    w = _world(db)
    csrf = sign_in(client, w["field"])
    hx = {"HX-Request": "true", "HX-Target": "report_form"}
    r = client.post("/reports", data=_form(csrf, crisis_id=w["delta"], text=OWN_CRISIS_REPORT), headers=hx)
    assert r.status_code == 200 and r.headers["HX-Trigger"] == "refresh-reports"
    assert r.text.lstrip().startswith('<section id="report_form"') and OWN_CRISIS_REPORT not in r.text
    listed = client.get("/reports", headers={"HX-Request": "true", "HX-Target": "report_list"})
    assert listed.text.lstrip().startswith('<section id="report_list"') and OWN_CRISIS_REPORT in listed.text


def test_field_contributor_reads_only_its_own_and_shared_reports(db: Session, client: TestClient) -> None:
    w = _world(db)
    sign_in(client, w["field"])
    page = client.get("/reports").text
    # The report on the track shared with it, with that track named.
    assert SHARED_TRACK_REPORT in page and "Access talks for the northern valleys" in page
    # Another organisation's report on a track not shared with it: absent, and its track too.
    assert UNSHARED_TRACK_REPORT not in page and "Ostmark river liaison" not in page


def test_bad_input_shows_the_message_beside_the_field_and_stores_nothing(
    db: Session, client: TestClient
) -> None:
    w = _world(db)
    csrf = sign_in(client, w["field"])
    before = _count(db)

    empty_text = client.post("/reports", data=_form(csrf, crisis_id=w["corridor"], text=""))
    assert empty_text.status_code == 422
    assert 'id="text-error"' in empty_text.text and 'aria-invalid="true"' in empty_text.text
    # What was typed stays: the date and the source chosen.
    assert 'value="2026-05-20"' in empty_text.text

    unknown = client.post("/reports", data=_form(csrf, crisis_id=999999, text=OWN_CRISIS_REPORT))
    assert unknown.status_code == 422
    error = unknown.text.split('id="crisis_id-error">', 1)[1].split("</p>", 1)[0]
    assert "unknown crisis" in error
    assert OWN_CRISIS_REPORT in unknown.text  # the text typed is kept in the form

    htmx = client.post(
        "/reports",
        data=_form(csrf, crisis_id="", text=OWN_CRISIS_REPORT),
        headers={"HX-Request": "true", "HX-Target": "report_form"},
    )
    assert htmx.status_code == 422 and htmx.text.lstrip().startswith('<section id="report_form"')
    assert 'id="crisis_id-error"' in htmx.text

    assert _count(db) == before
    assert OWN_CRISIS_REPORT not in client.get("/reports").text


def test_desk_officer_reads_reports_on_its_governments_tracks(db: Session, client: TestClient) -> None:
    w = _world(db)
    sign_in(client, w["desk"])
    page = client.get("/reports")
    assert page.status_code == 200
    assert SHARED_TRACK_REPORT in page.text and "Access talks for the northern valleys" in page.text
    assert 'href="/initiatives/' in page.text
    # Ostmark's own track is not shared with Varnia: neither its report nor its title.
    assert UNSHARED_TRACK_REPORT not in page.text and "Ostmark river liaison" not in page.text


def test_partner_reviewer_reads_but_may_not_file(db: Session, client: TestClient) -> None:
    w = _world(db)
    reviewer = person(db, "ostmark-fa", "partner_reviewer").email
    db.commit()
    csrf = sign_in(client, reviewer)
    page = client.get("/reports").text
    assert "File a field report on a crisis" not in page
    r = client.post("/reports", data=_form(csrf, crisis_id=w["corridor"], text=OWN_CRISIS_REPORT))
    assert r.status_code == 403
