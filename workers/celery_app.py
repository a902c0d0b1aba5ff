"""The Celery application and the whole worker policy, in one place.

Queues: `checks` (one initiative's checks), `sweep` (the periodic full re-check) and
`notify` (the outbox relay). Every task is acknowledged late and rejected back to the
queue when its worker dies, so a killed worker loses nothing the broker still holds;
what the broker itself loses (a Redis restart without persistence) the outbox and the
sweep bring back. Tasks take ids, are idempotent, and retry transient database errors
with exponential backoff and jitter.

Broker: Redis when `ACCORD_REDIS_URL` is set; otherwise kombu's SQLAlchemy transport
on a SQLite file in the data directory (`settings.broker_url`), which needs no server
and keeps queued messages across restarts. A broker that cannot be reached is an
error that stops the worker (`check_broker`), never a reason to run tasks in the web
process: `task_always_eager` stays off.

`ACCORD_BROKER_PREFIX` (optional) prefixes every Redis key the broker uses, so that
several deployments, or parallel test runs, can share one Redis server.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Celery, Task
from kombu import Connection, Exchange, Queue
from sqlalchemy.exc import OperationalError as DBOperationalError

from server.settings import Settings, get_settings

log = logging.getLogger("accord.workers")

QUEUES = ("checks", "sweep", "notify")
RUN_INITIATIVE = "accord.checks.run_initiative"
SWEEP = "accord.sweep"
RELAY = "accord.relay"
ROUTES = {RUN_INITIATIVE: "checks", SWEEP: "sweep", RELAY: "notify"}


class BrokerUnavailable(RuntimeError):
    """The broker cannot be reached: reported, never worked around."""


def broker_prefix() -> str:
    return get_settings().broker_prefix


def transport_options(settings: Settings) -> dict[str, Any]:
    """Broker transport options for the configured broker."""
    if settings.redis_url:
        return {
            # A message unacknowledged this long goes back to the queue: longer than any
            # task may run (the time limit kills it first), so a slow task is not run twice.
            "visibility_timeout": max(60, 2 * settings.task_time_limit_seconds),
            "global_keyprefix": broker_prefix(),
            # Without timeouts a publish to a vanished Redis waits forever.
            "socket_timeout": 10,
            "socket_connect_timeout": 5,
            "retry_on_timeout": True,
        }
    return {}


def configure(app: Celery, settings: Settings | None = None) -> Celery:
    """Apply the worker policy and the current settings to `app`."""
    s = settings or get_settings()
    # The SQLite broker file and beat's schedule are created on first use, not their directory.
    s.data_dir.mkdir(parents=True, exist_ok=True)
    exchange = Exchange("accord", type="direct")
    app.conf.update(
        broker_url=s.broker_url,
        broker_transport_options=transport_options(s),
        broker_connection_retry_on_startup=True,
        # A broker that stays away is an error after about a minute, not a silent hang.
        broker_connection_max_retries=10,
        broker_connection_timeout=5,
        task_queues=[Queue(q, exchange, routing_key=q) for q in QUEUES],
        task_default_queue="checks",
        task_default_exchange="accord",
        task_default_routing_key="checks",
        task_routes={name: {"queue": q, "routing_key": q} for name, q in ROUTES.items()},
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        result_backend=None,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,
        task_time_limit=s.task_time_limit_seconds,
        task_soft_time_limit=max(1, s.task_time_limit_seconds - 10),
        task_always_eager=False,
        # One message at a time per process: a killed worker strands at most that one.
        worker_prefetch_multiplier=1,
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        task_publish_retry=True,
        task_publish_retry_policy={
            "max_retries": 3,
            "interval_start": 0,
            "interval_step": 0.5,
            "interval_max": 2,
        },
        beat_schedule={
            "relay-outbox": {
                "task": RELAY,
                "schedule": float(s.relay_interval_seconds),
                "options": {"queue": "notify", "expires": max(5.0, 5 * s.relay_interval_seconds)},
            },
            "sweep": {
                "task": SWEEP,
                "schedule": float(s.sweep_interval_seconds),
                "options": {"queue": "sweep", "expires": float(s.sweep_interval_seconds)},
            },
        },
        beat_schedule_filename=str((s.data_dir / "celerybeat-schedule").resolve()),
        timezone="UTC",
    )
    return app


class AccordTask(Task):  # type: ignore[misc]
    """The base of every task: late acks, and retries of transient database errors."""

    acks_late = True
    reject_on_worker_lost = True
    autoretry_for = (DBOperationalError,)
    retry_backoff = 2
    retry_backoff_max = 60
    retry_jitter = True
    max_retries = 8


def check_broker(settings: Settings | None = None, timeout: float = 10.0) -> None:
    """Connect to the broker once; raise `BrokerUnavailable` with the reason if it fails."""
    s = settings or get_settings()
    if not s.redis_url:
        s.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        with Connection(
            s.broker_url, transport_options=transport_options(s), connect_timeout=timeout
        ) as conn:
            conn.ensure_connection(max_retries=2, interval_start=0.5, interval_step=1, timeout=timeout)
    except Exception as exc:  # every transport has its own errors; all mean the same here
        raise BrokerUnavailable(f"cannot reach the broker at {redact(s.broker_url)}: {exc}") from exc


def redact(url: str) -> str:
    """The URL without its password, for logs."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}" if ":" in creds else url
    return url


app = configure(Celery("accord", include=["workers.tasks"], task_cls=AccordTask))
