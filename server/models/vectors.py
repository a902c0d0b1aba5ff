"""Each track's meaning vector, for the overlap check: stored once, written with the track.

The vector (`server.domain.overlap.text`) depends on the track's title, aims and
objectives (its description when it has neither) and on the sentence model; the
stored form (`text.stored`) carries, beside it, the fields of work and the names the
same text gives, so that a build reads no text at all. It is
written in the same flush as the track whenever one of those changes, so a worker
building its overlap index reads vectors instead of running the model over every track.
A row made by another model or text version (`model` differs) is ignored by the reader
and made again on the track's next change, or for every such track at once by
`accord vectors refresh` (`server.services.stored_vectors`) after an upgrade.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, ForeignKey, Integer, LargeBinary, delete, event, insert, inspect
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Field, SQLModel

from server.models.initiatives import Initiative

_TEXT_FIELDS = ("title", "aims", "objectives", "description")


class InitiativeVector(SQLModel, table=True):
    __tablename__ = "initiative_vector"

    initiative_id: int = Field(
        sa_column=Column(Integer, ForeignKey("initiative.id", ondelete="CASCADE"), primary_key=True)
    )
    model: str = Field(max_length=80)
    # SHA-256 of the model and the sentences the vector was made from.
    digest: str = Field(max_length=64)
    vector: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


def _text_changed(obj: Initiative) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in _TEXT_FIELDS)


@event.listens_for(OrmSession, "after_flush")
def _store_vectors(session: OrmSession, _context: Any) -> None:
    """Write the vectors of the tracks this flush inserted or whose text it changed."""
    changed = [
        obj
        for obj in (*session.new, *session.dirty)
        if isinstance(obj, Initiative) and obj.id is not None and (obj in session.new or _text_changed(obj))
    ]
    if not changed:
        return
    from server.domain.overlap import text

    tracks = [(i.title, i.aims or (), i.objectives or (), i.description or "") for i in changed]
    sentences = [text.sentences(*t) for t in tracks]
    blobs = text.stored(tracks)
    ids = [i.id for i in changed]
    conn = session.connection()
    conn.execute(delete(InitiativeVector).where(InitiativeVector.initiative_id.in_(ids)))  # type: ignore[attr-defined]
    conn.execute(
        insert(InitiativeVector),
        [
            {
                "initiative_id": iid,
                "model": text.MODEL_ID,
                "digest": text.digest(s),
                "vector": blob,
            }
            for iid, s, blob in zip(ids, sentences, blobs, strict=True)
        ],
    )
