"""What stays home: the parts of a shared track a partner never reads.

Items behind a track (red lines, staff, resources, leverage tools, metrics) and
comments carry an `internal` flag, which `initiatives.view`, `comments.listing` and
the workspace export honour. The decision log's entries about the sharing itself
stay home too: `decisions.entries` leaves them out of a partner's read.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from server.models import User


def set_internal(
    db: Session, actor: User | None, initiative_id: int, part: str, line_id: int, internal: bool
) -> Any:
    """Mark one item behind a track as internal (or not), without touching the rest of it."""
    from server.services import initiatives

    _, line = initiatives.get_line(db, actor, initiative_id, part, line_id)
    data = line.model_dump(include=set(initiatives.LINE_DATA[part].model_fields))
    data["internal"] = internal
    return initiatives.update_line(db, actor, initiative_id, part, line_id, data, line.version)
