"""Bad input gets a clear error and nothing is stored: one test per finding of the input probe.

Ids of 2^63 or more (path, JSON body, form field), a non-numeric `back`, a `Last-Event-ID`
past any event, a 10 MB JSON description, a 500,000-character dismissal reason through the
page form, NUL bytes, `Infinity` amounts and dates such as 9999-12-31. Each answer is
checked for its words and field, and the database for what it holds after: exactly what it
held before.
"""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from server import stream
from server.models import (
    AlertDismissal,
    Comment,
    CoordinationLink,
    Event,
    FieldReport,
    Initiative,
    LogEntry,
    OutboxRow,
    ResourceLine,
    StaffLine,
)
from server.services import initiatives
from server.services.validation import CAPS, ID_MAX
from tests.web.test_forms import MFA, _id

TOO_BIG = str(2**63)  # one past the largest integer the database holds
STORED = (
    Initiative,
    LogEntry,
    FieldReport,
    ResourceLine,
    StaffLine,
    Comment,
    AlertDismissal,
    CoordinationLink,
    Event,
    OutboxRow,
)


def counts(db: Session) -> dict[str, int]:
    db.expire_all()
    out = {m.__name__: int(db.exec(select(func.count()).select_from(m)).one()) for m in STORED}
    db.commit()  # hold no lock while the app writes
    return out


def api(client: Any, token: str, method: str, path: str, body: Any = None, raw: str | None = None) -> Any:
    headers = {"X-CSRF-Token": token, "Content-Type": "application/json", "Accept": "application/json"}
    content = raw if raw is not None else (json.dumps(body) if body is not None else None)
    return client.request(method, "/api/v1" + path, content=content, headers=headers)


def problem_field(r: Any) -> dict[str, str]:
    assert r.headers["content-type"].startswith("application/problem+json"), r.text[:300]
    body = r.json()
    assert body["status"] == r.status_code
    return {e["loc"]: e["message"] for e in body.get("errors", [])}


def field_error(html: str, field_id: str) -> str:
    m = re.search(rf'id="{re.escape(field_id)}-error">([^<]*)<', html)
    assert m, f"no error beside {field_id}"
    return m.group(1)


def new_track_form(token: str, **fields: str) -> dict[str, str]:
    return {
        "csrf_token": token,
        "title": "Convoy access talks",
        "kind": "humanitarian",
        "crisis_id": "1",
        "status": "active",
        **fields,
    }


# --------------------------------------------------------------------- ids of 2^63 or more


def test_id_of_2_63_in_a_path_is_422_naming_it(client, db, workspace, login, db_backend) -> None:  # type: ignore[no-untyped-def]
    token = login(MFA)
    before = counts(db)
    r = api(client, token, "GET", f"/initiatives/{TOO_BIG}")
    assert r.status_code == 422 and problem_field(r) == {"initiative_id": "Is out of range"}
    r = api(client, token, "POST", f"/alerts/{TOO_BIG}/dismiss", {"reason": "covered elsewhere"})
    assert r.status_code == 422 and "alert_id" in problem_field(r)
    page = client.get(f"/initiatives/{TOO_BIG}")
    assert page.status_code == 422 and "initiative_id: Is out of range" in page.text
    r = client.post(f"/alerts/{TOO_BIG}/dismiss", data={"csrf_token": token, "reason": "covered elsewhere"})
    assert r.status_code == 422
    # A query id too.
    r = api(client, token, "GET", f"/alerts?initiative_id={TOO_BIG}")
    assert r.status_code == 422 and "initiative_id" in problem_field(r)
    assert counts(db) == before


