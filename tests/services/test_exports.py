"""Exports of the decision log: CSV and PDF parsed back, the CLI's verification line, and visibility."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import func
from sqlmodel import Session, select
from typer.testing import CliRunner

from server import cli
from server.app import create_app
from server.models import Crisis, Initiative, LogEntry
from server.services import exports
from server.services.errors import NotFound
from tests.factories import document, initiative, load, person
from tests.web.conftest import signin_form

PUBLIC = "Open the northern convoy route on Tuesdays and Fridays"
SECRET = "Hold back the reconstruction pledge until the Garvel talks close"
SECRET_REASON = "Our legal service reads the clause otherwise"
PASSWORD = "correct horse battery"


@pytest.fixture
def world(db: Session, db_backend: str) -> dict[str, object]:
    """A track of Varnia shared with Ostmark, with one public and one internal decision."""
    load(
        db,
        document(
            initiatives=[
                initiative(
                    "shared",
                    title="Access talks for the northern valleys",
                    shared_with=[{"government": "ostmark", "level": "sign-off"}],
                ),
                initiative("private", title="Delta back channel", crisis="corridor"),
            ],
            decisions=[
                {
                    "key": "d-public",
                    "initiative": "shared",
                    "date": "2026-05-02",
                    "text": PUBLIC,
                    "kind": "agreement",
                    "touches_departments": ["varnia-dev"],
                    "signoffs": [{"org": "varnia-mfa", "date": "2026-05-02"}],
                },
                {
                    "key": "d-secret",
                    "initiative": "shared",
                    "date": "2026-05-03",
                    "text": SECRET,
                    "internal": True,
                    "signoffs": [{"org": "varnia-mfa", "date": "2026-05-03"}],
                },
                {
                    "key": "d-private",
                    "initiative": "private",
                    "date": "2026-05-04",
                    "text": "Talk to the river elders before the partners",
                },
                {
                    "key": "d-declined",
                    "initiative": "shared",
                    "date": "2026-05-05",
                    "text": "Suspend the fuel credit line for a month",
                    "kind": "leverage",
                    "signoffs": [
                        {
                            "org": "varnia-fin",
                            "declined": True,
                            "reason": SECRET_REASON,
                            "internal": True,
                        }
                    ],
                },
            ],
        ),
    )
    shared = db.exec(select(Initiative).where(Initiative.key == "shared")).one()
    private = db.exec(select(Initiative).where(Initiative.key == "private")).one()
    corridor = db.exec(select(Crisis).where(Crisis.key == "corridor")).one()
    return {
        "home": person(db, "varnia-mfa", "desk_officer"),
        "partner": person(db, "ostmark-fa", "partner_reviewer"),
        "field": person(db, "relief-net", "field_contributor"),
        "shared": shared.id,
        "private": private.id,
        "corridor": corridor.id,
    }


def _cli(*args: str) -> tuple[int, str]:
    """Run the `accord` command on the test's database (the environment names it)."""
    done = CliRunner().invoke(cli.app, list(args))
    return done.exit_code, done.output.strip()


def _cli_verify() -> str:
    """What `accord log verify` prints."""
    code, out = _cli("log", "verify")
    assert code == 0, out
    return out


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_holds_every_entry_at_home_with_hashes_and_the_cli_verification_line(
    db: Session, world: dict[str, object]
) -> None:
    export = exports.initiative_log(db, world["home"], world["shared"])  # type: ignore[arg-type]
    rows = _rows(exports.as_csv(export))
    *entries, verification = rows
    stored = db.exec(
        select(LogEntry).where(LogEntry.initiative_id == world["shared"]).order_by(LogEntry.id)  # type: ignore[arg-type]
    ).all()
    assert [int(r["entry"]) for r in entries] == [e.id for e in stored]
    assert [(r["prev_hash"], r["entry_hash"]) for r in entries] == [
        (e.prev_hash, e.entry_hash) for e in stored
    ]
    assert any(r["text"] == SECRET and r["internal"] == "yes" for r in entries)
    assert verification["type"] == "verification"
    assert verification["text"] == export.verification == "decision log verified: chain intact"
    assert _cli_verify().startswith(export.verification + " (")


def test_partner_export_carries_no_internal_entry(db: Session, world: dict[str, object]) -> None:
    export = exports.initiative_log(db, world["partner"], world["shared"])  # type: ignore[arg-type]
    text = exports.as_csv(export)
    assert PUBLIC in text
    assert SECRET not in text and SECRET_REASON not in text
    internal_ids = {
        e.id
        for e in db.exec(select(LogEntry).where(LogEntry.internal == True)).all()  # noqa: E712
    }
    assert internal_ids and not internal_ids & {int(r["entry"]) for r in _rows(text)[:-1]}
    pdf = PdfReader(io.BytesIO(exports.as_pdf(export)))
    extracted = "\n".join(page.extract_text() for page in pdf.pages)
    assert "northern convoy route" in extracted
    assert "reconstruction pledge" not in extracted and "legal service" not in extracted
    # The verification line is the chain's state, the same for every reader, and not the
    # count of the whole log's entries (other governments' internal entries among them).
    whole = db.exec(select(func.count()).select_from(LogEntry)).one()
    assert _cli_verify() == f"{export.verification} ({whole} entries)"
    assert "entries)" not in text and "entries)" not in extracted


