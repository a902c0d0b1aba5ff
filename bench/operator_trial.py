"""`python -m bench operator`: the compose topology as plain processes, under load for a minute.

Reads the commands of `docker-compose.yml` (migrate, web with two replicas, worker, the
overlap worker, beat) and runs each as a plain process with the compose file's
environment (its `ACCORD_*` settings, with a random secret key, a fresh PostgreSQL
database and Redis under a broker prefix of its own in place of the containers' hosts);
the web replicas listen on loopback ports instead of 0.0.0.0. After loading a generated
workspace it spreads 256 connections over the two web processes for a minute (API
reads, pages, htmx fragments and saves), polls `/readyz` (or `/healthz` where there is
no `/readyz`) on both every second, and reports every error it saw.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bench import load, procs

COMPOSE = procs.ROOT / "docker-compose.yml"


def compose_commands() -> dict[str, list[str]]:
    """The `command:` of each service that runs Accord, with `accord` as this Python's `-m server`."""
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    out = {}
    for name in ("migrate", "web", "worker", "overlap-worker", "beat"):
        if name not in services:
            continue
        cmd = list(services[name]["command"])
        if cmd[0] == "accord":
            cmd = [sys.executable, "-m", "server", *cmd[1:]]
        out[name] = cmd
    return out


# Settings that name the containers' hosts or a secret: the trial gives its own.
_OWN = ("ACCORD_DATABASE_URL", "ACCORD_REDIS_URL", "ACCORD_SECRET_KEY")


def compose_environment() -> dict[str, str]:
    """The `ACCORD_*` settings every Accord service of the compose file shares, but the hosts and secret."""
    shared = yaml.safe_load(COMPOSE.read_text())["x-accord"]["environment"]
    return {k: str(v) for k, v in shared.items() if k.startswith("ACCORD_") and k not in _OWN}


def _web_argv(cmd: list[str], port: int) -> list[str]:
    argv = list(cmd)
    for flag, value in (("--host", "127.0.0.1"), ("--port", str(port))):
        if flag in argv:
            argv[argv.index(flag) + 1] = value
        else:
            argv += [flag, value]
    return argv


