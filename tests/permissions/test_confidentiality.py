"""Confidentiality, route by route: parts that stay home, withdrawn grants, blind
overlap notices and guessed ids, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from server.app import create_app
from server.models import CoordinationLink, CoordinationRequest
from tests.permissions import walk
from tests.permissions import world as w
from tests.permissions.routes import fill

PARTNERS = ("partner_granted", "partner_ungranted", "field")
VARNIA = ("admin", "coordinator", "owner_desk", "other_desk")
KESTREL = ("kestrel_desk", "partner_ungranted")


def _api(client: TestClient, world: w.World, role: str, method: str, url: str, **kw: Any) -> Any:
    return client.request(method, url, headers=world.headers(role, unsafe=method != "GET"), **kw)


def _found(texts: tuple[str, ...], body: str) -> list[str]:
    return [t for t in texts if t.lower() in body.lower()]


def test_internal_items_never_reach_a_partner(db: Session, db_backend: str) -> None:
    """Every GET route of the matrix, HTML and JSON, as each partner: no internal text."""
    world = w.build(db)
    with TestClient(create_app(), raise_server_exceptions=False) as client:
        # The granted partner really reads the track, so the search is not vacuous.
        seen = _api(client, world, "partner_granted", "GET", f"/api/v1/initiatives/{world.ids['shared_id']}")
        assert seen.status_code == 200 and "Pause if convoys are taxed" in seen.text
        home = _api(client, world, "owner_desk", "GET", f"/api/v1/initiatives/{world.ids['shared_id']}").text
        assert not [t for t in w.INTERNAL_TEXTS if t not in home], "the home view shows every internal item"
        checked = 0
        for role in PARTNERS:
            for answer in walk.responses(client, world, role):
                leaked = _found(w.INTERNAL_TEXTS, answer.body)
                assert not leaked, f"{answer.route} {answer.url} as {role} shows internal {leaked}"
                checked += 1
        assert checked >= 3 * len(walk.get_routes())


def test_withdrawing_a_grant_takes_effect_at_once(db: Session, db_backend: str) -> None:
    """The partner reads the track; the owner withdraws; the partner's next call is 404."""
    world = w.build(db)
    sid, key = world.ids["shared_id"], world.ids["shared_key"]
    with TestClient(create_app(), raise_server_exceptions=False) as client:
        partner = "partner_granted"
        pages = [
            f"/api/v1/initiatives/{sid}",
            f"/api/v1/initiatives/by-key/{key}",
            f"/api/v1/initiatives/{sid}/comments",
        ]
        pages += [f"/api/v1/decisions/{world.ids['decision_id']}/status"]
        web_page = f"/initiatives/{sid}"
        has_page = _api(client, world, partner, "GET", web_page).status_code == 200
        for url in pages:
            assert _api(client, world, partner, "GET", url).status_code == 200, url
        assert key in _api(client, world, partner, "GET", "/api/v1/export").text
        listed = _api(client, world, partner, "GET", "/api/v1/initiatives?shared_with_us=true").json()
        assert [i["key"] for i in listed] == [key]

        r = _api(client, world, "owner_desk", "POST", f"/api/v1/grants/{world.ids['grant_id']}/withdraw")
        assert r.status_code == 200 and r.json()["withdrawn_at"]

        for url in pages + ([web_page] if has_page else []):
            assert _api(client, world, partner, "GET", url).status_code == 404, url
        assert _api(client, world, partner, "GET", "/api/v1/initiatives?shared_with_us=true").json() == []
        assert key not in _api(client, world, partner, "GET", "/api/v1/export").text
        assert all(
            e["initiative_id"] != sid for e in _api(client, world, partner, "GET", "/api/v1/decisions").json()
        )
        # The grant and the withdrawal are entries of the decision log, for the home side.
        log = _api(client, world, "owner_desk", "GET", f"/api/v1/decisions?initiative_id={sid}").json()
        assert {"withdrawal"} <= {e["entry_type"] for e in log}
        # A second withdrawal is a conflict, not a new entry.
        again = _api(client, world, "owner_desk", "POST", f"/api/v1/grants/{world.ids['grant_id']}/withdraw")
        assert again.status_code == 409