def test_id_of_2_63_in_a_json_body_is_422_naming_it(client, db, workspace, login, db_backend) -> None:  # type: ignore[no-untyped-def]
    token = login(MFA)
    tid = _id(db, "t1")
    before = counts(db)
    r = api(
        client,
        token,
        "POST",
        "/initiatives",
        raw=f'{{"title": "Convoy talks", "kind": "humanitarian", "crisis_id": {TOO_BIG}}}',
    )
    assert r.status_code == 422 and problem_field(r) == {"crisis_id": "Is out of range"}
    r = api(client, token, "POST", f"/initiatives/{tid}/coordinated", raw=f'{{"other_id": {TOO_BIG}}}')
    assert r.status_code == 422 and "other_id" in problem_field(r)
    r = api(
        client,
        token,
        "POST",
        f"/initiatives/{tid}/decisions",
        raw=f'{{"text": "Agreed the corridor", "date": "2026-03-01", "touches": [1, {TOO_BIG}]}}',
    )
    assert r.status_code == 422 and "touches[1]" in problem_field(r)
    assert counts(db) == before


def test_id_of_2_63_in_a_form_field_is_an_error_beside_it(client, db, workspace, login, db_backend) -> None:  # type: ignore[no-untyped-def]
    token = login(MFA)
    tid = _id(db, "t1")
    before = counts(db)
    r = client.post("/initiatives/new", data=new_track_form(token, crisis_id=TOO_BIG))
    assert r.status_code == 422 and field_error(r.text, "crisis_id") == "Is out of range"
    r = client.post(
        f"/initiatives/{tid}/decisions",
        data={"csrf_token": token, "text": "Agreed the corridor", "date": "2026-03-01", "touches": TOO_BIG},
    )
    assert r.status_code == 422 and field_error(r.text, "touches")
    r = client.post(
        f"/initiatives/{tid}/staff/new", data={"csrf_token": token, "org_id": TOO_BIG, "fte": "1"}
    )
    assert r.status_code == 422 and field_error(r.text, "org_id")
    assert counts(db) == before


def test_no_crisis_chosen_says_choose_a_crisis(client, db, workspace, login, db_backend) -> None:  # type: ignore[no-untyped-def]
    token = login(MFA)
    before = counts(db)
    r = client.post("/initiatives/new", data=new_track_form(token, crisis_id=""))
    assert r.status_code == 422
    assert field_error(r.text, "crisis_id") == "Choose a crisis"
    assert "Input should be" not in r.text
    # With reversed dates as well, all three fields are marked at once.
    r = client.post(
        "/initiatives/new", data=new_track_form(token, crisis_id="", start="2026-05-01", end="2026-01-01")
    )
    assert r.status_code == 422 and field_error(r.text, "crisis_id") == "Choose a crisis"
    assert field_error(r.text, "start") == "The start date is after the end date"
    assert field_error(r.text, "end") == "The end date is before the start date"
    assert counts(db) == before


# --------------------------------------------------------------------- a back path that is no track


def test_non_numeric_back_is_no_server_error(client, db, workspace, login) -> None:  # type: ignore[no-untyped-def]
    from server.models import Alert
    from workers.tasks import check_everything_now

    db.commit()
    check_everything_now()
    alert = db.exec(select(Alert).where(Alert.status == "open")).first()
    assert alert is not None
    aid = alert.id
    db.commit()
    token = login(MFA)
    before = counts(db)
    for back in ("/initiatives/abc", f"/initiatives/{TOO_BIG}", "/initiatives/"):
        refused = client.post(
            f"/alerts/{aid}/dismiss", data={"csrf_token": token, "reason": "", "back": back}
        )
        assert refused.status_code == 422, (back, refused.status_code)
        assert "say why this alert can be set aside" in refused.text
        htmx = client.post(
            f"/alerts/{aid}/dismiss",
            data={"reason": "", "back": back},
            headers={"HX-Request": "true", "X-CSRF-Token": token},
        )
        assert htmx.status_code == 422, (back, htmx.status_code)
    assert counts(db) == before


# --------------------------------------------------------------------- the live stream's cursor


