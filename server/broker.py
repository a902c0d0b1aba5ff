"""The wire between the web processes and the workers: task names, queues, broker options.

The server sends tasks by name through the broker (the outbox relay) and never imports
the workers; `workers/celery_app.py` holds the worker policy and takes these names and
options from here, so that both sides agree on one contract.
"""

from __future__ import annotations

from typing import Any

from kombu import Connection, Exchange, Queue

from server.settings import Settings, get_settings

QUEUES = ("checks", "sweep", "notify", "overlap")
RUN_INITIATIVE = "accord.checks.run_initiative"
# N4's overlaps of one initiative, from the one index of the host's overlap worker.
RUN_OVERLAP = "accord.overlap.run_initiative"
SWEEP = "accord.sweep"
RELAY = "accord.relay"
# What leaves Accord (workers/deliveries.py): the fan-out of events to webhooks and
# sign-off notices, one webhook delivery, one mail, and the daily digests.
FAN_OUT = "accord.deliveries.fan_out"
DELIVER_WEBHOOK = "accord.webhooks.deliver"
SEND_MAIL = "accord.mail.send"
MAIL_DIGESTS = "accord.mail.digests"
ROUTES = {
    RUN_INITIATIVE: "checks",
    RUN_OVERLAP: "overlap",
    SWEEP: "sweep",
    RELAY: "notify",
    FAN_OUT: "notify",
    DELIVER_WEBHOOK: "notify",
    SEND_MAIL: "notify",
    MAIL_DIGESTS: "notify",
}
EXCHANGE = "accord"


class BrokerUnavailable(RuntimeError):
    """The broker cannot be reached: reported, never worked around."""


def transport_options(settings: Settings) -> dict[str, Any]:
    """Broker transport options for the configured broker."""
    if settings.redis_url:
        return {
            # A message unacknowledged this long goes back to the queue: longer than any
            # task may run (the time limit kills it first), so a slow task is not run twice.
            "visibility_timeout": max(60, 2 * settings.task_time_limit_seconds),
            "global_keyprefix": settings.broker_prefix,
            # Without timeouts a publish to a vanished Redis waits forever.
            "socket_timeout": 10,
            "socket_connect_timeout": 5,
            "retry_on_timeout": True,
        }
    return {}


def wire_config(settings: Settings) -> dict[str, Any]:
    """The Celery settings that the sender and the worker must share."""
    exchange = Exchange(EXCHANGE, type="direct")
    return {
        "broker_url": settings.broker_url,
        "broker_transport_options": transport_options(settings),
        "task_queues": [Queue(q, exchange, routing_key=q) for q in QUEUES],
        "task_default_queue": "checks",
        "task_default_exchange": EXCHANGE,
        "task_default_routing_key": "checks",
        "task_routes": {name: {"queue": q, "routing_key": q} for name, q in ROUTES.items()},
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
        "task_ignore_result": True,
        "result_backend": None,
    }


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
