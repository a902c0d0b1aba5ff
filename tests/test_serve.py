"""The README's first command: `accord serve --demo` on a fresh folder, embedded."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from server.demo import NAME


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status, r.read().decode()
    except OSError:
        return 0, ""


def _wait(predicate, deadline: float, what: str):  # type: ignore[no-untyped-def]
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    pytest.fail(f"timed out waiting for {what}")


def test_serve_demo_runs_web_worker_and_beat(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "server", "serve", "--demo", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        status, body = _wait(
            lambda: (lambda r: r if r[0] == 200 else None)(_get(f"http://127.0.0.1:{port}/signin")),
            deadline,
            "the web app",
        )
        assert NAME in body
        db = tmp_path / "data" / "accord.db"

        def alerts() -> int:
            with sqlite3.connect(db) as conn:
                return int(conn.execute("SELECT count(*) FROM alert").fetchone()[0])

        # The demo's import wrote an outbox row per track: the worker checks them all.
        _wait(alerts, time.monotonic() + 120, "the worker to raise the demo's alerts")
        with sqlite3.connect(db) as conn:
            unsent = conn.execute("SELECT count(*) FROM outbox WHERE sent_at IS NULL").fetchone()[0]
        _wait(lambda: unsent == 0 or _unsent(db) == 0, time.monotonic() + 30, "the outbox to drain")
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            out, _ = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, _ = proc.communicate()
            pytest.fail("accord serve did not stop on Ctrl-C:\n" + out[-3000:])
    assert "Demo workspace loaded" in out
    assert "Traceback" not in out, out[-3000:]
    # Nothing of the three is left running.
    leftover = subprocess.run(["pgrep", "-s", str(proc.pid)], capture_output=True, text=True).stdout.split()
    assert leftover == []


def _unsent(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM outbox WHERE sent_at IS NULL").fetchone()[0])
