"""End-to-end: a real server process on a free port, driven by Debian's Chromium through Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "correct horse battery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(tmp_path: Path, argv: list[str] | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """Start Accord on a free localhost port with the test's ACCORD_* environment; wait until it answers."""
    port = free_port()
    cmd = argv or [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "server.app:create_app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    cmd = [c.replace("{port}", str(port)) for c in cmd]
    log = open(tmp_path / "server.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(cmd, env=dict(os.environ), stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError((tmp_path / "server.log").read_text())
        try:
            if httpx.get(base + "/signin", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    proc.terminate()
    raise RuntimeError("the server did not start:\n" + (tmp_path / "server.log").read_text())


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's Chromium is not installed at /usr/bin/chromium")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def signed_in(browser: Browser) -> Callable[[str, str, str], Page]:
    """A new browser context signed in as `email` on `base`."""

    def make(base: str, email: str, password: str = PASSWORD) -> Page:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(base + "/signin")
        page.fill("#email", email)
        page.fill("#password", password)
        page.click("button[type=submit]")
        page.wait_for_url(base + "/")
        return page

    return make


@pytest.fixture
def two_owners(db: Any, tmp_path: Path) -> Iterator[tuple[str, Any]]:
    """The permission tests' world (two owners of unshared overlapping tracks, Varnia and
    Kestrel, with every check run once) served by `accord serve`: web, worker and beat."""
    pytest.importorskip("server.cli_workers")
    from tests.permissions import world as w

    world = w.build(db, with_request=False)
    argv = [sys.executable, "-m", "server", "serve", "--host", "127.0.0.1", "--port", "{port}"]
    proc, base = start_server(tmp_path, argv)
    try:
        yield base, world
    finally:
        stop_server(proc)