def test_last_event_id_of_2_63_or_not_a_number_starts_from_now() -> None:
    assert stream.parse_last_event_id(TOO_BIG) is None
    assert stream.parse_last_event_id(str(2**64)) is None
    assert stream.parse_last_event_id("9" * 5000) is None
    assert stream.parse_last_event_id("twelve") is None
    assert stream.parse_last_event_id("-1") is None
    # Event ids are PostgreSQL `integer`: one past its range is past any event too.
    assert stream.parse_last_event_id(str(ID_MAX + 1)) is None
    assert stream.parse_last_event_id(str(ID_MAX)) == ID_MAX
    assert stream.parse_last_event_id(" 42 ") == 42


def test_stream_with_last_event_id_of_2_63_stays_open(client, db, workspace, login) -> None:  # type: ignore[no-untyped-def]
    login(MFA)
    with client.stream("GET", "/events", headers={"Last-Event-ID": TOO_BIG}) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    with client.stream("GET", "/events", headers={"Last-Event-ID": "not-a-number"}) as r:
        assert r.status_code == 200
    r = client.get(f"/events?after={TOO_BIG}", headers={"Accept": "application/json"})
    assert r.status_code == 422 and "after" in problem_field(r)


# --------------------------------------------------------------------- sizes


def test_10_mb_json_description_is_413_and_nothing_stored(client, db, workspace, login, db_backend) -> None:  # type: ignore[no-untyped-def]
    token = login(MFA)
    before = counts(db)
    body = {"title": "Convoy talks", "kind": "humanitarian", "crisis_id": 1, "description": "x" * 10_000_000}
    r = api(client, token, "POST", "/initiatives", body)
    assert r.status_code == 413
    problem_field(r)
    assert "nothing was saved" in r.json()["detail"]
    # Under the body limit but over the description's cap: 422 naming the field.
    body["description"] = "x" * (CAPS["description"] + 1)
    r = api(client, token, "POST", "/initiatives", body)
    assert r.status_code == 422 and "description" in problem_field(r)
    # A form past the body limit answers a page that says so, and an htmx form a notice.
    r = client.post("/initiatives/new", data=new_track_form(token, description="x" * 2_000_000))
    assert r.status_code == 413 and "nothing was saved" in r.text and "<html" in r.text
    r = client.post(
        "/initiatives/new",
        data=new_track_form(token, description="x" * 2_000_000),
        headers={"HX-Request": "true", "X-CSRF-Token": token},
    )
    assert r.status_code == 413 and r.headers["HX-Reswap"] == "afterbegin"
    assert r.text.startswith('<div class="notice error-box" role="alert">') and "nothing was saved" in r.text
    assert counts(db) == before


def test_500000_character_dismissal_reason_is_refused_like_the_api(
    client, db, workspace, login, db_backend
) -> None:  # type: ignore[no-untyped-def]
    from server.models import Alert
    from workers.tasks import check_everything_now

    db.commit()
    check_everything_now()
    alert = db.exec(select(Alert).where(Alert.status == "open")).first()
    assert alert is not None
    aid = alert.id
    db.commit()
    token = login(MFA)
    before = counts(db)
    r = client.post(
        f"/alerts/{aid}/dismiss", data={"csrf_token": token, "reason": "x" * 500_000, "back": "/alerts"}
    )
    assert r.status_code == 422
    assert field_error(r.text, f"reason-{aid}") == f"Keep it to {CAPS['reason']:,} characters or fewer"
    assert f'maxlength="{CAPS["reason"]}"' in r.text
    api_answer = api(client, token, "POST", f"/alerts/{aid}/dismiss", {"reason": "x" * 500_000})
    assert api_answer.status_code == 422 and "reason" in problem_field(api_answer)
    # A dismissal until 9999-12-31 is no date at all.
    api_answer = api(
        client, token, "POST", f"/alerts/{aid}/dismiss", {"reason": "Covered", "expires_on": "9999-12-31"}
    )
    assert api_answer.status_code == 422
    assert problem_field(api_answer)["expires_on"].startswith("Must be between")
    assert counts(db) == before


