"""Requests waiting for another's answer (a herd of misses) hold no admission slot."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from sqlmodel import Session, select

from server.app import create_app
from server.models import Initiative
from server.services import answers, initiatives, sessions
from server.settings import get_settings
from tests.factories import document, initiative, load, person

ASKING = 12


def _staggered_herd(track_id: int, token: str, slow: list[bool]) -> list[int]:
    """`ASKING` reads of one track's API answer, one every 20 ms, while the first is drawn.

    A first read warms the app up (its first request is slow for reasons of its own);
    the herd then asks with the answer forgotten and its drawing slow."""
    app = create_app()
    url, headers = f"/api/v1/initiatives/{track_id}", {"Authorization": f"Bearer {token}"}

    async def run() -> list[int]:
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 5000))
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://test") as client,
        ):

            async def ask(n: int) -> int:
                await asyncio.sleep(0.02 * n)
                return (await client.get(url, headers=headers)).status_code

            assert await ask(0) == 200
            answers.reset()
            slow.append(True)
            return list(await asyncio.gather(*(ask(n) for n in range(ASKING))))

    return asyncio.run(run())


def test_a_herd_larger_than_the_gate_is_answered_not_refused(
    db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two slots and a queue of two: were the waiters holding their slots, most of the
    # herd would be refused with 503 while the first request draws the answer.
    monkeypatch.setenv("ACCORD_DB_POOL_SIZE", "2")
    monkeypatch.setenv("ACCORD_REQUEST_QUEUE", "2")
    monkeypatch.setenv("ACCORD_REQUEST_QUEUE_SECONDS", "1")
    get_settings.cache_clear()
    answers.reset()
    load(db, document(initiatives=[initiative("t1", title="Access talks for the northern valleys")]))
    owner = person(db, "varnia-mfa", "desk_officer")
    token = sessions.create_api_token(db, owner, "test")
    db.commit()
    view = initiatives.view  # the route draws the answer through this
    drawn: list[int] = []
    slow: list[bool] = []

    def slow_view(*args: object, **kwargs: object) -> object:
        if slow:
            drawn.append(1)
            time.sleep(0.6)  # every other request arrives while the answer is drawn
        return view(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(initiatives, "view", slow_view)
    track_id = db.exec(select(Initiative.id).where(Initiative.key == "t1")).one()
    try:
        got = _staggered_herd(track_id or 0, token, slow)
    finally:
        answers.reset()
    assert got == [200] * ASKING, got
    assert len(drawn) == 1, len(drawn)
