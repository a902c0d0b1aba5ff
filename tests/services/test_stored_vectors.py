"""Stored vectors of an older model or text version are made again once, in batches."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import update
from sqlmodel import Session, col, select

from server.db import get_engine
from server.domain.overlap import text
from server.models import Initiative, InitiativeVector
from server.services import loader, stored_vectors
from tests import factories


@contextmanager
def _scope() -> Iterator[Session]:
    with Session(get_engine()) as s:
        yield s
        s.commit()


def _rows() -> dict[str, tuple[str, str, bytes]]:
    with Session(get_engine()) as s:
        got = s.exec(select(Initiative.key, InitiativeVector).join(InitiativeVector)).all()
        return {k: (v.model, v.digest, v.vector) for k, v in got}


def test_refresh_makes_older_vectors_again_once_and_the_index_reads_them(
    db_backend: str, db: Session
) -> None:
    tracks = [
        factories.initiative(f"t{n}", owner="varnia-mfa", aims=[f"release of detained aid workers {n}"])
        for n in range(5)
    ]
    factories.load(db, factories.document(initiatives=tracks))
    db.commit()
    current = _rows()
    assert len(current) == 5 and {m for m, _, _ in current.values()} == {text.MODEL_ID}

    # Three rows as an older version left them, one track with no row at all.
    with Session(get_engine()) as s:
        ids = {k: i for k, i in s.exec(select(Initiative.key, Initiative.id)).all()}
        s.execute(
            update(InitiativeVector)
            .where(col(InitiativeVector.initiative_id).in_([ids["t0"], ids["t1"], ids["t2"]]))
            .values(model="minilm-l6-v2-static/old/text2", vector=b"\0" * 256)
        )
        s.execute(
            InitiativeVector.__table__.delete().where(  # type: ignore[attr-defined]
                col(InitiativeVector.initiative_id) == ids["t3"]
            )
        )
        s.commit()
        assert stored_vectors.stale(s) == sorted(ids[k] for k in ("t0", "t1", "t2", "t3"))
        directory = loader.load_directory(s)
        assert sum(r.vector is None for r in loader.load_tracks(s, directory).values()) == 4

    # Two tracks a batch: two transactions.
    assert stored_vectors.refresh(_scope, batch=2) == 4
    assert _rows() == current, "the same rows as the tracks' own saves wrote"
    with Session(get_engine()) as s:
        assert stored_vectors.stale(s) == []
        assert all(r.vector is not None for r in loader.load_tracks(s, loader.load_directory(s)).values())
    assert stored_vectors.refresh(_scope) == 0, "a second run finds nothing to do"


def test_a_batch_leaves_a_vector_stored_since_it_was_listed(db_backend: str, db: Session) -> None:
    factories.load(db, factories.document(initiatives=[factories.initiative("t0", owner="varnia-mfa")]))
    db.commit()
    before = _rows()
    with Session(get_engine()) as s:
        iid = s.exec(select(Initiative.id)).one()
        assert iid is not None
        # Listed as stale, then saved (current) before its batch ran: the batch keeps that row.
        assert stored_vectors.refresh_batch(s, [iid]) == 0
        s.commit()
    assert _rows() == before


def test_the_command_refreshes_and_says_so(tmp_path: Path) -> None:
    from tests.test_cli import EXAMPLE, accord

    assert accord("import", str(EXAMPLE), cwd=tmp_path).returncode == 0
    done = accord("vectors", "refresh", "--batch", "100", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "every stored vector is current"
    bad = accord("vectors", "refresh", "--batch", "0", cwd=tmp_path)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
