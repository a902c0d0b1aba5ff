"""The edge: security headers on every answer, login CSRF, forwarded addresses, the throttle, HEAD."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from server.app import create_app
from server.edge import CSP, ProxyHeaders, forwarded_client
from server.services import sessions
from server.settings import Settings, get_settings
from tests.web.conftest import PASSWORD, csrf_of, signin_form, signin_token

EMAIL = "desk_officer.varnia-mfa@example.test"
pytestmark = pytest.mark.usefixtures("db_backend")

TEMPLATES = Path(__file__).resolve().parents[2] / "web" / "templates"


def _secured(r: Any, private: bool = True) -> None:
    """The headers every answer carries; `private` ones are never stored by a cache."""
    h = r.headers
    assert h["content-security-policy"] == CSP
    assert "frame-ancestors 'none'" in CSP and "script-src 'self'" in CSP and "unsafe-eval" not in CSP
    assert "'unsafe-inline'" not in CSP.split("script-src", 1)[1].split(";", 1)[0]
    assert h["x-frame-options"] == "DENY"
    assert h["x-content-type-options"] == "nosniff"
    assert h["referrer-policy"] == "same-origin"
    if private:
        assert h["cache-control"] == "no-store"
    assert "strict-transport-security" not in h  # plain HTTP


def _client(app: Any, address: str = "10.1.1.1", **kw: Any) -> TestClient:
    return TestClient(app, follow_redirects=False, client=(address, 40000), **kw)


# ---------------------------------------------------------------- headers


def test_headers_on_pages_api_errors_and_static(client: TestClient, db: Session, workspace, login) -> None:  # type: ignore[no-untyped-def]
    _secured(client.get("/signin"))
    _secured(client.get("/initiatives"))  # 303 to sign in
    _secured(client.get("/api/v1/initiatives"))  # 401 problem
    login(EMAIL)
    for path in (
        "/",
        "/initiatives",
        "/account",
        "/api/v1/initiatives",
        "/api/v1/docs",
        "/nowhere",
        "/api/v1/nowhere",
    ):
        _secured(client.get(path))
    _secured(client.get("/initiatives/not-a-number"))  # 422
    static = client.get("/static/accord.css")
    assert static.status_code == 200
    _secured(static, private=False)
    assert static.headers.get("cache-control") != "no-store"


def test_a_server_error_carries_the_headers_too(db: Session, workspace, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from server.services import initiatives

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("a bug")

    token = sessions.create_api_token(db, workspace["mfa"], "probe")
    db.commit()
    monkeypatch.setattr(initiatives, "listing", broken)
    with TestClient(create_app(), raise_server_exceptions=False) as c:
        r = c.get("/api/v1/initiatives", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 500
        _secured(r)
        c.post("/signin", data=signin_form(c, EMAIL))
        page = c.get("/initiatives")
        assert page.status_code == 500
        _secured(page)


def test_hsts_only_over_https(app, db: Session, workspace, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    plain = _client(app)
    assert "strict-transport-security" not in plain.get("/signin").headers
    secure = TestClient(app, base_url="https://testserver", follow_redirects=False)
    assert secure.get("/signin").headers["strict-transport-security"].startswith("max-age=")
    # X-Forwarded-Proto counts only from a trusted proxy.
    forwarded = {"X-Forwarded-Proto": "https"}
    assert (
        "strict-transport-security" not in _client(app, "10.0.0.9").get("/signin", headers=forwarded).headers
    )
    monkeypatch.setenv("ACCORD_TRUSTED_PROXIES", "10.0.0.9")
    get_settings.cache_clear()
    behind = _client(app, "10.0.0.9").get("/signin", headers=forwarded)
    assert "strict-transport-security" in behind.headers
    assert (
        "__Host-accord-signin=" in behind.headers["set-cookie"]
        and "secure" in behind.headers["set-cookie"].lower()
    )


def test_templates_carry_no_inline_script_or_handler() -> None:
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text, re.I):
            assert "src=" in tag, f"{path.name}: inline script {tag}"
        assert not re.search(r"\son[a-z]+\s*=", text, re.I), f"{path.name}: inline event handler"
        assert "javascript:" not in text.lower(), path.name
        assert "<style" not in text.lower(), path.name


# ---------------------------------------------------------------- login CSRF


def test_sign_in_needs_the_forms_own_token(app, db: Session, workspace) -> None:  # type: ignore[no-untyped-def]
    victim = _client(app)
    # A form posted from another site: no token, no pre-session cookie.
    r = victim.post(
        "/signin", data={"email": EMAIL, "password": PASSWORD}, headers={"Origin": "https://evil.example"}
    )
    assert r.status_code == 403 and "accord" not in victim.cookies
    assert "expired or was sent from another site" in r.text
    assert 'name="signin_token"' in r.text and 'name="email"' in r.text  # the form, drawn again
    # The attacker's own token, fetched in the attacker's browser, is no use in the victim's.
    attacker = _client(app, "10.9.9.9")
    stolen = signin_token(attacker)
    signin_token(victim)
    r = victim.post("/signin", data={"email": EMAIL, "password": PASSWORD, "signin_token": stolen})
    assert r.status_code == 403
    # The form's own token signs in; the pre-session cookie is SameSite=Strict.
    page = victim.get("/signin")
    assert "samesite=strict" in page.headers["set-cookie"].lower()
    r = victim.post("/signin", data=signin_form(victim, EMAIL))
    assert r.status_code == 303 and victim.cookies.get("accord")
    assert csrf_of(victim.get("/initiatives").text)


# ---------------------------------------------------------------- forwarded addresses


def test_forwarded_for_counts_only_from_a_trusted_proxy() -> None:
    trusted = ["10.0.0.1", "192.168.0.0/24"]
    assert forwarded_client("203.0.113.7", "198.51.100.1", trusted) == "203.0.113.7"  # not a proxy: ignored
    assert forwarded_client("10.0.0.1", "198.51.100.1", trusted) == "198.51.100.1"
    # A client that writes its own X-Forwarded-For gets its entry put before the real one.
    assert forwarded_client("10.0.0.1", "1.2.3.4, 198.51.100.1", trusted) == "198.51.100.1"
    assert forwarded_client("10.0.0.1", "1.2.3.4, 198.51.100.1, 192.168.0.8", trusted) == "198.51.100.1"
    assert forwarded_client("10.0.0.1", "not-an-address", trusted) == "10.0.0.1"
    assert forwarded_client("10.0.0.1", "198.51.100.1", []) == "10.0.0.1"


def test_the_proxy_middleware_rewrites_only_for_trusted_peers(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[dict[str, Any]] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen.append(scope)

    def run(peer: str) -> dict[str, Any]:
        scope = {
            "type": "http",
            "scheme": "http",
            "client": (peer, 5000),
            "headers": [(b"x-forwarded-for", b"1.2.3.4"), (b"x-forwarded-proto", b"https")],
        }
        asyncio.run(ProxyHeaders(app)(scope, None, None))  # type: ignore[arg-type]
        return seen[-1]

    monkeypatch.setenv("ACCORD_TRUSTED_PROXIES", "10.0.0.1")
    get_settings.cache_clear()
    try:
        assert run("203.0.113.7")["client"] == ("203.0.113.7", 5000)
        assert run("203.0.113.7")["scheme"] == "http"
        assert run("10.0.0.1")["client"] == ("1.2.3.4", 5000)
        assert run("10.0.0.1")["scheme"] == "https"
    finally:
        get_settings.cache_clear()


def test_trusted_proxies_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_TRUSTED_PROXIES", "10.0.0.1, 192.168.0.0/24")
    assert Settings().trusted_proxies == ["10.0.0.1", "192.168.0.0/24"]
    monkeypatch.setenv("ACCORD_TRUSTED_PROXIES", "")
    assert Settings().trusted_proxies == []
    monkeypatch.setenv("ACCORD_TRUSTED_PROXIES", "proxy.example")
    with pytest.raises(ValueError, match="not an IP address or network"):
        Settings()


# ---------------------------------------------------------------- throttle


@pytest.fixture
def slow_throttle(monkeypatch: pytest.MonkeyPatch) -> None:
    """The throttle's waits, a minute for each second: these tests are about who waits, and
    a wait of one second can run out while a busy machine hashes the owner's password."""
    real = sessions._wait
    monkeypatch.setattr(sessions, "_wait", lambda failures, allowed: 60 * real(failures, allowed))


