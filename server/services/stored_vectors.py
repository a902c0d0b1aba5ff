"""Stored meaning vectors made by an older model or text version, made again once.

Each track's stored vector (`server.models.vectors`) names the model and text version it
was made by. A vector of another version is not read: the overlap index computes it
from the text at every build until the track is saved again. After an upgrade that
changes the version, `refresh` makes every such vector again, in batches, and stores
it (`accord vectors refresh`). It is idempotent: a second run finds nothing to do.

A track edited while a batch runs keeps the vector its edit wrote: a batch replaces
only rows that are still of another version, and inserts only where no row is left.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

from sqlalchemy import delete, insert, or_, select
from sqlmodel import Session, col

from server.domain.overlap import text
from server.models.initiatives import Initiative
from server.models.vectors import InitiativeVector

# Tracks made again per transaction: the model runs over one batch at a time.
BATCH = 500


def stale(db: Session) -> list[int]:
    """Ids of the tracks whose stored vector is missing or of another model or text version."""
    q = (
        select(col(Initiative.id))
        .outerjoin(InitiativeVector, col(InitiativeVector.initiative_id) == col(Initiative.id))
        .where(or_(col(InitiativeVector.model).is_(None), col(InitiativeVector.model) != text.MODEL_ID))
        .order_by(col(Initiative.id))
    )
    return [int(i) for i in db.execute(q).scalars().all()]


def refresh_batch(db: Session, ids: list[int]) -> int:
    """Make and store the vectors of these tracks (those still stale); how many were stored."""
    rows = db.execute(
        select(
            col(Initiative.id),
            col(Initiative.title),
            col(Initiative.aims),
            col(Initiative.objectives),
            col(Initiative.description),
        ).where(col(Initiative.id).in_(ids))
    ).all()
    if not rows:
        return 0
    tracks = [(r[1], tuple(r[2] or ()), tuple(r[3] or ()), r[4] or "") for r in rows]
    blobs = text.stored(tracks)
    digests = [text.digest(text.sentences(*t)) for t in tracks]
    got = [int(r[0]) for r in rows]
    db.execute(
        delete(InitiativeVector).where(
            col(InitiativeVector.initiative_id).in_(got), col(InitiativeVector.model) != text.MODEL_ID
        )
    )
    kept = set(
        db.execute(
            select(col(InitiativeVector.initiative_id)).where(col(InitiativeVector.initiative_id).in_(got))
        )
        .scalars()
        .all()
    )
    values = [
        {"initiative_id": iid, "model": text.MODEL_ID, "digest": d, "vector": blob}
        for iid, d, blob in zip(got, digests, blobs, strict=True)
        if iid not in kept
    ]
    if values:
        db.execute(insert(InitiativeVector), values)
    return len(values)


def refresh(scope: Callable[[], AbstractContextManager[Session]], batch: int = BATCH) -> int:
    """Make again every stale stored vector, one transaction (`scope()`) per batch; how many."""
    if batch < 1:
        raise ValueError("batch: at least 1")
    with scope() as db:
        ids = stale(db)
    done = 0
    for s in range(0, len(ids), batch):
        with scope() as db:
            done += refresh_batch(db, ids[s : s + batch])
    return done
