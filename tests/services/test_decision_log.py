"""The decision log's chain: append-only, and every kind of tampering is caught."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from server.demo import document
from server.models import LogEntry
from server.services import ledger
from tests.factories import load


def _tamper(db: Session, *statements: str) -> None:
    """Change the log behind Accord's back, as someone with database access could."""
    dialect = db.get_bind().dialect.name
    if dialect == "postgresql":
        db.execute(text("SET session_replication_role = replica"))
    else:
        db.execute(text("DROP TRIGGER IF EXISTS decision_log_no_update"))
        db.execute(text("DROP TRIGGER IF EXISTS decision_log_no_delete"))
    for statement in statements:
        db.execute(text(statement))
    db.commit()


# The demo with the first few decisions of its log (each decision and each of its
# sign-offs is one entry): the first, by date, has two sign-offs, so entry 3 is a
# sign-off nothing refers to.
DEMO = document()
DEMO["decisions"] = DEMO["decisions"][:4]
# Months before the demo's delegation of sign-off: its entry is not among them.
DEMO["delegations"] = []
ENTRIES = len(DEMO["decisions"]) + sum(len(d["signoffs"]) for d in DEMO["decisions"])


@pytest.fixture
def logged(db: Session, db_backend: str) -> Session:
    load(db, DEMO)
    result = ledger.verify(db)
    assert result.ok and result.count == ENTRIES, str(result)
    first = db.exec(select(LogEntry).order_by(LogEntry.id).limit(3)).all()
    assert [e.entry_type for e in first] == ["decision", "signoff", "signoff"]
    return db


def _ids(db: Session) -> list[int]:
    return [e.id for e in db.exec(select(LogEntry).order_by(LogEntry.id)).all()]


def test_demo_log_verifies(logged: Session) -> None:
    assert f"{ENTRIES} entries" in str(ledger.verify(logged))


def test_update_and_delete_are_refused_by_the_database(logged: Session) -> None:
    with pytest.raises(DBAPIError, match="append-only"):
        logged.execute(text("UPDATE decision_log SET text = 'changed' WHERE id = 1"))
    logged.rollback()
    with pytest.raises(DBAPIError, match="append-only"):
        logged.execute(text("DELETE FROM decision_log WHERE id = 1"))
    logged.rollback()


def test_truncate_is_refused_on_postgres(logged: Session) -> None:
    if logged.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    with pytest.raises(DBAPIError, match="append-only"):
        logged.execute(text("TRUNCATE decision_log CASCADE"))
    logged.rollback()


def test_flipped_byte_is_caught(logged: Session) -> None:
    _tamper(
        logged,
        "UPDATE decision_log SET text = 'Offer the reconstruction fund in exchange for convoy accesS.' WHERE id = 1",
    )
    result = ledger.verify(logged)
    assert not result.ok and result.broken_at == 1 and "hash" in result.reason


def test_deleted_entry_is_caught(logged: Session) -> None:
    _tamper(logged, "DELETE FROM decision_log WHERE id = 3")  # a sign-off nothing refers to
    result = ledger.verify(logged)
    assert not result.ok and result.broken_at == 4


def test_swapped_entries_are_caught(logged: Session) -> None:
    cols = "entry_type, key, text, kind, actor_name, date, prev_hash, entry_hash, touches, decision_id, decision_hash, org_id"
    a, b = 2, 3
    _tamper(
        logged,
        f"CREATE TEMP TABLE swap AS SELECT id, {cols} FROM decision_log WHERE id IN ({a}, {b})",
        f"UPDATE decision_log SET entry_hash = substr(entry_hash, 2) || substr(entry_hash, 1, 1) WHERE id IN ({a}, {b})",
        *[
            f"UPDATE decision_log SET ({cols}) = (SELECT {cols} FROM swap WHERE swap.id = {other}) WHERE id = {mine}"
            for mine, other in ((a, b), (b, a))
        ],
    )
    result = ledger.verify(logged)
    assert not result.ok and result.broken_at == a


def test_truncated_tail_is_caught(logged: Session) -> None:
    last = _ids(logged)[-2:]
    _tamper(logged, f"DELETE FROM decision_log WHERE id IN ({last[0]}, {last[1]})")
    result = ledger.verify(logged)
    assert not result.ok and "truncated" in result.reason


def test_forged_entry_is_caught(logged: Session) -> None:
    """A forger can compute SHA-256 but not the checkpoint's seal, which needs the secret key."""
    head = logged.exec(select(LogEntry).order_by(LogEntry.id.desc())).first()  # type: ignore[union-attr]
    assert head is not None
    forged = LogEntry(
        entry_type="signoff",
        initiative_id=head.initiative_id,
        decision_id=head.id,
        decision_hash=head.entry_hash,
        date=head.date,
        org_id=head.org_id,
        actor_name="Someone",
        prev_hash=head.entry_hash,
        entry_hash="",
        created_at=head.created_at,
    )
    forged.entry_hash = ledger.entry_hash(head.entry_hash, forged)
    logged.add(forged)
    logged.commit()
    result = ledger.verify(logged)
    assert not result.ok and result.broken_at == forged.id and "checkpoint" in result.reason


def test_cli_verify_exits_1_naming_the_entry(logged: Session, db_url: str) -> None:
    import os
    import subprocess
    import sys

    ok = subprocess.run(
        [sys.executable, "-m", "server", "log", "verify"], capture_output=True, text=True, env=os.environ
    )
    assert ok.returncode == 0 and f"{ENTRIES} entries" in ok.stdout
    _tamper(logged, "DELETE FROM decision_log WHERE id = 3")
    broken = subprocess.run(
        [sys.executable, "-m", "server", "log", "verify"], capture_output=True, text=True, env=os.environ
    )
    assert broken.returncode == 1
    assert broken.stderr.strip().splitlines() == [
        "accord: decision log broken at entry 4: does not follow the entry before it"
    ]
