"""Live updates name their track: a page re-fetches a block only when its own track changed."""

from __future__ import annotations

import json
import re

from sqlmodel import select

from server import events, stream
from server.models import Event, Initiative


def test_events_name_their_track_and_block_and_pages_listen_for_their_own(
    client, db, workspace, login
) -> None:  # type: ignore[no-untyped-def]
    ids = {t.key: t.id for t in db.exec(select(Initiative)).all()}
    db.commit()
    login("desk_officer.varnia-mfa@example.test")
    page = client.get(f"/initiatives/{ids['t1']}").text
    triggers = re.findall(r'hx-trigger="([^"]*sse:[^"]*)"', page)
    own = f"=={ids['t1']}]"
    sse = [t for spec in triggers for t in spec.split(", ") if t.startswith("sse:")]
    assert {t.split("[")[0] for t in sse} >= {
        "sse:initiative",
        "sse:alerts",
        "sse:decision_log",
        "sse:comments",
    }
    assert all(t.endswith(own) for t in sse), sse
    # A fragment carries the same filter, so a block swapped in keeps listening to its track only.
    fragment = client.get(
        f"/initiatives/{ids['t1']}", headers={"HX-Request": "true", "HX-Target": "alerts"}
    ).text
    assert (
        f"sse:alerts[(JSON.parse(detail.data).initiative_id||JSON.parse(detail.data).payload.track){own}"
        in fragment
    )

    row = events.publish(db, "comment.added", "comments", initiative_id=ids["t2"], comment_id=7)
    db.commit()
    frame = stream.frame(db.get(Event, row.id))
    assert "event: comments\n" in frame
    data = json.loads(frame.split("data: ", 1)[1])
    assert data["initiative_id"] == ids["t2"] and data["block"] == "comments"