def test_sharing_grants_through_the_api(db: Session, db_backend: str) -> None:
    """Grant to a person, see it in the log; partners never see the grant list."""
    world = w.build(db, with_checks=False)
    sid = world.ids["shared_id"]
    with TestClient(create_app(), raise_server_exceptions=False) as client:
        field_user = world.users["field"].id
        assert _api(client, world, "field", "GET", f"/api/v1/initiatives/{sid}").status_code == 404
        r = _api(
            client,
            world,
            "owner_desk",
            "POST",
            f"/api/v1/initiatives/{sid}/grants",
            json={"user_id": field_user},
        )
        assert r.status_code == 201, r.text
        assert _api(client, world, "field", "GET", f"/api/v1/initiatives/{sid}").status_code == 200
        # View level: reading, no commenting.
        c = _api(client, world, "field", "POST", f"/api/v1/initiatives/{sid}/comments", json={"text": "Seen"})
        assert c.status_code == 403
        assert _api(client, world, "partner_granted", "GET", f"/api/v1/initiatives/{sid}/grants").json() == []
        grants = _api(client, world, "owner_desk", "GET", f"/api/v1/initiatives/{sid}/grants").json()
        assert {g["user_id"] for g in grants} >= {field_user}
        bad = _api(
            client, world, "owner_desk", "POST", f"/api/v1/initiatives/{sid}/grants", json={"level": "view"}
        )
        assert bad.status_code == 422 and bad.json()["errors"]
        entries = _api(client, world, "owner_desk", "GET", f"/api/v1/decisions?initiative_id={sid}").json()
        assert "grant" in {e["entry_type"] for e in entries}
        partner_log = _api(
            client, world, "partner_granted", "GET", f"/api/v1/decisions?initiative_id={sid}"
        ).json()
        assert {e["entry_type"] for e in partner_log} <= {"decision", "signoff", "decline"}
        # Internal comments are for home only.
        internal = {"text": "Between us", "internal": True}
        assert (
            _api(
                client, world, "partner_granted", "POST", f"/api/v1/initiatives/{sid}/comments", json=internal
            ).status_code
            == 422
        )
        assert (
            _api(
                client, world, "other_desk", "POST", f"/api/v1/initiatives/{sid}/comments", json=internal
            ).status_code
            == 201
        )
        # A stale edit answers 409 with what changed.
        body = {
            "title": "Northern valleys access",
            "kind": "humanitarian",
            "crisis_id": world.ids["crisis_id"],
        }
        assert (
            _api(
                client, world, "owner_desk", "PUT", f"/api/v1/initiatives/{sid}", json=body | {"version": 1}
            ).status_code
            == 200
        )
        stale = _api(
            client,
            world,
            "coordinator",
            "PUT",
            f"/api/v1/initiatives/{sid}",
            json=body | {"title": "Other", "version": 1},
        )
        assert stale.status_code == 409 and "title" in stale.json()["changed"]
        # The partner with a sign-off grant signs the decision that names Ostmark.
        status = _api(
            client, world, "partner_granted", "GET", f"/api/v1/decisions/{world.ids['decision_id']}/status"
        ).json()
        assert "ostmark" in {m["org"] for m in status["missing"]}
        signed = _api(
            client,
            world,
            "partner_granted",
            "POST",
            f"/api/v1/decisions/{world.ids['decision_id']}/signoff",
            json={},
        )
        assert signed.status_code == 201, signed.text


def _blind_check(client: TestClient, world: w.World) -> None:
    """Every GET response to either side holds none of the other side's track."""
    for role in VARNIA:
        for answer in walk.responses(client, world, role, initiative_id=world.ids["private_id"]):
            leaked = _found(w.KESTREL_SECRETS, answer.body)
            assert not leaked, f"{answer.url} as {role} shows Kestrel's {leaked}"
    for role in KESTREL:
        for answer in walk.responses(client, world, role, initiative_id=world.ids["kestrel_id"]):
            leaked = _found(w.VARNIA_PRIVATE_SECRETS, answer.body)
            assert not leaked, f"{answer.url} as {role} shows Varnia's {leaked}"


