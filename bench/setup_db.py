"""Load a generated workspace into the configured (empty, migrated) database.

Run as `python -m bench.setup_db TRACKS` with the `ACCORD_*` variables of the database
to fill; prints one JSON object with what the load needs: the bench people's session
cookies, CSRF tokens and API tokens, and the ids of the tracks to read and write.

People are made through `services.users` and signed in through `services.sessions`, as
the web would; the workspace through `services.workspace.import_document`, the path of
`accord import`. The import queues a check of every track in the outbox: those rows are
marked sent, so that a worker started for P8 judges the saves of the run and not a
backlog of 20,000 imports (the sweep would re-check them in a real deployment).
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date

from sqlalchemy import update
from sqlmodel import col, select

from bench import gen_workspace

PASSWORD = "bench-password-2026"
DESK = "bench.desk@varnia-mfa.example"
# Signs off for the department that funds the page tracks (their second required sign-off;
# the proposer's comes with the decision).
SIGNER = "bench.signer@varnia-dev.example"
LIVE_TRACK = "t-live"
PAGE_OWNER = "varnia-mfa"


def live_track(today: date) -> dict[str, object]:
    """A track judged only by a symbolic metric: adding an outcome clears its N3 alert, removing it raises it."""
    return {
        "key": LIVE_TRACK,
        "owner": PAGE_OWNER,
        "title": "Reopen the Sorvin water works",
        "description": "Talks with the parties on repairs to the Sorvin water works.",
        "kind": "humanitarian",
        "crisis": "c0",
        "status": "active",
        "parties": ["c0-p0"],
        "aims": ["repair the Sorvin water works"],
        "start": today.replace(day=1).isoformat(),
        "metrics": [{"name": "ministerial visits", "kind": "symbolic"}],
    }


def main(tracks: int) -> dict[str, object]:
    from server.db import session_scope
    from server.domain.snapshot import parse_document
    from server.models import Initiative, Organisation, OutboxRow
    from server.models.base import utcnow
    from server.services import sessions, users, workspace

    started = time.perf_counter()
    today = date.today()
    doc = gen_workspace.document(tracks, today=today)
    doc["initiatives"].append(live_track(today))
    with session_scope() as db:
        counts = workspace.import_document(db, parse_document(doc))
        workspace.set_name(db, f"Bench workspace ({tracks} tracks)")
    loaded = time.perf_counter() - started

    with session_scope() as db:
        orgs = {o.key: o.id for o in db.exec(select(Organisation)).all()}
        # People: the password cost is lowered for the load only (ACCORD_ARGON2_*), each hash
        # keeps its own parameters.
        for email, name, org, role in gen_workspace.people(500):
            users.create(db, None, email, name, orgs[org], role, PASSWORD)
        users.create(db, None, DESK, "Bench Desk Officer", orgs[PAGE_OWNER], "desk_officer", PASSWORD)
        users.create(db, None, SIGNER, "Bench Signer", orgs["varnia-dev"], "desk_officer", PASSWORD)
        db.execute(update(OutboxRow).where(col(OutboxRow.sent_at).is_(None)).values(sent_at=utcnow()))

    with session_scope() as db:
        signed = sessions.sign_in(db, DESK, PASSWORD, "127.0.0.1", "accord-bench")
        api_token = sessions.create_api_token(db, signed.user, "bench")
        signer = sessions.sign_in(db, SIGNER, PASSWORD, "127.0.0.1", "accord-bench")
        signer_token = sessions.create_api_token(db, signer.user, "bench")
        own = db.exec(
            select(Initiative.id, Initiative.key)
            .where(Initiative.owner_id == orgs[PAGE_OWNER], Initiative.status == "active")
            .order_by(col(Initiative.id))
        ).all()
        cookie, csrf = signed.token, signed.session.csrf_token
    by_key = {k: i for i, k in own}
    page_ids = [i for i, k in own if k != LIVE_TRACK][:50]
    return {
        "tracks": tracks,
        "counts": counts,
        "people": 502,
        "load_seconds": round(loaded, 1),
        "total_seconds": round(time.perf_counter() - started, 1),
        "cookie": cookie,
        "csrf": csrf,
        "api_token": api_token,
        "signer_token": signer_token,
        "page_ids": page_ids,
        "live_id": by_key[LIVE_TRACK],
    }


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]))))
