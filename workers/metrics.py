"""What a worker tells the operator: task counts by name and outcome, run times, request ids.

Celery's prefork pool runs tasks in child processes, so the counters live in
prometheus-client's multiprocess mode: each child writes its own files in a folder of
the worker's, and the worker's main process serves their sum on
`ACCORD_WORKER_METRICS_PORT` (off when 0), to a scraper that sends
`ACCORD_METRICS_TOKEN` as a bearer token. The folder is made when this module is
imported, before prometheus-client is, which is why `workers.celery_app` imports this
module first.

Every task also runs with the request id of the web request that caused it (carried
in the message header `accord_request_id` by the outbox relay), so its log lines can
be matched with the request's.
"""

from __future__ import annotations

import hmac
import logging
import os
import shutil
import tempfile
import threading
import time
from typing import Any

from server.settings import get_settings

log = logging.getLogger("accord.workers")

_settings = get_settings()
if _settings.worker_metrics_port and "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="accord-worker-metrics-")

from celery.signals import (  # noqa: E402  (after the multiprocess folder is chosen)
    task_failure,
    task_postrun,
    task_prerun,
    task_retry,
    task_success,
    worker_init,
    worker_shutdown,
)
from prometheus_client import CollectorRegistry, Counter, Histogram  # noqa: E402

from server.logs import request_id_var  # noqa: E402

TASKS = Counter(
    "accord_tasks_total",
    "Tasks run by this worker, by name and outcome (succeeded, failed, retried).",
    ["task", "outcome"],
)
TASK_SECONDS = Histogram(
    "accord_task_duration_seconds",
    "Run time of a task, by name.",
    ["task"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0),
)
HEADER = "accord_request_id"
_started: dict[str, float] = {}


def _name(sender: Any, task: Any = None) -> str:
    t = task or sender
    return str(getattr(t, "name", None) or t)


@task_prerun.connect
def _prerun(task_id: str, task: Any, **_: Any) -> None:
    _started[task_id] = time.perf_counter()
    rid = getattr(task.request, HEADER, None) or (task.request.headers or {}).get(HEADER)
    request_id_var.set(str(rid) if rid else None)
    if rid:
        log.info("task %s %s started for request %s", task.name, task_id, rid)


@task_postrun.connect
def _postrun(task_id: str, task: Any, **_: Any) -> None:
    started = _started.pop(task_id, None)
    if started is not None:
        TASK_SECONDS.labels(task.name).observe(time.perf_counter() - started)
    request_id_var.set(None)


@task_success.connect
def _success(sender: Any = None, **_: Any) -> None:
    TASKS.labels(_name(sender), "succeeded").inc()


@task_failure.connect
def _failure(sender: Any = None, **_: Any) -> None:
    TASKS.labels(_name(sender), "failed").inc()


@task_retry.connect
def _retry(sender: Any = None, **_: Any) -> None:
    TASKS.labels(_name(sender), "retried").inc()


# ---------------------------------------------------------------- the exporter


_server: Any = None


def _registry() -> CollectorRegistry:
    from prometheus_client import multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return registry


def serve(port: int, host: str, token: str) -> Any:
    """Serve the summed metrics of this worker's processes in a thread; returns the server."""
    from wsgiref.simple_server import WSGIRequestHandler, make_server

    from prometheus_client import make_wsgi_app

    inner = make_wsgi_app(_registry())
    expected = f"Bearer {token}".encode()

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        offered = environ.get("HTTP_AUTHORIZATION", "").encode()
        if not token or not hmac.compare_digest(offered, expected):
            start_response("401 Unauthorized", [("Content-Type", "text/plain")])
            return [b"send the metrics token as a bearer token\n"]
        return inner(environ, start_response)

    class Quiet(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    server = make_server(host, port, app, handler_class=Quiet)
    threading.Thread(target=server.serve_forever, name="accord-worker-metrics", daemon=True).start()
    return server


@worker_init.connect
def _start_exporter(**_: Any) -> None:
    global _server
    s = get_settings()
    if not s.worker_metrics_port:
        return
    _server = serve(s.worker_metrics_port, s.worker_metrics_host, s.metrics_token)
    log.info("task metrics on http://%s:%d/metrics", s.worker_metrics_host, s.worker_metrics_port)


@worker_shutdown.connect
def _stop_exporter(**_: Any) -> None:
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
    if _server is not None:
        _server.shutdown()
        if folder.startswith(tempfile.gettempdir()) and "accord-worker-metrics-" in folder:
            shutil.rmtree(folder, ignore_errors=True)
