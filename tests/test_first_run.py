"""A new user's first run: the port, a busy port, the demo's logins, and the API reference offline."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from fastapi.testclient import TestClient

from server.app import create_app


class _Assets(HTMLParser):
    """Every URL a page makes the browser fetch: scripts, stylesheets, icons, images."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("script", "img", "iframe") and a.get("src"):
            self.urls.append(a["src"] or "")
        if tag == "link" and a.get("href"):
            self.urls.append(a["href"] or "")


def test_api_reference_is_served_from_the_package() -> None:
    client = TestClient(create_app())
    page = client.get("/api/docs")
    assert page.status_code == 200
    # No address outside Accord, in a tag or in the page's own script.
    assert not re.search(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", page.text, re.I), page.text
    assets = _Assets()
    assets.feed(page.text)
    assert {u.rsplit("/", 1)[-1] for u in assets.urls} >= {"swagger-ui-bundle.js", "swagger-ui.css"}
    for url in assets.urls:
        assert url.startswith("/static/vendor/"), url
        got = client.get(url)
        assert got.status_code == 200 and len(got.content) > 0, url
    assert "SwaggerUIBundle" in client.get(next(u for u in assets.urls if u.endswith(".js"))).text
    assert client.get("/api/openapi.json").json()["info"]["title"] == "Accord"
    # ReDoc would load its script and fonts from a CDN: it is not offered.
    assert client.get("/redoc").status_code == 404