class Poller(threading.Thread):
    """GET a probe on each web process every second; keeps every answer."""

    def __init__(self, bases: list[str], path: str) -> None:
        super().__init__(daemon=True)
        self.bases, self.path = bases, path
        self.samples: list[tuple[float, str, int, float, str]] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            for base in self.bases:
                status, body, took = procs.get(base + self.path, 5.0)
                self.samples.append((time.time(), base, status, took, body[:200].decode(errors="replace")))
            self.stopping.wait(1.0)

    def summary(self) -> dict[str, Any]:
        bad = [s for s in self.samples if s[2] != 200]
        return {
            "path": self.path,
            "polls": len(self.samples),
            "not_ok": len(bad),
            "not_ok_examples": [{"base": b, "status": st, "body": body} for _, b, st, _, body in bad[:5]],
            "max_ms": round(max((s[3] for s in self.samples), default=0) * 1000, 1),
        }


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m bench operator", description=__doc__.splitlines()[0])
    p.add_argument("--tracks", type=int, default=2000)
    p.add_argument("--seconds", type=float, default=60.0)
    p.add_argument("--connections", type=int, default=256)
    p.add_argument("--out", default="")
    args = p.parse_args(argv)
    procs.raise_fd_limit()
    load.ensure_wrk()
    logdir = Path(f"/tmp/accord-operator-{__import__('os').getpid()}")
    logdir.mkdir(parents=True, exist_ok=True)
    cmds = compose_commands()
    db = procs.Database("postgres", args.tracks, f"accordop{__import__('os').getpid()}:")
    env = db.env(**compose_environment())
    report: dict[str, Any] = {
        "commands": {k: " ".join(v[2:]) for k, v in cmds.items()},
        "tracks": args.tracks,
    }

    def say(text: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)

    try:
        db._admin(f'DROP DATABASE IF EXISTS "{db.pg_name}" WITH (FORCE)')
        db._admin(f'CREATE DATABASE "{db.pg_name}"')
        say("migrate: " + " ".join(cmds["migrate"][2:]))
        import subprocess

        subprocess.run(cmds["migrate"], env=env, cwd=procs.ROOT, check=True)
        say(f"loading {args.tracks} tracks")
        load_env = dict(env, ACCORD_ARGON2_TIME_COST="1", ACCORD_ARGON2_MEMORY_KIB="1024")
        out = subprocess.run(
            [sys.executable, "-m", "bench.setup_db", str(args.tracks)],
            env=load_env,
            cwd=procs.ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        fx = json.loads(out.stdout.strip().splitlines()[-1])
        ports = [procs.free_port(), procs.free_port()]
        webs = [
            procs.spawn(_web_argv(cmds["web"], port), env, logdir / f"web-{n}.log")
            for n, port in enumerate(ports)
        ]
        worker = procs.spawn(cmds["worker"], env, logdir / "worker.log")
        overlap = (
            procs.spawn(cmds["overlap-worker"], env, logdir / "overlap-worker.log")
            if "overlap-worker" in cmds
            else None
        )
        beat = procs.spawn(cmds["beat"], env, logdir / "beat.log")
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not all(procs.get(b + "/healthz")[0] == 200 for b in bases):
            time.sleep(0.5)
        probe = "/readyz" if procs.get(bases[0] + "/readyz")[0] in (200, 503) else "/healthz"
        say(f"web on {', '.join(bases)}; worker pid {worker.pid}, beat pid {beat.pid}; polling {probe}")
        poller = Poller(bases, probe)
        poller.start()
        ids = ",".join(map(str, fx["page_ids"][:10]))
        pages = ",".join(f"/initiatives/{i}" for i in fx["page_ids"][:10])
        cookie = f"Cookie: accord={fx['cookie']}"
        c = args.connections
        mixes = [
            (
                "api reads",
                max(2, c * 2 // 8),
                "get.lua",
                [
                    ",".join(f"/api/v1/initiatives/{i}" for i in fx["page_ids"][:10]),
                    f"Authorization: Bearer {fx['api_token']}",
                ],
            ),
            ("pages", max(2, c * 3 // 8), "get.lua", [pages, cookie]),
            (
                "fragments",
                max(2, c * 2 // 8),
                "get.lua",
                [pages, cookie, "HX-Request: true", "HX-Target: alerts"],
            ),
            (
                "saves",
                max(2, c // 8),
                "save.lua",
                [fx["api_token"], fx["signer_token"], ids, date.today().isoformat()],
            ),
        ]
        say(
            f"{c} connections over both web processes for {args.seconds:.0f} s: "
            + ", ".join(f"{n} {name}" for name, n, _, _ in mixes)
        )
        with ThreadPoolExecutor(len(mixes)) as pool:
            results = list(pool.map(lambda m: load.run(bases, m[1], args.seconds, m[2], m[3]), mixes))
        time.sleep(3)
        poller.stopping.set()
        poller.join(10)
        report["load"] = {name: r.as_dict() for (name, *_), r in zip(mixes, results, strict=True)}
        report["errors"] = sum(r.error_count for r in results)
        report["probe"] = poller.summary()
        report["processes_alive"] = {
            "web": [w.poll() is None for w in webs],
            "worker": worker.poll() is None,
            "overlap_worker": overlap is None or overlap.poll() is None,
            "beat": beat.poll() is None,
        }
        report["log_errors"] = {
            f.name: sum(
                1
                for line in f.read_text(errors="replace").splitlines()
                if " ERROR " in line or "Traceback" in line
            )
            for f in sorted(logdir.glob("*.log"))
        }
        for name, r in report["load"].items():
            say(
                f"{name}: {r['ok_rps']:.0f}/s ok, p95 {r['p95_ms']} ms, statuses {r['statuses']}, "
                f"socket errors {r['socket_errors']}" + (f", saves {r['saves']}" if "saves" in r else "")
            )
        say(
            f"errors: {report['errors']}; {probe}: {report['probe']['polls']} polls, "
            f"{report['probe']['not_ok']} not 200, slowest {report['probe']['max_ms']} ms; "
            f"processes alive {report['processes_alive']}; error lines in logs {report['log_errors']}"
        )
    finally:
        procs.stop_all()
        db.drop()
        procs.clear_redis_prefix(db.redis_prefix)
    outfile = (
        Path(args.out)
        if args.out
        else procs.ROOT / "bench" / "results" / (f"{time.strftime('%Y%m%d-%H%M')}-operator.json")
    )
    outfile.parent.mkdir(exist_ok=True)
    outfile.write_text(json.dumps(report, indent=2) + "\n")
    say(f"report written to {outfile}; logs in {logdir}")
    ok = report.get("errors") == 0 and report.get("probe", {}).get("not_ok") == 0
    return 0 if ok else 1
