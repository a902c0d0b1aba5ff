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
