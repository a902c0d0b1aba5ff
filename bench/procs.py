"""The processes a bench run starts: databases, uvicorn servers, Celery workers.

Every process is started here, remembered by its id, and stopped by that id (its own
process group) at the end, whatever happened in between.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
REDIS_URL = "redis://127.0.0.1:6379/0"
# The same uvicorn settings for Accord and for R0; access logs off for both.
UVICORN_FLAGS = ["--host", "127.0.0.1", "--no-access-log", "--log-level", "warning", "--backlog", "4096"]

_started: list[subprocess.Popen[bytes]] = []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def raise_fd_limit() -> None:
    """Let this process and its children hold a few thousand sockets (P10 opens 1,000)."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < min(hard, 16384):
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 16384), hard))


def spawn(argv: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    out = open(log, "ab")  # noqa: SIM115 - kept open for the child's life
    proc = subprocess.Popen(
        argv, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
    )
    _started.append(proc)
    return proc


def stop(proc: subprocess.Popen[bytes] | None, timeout: float = 10.0) -> None:
    """SIGTERM the process group we started, then SIGKILL if it lingers."""
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(5)
    except ProcessLookupError:
        pass


def stop_all() -> None:
    for proc in reversed(_started):
        stop(proc)
    _started.clear()


def rss_kib(pid: int) -> int:
    """Resident memory of a process, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far (its threads included), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def get(url: str, timeout: float = 2.0, headers: dict[str, str] | None = None) -> tuple[int, bytes, float]:
    """(status, body, seconds) of a GET; status 0 when nothing answered in time."""
    started = time.perf_counter()
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read(), time.perf_counter() - started
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), time.perf_counter() - started
    except Exception:
        return 0, b"", time.perf_counter() - started


@dataclass
class Database:
    """A database of its own for one bench size: a SQLite file in a temp dir, or `accord_bench_<pid>_<n>`."""

    kind: str  # sqlite | postgres
    tracks: int
    redis_prefix: str
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="accord-bench-")))
    fixture: dict[str, Any] = field(default_factory=dict)

    @property
    def pg_name(self) -> str:
        return f"accord_bench_{os.getpid()}_{self.tracks}"

    @property
    def url(self) -> str:
        if self.kind == "sqlite":
            return f"sqlite:///{self.workdir / 'accord.db'}"
        return PG_ADMIN.rsplit("/", 1)[0] + "/" + self.pg_name

    def env(self, **more: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}
        env.update(
            ACCORD_DATABASE_URL=self.url,
            ACCORD_DATA_DIR=str(self.workdir),
            ACCORD_REDIS_URL=REDIS_URL,
            ACCORD_BROKER_PREFIX=self.redis_prefix,
            ACCORD_SECRET_KEY=secrets.token_urlsafe(32),
            PYTHONPATH=str(ROOT),
        )
        env.update(more)
        return env

    def create(self) -> None:
        """Make the database, migrate it with `accord db upgrade`, load the workspace."""
        if self.kind == "postgres":
            self._admin(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
            self._admin(f'CREATE DATABASE "{self.pg_name}"')
        env = self.env()
        subprocess.run(
            [sys.executable, "-m", "server", "db", "upgrade"],
            env=env,
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        # People's password hashes are made cheap for the load; each hash keeps its own cost.
        env.update(ACCORD_ARGON2_TIME_COST="1", ACCORD_ARGON2_MEMORY_KIB="1024")
        out = subprocess.run(
            [sys.executable, "-m", "bench.setup_db", str(self.tracks)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if out.returncode != 0:
            raise RuntimeError(f"loading {self.tracks} tracks failed:\n{out.stderr[-3000:]}")
        import json

        self.fixture = json.loads(out.stdout.strip().splitlines()[-1])

    def drop(self) -> None:
        if self.kind == "postgres":
            try:
                self._admin(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
            except Exception as exc:  # noqa: BLE001 - reported, the run's figures stand
                print(f"could not drop {self.pg_name}: {exc}", file=sys.stderr)
        import shutil

        shutil.rmtree(self.workdir, ignore_errors=True)

    def _admin(self, sql: str) -> None:
        from sqlalchemy import create_engine, text

        engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text(sql))
        finally:
            engine.dispose()


@dataclass
class Server:
    """One uvicorn process serving `target` (Accord's factory or R0)."""

    target: list[str]
    env: dict[str, str]
    log: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> Server:
        argv = [sys.executable, "-m", "uvicorn", *self.target, *UVICORN_FLAGS, "--port", str(self.port)]
        self.proc = spawn(argv, self.env, self.log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server on {self.port} exited; see {self.log}")
            if get(self.base + "/healthz", 1.0)[0] == 200:
                return self
            time.sleep(0.2)
        raise RuntimeError(
            f"server on {self.port} did not answer /healthz in {timeout:.0f} s; see {self.log}"
        )

    def healthy(self, timeout: float = 5.0) -> bool:
        return get(self.base + "/healthz", timeout)[0] == 200

    def restart(self) -> None:
        stop(self.proc)
        self.start()

    def stop(self) -> None:
        stop(self.proc)

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid


def accord_server(db: Database, log: Path, **env: str) -> Server:
    return Server(["server.app:create_app", "--factory"], db.env(**env), log)


def r0_server(log: Path) -> Server:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return Server(["bench.r0:app"], env, log)


def clear_redis_prefix(prefix: str) -> None:
    """Delete the keys a run left under its own broker prefix."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=prefix + "*", count=1000))
    for n in range(0, len(keys), 500):
        client.delete(*keys[n : n + 500])