# --------------------------------------------------------------------- NUL, Infinity, 9999-12-31


def test_nul_bytes_are_refused(client, db, workspace, login, db_backend) -> None:  # type: ignore[no-untyped-def]
    token = login(MFA)
    tid = _id(db, "t1")
    before = counts(db)
    r = api(
        client, token, "POST", "/initiatives", {"title": "Con\x00voy", "kind": "humanitarian", "crisis_id": 1}
    )
    assert r.status_code == 422 and problem_field(r) == {"title": "Must not contain NUL characters"}
    r = client.post("/initiatives/new", data=new_track_form(token, description="before\x00after"))
    assert r.status_code == 422 and field_error(r.text, "description") == "Must not contain NUL characters"
    r = client.post(f"/initiatives/{tid}/comments", data={"csrf_token": token, "text": "a\x00b"})
    assert r.status_code == 422
    assert counts(db) == before


def test_infinite_amounts_are_refused(client, db, workspace, login, db_backend) -> None:  # type: ignore[no-untyped-def]
    token = login(MFA)
    tid = _id(db, "t1")
    before = counts(db)
    for literal in ("Infinity", "-Infinity", "NaN", "1e999"):
        r = api(
            client,
            token,
            "POST",
            f"/initiatives/{tid}/lines/resources",
            raw=f'{{"kind": "funding", "amount": {literal}}}',
        )
        assert r.status_code == 422, (literal, r.text)
        assert "amount" in problem_field(r), literal
    for typed in ("Infinity", "inf", "nan", "1e999"):
        r = client.post(
            f"/initiatives/{tid}/resources/new",
            data={"csrf_token": token, "kind": "funding", "amount": typed},
        )
        assert r.status_code == 422 and field_error(r.text, "amount"), typed
    r = client.post(f"/initiatives/{tid}/staff/new", data={"csrf_token": token, "org_id": "1", "fte": "inf"})
    assert r.status_code == 422 and field_error(r.text, "fte")
    assert counts(db) == before


def test_dates_out_of_bounds_and_against_sense_are_refused(client, db, workspace, login, db_backend) -> None:  # type: ignore[no-untyped-def]
    token = login(MFA)
    tid = _id(db, "t1")
    before = counts(db)
    r = api(
        client,
        token,
        "POST",
        "/initiatives",
        {"title": "Convoy talks", "kind": "humanitarian", "crisis_id": 1, "end": "9999-12-31"},
    )
    assert r.status_code == 422 and problem_field(r)["end"].startswith("Must be between 01 January 1990")
    r = client.post(
        f"/initiatives/{tid}/decisions",
        data={"csrf_token": token, "text": "Agreed the corridor", "date": "9999-12-31"},
    )
    assert r.status_code == 422 and field_error(r.text, "decision-date").startswith("Must be between")
    # A field report dated in the future.
    r = client.post(
        "/reports",
        data={
            "csrf_token": token,
            "crisis_id": "1",
            "date": "2099-01-01",
            "source_kind": "ngo",
            "text": "Seen",
        },
    )
    assert r.status_code == 422 and "cannot be dated after today" in field_error(r.text, "date")
    # A resource that runs out before the track starts.
    track = db.get(Initiative, tid)
    assert track is not None
    current = initiatives.snapshot_fields(db, track)
    initiatives.update(db, None, tid, dict(current, start="2026-01-01"), track.version)
    db.commit()
    before = counts(db)
    r = client.post(
        f"/initiatives/{tid}/resources/new",
        data={"csrf_token": token, "kind": "funding", "amount": "10", "until": "1999-06-30"},
    )
    assert r.status_code == 422 and "Ends before the track starts" in field_error(r.text, "until")
    # Reversed dates mark both fields.
    r = client.post("/initiatives/new", data=new_track_form(token, start="2026-05-01", end="2026-01-01"))
    assert r.status_code == 422
    assert field_error(r.text, "start") and field_error(r.text, "end")
    assert counts(db) == before
