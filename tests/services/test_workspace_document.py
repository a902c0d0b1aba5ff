"""Import and export of the workspace document, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from server.domain.snapshot import DocumentInvalid, dump_document, parse_document
from server.models import Initiative, LogEntry, Organisation
from server.services import workspace

EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "workspace-example.json"


def _normal(doc: dict) -> dict:
    """The document's content: defaults filled in, generated report keys left out."""
    data = parse_document(doc).model_dump(mode="json", exclude={"today"})
    for report in data["field_reports"]:
        report.pop("key")
    return data


def test_example_round_trips(db: Session, db_backend: str) -> None:
    original = json.loads(EXAMPLE.read_text())
    workspace.import_document(db, parse_document(original))
    db.commit()
    exported = dump_document(workspace.export_document(db))
    assert _normal(exported) == _normal(original)
    # and the export imports again into an empty workspace as the same content
    assert _normal(json.loads(json.dumps(exported))) == _normal(original)


def _counts(db: Session) -> tuple[int, int, int]:
    return (
        db.exec(select(func.count()).select_from(Organisation)).one(),
        db.exec(select(func.count()).select_from(Initiative)).one(),
        db.exec(select(func.count()).select_from(LogEntry)).one(),
    )


def test_bad_document_names_three_paths_and_stores_nothing(db: Session, db_backend: str) -> None:
    before = _counts(db)
    bad = json.loads(EXAMPLE.read_text())
    bad["initiatives"][0]["crisis"] = "atlantis"  # dangling key
    bad["initiatives"][0]["metrics"][0]["kind"] = "vibes"  # wrong enum
    bad["initiatives"][0]["colour"] = "blue"  # unknown field
    with pytest.raises(DocumentInvalid) as caught:
        workspace.import_document(db, parse_document(bad))
    paths = sorted(e.path for e in caught.value.errors)
    assert paths == ["initiatives[0].colour", "initiatives[0].crisis", "initiatives[0].metrics[0].kind"]
    db.rollback()
    assert _counts(db) == before


def test_clash_with_existing_key_is_refused_whole(db: Session, db_backend: str) -> None:
    doc = json.loads(EXAMPLE.read_text())
    workspace.import_document(db, parse_document(doc))
    db.commit()
    before = _counts(db)
    with pytest.raises(DocumentInvalid) as caught:
        workspace.import_document(db, parse_document(doc))
    assert "initiatives[0].key" in {e.path for e in caught.value.errors}
    db.rollback()
    assert _counts(db) == before


def test_metric_kind_absent_is_inferred_and_said(db: Session) -> None:
    doc = json.loads(EXAMPLE.read_text())
    doc["initiatives"][0]["metrics"] = [{"name": "ministerial visits to the region"}]
    workspace.import_document(db, parse_document(doc))
    db.commit()
    metric = workspace.export_document(db).initiatives[0].metrics[0]
    assert metric.kind == "symbolic" and metric.kind_inferred is True
