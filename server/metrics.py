"""Prometheus metrics of a web process, served at `/metrics` (see `server/ops.py`).

Per process: request latency by route template, requests shed under load, requests
in flight, open live streams, and the process's own CPU and memory. From the
database, read at scrape time over a connection of the probe's own (so a scrape
works while the request pool is busy): the outbox backlog and the open alerts by
principle. Every web process reports the same database figures: aggregate them with
`max`, not `sum`. Task counts come from the workers (`workers/metrics.py`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, ProcessCollector
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func
from sqlmodel import Session, col, select

from server.settings import get_settings

log = logging.getLogger("accord.metrics")

REGISTRY = CollectorRegistry()
ProcessCollector(registry=REGISTRY)

REQUEST_SECONDS = Histogram(
    "accord_http_request_duration_seconds",
    "Time from a request's arrival to the end of its answer, by route template.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=REGISTRY,
)
REQUESTS_SHED = Counter(
    "accord_http_requests_shed_total",
    "Requests answered 503 because the process was saturated (queue full, queue wait, pool timeout).",
    ["reason"],
    registry=REGISTRY,
)
QUEUE_SECONDS = Histogram(
    "accord_http_request_queue_seconds",
    "Time a request waited at the admission gates before any work began (writes: both gates).",
    ["kind"],
    buckets=(0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 8.0),
    registry=REGISTRY,
)
IN_FLIGHT = Gauge(
    "accord_http_requests_in_flight", "Requests admitted and not yet answered.", registry=REGISTRY
)
QUEUED = Gauge("accord_http_requests_queued", "Requests waiting for a free slot.", registry=REGISTRY)
SSE_STREAMS = Gauge("accord_sse_streams_open", "Open live-update streams (GET /events).", registry=REGISTRY)


class DatabaseCollector(Collector):
    """The outbox backlog and open alerts by principle, read when scraped (cached a few seconds)."""

    def __init__(self, ttl: float = 5.0) -> None:
        self.ttl = ttl
        self._cached: dict[str, tuple[float, list[Metric]]] = {}

    def collect(self) -> Iterable[Metric]:
        url = get_settings().sqlalchemy_url
        now = time.monotonic()
        cached = self._cached.get(url)
        if cached is None or now - cached[0] > self.ttl:
            cached = self._cached[url] = (now, list(self._read(url)))
        return cached[1]

    def _read(self, url: str) -> Iterator[Metric]:
        from server.db import probe_engine
        from server.models import Alert, OutboxRow

        up = GaugeMetricFamily("accord_database_up", "Whether the scrape could read the database.")
        try:
            with Session(probe_engine(url)) as db:
                backlog = db.exec(
                    select(func.count()).select_from(OutboxRow).where(col(OutboxRow.sent_at).is_(None))
                ).one()
                alerts = db.exec(
                    select(Alert.principle, func.count())
                    .where(Alert.status == "open")
                    .group_by(Alert.principle)
                ).all()
        except Exception as exc:  # the database is down: say so, and nothing else
            log.warning("metrics: cannot read the database (%s)", type(exc).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        outbox = GaugeMetricFamily("accord_outbox_backlog", "Outbox rows not yet sent to the broker.")
        outbox.add_metric([], int(backlog))
        yield outbox
        open_alerts = GaugeMetricFamily(
            "accord_alerts_open", "Open alerts, by principle.", labels=["principle"]
        )
        for principle, count in alerts:
            open_alerts.add_metric([principle], int(count))
        yield open_alerts

    def describe(self) -> Iterable[Metric]:
        return []


DATABASE = DatabaseCollector()
REGISTRY.register(DATABASE)


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    REQUEST_SECONDS.labels(method, route, str(status)).observe(seconds)


def exposition(registry: Any = REGISTRY) -> tuple[bytes, str]:
    """The registry in Prometheus's text format, and its content type."""
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

    return generate_latest(registry), CONTENT_TYPE_LATEST