def test_the_throttle_doubles_each_wait_up_to_five_minutes() -> None:
    assert [sessions._wait(n, 5) for n in range(3, 8)] == [0.0, 0.0, 1.0, 2.0, 4.0]
    assert sessions._wait(40, 5) == 300.0


def _fail(c: TestClient, email: str, times: int, headers: dict[str, str] | None = None) -> None:
    for _ in range(times):
        r = c.post("/signin", data=signin_form(c, email, "wrong password"), headers=headers or {})
        assert r.status_code == 400 and "Too many" not in r.text


@pytest.mark.usefixtures("slow_throttle")
def test_the_throttle_slows_the_failing_address_not_the_owner(
    app, db: Session, workspace, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    attacker = _client(app, "203.0.113.66")
    _fail(attacker, EMAIL, 5)
    r = attacker.post("/signin", data=signin_form(attacker, EMAIL))
    assert r.status_code == 400 and "Too many failed sign-ins" in r.text
    # A forged X-Forwarded-For from an untrusted peer changes nothing.
    r = attacker.post(
        "/signin", data=signin_form(attacker, EMAIL), headers={"X-Forwarded-For": "198.51.100.23"}
    )
    assert "Too many failed sign-ins" in r.text
    # The owner, from their own address, signs in at once.
    owner = _client(app, "198.51.100.23")
    assert owner.post("/signin", data=signin_form(owner, EMAIL)).status_code == 303
    # And the owner's success does not clear the attacker's count.
    r = attacker.post("/signin", data=signin_form(attacker, EMAIL))
    assert "Too many failed sign-ins" in r.text


@pytest.mark.usefixtures("slow_throttle")
def test_an_address_failing_across_accounts_slows_down(app, db: Session, workspace) -> None:  # type: ignore[no-untyped-def]
    sprayer = _client(app, "203.0.113.77")
    for n in range(20):
        _fail(sprayer, f"someone{n}@example.test", 1)
    r = sprayer.post("/signin", data=signin_form(sprayer, "someone-else@example.test", "wrong password"))
    assert "Too many failed sign-ins" in r.text
    other = _client(app, "198.51.100.30")
    assert other.post("/signin", data=signin_form(other, EMAIL)).status_code == 303


@pytest.mark.usefixtures("slow_throttle")
def test_behind_a_trusted_proxy_each_forwarded_client_counts_apart(
    app, db: Session, workspace, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ACCORD_TRUSTED_PROXIES", "10.0.0.2")
    get_settings.cache_clear()
    proxy = _client(app, "10.0.0.2")
    _fail(proxy, EMAIL, 5, headers={"X-Forwarded-For": "203.0.113.5"})
    blocked = proxy.post(
        "/signin", data=signin_form(proxy, EMAIL), headers={"X-Forwarded-For": "203.0.113.5"}
    )
    assert "Too many failed sign-ins" in blocked.text
    ok = proxy.post("/signin", data=signin_form(proxy, EMAIL), headers={"X-Forwarded-For": "198.51.100.8"})
    assert ok.status_code == 303


# ---------------------------------------------------------------- HEAD


def test_head_is_answered_wherever_get_is(client: TestClient, db: Session, workspace, login) -> None:  # type: ignore[no-untyped-def]
    token = sessions.create_api_token(db, workspace["mfa"], "probe", ["read"])
    db.commit()
    for path, headers in (
        ("/signin", {}),
        ("/api/v1/initiatives", {"Authorization": f"Bearer {token}"}),
        ("/static/accord.css", {}),
        ("/api/v1/openapi.json", {}),
    ):
        got = client.get(path, headers=headers)
        head = client.head(path, headers=headers)
        assert got.status_code == head.status_code == 200, (path, head.status_code)
        assert head.content == b"", path
        assert head.headers["content-type"] == got.headers["content-type"], path
        assert head.headers.get("content-length") in (None, str(len(got.content))) or path == "/signin", path
        _secured(head, private=not path.startswith("/static/"))
    login(EMAIL)
    page = client.head("/initiatives")
    assert (
        page.status_code == 200
        and page.content == b""
        and page.headers["content-type"].startswith("text/html")
    )
    # The live stream answers its headers and ends.
    stream = client.head("/events")
    assert stream.status_code == 200 and stream.headers["content-type"].startswith("text/event-stream")
    assert stream.content == b""
    # HEAD stays a read: nothing about it needs a CSRF token, and it changes nothing.
    assert client.head("/account").status_code == 200
