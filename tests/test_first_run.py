"""A new user's first run: the port, a busy port, the demo's logins, and the API reference offline."""

from __future__ import annotations

import logging
import os
import re
import signal
import socket
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from server.app import create_app
from server.logs import QuietTimerTasks


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
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    # No address outside Accord, in a tag or in the page's own script.
    assert not re.search(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", page.text, re.I), page.text
    assets = _Assets()
    assets.feed(page.text)
    assert {u.rsplit("/", 1)[-1] for u in assets.urls} >= {"swagger-ui-bundle.js", "swagger-ui.css"}
    for url in assets.urls:
        assert url.startswith("/static/"), url
        got = client.get(url)
        assert got.status_code == 200 and len(got.content) > 0, url
    assert "SwaggerUIBundle" in client.get(next(u for u in assets.urls if u.endswith(".js"))).text
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "Accord"
    # ReDoc would load its script and fonts from a CDN: it is not offered.
    assert client.get("/redoc").status_code == 404


@pytest.mark.e2e
def test_api_reference_renders_with_the_network_blocked(db_url: str, tmp_path: Path) -> None:
    """In Chromium, with every request outside Accord refused: the reference lists the API."""
    from playwright.sync_api import Route, sync_playwright

    from tests.e2e.conftest import ARGS, CHROMIUM, start_server, stop_server

    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's Chromium is not installed at /usr/bin/chromium")
    proc, base = start_server(tmp_path)
    refused: list[str] = []

    def only_accord(route: Route) -> None:
        if route.request.url.startswith(base + "/"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page()
            page.route("**/*", only_accord)
            page.goto(base + "/api/v1/docs")
            page.wait_for_selector(".swagger-ui .info .title", timeout=30_000)
            assert "Accord" in page.inner_text(".swagger-ui .info .title")
            page.wait_for_selector(".swagger-ui .opblock", timeout=30_000)
            assert page.locator(".swagger-ui .opblock").count() > 10
            browser.close()
    finally:
        stop_server(proc)
    assert not refused, refused


# ---------------------------------------------------------------- the command


def accord(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}
    full.update({"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"})
    full.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "server", *args],
        cwd=cwd,
        env=full,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _one_line_no_trace(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_help_shows_the_real_default_host_and_port(tmp_path: Path) -> None:
    result = accord("serve", "--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert re.search(r"--port .*?\[default: 8000\]", text), text
    assert re.search(r"--host .*?\[default: 127\.0\.0\.1\]", text), text
    assert "ACCORD_PORT" in text and "default: 0" not in text


def _listening() -> socket.socket:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen()
    return s


def test_a_busy_port_stops_serve_before_anything_starts(tmp_path: Path) -> None:
    with _listening() as busy:
        port = busy.getsockname()[1]
        for args, env in (
            (("serve", "--port", str(port)), {}),
            (("serve", "--demo"), {"ACCORD_PORT": str(port)}),
        ):
            result = accord(*args, cwd=tmp_path, env=env)
            assert result.returncode == 1
            line = _one_line_no_trace(result)
            assert f"port {port}" in line and "already in use" in line and "--port" in line, line
            assert "Accord on http" not in result.stdout
            # Nothing started: no database, no broker file, no demo.
            assert not (tmp_path / "data").exists()


def test_a_bad_port_setting_is_one_plain_line(tmp_path: Path) -> None:
    result = accord("serve", cwd=tmp_path, env={"ACCORD_PORT": "eighty"})
    assert result.returncode == 2
    assert _one_line_no_trace(result) == "accord: ACCORD_PORT: not a whole number"
    result = accord("serve", "--port", "70000", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_demo_logins_are_printed_again_at_any_time(tmp_path: Path) -> None:
    from server import demo

    none_yet = accord("demo", "--logins", cwd=tmp_path)
    assert none_yet.returncode == 1
    assert "holds no demo workspace" in _one_line_no_trace(none_yet)

    loaded = accord("demo", cwd=tmp_path)
    assert loaded.returncode == 0, loaded.stderr
    again = accord("demo", "--logins", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    for out in (loaded.stdout, again.stdout):
        assert demo.DEMO_PASSWORD in out
        for email, _name, _org, role in demo.PEOPLE:
            assert re.search(rf"^\s+{role}\s+{re.escape(email)}\s", out, re.M), (email, out)

    # `serve --demo` on a database that already holds the demo prints the logins on
    # this start too, before it announces the address.
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "server", "serve", "--demo", "--web-only", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 60
        for line in proc.stdout:
            lines.append(line)
            if "Accord on http" in line or time.monotonic() > deadline:
                break
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    text = "".join(lines)
    assert f"Accord on http://127.0.0.1:{port}" in text, text
    assert demo.DEMO_PASSWORD in text and demo.PEOPLE[0][0] in text, text
    assert "accord demo --logins" in text


# ---------------------------------------------------------------- an idle log


def _record(name: str, msg: str, args: object, level: int = logging.INFO) -> logging.LogRecord:
    record = logging.LogRecord(name, level, __file__, 0, msg, None, None)
    record.args = args  # type: ignore[assignment]  # Celery passes one dict as the args
    return record


def test_timer_tasks_that_did_nothing_log_nothing_at_info() -> None:
    """Beat sends the relay every two seconds; idle, none of that reaches the log."""
    from celery.app.trace import LOG_RECEIVED, LOG_SUCCESS

    quiet = QuietTimerTasks()

    def kept(record: logging.LogRecord) -> bool:
        record.getMessage()  # the record must still format, kept or not
        return quiet.filter(record)

    relay = {"id": "1", "name": "accord.relay", "args": "()", "kwargs": "{}", "eta": None}
    check = {**relay, "name": "accord.checks.run_initiative"}
    beat = "Scheduler: Sending due task %s (%s)"
    assert not kept(_record("celery.beat", beat, ("relay-outbox", "accord.relay")))
    assert not kept(_record("celery.beat", beat, ("sweep", "accord.sweep")))
    assert not kept(_record("celery.worker.strategy", LOG_RECEIVED, relay))
    assert not kept(_record("celery.app.trace", LOG_SUCCESS, {**relay, "return_value": "0", "runtime": 0.01}))
    # What they did, and everything else, is still logged.
    assert kept(_record("celery.app.trace", LOG_SUCCESS, {**relay, "return_value": "3", "runtime": 0.01}))
    assert kept(_record("celery.worker.strategy", LOG_RECEIVED, check))
    assert kept(_record("celery.app.trace", LOG_SUCCESS, {**check, "return_value": "{}", "runtime": 0.1}))
    assert kept(_record("celery.beat", beat, ("nightly", "accord.other")))
    assert kept(
        _record(
            "celery.app.trace", LOG_SUCCESS, {**relay, "return_value": "0", "runtime": 0.01}, logging.WARNING
        )
    )
    assert kept(_record("accord.relay", "outbox relay failed: %s", ("refused",), logging.ERROR))
