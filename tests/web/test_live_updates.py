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
    blocks = re.findall(r'<[a-z]+ [^>]*hx-trigger="([^"]*sse:[^"]*)"[^>]*>', page)
    tags = re.findall(r'<[a-z]+ [^>]*hx-trigger="[^"]*sse:[^"]*"[^>]*>', page)
    sse = [t for spec in blocks for t in spec.split(", ") if t.startswith("sse:")]
    assert set(sse) >= {"sse:initiative", "sse:alerts", "sse:decision_log", "sse:comments"}
    # Each block names its track; web/static/accord.js lets events about other tracks go
    # (no eval'd trigger filter, which the Content-Security-Policy would refuse).
    own = f'data-live-track="{ids["t1"]}"'
    assert tags and all(own in tag for tag in tags), tags
    # A fragment carries the same mark, so a block swapped in keeps listening to its track only.
    fragment = client.get(
        f"/initiatives/{ids['t1']}", headers={"HX-Request": "true", "HX-Target": "alerts"}
    ).text
    assert re.search(r'<section id="alerts"[^>]*hx-trigger="sse:alerts[^"]*"[^>]*' + re.escape(own), fragment)

    row = events.publish(db, "comment.added", "comments", initiative_id=ids["t2"], comment_id=7)
    db.commit()
    frame = stream.frame(db.get(Event, row.id))
    assert "event: comments\n" in frame
    data = json.loads(frame.split("data: ", 1)[1])
    assert data["initiative_id"] == ids["t2"] and data["block"] == "comments"
