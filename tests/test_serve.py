"""The README's first command: `accord serve --demo` on a fresh folder, embedded."""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from server.demo import NAME

T = TypeVar("T")


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


def _wait(probe: Callable[[], T], seconds: float, what: str) -> T:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.3)
    pytest.fail(f"timed out waiting for {what}")


def _count(db: Path, sql: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(sql).fetchone()[0])


class Output:
    """Collects a process's output lines as they come."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        assert proc.stdout is not None
        self._thread = threading.Thread(target=self._read, args=(proc.stdout,), daemon=True)
        self._thread.start()

    def _read(self, stream) -> None:  # type: ignore[no-untyped-def]
        for line in stream:
            self.lines.append(line)

    def pids(self, name: str) -> list[int]:
        pattern = re.compile(rf"\b{name} started, pid (\d+)")
        return [int(m.group(1)) for line in list(self.lines) if (m := pattern.search(line))]

    def text(self) -> str:
        return "".join(self.lines)


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
    out = Output(proc)
    db = tmp_path / "data" / "accord.db"
    try:
        status, body = _wait(
            lambda: (lambda r: r if r[0] == 200 else None)(_get(f"http://127.0.0.1:{port}/signin")),
            90,
            "the web app",
        )
        assert NAME in body

        # The demo's import wrote an outbox row per track: the worker checks them all.
        _wait(lambda: _count(db, "SELECT count(*) FROM alert"), 120, "the worker to raise the demo's alerts")
        _wait(
            lambda: _count(db, "SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0,
            60,
            "the outbox to drain",
        )

        # A worker that crashes is started again, and work still gets done.
        first = _wait(lambda: out.pids("worker"), 10, "the worker's pid")[0]
        os.killpg(first, signal.SIGKILL)
        _wait(lambda: len(out.pids("worker")) >= 2, 60, "the worker to be restarted")
        assert out.pids("worker")[-1] != first
        with sqlite3.connect(db) as conn:
            conn.execute(
                "INSERT INTO outbox (task, payload, created_at, attempts) VALUES "
                "('accord.checks.run_initiative', '{\"initiative_id\": 1}', CURRENT_TIMESTAMP, 0)"
            )
        _wait(
            lambda: _count(db, "SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0,
            60,
            "beat's relay and the new worker to take new work",
        )
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            pytest.fail("accord serve did not stop on Ctrl-C:\n" + out.text()[-3000:])
    text = out.text()
    assert "Demo workspace loaded" in text
    assert "Traceback" not in text, text[-3000:]
    for name in ("web", "worker", "beat"):
        for pid in out.pids(name):
            assert (
                not Path(f"/proc/{pid}").exists()
                or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
            ), f"{name} (pid {pid}) still runs after Ctrl-C"
