"""The pages render for reading, filter, and keep what a person may not see out of sight."""

from __future__ import annotations

from sqlmodel import select

from server.models import Initiative


def _id(db, key: str) -> int:  # type: ignore[no-untyped-def]
    found = db.exec(select(Initiative.id).where(Initiative.key == key)).one()
    db.commit()
    return found


def test_signed_out_pages_redirect_to_sign_in(client, workspace) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/initiatives")
    assert r.status_code == 303 and r.headers["location"].startswith("/signin")


def test_dashboard_and_list_render(client, workspace, login) -> None:  # type: ignore[no-untyped-def]
    login("desk_officer.varnia-mfa@example.test")
    r = client.get("/")
    assert r.status_code == 200, r.text
    assert "Waiting for your sign-off" in r.text
    r = client.get("/initiatives")
    assert r.status_code == 200
    assert "Access talks for the northern valleys" in r.text and "Delta dialogue" in r.text


def test_initiative_page_shows_everything(client, db, workspace, login) -> None:  # type: ignore[no-untyped-def]
    login("desk_officer.varnia-mfa@example.test")
    r = client.get(f"/initiatives/{_id(db, 't1')}")
    assert r.status_code == 200, r.text
    for words in (
        "weekly convoys reach Vell",
        "checkpoints reopened for aid convoys",
        "Decision log",
        "Log a decision",
    ):
        assert words in r.text


def test_a_long_history_shows_its_newest_decisions_and_leads_to_the_rest(
    client, db, workspace, login
) -> None:  # type: ignore[no-untyped-def]
    from server.services import decisions
    from server.services.initiative_page import DECISIONS_SHOWN

    tid = _id(db, "t1")
    for n in range(DECISIONS_SHOWN + 3):
        decisions.log(
            db, workspace["mfa"], tid, {"text": f"Round {n:02d} of the valley talks", "date": "2026-06-01"}
        )
    db.commit()
    login("desk_officer.varnia-mfa@example.test")
    page = client.get(f"/initiatives/{tid}").text
    shown = [n for n in range(DECISIONS_SHOWN + 3) if f"Round {n:02d} of the valley talks" in page]
    assert shown == list(range(3, DECISIONS_SHOWN + 3))
    assert f'href="/decisions?initiative_id={tid}"' in page
    # The block alone, as a live refresh asks for it, is the same.
    block = client.get(
        f"/initiatives/{tid}", headers={"HX-Request": "true", "HX-Target": "decision_log"}
    ).text
    assert "Round 02 of" not in block and "Round 03 of" in block and "this track's decision log" in block
    log = client.get(f"/decisions?initiative_id={tid}").text
    assert all(f"Round {n:02d} of the valley talks" in log for n in range(DECISIONS_SHOWN + 3))


def test_a_short_history_shows_every_decision_without_a_pointer(client, db, workspace, login) -> None:  # type: ignore[no-untyped-def]
    from server.services import decisions

    tid = _id(db, "t1")
    decisions.log(
        db, workspace["mfa"], tid, {"text": "Open a channel to the valley council", "date": "2026-06-01"}
    )
    db.commit()
    login("desk_officer.varnia-mfa@example.test")
    page = client.get(f"/initiatives/{tid}").text
    assert "Open a channel to the valley council" in page and "/decisions?initiative_id=" not in page
