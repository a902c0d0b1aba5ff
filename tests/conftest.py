"""Test databases and factories.

Every test gets a database of its own: on SQLite a copy of a migrated file, on
PostgreSQL a per-worker database migrated once by Alembic and emptied before each
test. Tests marked or parametrised with `db_backend` run on both.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import Session

from server import db as dbmod
from server.migrations import upgrade
from server.settings import get_settings

PG_ADMIN_URL = os.environ.get("ACCORD_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("ACCORD_TEST_REDIS", "redis://127.0.0.1:6379")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db",
        default="sqlite,postgres",
        help="comma-separated backends to run database tests on (sqlite, postgres)",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "db_backend" in metafunc.fixturenames:
        backends = [b.strip() for b in metafunc.config.getoption("--db").split(",") if b.strip()]
        metafunc.parametrize("db_backend", backends, indirect=True)


def _worker() -> str:
    # Unique per process: concurrent pytest runs on one machine must not share a database.
    return f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"


def port_open(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tpl") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    if not port_open("127.0.0.1", 5432):
        pytest.fail("PostgreSQL is not running on 127.0.0.1:5432 (.ci/run starts it)")
    from sqlalchemy import create_engine

    name = f"accord_test_{_worker()}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    upgrade(url)
    yield url
    dbmod.engines.cache_clear()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _empty_pg(url: str) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.begin() as conn:
        tables = [
            r[0]
            for r in conn.execute(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname='public' AND tablename <> 'alembic_version'"
                )
            )
        ]
        # The append-only triggers refuse TRUNCATE; a replica session skips them, as a DBA could.
        conn.execute(text("SET session_replication_role = replica"))
        conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(autouse=True)
def _no_relay_left_running() -> Iterator[None]:
    """A test that runs a web app's lifespan in this process (a `with TestClient(...)`
    whose settings have the relay on) starts the relay thread, which then sends every
    later test's outbox rows every two seconds. Stop it when that test ends."""
    yield
    from server import events, relay

    waker = relay._waker
    if waker is not None:
        waker.stop()
        if waker._wake.set in events._wake_listeners:
            events._wake_listeners.remove(waker._wake.set)
        relay._waker = None


@pytest.fixture
def db_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@contextmanager
def database(
    request: pytest.FixtureRequest, backend: str, where: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A fresh, migrated database on `backend`, configured as Accord's own until the block ends."""
    if backend == "postgres":
        url = request.getfixturevalue("pg_url")
        _empty_pg(url)
    else:
        path = where / "accord.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
    monkeypatch.setenv("ACCORD_DATABASE_URL", url)
    monkeypatch.setenv("ACCORD_DATA_DIR", str(where / "data"))
    monkeypatch.setenv("ACCORD_SECRET_KEY", "test-secret-key-0123456789abcdef0123456789")
    monkeypatch.setenv("ACCORD_WEB_RELAY", "false")
    # A cheap argon2id cost keeps tests fast; the algorithm and code path are the real ones.
    monkeypatch.setenv("ACCORD_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("ACCORD_ARGON2_MEMORY_KIB", "1024")
    get_settings.cache_clear()
    yield url
    for engine in dbmod.engines(url):
        engine.dispose()
    if backend == "sqlite":
        dbmod.engines.cache_clear()
    get_settings.cache_clear()


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh, migrated database for this test, configured as Accord's own."""
    backend = request.getfixturevalue("db_backend") if "db_backend" in request.fixturenames else "sqlite"
    with database(request, backend, tmp_path, monkeypatch) as url:
        yield url


@pytest.fixture
def db(db_url: str) -> Iterator[Session]:
    """A write session on the test's database; the test commits what it wants kept."""
    with Session(dbmod.get_engine(write=True), expire_on_commit=False) as session:
        yield session
        session.rollback()


@pytest.fixture
def redis_url() -> str:
    if not port_open("127.0.0.1", 6379):
        pytest.fail("Redis is not running on 127.0.0.1:6379 (.ci/run starts it)")
    return REDIS_URL


def run(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, **kwargs)