def test_pdf_text_carries_entries_hashes_and_the_verification_line(
    db: Session, world: dict[str, object]
) -> None:
    export = exports.initiative_log(db, world["home"], world["shared"])  # type: ignore[arg-type]
    data = exports.as_pdf(export)
    assert data.startswith(b"%PDF-")
    extracted = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    flat = " ".join(extracted.split())
    assert export.verification in flat and _cli_verify().startswith(export.verification)
    assert "reconstruction pledge" in flat
    for row in export.rows:
        assert row.entry_hash in flat and row.prev_hash in flat


def test_crisis_export_holds_only_visible_tracks(db: Session, world: dict[str, object]) -> None:
    home = _rows(exports.as_csv(exports.crisis_log(db, world["home"], world["corridor"])))  # type: ignore[arg-type]
    partner = _rows(exports.as_csv(exports.crisis_log(db, world["partner"], world["corridor"])))  # type: ignore[arg-type]
    assert {r["track"] for r in home[:-1]} == {"shared", "private"}
    assert {r["track"] for r in partner[:-1]} == {"shared"}
    field = _rows(exports.as_csv(exports.crisis_log(db, world["field"], world["corridor"])))  # type: ignore[arg-type]
    assert len(field) == 1 and field[0]["type"] == "verification"
    with pytest.raises(NotFound):
        exports.initiative_log(db, world["partner"], world["private"])  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        exports.crisis_log(db, world["home"], 10**6)  # type: ignore[arg-type]


def test_broken_chain_is_named_in_the_export_as_the_cli_names_it(
    db: Session, world: dict[str, object]
) -> None:
    from sqlalchemy import text

    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("SET session_replication_role = replica"))
    else:
        db.execute(text("DROP TRIGGER IF EXISTS decision_log_no_update"))
    first = db.exec(select(LogEntry).order_by(LogEntry.id)).first()  # type: ignore[arg-type]
    assert first is not None
    db.execute(text("UPDATE decision_log SET text = 'changed' WHERE id = :i"), {"i": first.id})
    db.commit()
    db.expire_all()  # read the log afresh, as a new request would
    export = exports.initiative_log(db, world["home"], world["shared"])  # type: ignore[arg-type]
    assert not export.verified
    code, out = _cli("log", "verify")
    assert code == 1
    assert export.verification == "decision log broken: content does not match its hash"
    assert out.endswith(": content does not match its hash") and "broken at entry" in out


def test_routes_answer_csv_pdf_print_and_404(db: Session, world: dict[str, object], db_url: str) -> None:
    with TestClient(create_app(), follow_redirects=False) as client:
        r = client.post(
            "/signin", data=signin_form(client, "partner_reviewer.ostmark-fa@example.test", PASSWORD)
        )
        assert r.status_code == 303
        shared, private, corridor = world["shared"], world["private"], world["corridor"]
        r = client.get(f"/initiatives/{shared}/log.csv")
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        assert PUBLIC in r.text and SECRET not in r.text
        r = client.get(f"/initiatives/{shared}/log.pdf")
        assert r.status_code == 200 and r.content.startswith(b"%PDF-")
        r = client.get(f"/initiatives/{shared}/log/print")
        assert r.status_code == 200 and 'media="print"' in r.text
        assert PUBLIC in r.text and SECRET not in r.text and SECRET_REASON not in r.text
        cli = _cli_verify()
        line = "decision log verified: chain intact"
        assert cli.startswith(line + " (") and line in r.text and cli not in r.text
        for path in (
            f"/initiatives/{private}/log.csv",
            f"/initiatives/{private}/log.pdf",
            f"/initiatives/{private}/log/print",
            f"/api/v1/initiatives/{private}/log",
            f"/api/v1/initiatives/{private}/log.csv",
        ):
            r = client.get(path)
            assert r.status_code == 404, path
            assert "river elders" not in r.text
        r = client.get(f"/api/v1/crises/{corridor}/log")
        assert r.status_code == 200
        body = r.json()
        assert {e["track_key"] for e in body["entries"]} == {"shared"}
        assert body["verification"] == line
        assert client.get(f"/crises/{corridor}/log/print").status_code == 200
        assert client.get(f"/crises/{corridor}/log.csv").status_code == 200
