"""The Celery application and the whole worker policy, in one place.

Queues: `checks` (one initiative's checks), `sweep` (the periodic full re-check),
`notify` (the outbox relay) and `overlap` (N4's overlaps of one initiative, when
`ACCORD_OVERLAP_QUEUE` is on: one single-process worker per host holds the index). Every task is acknowledged late and rejected back to the
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
from celery.signals import setup_logging
from sqlalchemy.exc import OperationalError as DBOperationalError

from server.broker import FAN_OUT, MAIL_DIGESTS, RELAY, SWEEP, wire_config
from server.settings import Settings, get_settings
from workers import metrics as _metrics  # noqa: F401  (task metrics and request ids, via signals)

log = logging.getLogger("accord.workers")


def configure(app: Celery, settings: Settings | None = None) -> Celery:
    """Apply the worker policy and the current settings to `app`."""
    s = settings or get_settings()
    # The SQLite broker file and beat's schedule are created on first use, not their directory.
    s.data_dir.mkdir(parents=True, exist_ok=True)
    app.conf.update(wire_config(s))
    app.conf.update(
        broker_connection_retry_on_startup=True,
        # A broker that stays away is an error after about a minute, not a silent hang.
        broker_connection_max_retries=10,
        broker_connection_timeout=5,
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
            # Webhooks and sign-off notices: events wake the fan-out; this catches what they miss.
            "fan-out": {"task": FAN_OUT, "schedule": 30.0, "options": {"queue": "notify", "expires": 60.0}},
            # Each person's digest is made once a day, at the first run after the digest hour.
            "mail-digests": {
                "task": MAIL_DIGESTS,
                "schedule": 900.0,
                "options": {"queue": "notify", "expires": 900.0},
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


@setup_logging.connect
def _logging(loglevel: Any = None, **_: Any) -> None:
    """The worker and beat log like the web processes (`ACCORD_LOG_FORMAT`, request ids)."""
    from server.logs import configure as configure_logs

    configure_logs(level=loglevel or None)


app = configure(Celery("accord", include=["workers.tasks", "workers.deliveries"], task_cls=AccordTask))
