"""Real Celery workers as subprocesses, on Redis or on the embedded SQLite broker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from server.settings import get_settings

ROOT = Path(__file__).resolve().parents[2]
T = TypeVar("T")


def wait_for(probe: Callable[[], T], timeout: float = 30.0, interval: float = 0.1, what: str = "") -> T:
    """Poll `probe` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = probe()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what or probe!r} (last: {last!r})")


class Worker:
    """One `celery worker` subprocess in its own process group."""

    def __init__(
        self, log_path: Path, env: dict[str, str], concurrency: int = 2, overlap: bool = False
    ) -> None:
        self.log_path = log_path
        self.env = env
        self.concurrency = concurrency
        # The host's overlap worker: the overlap queue, in one process (`accord worker --overlap`).
        self.overlap = overlap
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Worker:
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "workers.celery_app",
                "worker",
                "-Q",
                *(
                    ("overlap", "-P", "solo")
                    if self.overlap
                    else ("checks,sweep,notify", "-c", str(self.concurrency))
                ),
                "-n",
                f"test-{uuid.uuid4().hex[:8]}@%h",
                "-l",
                "info",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def kill(self) -> None:
        """SIGKILL the worker and its pool children at once, as a crash would."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        """A warm shutdown: finish or hand back what it holds, then exit."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@pytest.fixture
def broker_prefix(monkeypatch: pytest.MonkeyPatch) -> str:
    """A Redis key prefix of this test's own, so parallel runs never share a queue."""
    prefix = f"accord-test-{uuid.uuid4().hex[:10]}:"
    monkeypatch.setenv("ACCORD_BROKER_PREFIX", prefix)
    return prefix


@pytest.fixture
def on_redis(db_url: str, redis_url: str, broker_prefix: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Configure this test (and the workers it starts) for the Redis broker."""
    monkeypatch.setenv("ACCORD_REDIS_URL", redis_url)
    get_settings.cache_clear()
    return redis_url


@pytest.fixture
def embedded(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Configure this test for the embedded broker (SQLite file in the data dir)."""
    monkeypatch.delenv("ACCORD_REDIS_URL", raising=False)
    get_settings.cache_clear()
    return get_settings().broker_url


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[Callable[..., Worker]]:
    """Start workers with the test's environment; every one is stopped at the end."""
    started: list[Worker] = []

    def start(concurrency: int = 2, overlap: bool = False) -> Worker:
        env = dict(os.environ)
        env["PYTHONUNBUFFERED"] = "1"
        w = Worker(tmp_path / f"worker-{len(started)}.log", env, concurrency, overlap).start()
        started.append(w)
        return w

    yield start
    for w in started:
        w.kill()
