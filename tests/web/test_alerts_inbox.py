"""The alerts inbox one works through: one count everywhere, filters, pages, repeats folded.

Varnia's foreign ministry and defence ministry own tracks that raise alerts; one of the
foreign ministry's tracks is shared with Ostmark. The dashboard, the navigation's count
and the inbox say the same number; the filters keep what they name; pages hold twenty
alerts and cost the same queries however many alerts there are; a partner reading the
shared track is told its alerts are the owner's, never how many or which.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from server.app import create_app
from server.models import Alert, AlertInitiative, Crisis, Initiative, Organisation
from tests.factories import document, initiative, load, person
from tests.web.conftest import sign_in
from tests.web.test_query_counts import counted

CARD = re.compile(
    r'<article class="alert[^"]*" id="alert-(\d+)">.*?<span class="badge principle">(\w+)</span>', re.S
)


def _tracks(n: int, first: int = 0) -> list[dict]:
    # Bare tracks: no objectives, red lines, staff or field reports, so each raises alerts
    # of several principles, the same kinds on every track.
    return [
        initiative(
            f"t-{k}",
            owner="varnia-mfa" if k % 3 else "varnia-def",
            title=f"Convoy talks {k}",
            crisis="corridor" if k % 2 else "delta",
            parties=["lfa"] if k % 2 else ["hca"],
            aims=[f"question {k} of the valley"],
            shared_with=[{"government": "ostmark", "level": "view"}] if k == 1 else [],
        )
        for k in range(first, first + n)
    ]


def _check() -> None:
    from workers.tasks import check_everything_now

    check_everything_now()


def build(db: Session) -> dict[str, int]:
    """Twelve bare tracks, three people (`mfa`, `def`, `ostmark` @example.test), the checks run once."""
    load(db, document(initiatives=_tracks(12)))
    person(db, "varnia-mfa", "desk_officer", email="mfa@example.test")
    person(db, "varnia-def", "desk_officer", email="def@example.test")
    person(db, "ostmark-fa", "desk_officer", email="ostmark@example.test")
    _check()
    db.expire_all()
    ids = {t.key: t.id for t in db.exec(select(Initiative)).all()}
    orgs = {o.key: o.id for o in db.exec(select(Organisation)).all()}
    db.commit()
    return {**{k: v for k, v in ids.items() if v}, **{k: v for k, v in orgs.items() if v}}


@pytest.fixture
def world(db: Session) -> dict[str, int]:
    return build(db)


@pytest.fixture
def browsers(world: dict[str, int]) -> Iterator[dict[str, TestClient]]:
    app = create_app()
    out = {}
    for who in ("mfa", "def", "ostmark"):
        c = TestClient(app, follow_redirects=False)
        c.__enter__()
        sign_in(c, f"{who}@example.test")
        out[who] = c
    try:
        yield out
    finally:
        for c in out.values():
            c.__exit__(None, None, None)


def _total(html: str) -> int:
    m = re.search(r'id="inbox-total"><strong>(\d+)</strong>', html)
    assert m, html[:2000]
    return int(m.group(1))


def _dashboard(html: str) -> int:
    m = re.search(r'id="dashboard-alerts-count">(\d+)<', html)
    assert m
    return int(m.group(1))


def _nav(client: TestClient) -> int:
    m = re.search(r"</span>(\d+)</span>", client.get("/alerts/count", headers={"HX-Request": "true"}).text)
    assert m
    return int(m.group(1))


def _live_on(db: Session, owner: int | None) -> set[int]:
    """The live alerts concerning a track of `owner` (every Varnian one if None), from the tables."""
    db.expire_all()
    q = (
        select(Alert.id)
        .join(AlertInitiative, col(AlertInitiative.alert_id) == Alert.id)
        .join(Initiative, col(Initiative.id) == AlertInitiative.initiative_id)
        .join(Organisation, col(Organisation.id) == Initiative.owner_id)
        .where(col(Alert.status).in_(("open", "acknowledged")), Organisation.government == "varnia")
    )
    if owner is not None:
        q = q.where(Initiative.owner_id == owner)
    out = {i for i in db.exec(q).all() if i is not None}
    db.commit()
    return out


def _all_pages(client: TestClient, url: str) -> list[tuple[int, str]]:
    cards: list[tuple[int, str]] = []
    page = 1
    while True:
        html = client.get(f"{url}{'&' if '?' in url else '?'}page={page}").text
        found = [(int(a), p) for a, p in CARD.findall(html)]
        assert len(found) <= 20
        cards += found
        if 'rel="next"' not in html:
            return cards
        page += 1


def test_one_count_filters_and_pages(
    db: Session, db_backend: str, world: dict[str, int], browsers: dict[str, TestClient]
) -> None:
    mfa = browsers["mfa"]
    mine = _live_on(db, world["varnia-mfa"])
    everyone = _live_on(db, None)
    assert len(mine) > 20 and len(everyone) > len(mine)

    # The dashboard, the navigation and the inbox say the same number: the department's own.
    inbox = mfa.get("/alerts").text
    assert _total(inbox) == _dashboard(mfa.get("/").text) == _nav(mfa) == len(mine)
    assert 'id="nav-alerts-count"' in inbox and 'hx-get="/alerts/count"' in inbox
    # Pages of twenty, each alert once, and all of them.
    cards = _all_pages(mfa, "/alerts")
    assert len(cards) == len({a for a, _ in cards}) == len(mine)
    assert {a for a, _ in cards} == mine
    # Defence's desk officer counts its own the same way everywhere.
    d = browsers["def"]
    assert _total(d.get("/alerts").text) == _dashboard(d.get("/").text) == _nav(d)
    assert _total(d.get("/alerts").text) == len(_live_on(db, world["varnia-def"]))

    # The whole government; one principle; one severity; one track.
    assert _total(mfa.get("/alerts?department=all").text) == len(everyone)
    d3 = _all_pages(mfa, "/alerts?department=all&principle=D3")
    assert d3 and {p for _, p in d3} == {"D3"}
    assert _total(mfa.get("/alerts?department=all&principle=D3").text) == len(d3)
    high = mfa.get("/alerts?department=all&severity=high").text
    assert _total(high) > 0 and 'badge">medium' not in high and 'badge">low' not in high
    track = world["t-4"]
    one = mfa.get(f"/alerts?department=all&initiative_id={track}").text
    assert 0 < _total(one) < len(everyone)
    for alert_id, _ in CARD.findall(one):
        db.expire_all()
        tracks = set(
            db.exec(select(AlertInitiative.initiative_id).where(AlertInitiative.alert_id == int(alert_id)))
        )
        db.commit()
        assert track in tracks
    # A value the inbox does not know is no filter, never an error.
    assert mfa.get("/alerts?principle=Z9&severity=huge&department=x&page=-3").status_code == 200

    # Repeats: the same kind on several tracks is one card and a fold with the rest.
    assert '<details class="repeats">' in inbox and "more of the same kind" in inbox

    # Dismissing one: it leaves the open count everywhere and is found under its status.
    token = re.search(r'name="csrf-token" content="([^"]+)"', inbox).group(1)  # type: ignore[union-attr]
    # (Not a high one: its dismissal waits for a second department to confirm, and stays open.)
    first = re.search(r'<article class="alert sev-(?:medium|low)" id="alert-(\d+)">', inbox).group(1)  # type: ignore[union-attr]
    version = re.search(rf'/alerts/{first}/dismiss".*?name="version" value="(\d+)"', inbox, re.S).group(1)  # type: ignore[union-attr]
    r = mfa.post(
        f"/alerts/{first}/dismiss",
        data={
            "csrf_token": token,
            "reason": "Covered by the joint cell",
            "version": version,
            "back": "/alerts",
        },
    )
    assert r.status_code == 303, r.text
    assert _total(mfa.get("/alerts").text) == _dashboard(mfa.get("/").text) == _nav(mfa) == len(mine) - 1
    assert f'id="alert-{first}"' in mfa.get("/alerts?status=dismissed").text


def test_the_inbox_costs_the_same_queries_however_many_alerts(
    db: Session, world: dict[str, int], browsers: dict[str, TestClient]
) -> None:
    mfa = browsers["mfa"]
    urls = ("/alerts", "/alerts?department=all&page=2", "/", "/alerts/count")

    def measure() -> dict[str, int]:
        out = {}
        for url in urls:
            mfa.get(url)
            with counted() as statements:
                assert mfa.get(url).status_code == 200
            out[url] = len(statements)
        return out

    before = measure()
    alerts_before = len(_live_on(db, None))
    crisis = db.exec(select(Crisis.id).where(Crisis.key == "delta")).one()
    db.add_all(
        Initiative(
            key=f"more-{n}",
            owner_id=world["varnia-mfa"],
            title=f"Further talks {n}",
            kind="humanitarian",
            crisis_id=crisis,
            aims=[f"another question {n}"],
            status="active",
        )
        for n in range(36)
    )
    db.commit()
    _check()
    assert len(_live_on(db, None)) > 2 * alerts_before
    after = measure()
    print("queries", before, after)
    assert after == before


def test_a_partner_reads_that_the_owners_alerts_are_the_owners(
    db: Session, world: dict[str, int], browsers: dict[str, TestClient]
) -> None:
    shared = world["t-1"]
    owner_page = browsers["mfa"].get(f"/initiatives/{shared}").text
    assert 'class="alert ' in owner_page  # the owner has alerts on it
    messages = [m for m in re.findall(r"<header>.*?<strong>(.*?)</strong>", owner_page, re.S)]
    page = browsers["ostmark"].get(f"/initiatives/{shared}")
    assert page.status_code == 200
    assert "Varnia, Ministry of Foreign Affairs's own assessment" in page.text
    assert "No open alerts on this track" not in page.text
    assert 'class="alert ' not in page.text
    assert re.search(r'id="al-h">Alerts\s*<span class="count">', page.text) is None
    for m in messages:
        assert m not in page.text
    # Its inbox holds Ostmark's alerts (none) and says where the shared track's went.
    inbox = browsers["ostmark"].get("/alerts").text
    assert _total(inbox) == 0 and "stay with them" in inbox


def test_dashboard_groups_activity_and_charts_open_alerts_by_principle(
    db: Session, world: dict[str, int], browsers: dict[str, TestClient]
) -> None:
    mfa = browsers["mfa"]
    html = mfa.get("/").text
    activity = re.search(r'<section id="activity".*?</section>', html, re.S).group(0)  # type: ignore[union-attr]
    rows = re.findall(r"<li><time.*?</li>", activity, re.S)
    # One row per track and kind, saying how many and of which principles; never a run of
    # identical "alert raised" rows.
    assert rows and len(rows) == len(set(re.sub(r"<time.*?</time>", "", r, flags=re.S) for r in rows))
    assert any(
        re.search(r"\d+ alerts raised <span class=\"muted\">\((D\d|N\d)(, (D\d|N\d))*\)", r) for r in rows
    )

    # The chart: server-drawn SVG with a title and a description, no script; its last
    # week is the count now, and the legend's counts add up to the dashboard's.
    chart = re.search(r'<section id="chart".*?</section>', html, re.S).group(0)  # type: ignore[union-attr]
    assert '<svg class="chart"' in chart and 'role="img"' in chart
    assert '<title id="chart-title">' in chart and '<desc id="chart-desc">' in chart
    assert "<script" not in chart
    legend = [int(n) for n in re.findall(r'<a href="/alerts\?principle=\w+">\w+</a> (\d+)</li>', chart)]
    assert sum(legend) == _dashboard(html) > 0
    desc = re.search(r'<desc id="chart-desc">(.*?)</desc>', chart, re.S).group(1)  # type: ignore[union-attr]
    assert f"{_dashboard(html)} in all" in desc

    # An edit says what changed (the fields' names, not their values).
    from server.models import User
    from server.services import initiatives

    owner = db.exec(select(User).where(User.email == "mfa@example.test")).one()
    track = db.get(Initiative, world["t-1"])
    assert track is not None and track.id is not None
    data = initiatives.snapshot_fields(db, track)
    data.update(title="Convoy talks one, renamed", aims=["another question of the valley"])
    initiatives.update(db, owner, track.id, data, track.version)
    db.commit()
    assert 'initiative edited <span class="muted">(title, aims)</span>' in mfa.get("/").text
