"""The live stream under load: P8 (save to alert on an open stream) and P10 (idle streams held)."""

from __future__ import annotations

import asyncio
import json
import queue
import statistics
import threading
import time
from datetime import date
from typing import Any

import httpx

from bench import procs

OUTCOME = {
    "name": "households reached with clean water each week",
    "kind": "outcome",
    "target": "2,000 by May",
}


class Stream(threading.Thread):
    """One SSE connection read in a thread; frames go to a queue with their arrival time."""

    def __init__(self, base: str, token: str) -> None:
        super().__init__(daemon=True)
        self.url = base + "/events"
        self.headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
        self.frames: queue.Queue[tuple[float, dict[str, Any]]] = queue.Queue()
        self.ready = threading.Event()
        self.stopping = False
        self.error: str | None = None

    def run(self) -> None:
        try:
            with httpx.Client(timeout=httpx.Timeout(10.0, read=None)) as client:
                with client.stream("GET", self.url, headers=self.headers) as r:
                    if r.status_code != 200:
                        self.error = f"stream answered {r.status_code}"
                        self.ready.set()
                        return
                    event: dict[str, Any] = {}
                    for line in r.iter_lines():
                        if self.stopping:
                            return
                        if line.startswith("retry:"):
                            self.ready.set()
                        elif line.startswith("event:"):
                            event["event"] = line[6:].strip()
                        elif line.startswith("data:"):
                            event["data"] = json.loads(line[5:].strip())
                        elif line == "" and event:
                            self.frames.put((time.perf_counter(), event))
                            event = {}
        except Exception as exc:  # noqa: BLE001 - reported in the figures
            self.error = f"{type(exc).__name__}: {exc}"
            self.ready.set()


def _wait_alert(stream: Stream, initiative_id: int, since: float, timeout: float) -> float | None:
    """Seconds from `since` to the first alerts frame for the track; None if none came in time."""
    deadline = time.perf_counter() + timeout
    while True:
        left = deadline - time.perf_counter()
        if left <= 0:
            return None
        try:
            at, event = stream.frames.get(timeout=left)
        except queue.Empty:
            return None
        data = event.get("data") or {}
        if event.get("event") == "alerts" and data.get("initiative_id") == initiative_id:
            return at - since


def save_to_alert(
    base: str, fixture: dict[str, Any], rounds: int = 20, timeout: float = 15.0
) -> dict[str, Any]:
    """P8: each round adds (or removes) the live track's outcome metric, which clears (or raises)
    its N3 alert; the time runs from sending the save to the alert frame on an already open stream.
    """
    token, live = fixture["api_token"], fixture["live_id"]
    stream = Stream(base, token)
    stream.start()
    if not stream.ready.wait(15) or stream.error:
        return {"error": stream.error or "the stream did not open"}
    api = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    # Warm-up: a harmless save makes the worker judge the track once (raising its N3 alert)
    # and build its overlap index; not counted.
    started = time.perf_counter()
    r = api.post(
        f"/api/v1/initiatives/{live}/lines/red_lines", json={"text": "no armed escorts", "trigger": "pause"}
    )
    r.raise_for_status()
    warm = _wait_alert(stream, live, started, 120.0)
    times: list[float | None] = []
    metric_id: int | None = None
    for _ in range(rounds):
        time.sleep(0.3)
        while not stream.frames.empty():  # frames of the previous round
            stream.frames.get_nowait()
        started = time.perf_counter()
        if metric_id is None:
            r = api.post(f"/api/v1/initiatives/{live}/lines/metrics", json=OUTCOME)
            r.raise_for_status()
            metric_id = int(r.json()["id"])
        else:
            api.delete(f"/api/v1/initiatives/{live}/lines/metrics/{metric_id}").raise_for_status()
            metric_id = None
        times.append(_wait_alert(stream, live, started, timeout))
    stream.stopping = True
    api.close()
    got = sorted(t for t in times if t is not None)
    missed = len(times) - len(got)
    p95 = _pct(got, 95) if not missed else float("inf")
    return {
        "rounds": rounds,
        "missed": missed,
        "warmup_s": round(warm, 3) if warm is not None else None,
        "p50_s": round(_pct(got, 50), 3) if got else None,
        "p95_s": round(p95, 3) if got and not missed else None,
        "max_s": round(max(got), 3) if got else None,
        "stream_error": stream.error,
    }


def _pct(values: list[float], p: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


async def _hold(base_port: int, token: str, count: int, hold: float, server: procs.Server) -> dict[str, Any]:
    request = (
        f"GET /events HTTP/1.1\r\nHost: 127.0.0.1:{base_port}\r\nAuthorization: Bearer {token}\r\n"
        "Accept: text/event-stream\r\n\r\n"
    ).encode()
    conns: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
    errors: list[str] = []

    async def open_one() -> None:
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", base_port), 30)
            writer.write(request)
            await writer.drain()
            head = await asyncio.wait_for(reader.readuntil(b"retry:"), 60)
            if not head.startswith(b"HTTP/1.1 200"):
                errors.append(head.split(b"\r\n", 1)[0].decode(errors="replace"))
                writer.close()
                return
            conns.append((reader, writer))
        except Exception as exc:  # noqa: BLE001 - counted
            errors.append(f"{type(exc).__name__}: {exc}")

    rss_before = procs.rss_kib(server.pid)
    opened_at = time.perf_counter()
    for n in range(0, count, 50):
        await asyncio.gather(*(open_one() for _ in range(min(50, count - n))))
    open_seconds = time.perf_counter() - opened_at
    rss_open = procs.rss_kib(server.pid)
    closed: list[str] = []

    async def drain(reader: asyncio.StreamReader) -> None:
        while True:
            chunk = await reader.read(4096)
            if not chunk:
                closed.append("closed by server")
                return

    drains = [asyncio.create_task(drain(r)) for r, _ in conns]
    samples = []
    health = []
    t_end = time.perf_counter() + hold
    while time.perf_counter() < t_end:
        await asyncio.sleep(min(5.0, max(0.1, t_end - time.perf_counter())))
        samples.append(procs.rss_kib(server.pid))
        status, _, took = await asyncio.to_thread(procs.get, server.base + "/healthz", 5.0)
        health.append((status, took))
    rss_held = procs.rss_kib(server.pid)
    for task in drains:
        task.cancel()
    for _, writer in conns:
        writer.close()
    await asyncio.sleep(2.0)
    rss_after = procs.rss_kib(server.pid)
    return {
        "asked": count,
        "open": len(conns),
        "open_at_end": len(conns) - len(closed),
        "errors": errors[:5],
        "error_count": len(errors) + len(closed),
        "open_seconds": round(open_seconds, 1),
        "hold_seconds": hold,
        "rss_mib_before": round(rss_before / 1024, 1),
        "rss_mib_open": round(rss_open / 1024, 1),
        "rss_mib_held": round(rss_held / 1024, 1),
        "rss_mib_closed": round(rss_after / 1024, 1),
        "rss_samples_mib": [round(s / 1024, 1) for s in samples],
        "healthz_during": [s for s, _ in health],
        "healthz_max_ms": round(max((t for _, t in health), default=0) * 1000, 1),
    }


def idle_streams(server: procs.Server, token: str, count: int = 1000, hold: float = 30.0) -> dict[str, Any]:
    """P10: `count` idle streams on one web process, held for `hold` seconds; RSS before, during, after."""
    return asyncio.run(_hold(server.port, token, count, hold, server))


def today() -> str:
    return date.today().isoformat()