def test_blind_overlap_notices_request_and_accept(db: Session, db_backend: str) -> None:
    world = w.build(db, with_request=False)
    with TestClient(create_app(), raise_server_exceptions=False) as client:
        # Each owner has a notice naming the other organisation and the crisis only.
        mine = _api(client, world, "owner_desk", "GET", "/api/v1/coordination/notices").json()
        theirs = _api(client, world, "kestrel_desk", "GET", "/api/v1/coordination/notices").json()
        assert [n["other_organisations"] for n in mine] == [["Kestrel, Foreign Office"]]
        assert [n["other_organisations"] for n in theirs] == [["Varnia, Ministry of Foreign Affairs"]]
        assert mine[0]["crisis"] == theirs[0]["crisis"] == "Saltmarsh Delta crisis"
        assert mine[0]["initiative_key"] == "t-private" and theirs[0]["initiative_key"] == "t-kestrel"
        _blind_check(client, world)

        r = _api(
            client,
            world,
            "kestrel_desk",
            "POST",
            "/api/v1/coordination/requests",
            json={"alert_id": mine[0]["alert_id"]},
        )
        assert r.status_code == 201, r.text
        request_id = r.json()[0]["id"]
        incoming = _api(
            client, world, "owner_desk", "GET", f"/api/v1/coordination/requests/{request_id}"
        ).json()
        assert incoming["direction"] == "incoming" and incoming["can_answer"]
        assert incoming["other_organisation"] == "Kestrel, Foreign Office"
        _blind_check(client, world)
        # Only the receiving side answers; a desk officer who may not edit cannot.
        assert (
            _api(
                client,
                world,
                "kestrel_desk",
                "POST",
                f"/api/v1/coordination/requests/{request_id}/accept",
                json={},
            ).status_code
            == 404
        )
        assert (
            _api(
                client,
                world,
                "other_desk",
                "POST",
                f"/api/v1/coordination/requests/{request_id}/accept",
                json={},
            ).status_code
            == 403
        )

        ok = _api(
            client,
            world,
            "owner_desk",
            "POST",
            f"/api/v1/coordination/requests/{request_id}/accept",
            json={"share_level": "view"},
        )
        assert ok.status_code == 200 and ok.json()["status"] == "accepted", ok.text
    db.expire_all()
    a, b = sorted((world.ids["private_id"], world.ids["kestrel_id"]))
    assert db.exec(
        select(CoordinationLink).where(CoordinationLink.a_id == a, CoordinationLink.b_id == b)
    ).first()
    with TestClient(create_app(), raise_server_exceptions=False) as client:
        # Shared back on acceptance: now, and only now, Kestrel reads Varnia's track.
        seen = _api(client, world, "kestrel_desk", "GET", f"/api/v1/initiatives/{world.ids['private_id']}")
        assert seen.status_code == 200 and w.VARNIA_PRIVATE_SECRETS[0] in seen.text
        # Kestrel's own track stays unseen by Varnia: it was not shared back.
        assert (
            _api(
                client, world, "owner_desk", "GET", f"/api/v1/initiatives/{world.ids['kestrel_id']}"
            ).status_code
            == 404
        )


def test_blind_overlap_request_declined(db: Session, db_backend: str) -> None:
    world = w.build(db)  # Kestrel has asked already
    rid = world.ids["request_id"]
    with TestClient(create_app(), raise_server_exceptions=False) as client:
        short = _api(
            client,
            world,
            "owner_desk",
            "POST",
            f"/api/v1/coordination/requests/{rid}/decline",
            json={"reason": ""},
        )
        assert short.status_code == 422 and short.json()["errors"][0]["loc"] == "reason"
        r = _api(
            client,
            world,
            "owner_desk",
            "POST",
            f"/api/v1/coordination/requests/{rid}/decline",
            json={"reason": "Our channel is confidential"},
        )
        assert r.status_code == 200 and r.json()["status"] == "declined"
        back = _api(client, world, "kestrel_desk", "GET", f"/api/v1/coordination/requests/{rid}").json()
        assert back["status"] == "declined" and back["reason"] == "Our channel is confidential"
        assert back["direction"] == "outgoing" and not back["can_answer"]
        again = _api(
            client, world, "owner_desk", "POST", f"/api/v1/coordination/requests/{rid}/accept", json={}
        )
        assert again.status_code == 409
        _blind_check(client, world)
    db.expire_all()
    assert db.exec(select(CoordinationLink)).first() is None
    assert db.exec(select(CoordinationRequest)).one().status == "declined"


