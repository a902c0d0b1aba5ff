"""Running wrk (Debian's package, installed when missing) and reading its figures."""

from __future__ import annotations

import json
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LUA = Path(__file__).resolve().parent / "lua"


def ensure_wrk() -> str:
    """The wrk binary; installed with apt-get when the machine lacks it."""
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is missing: apt-get install -y wrk", flush=True)
    cmd = ["apt-get", "install", "-y", "wrk"]
    if subprocess.run(cmd, stdout=subprocess.DEVNULL).returncode != 0:
        subprocess.run(["apt-get", "update"], stdout=subprocess.DEVNULL, check=True)
        subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk could not be installed; install it with: apt-get install -y wrk")
    return found


@dataclass
class Result:
    """One load, possibly spread over several servers (one wrk per server, run together)."""

    connections: int
    seconds: float
    requests: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    sums: dict[str, Any] = field(default_factory=dict)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def ok(self) -> int:
        return sum(n for s, n in self.statuses.items() if s.startswith("2"))

    @property
    def ok_rps(self) -> float:
        """Requests per second answered 2xx (what the figures count)."""
        return self.ok / self.seconds if self.seconds else 0.0

    @property
    def error_count(self) -> int:
        bad = sum(n for s, n in self.statuses.items() if not s.startswith("2"))
        return bad + sum(v for k, v in self.errors.items() if k != "status")

    def as_dict(self) -> dict[str, Any]:
        return {
            "connections": self.connections,
            "seconds": round(self.seconds, 2),
            "requests": self.requests,
            "rps": round(self.rps, 1),
            "ok_rps": round(self.ok_rps, 1),
            "p50_ms": round(self.p50_ms, 1),
            "p95_ms": round(self.p95_ms, 1),
            "p99_ms": round(self.p99_ms, 1),
            "max_ms": round(self.max_ms, 1),
            "statuses": self.statuses,
            "socket_errors": {k: v for k, v in self.errors.items() if v and k != "status"},
            **self.sums,
        }


def _one(
    base: str, connections: int, seconds: float, script: str, args: list[str], timeout: float
) -> dict[str, Any]:
    cmd = [
        ensure_wrk(),
        "-t1",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        f"--timeout={timeout:g}s",
        "-s",
        str(LUA / script),
        base,
        "--",
        *args,
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + timeout + 60)
    for line in out.stdout.splitlines():
        if line.startswith("BENCH-JSON "):
            return dict(json.loads(line.removeprefix("BENCH-JSON ")))
    raise RuntimeError(f"wrk gave no figures: {out.stdout[-500:]} {out.stderr[-500:]}")


def warm(bases: list[str], connections: int, seconds: float, script: str, args: list[str]) -> None:
    """The same load for `seconds`, its figures thrown away: first drawings and a cold process are not the steady state."""
    if seconds > 0:
        run(bases, connections, seconds, script, args)


def run(
    bases: list[str], connections: int, seconds: float, script: str, args: list[str], timeout: float = 10.0
) -> Result:
    """`connections` spread evenly over the servers at `bases`, for `seconds`; figures combined.

    Throughput adds up; the latency percentiles shown are the worst of the servers' own.
    """
    share = [
        connections // len(bases) + (1 if n < connections % len(bases) else 0) for n in range(len(bases))
    ]
    with ThreadPoolExecutor(len(bases)) as pool:
        parts = list(
            pool.map(
                lambda bc: _one(bc[0], bc[1], seconds, script, args, timeout), zip(bases, share, strict=True)
            )
        )
    res = Result(connections, max(p["duration_us"] for p in parts) / 1e6)
    for p in parts:
        res.requests += p["requests"]
        for k, v in p["errors"].items():
            res.errors[k] = res.errors.get(k, 0) + v
        for k, v in p["statuses"].items():
            res.statuses[k] = res.statuses.get(k, 0) + v
        lat = p["latency_us"]
        res.p50_ms = max(res.p50_ms, lat["p50"] / 1000)
        res.p95_ms = max(res.p95_ms, lat["p95"] / 1000)
        res.p99_ms = max(res.p99_ms, lat["p99"] / 1000)
        res.max_ms = max(res.max_ms, lat["max"] / 1000)
        for k in ("saves", "decisions", "failed"):
            if k in p:
                res.sums[k] = res.sums.get(k, 0) + int(p[k])
    return res
