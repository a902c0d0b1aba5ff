"""The app's real route table and a way to call any route as any role."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import anyio
from starlette.routing import Mount

SKIPPED_METHODS = {"HEAD", "OPTIONS"}
PARAM = re.compile(r"\{([^}:]+)(?::[^}]+)?\}")


@dataclass(frozen=True)
class RouteKey:
    method: str
    path: str

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def walk(routes: list[Any], prefix: str = "") -> Iterator[RouteKey]:
    """Every method and path the app answers, through included routers and mounts."""
    for r in routes:
        if hasattr(r, "original_router"):  # FastAPI's included router
            yield from walk(r.original_router.routes, prefix + r.include_context.prefix)
        elif isinstance(r, Mount):
            yield RouteKey("MOUNT", prefix + r.path)
        elif getattr(r, "methods", None):
            for m in sorted(set(r.methods) - SKIPPED_METHODS):
                yield RouteKey(m, prefix + r.path)
        elif hasattr(r, "path"):  # a websocket or a bare route without methods
            yield RouteKey("ANY", prefix + r.path)


def app_routes(app: Any) -> list[RouteKey]:
    return sorted(set(walk(app.routes)), key=lambda k: (k.path, k.method))


def fill(path: str, values: dict[str, Any]) -> str:
    """The path with each `{param}` replaced by the value the matrix names for it."""

    def one(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in values:
            raise KeyError(f"no value for path parameter {{{name}}} in {path}; add it under params")
        return str(values[name])

    return PARAM.sub(one, path)


def stream_status(app: Any, path: str, headers: dict[str, str], timeout: float = 5.0) -> tuple[int, bytes]:
    """Open a streaming route, read its status (and what arrives at once), then disconnect.

    The test client waits for a response to end, which an event stream never does; this
    drives the ASGI app directly and hangs up once the status is known.
    """
    url, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": url,
        "raw_path": url.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        + [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "app": app,
    }
    result: dict[str, Any] = {"status": None, "body": b""}

    async def main() -> None:
        started = anyio.Event()
        hang_up = anyio.Event()

        async def receive() -> dict[str, Any]:
            if not result.get("sent_request"):
                result["sent_request"] = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await hang_up.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                result["status"] = message["status"]
                started.set()
            elif message["type"] == "http.response.body":
                result["body"] += message.get("body", b"")
                if not message.get("more_body"):
                    started.set()

        async with anyio.create_task_group() as tg:

            async def run() -> None:
                try:
                    await app(scope, receive, send)
                finally:
                    started.set()

            tg.start_soon(run)
            with anyio.move_on_after(timeout):
                await started.wait()
            await anyio.sleep(0.2)  # let the first events arrive
            hang_up.set()
            with anyio.move_on_after(2):
                await anyio.sleep(0)
            tg.cancel_scope.cancel()

    anyio.run(main)
    return int(result["status"] or 0), bytes(result["body"])
