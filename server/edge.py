"""What every answer carries at the edge: security headers, the client's real address, HEAD.

Three ASGI middlewares, outermost first:

- `ProxyHeaders`: the client address and scheme from `X-Forwarded-For` and
  `X-Forwarded-Proto`, only when the peer is a proxy named in `ACCORD_TRUSTED_PROXIES`
  (uvicorn runs with its own proxy handling off, so this is the one place it happens).
- `SecurityHeaders`: a Content-Security-Policy the pages pass (no inline script, no
  inline handler; scripts and styles from this origin only), no framing, no sniffing, a
  same-origin referrer, HSTS over HTTPS, and `Cache-Control: no-store` on every answer
  but static files.
- `HeadAsGet`: `HEAD` answered wherever `GET` is, with the GET's headers and no body.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.settings import get_settings

# No inline style of any kind (the crisis timeline places its bars with SVG geometry),
# no inline script and no inline handlers.
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HSTS = "max-age=63072000; includeSubDomains"
STATIC_PREFIX = "/static/"

_FIXED: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


def security_headers(scope: Scope, present: Iterable[bytes] = ()) -> list[tuple[bytes, bytes]]:
    """The headers to add to an answer for `scope`, leaving alone those already `present`."""
    have = {name.lower() for name in present}
    out = [(k, v) for k, v in _FIXED if k not in have]
    if scope.get("scheme") == "https" and b"strict-transport-security" not in have:
        out.append((b"strict-transport-security", HSTS.encode()))
    if not str(scope.get("path", "")).startswith(STATIC_PREFIX) and b"cache-control" not in have:
        # Pages, the API and their errors may name what only this reader may see.
        out.append((b"cache-control", b"no-store"))
    return out


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                headers += security_headers(scope, (k for k, _ in headers))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_secured)


# ---------------------------------------------------------------- proxies


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    nets: list[Network] = []
    for entry in entries:
        try:
            nets.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            continue  # refused when the settings are read; never trust what does not parse
    return tuple(nets)


def is_trusted(address: str, entries: Iterable[str] | None = None) -> bool:
    """Whether `address` is one of the trusted proxies (addresses or networks)."""
    nets = _networks(tuple(get_settings().trusted_proxies if entries is None else entries))
    if not nets:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in nets)


def forwarded_client(peer: str, forwarded_for: str, entries: Iterable[str] | None = None) -> str:
    """The client behind a chain of trusted proxies.

    `X-Forwarded-For` is read from the right: each proxy appends the address it saw, so
    the first address from the right that is not a trusted proxy is the client. A
    forged entry further left, written by the client itself, is never reached.
    """
    if not is_trusted(peer, entries):
        return peer
    hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
    for hop in reversed(hops):
        if not is_trusted(hop, entries):
            return hop if _parses(hop) else peer
    return hops[0] if hops and _parses(hops[0]) else peer


def _parses(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def _header(scope: Scope, name: bytes) -> str:
    values = [v.decode("latin-1") for k, v in scope.get("headers", ()) if k == name]
    return ",".join(values)


class ProxyHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and scope.get("client"):
            peer, port = scope["client"]
            if is_trusted(peer):
                scope = dict(scope)
                forwarded = _header(scope, b"x-forwarded-for")
                if forwarded:
                    scope["client"] = (forwarded_client(peer, forwarded), port)
                proto = _header(scope, b"x-forwarded-proto").split(",")[-1].strip().lower()
                if proto in ("http", "https"):
                    scope["scheme"] = (
                        proto if scope["type"] == "http" else {"http": "ws", "https": "wss"}[proto]
                    )
        await self.app(scope, receive, send)


# ---------------------------------------------------------------- HEAD


class _HeadAnswered(Exception):
    """Raised into a streaming body once HEAD's headers are out: nothing more is sent."""


class HeadAsGet:
    """Answer `HEAD` as the same `GET` would, without its body (RFC 9110 9.3.2).

    Static files answer HEAD themselves. A stream (the live updates) ends once its
    headers are out.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope.get("method") != "HEAD"
            or str(scope.get("path", "")).startswith(STATIC_PREFIX)
        ):
            await self.app(scope, receive, send)
            return
        as_get: dict[str, Any] = dict(scope)
        as_get["method"] = "GET"
        done = False

        async def send_head(message: Message) -> None:
            nonlocal done
            if done:
                raise _HeadAnswered()
            if message["type"] == "http.response.body":
                done = True
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            await send(message)

        async def receive_head() -> Message:
            if done:
                return {"type": "http.disconnect"}
            return await receive()

        try:
            await self.app(as_get, receive_head, send_head)
        except _HeadAnswered:
            pass
        except Exception as exc:
            # A stream ended by the raise above may surface it wrapped (an exception group).
            if not (done and _holds_head_answered(exc)):
                raise


def _holds_head_answered(exc: BaseException) -> bool:
    if isinstance(exc, _HeadAnswered):
        return True
    inner = getattr(exc, "exceptions", None)
    if inner:
        return all(_holds_head_answered(e) for e in inner)
    cause = exc.__cause__ or exc.__context__
    return cause is not None and _holds_head_answered(cause)
