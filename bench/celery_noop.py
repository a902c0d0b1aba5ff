"""P9: Celery no-op tasks per second through the real Redis broker.

A bench-only Celery app with one task, configured by Accord's own worker policy
(`workers.celery_app.configure`: late acks, one message prefetched per process, JSON)
on a queue of its own under a unique `ACCORD_BROKER_PREFIX`. The task only counts
itself in Redis, so what is measured is the broker round trip and Celery's own cost.

Worker: `celery -A bench.celery_noop worker -Q bench_noop -c 2` (started by the runner).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import redis
from celery import Celery
from kombu import Exchange, Queue

from bench import procs
from server.settings import Settings
from workers.celery_app import configure

QUEUE = "bench_noop"
TASK = "bench.noop"


def _app() -> Celery:
    settings = Settings()  # from the ACCORD_* variables the runner set
    app = configure(Celery("accord-bench-noop", set_as_current=False), settings)
    app.conf.task_queues = [Queue(QUEUE, Exchange(QUEUE, type="direct"), routing_key=QUEUE)]
    app.conf.task_default_queue = QUEUE
    app.conf.task_routes = {TASK: {"queue": QUEUE, "routing_key": QUEUE}}
    app.conf.beat_schedule = {}
    return app


app = _app()
_counter = redis.Redis.from_url(procs.REDIS_URL)


@app.task(name=TASK, ignore_result=True)
def noop(key: str, total: int) -> None:
    n = _counter.incr(key)
    if n == 1:
        _counter.set(key + ":first", repr(time.time()))
    if n == total:
        _counter.set(key + ":last", repr(time.time()))


def measure(env: dict[str, str], log: Path, tasks: int = 5000, concurrency: int = 2) -> dict[str, Any]:
    """Queue `tasks` no-op tasks, then start a worker and time it from the first task run to the last.

    Sending is timed apart (one producer in this process): the worker's rate is the figure,
    since any number of web processes send, and one worker pool must keep up with them all.
    """
    prefix = env["ACCORD_BROKER_PREFIX"]
    key = f"{prefix}bench-noop-count"
    client = redis.Redis.from_url(procs.REDIS_URL)
    client.delete(key, key + ":first", key + ":last")
    saved = dict(os.environ)
    os.environ.update({k: v for k, v in env.items() if k.startswith("ACCORD_")})
    worker = None
    try:
        sender = _app()
        started = time.perf_counter()
        with sender.producer_or_acquire() as producer:
            for _ in range(tasks):
                sender.send_task(TASK, args=[key, tasks], producer=producer)
        sent = time.perf_counter() - started
        worker = procs.spawn(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "bench.celery_noop",
                "worker",
                "-Q",
                QUEUE,
                "-c",
                str(concurrency),
                "-l",
                "warning",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            env,
            log,
        )
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and not client.get(key + ":last"):
            time.sleep(0.05)
        ran = int(client.get(key) or 0)
        first, last = client.get(key + ":first"), client.get(key + ":last")
        if not first or not last:
            return {"error": f"the no-op worker ran {ran} of {tasks} tasks in time; see {log}"}
        took = float(last) - float(first)
        return {
            "tasks": tasks,
            "ran": ran,
            "concurrency": concurrency,
            "seconds": round(took, 2),
            "per_second": round((tasks - 1) / took, 1) if took > 0 else None,
            "send_per_second": round(tasks / sent, 1),
        }
    finally:
        os.environ.clear()
        os.environ.update(saved)
        procs.stop(worker)
        client.delete(key, key + ":first", key + ":last")
