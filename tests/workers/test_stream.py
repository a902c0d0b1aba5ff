"""The SSE stream: resumes after Last-Event-ID with nothing lost or repeated; shows only what one may see."""

from __future__ import annotations

import asyncio
import json
import threading
import time

from sqlmodel import Session, select

from server import events, stream
from server.db import get_engine
from server.models import Initiative, Organisation
from tests import factories


def _ids(db: Session) -> dict[str, int]:
    return {i.key: i.id for i in db.exec(select(Initiative)).all() if i.id is not None}


def _publish(key_to_id: dict[str, int], *keys: str) -> None:
    """Commit one event per key, each in its own transaction, as services would."""
    with Session(get_engine(write=True)) as db:
        for key in keys:
            events.publish(db, "test.changed", "initiative", initiative_id=key_to_id[key], key=key)
            db.commit()


async def _collect(
    user_id: int, last: int | None, want: int, quiet: float = 0.8, limit: float = 10.0
) -> list[dict]:
    """Read frames until `want` events arrived and `quiet` seconds pass without another."""
    got: list[dict] = []
    gen = stream.sse(user_id, last, heartbeat=0.3)
    deadline = time.monotonic() + limit

    async def next_frame() -> str:
        return await gen.__anext__()

    try:
        while time.monotonic() < deadline:
            try:
                text = await asyncio.wait_for(next_frame(), timeout=max(deadline - time.monotonic(), 0.01))
            except TimeoutError:
                break
            if text.startswith("id: "):
                lines = dict(line.split(": ", 1) for line in text.strip().splitlines())
                body = json.loads(lines["data"])
                assert int(lines["id"]) == body["id"] and lines["event"] == body["block"]
                got.append(body)
                if len(got) == want:
                    # Listen a little longer: anything more would be a duplicate or a leak.
                    deadline = time.monotonic() + quiet
    finally:
        await gen.aclose()
    return got


def _setup(db: Session) -> tuple[dict[str, int], int, int]:
    factories.load(
        db,
        factories.document(
            initiatives=[
                factories.initiative("t1", end="2099-12-31"),
                factories.initiative("t2", end="2099-12-31", shared_with=["ostmark-fa"]),
            ]
        ),
    )
    varnia = factories.person(db, "varnia-mfa", "coordinator")
    ostmark = factories.person(db, "ostmark-fa", "desk_officer")
    assert varnia.id is not None and ostmark.id is not None
    ids = _ids(db)
    db.commit()  # release SQLite's write lock: the events below come from other sessions
    return ids, varnia.id, ostmark.id


def test_reconnect_with_last_event_id_misses_nothing_and_repeats_nothing(
    db_backend: str, db: Session
) -> None:
    ids, varnia, _ = _setup(db)
    stream.install()
    with Session(get_engine()) as s:
        start = stream.latest_id(s)

    async def scenario() -> tuple[list[dict], list[dict]]:
        # Events arrive while the stream waits: the in-process wake-up brings them.
        threading.Timer(0.3, _publish, args=(ids, "t1", "t2", "t1")).start()
        first = await _collect(varnia, start, want=3)
        _publish(ids, "t2", "t1", "t1", "t2")  # while disconnected
        second = await _collect(varnia, first[-1]["id"], want=4)
        return first, second

    first, second = asyncio.run(scenario())
    assert [e["payload"]["key"] for e in first] == ["t1", "t2", "t1"]
    assert [e["payload"]["key"] for e in second] == ["t2", "t1", "t1", "t2"]
    all_ids = [e["id"] for e in first + second]
    assert all_ids == sorted(set(all_ids)), "no event twice, in order"
    assert all_ids[0] > start


def test_another_organisation_sees_none_of_an_unshared_track(db_backend: str, db: Session) -> None:
    ids, _, ostmark = _setup(db)
    with Session(get_engine()) as s:
        start = stream.latest_id(s)
    _publish(ids, "t1", "t2", "t1", "t1")
    with Session(get_engine(write=True)) as s:
        theirs = s.exec(select(Organisation).where(Organisation.key == "ostmark-fa")).one()
        ours = s.exec(select(Organisation).where(Organisation.key == "varnia-mfa")).one()
        events.publish(s, "coordination.requested", "coordination", org_id=theirs.id)
        events.publish(s, "coordination.requested", "coordination", org_id=ours.id)
        s.commit()
    got = asyncio.run(_collect(ostmark, start, want=2))
    assert [(e["block"], e["initiative_id"]) for e in got] == [
        ("initiative", ids["t2"]),
        ("coordination", None),
    ]


def test_a_quiet_stream_sends_heartbeats(db_backend: str, db: Session) -> None:
    """Comments keep proxies from closing a stream with nothing to say."""
    _, varnia, _ = _setup(db)

    async def frames() -> list[str]:
        out = []
        gen = stream.sse(varnia, None, heartbeat=0.2)
        try:
            for _ in range(3):
                out.append(await asyncio.wait_for(gen.__anext__(), 5))
        finally:
            await gen.aclose()
        return out

    got = asyncio.run(frames())
    assert got[0].startswith("retry:") and all(f == ": heartbeat\n\n" for f in got[1:])