def test_guessing_ids_finds_nothing_unshared(db: Session, db_backend: str) -> None:
    """Every id 1..max+5 and every key of every kind, through every GET route with a
    path parameter, as each partner: 404 for what is not shared; what is shared is
    readable (or, for edit pages of a track the role may not edit, a uniform 403)."""
    world = w.build(db)
    candidates = walk.all_ids(db)
    matrix_params = walk.load_matrix()["params"]
    wrong: list[str] = []
    tried = 0
    with TestClient(create_app(), raise_server_exceptions=False) as client:
        for role in PARTNERS:
            truth = walk.visible_truth(db, world, role)
            for route, spec in walk.get_routes():
                names = walk.path_params(route)
                if not names or spec.get("stream"):
                    continue
                base = {
                    n: world.ids[v[1:]] if isinstance(v, str) and v.startswith("$") else v
                    for n, v in {**matrix_params, **spec.get("params", {})}.items()
                    if n in names
                }
                for name in names:
                    kind = walk.param_kind(route, name)
                    if kind is None:
                        continue
                    for value in walk.candidates_for(route, name, candidates):
                        values = base | {name: value}
                        allowed = all(
                            (k := walk.param_kind(route, n)) is None or v in truth[k]
                            for n, v in values.items()
                        )
                        url = fill(route.split(" ", 1)[1], values)
                        status = client.get(url, headers=world.headers(role)).status_code
                        tried += 1
                        # A visible track that the role may not edit answers its edit pages
                        # 403 whatever item id is guessed: that tells nothing of the item.
                        track_seen = all(
                            v in truth["initiative"]
                            for n, v in values.items()
                            if walk.param_kind(route, n) == "initiative"
                        )
                        ok = (
                            status in (200, 403)
                            if allowed
                            else status == 404 or (status == 403 and track_seen)
                        )
                        if not ok:
                            wrong.append(f"{url} as {role}: {status} (shared: {allowed})")
    assert tried > 100
    assert not wrong, f"{len(wrong)} of {tried} guesses answered wrongly:\n" + "\n".join(wrong[:60])


def test_withdrawn_grant_stops_the_partners_stream(db: Session, db_backend: str) -> None:
    """The partner's stream reads the track's events while shared, and none once withdrawn."""
    from server import stream

    world = w.build(db, with_checks=False)
    sid = world.ids["shared_id"]
    partner = world.users["partner_granted"].id

    def read(cursor: int) -> tuple[list[Any], int]:
        with Session(stream.get_engine()) as s:
            events, new_cursor, allowed = stream.events_after(s, partner, cursor)
        assert allowed
        return events, new_cursor

    with Session(stream.get_engine()) as s:
        cursor = stream.latest_id(s)
    with TestClient(create_app(), raise_server_exceptions=False) as client:
        url = f"/api/v1/initiatives/{sid}/comments"
        before = _api(client, world, "owner_desk", "POST", url, json={"text": "Before"})
        assert before.status_code == 201
        events, cursor = read(cursor)
        assert [e.payload.get("comment_id") for e in events if e.kind == "comment.added"] == [
            before.json()["id"]
        ]
        _api(client, world, "owner_desk", "POST", f"/api/v1/grants/{world.ids['grant_id']}/withdraw")
        after = _api(client, world, "owner_desk", "POST", url, json={"text": "After"})
        assert after.status_code == 201
        events, cursor = read(cursor)
        assert [e for e in events if e.initiative_id == sid] == []
