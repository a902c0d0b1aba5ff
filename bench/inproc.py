"""What one answer costs, measured in one process without the network.

Run against a database filled by `bench.setup_db` (its JSON on stdin or in a file), with
the same `ACCORD_*` variables:

    python -m bench.setup_db 2000 > /tmp/setup.json
    python -m bench.inproc /tmp/setup.json                 # CPU ms and statements per answer
    python -m bench.inproc /tmp/setup.json --spy P2        # py-spy over P2's loop (needs py-spy)

Each answer is asked through the ASGI app (`httpx` over `ASGITransport`, so the whole
middleware stack, routing, authentication, the thread pool and rendering are in), N times
after a warm-up; the figures are this process's CPU time per answer and the statements
the engine ran per answer. It is a profile aid, not a figure of the runner.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import httpx


def _requests(setup: dict[str, Any]) -> dict[str, Any]:
    page = setup["page_ids"][:10]
    api = {"Authorization": f"Bearer {setup['api_token']}"}
    cookie = {"Cookie": f"accord={setup['cookie']}"}
    return {
        "healthz": lambda n: ("GET", "/healthz", {}, None),
        "P1": lambda n: ("GET", f"/api/v1/initiatives/{page[n % len(page)]}", api, None),
        "P2": lambda n: ("GET", f"/initiatives/{page[n % len(page)]}", cookie, None),
        "P3": lambda n: (
            "GET",
            f"/initiatives/{page[n % len(page)]}",
            {**cookie, "HX-Request": "true", "HX-Target": "decision_log"},
            None,
        ),
        "P4": lambda n: (
            "POST",
            f"/api/v1/initiatives/{page[n % len(page)]}/decisions",
            {**api, "Content-Type": "application/json"},
            {
                "text": f"Send a technical team, round {n}",
                "kind": "other",
                "date": date.today().isoformat(),
                "touches": [],
            },
        ),
    }


async def _run(setup: dict[str, Any], names: list[str], n: int, spy: str) -> None:
    from sqlalchemy import event

    from server.app import create_app
    from server.db import get_engine

    app = create_app()
    statements = [0]

    def _count(*_: Any) -> None:
        statements[0] += 1

    for engine in {get_engine(), get_engine(write=True)}:
        event.listen(engine, "before_cursor_execute", _count)
    reqs = _requests(setup)
    signer = {"Authorization": f"Bearer {setup['signer_token']}", "Content-Type": "application/json"}
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 5000))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://bench") as c,
    ):

        async def one(name: str, i: int) -> int:
            method, path, headers, body = reqs[name](i)
            r = await c.request(method, path, headers=headers, json=body)
            if r.status_code >= 300:
                raise SystemExit(f"{name}: {r.status_code} {r.text[:300]}")
            if name == "P4":
                r2 = await c.post(f"/api/v1/decisions/{r.json()['id']}/signoff", headers=signer, json={})
                if r2.status_code != 201:
                    raise SystemExit(f"P4 signoff: {r2.status_code} {r2.text[:300]}")
            return r.status_code

        for name in names:
            for i in range(5):
                await one(name, i)
            proc = None
            if spy == name:
                out = f"/tmp/accord-inproc-{name}.txt"
                proc = subprocess.Popen(
                    [
                        os.path.join(os.path.dirname(sys.executable), "py-spy"),
                        "record",
                        "-p",
                        str(os.getpid()),
                        "-r",
                        "200",
                        "-o",
                        out,
                        "-f",
                        "flamegraph" if out.endswith("svg") else "raw",
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                await asyncio.sleep(1.0)
            statements[0] = 0
            cpu, wall = time.process_time(), time.perf_counter()
            for i in range(n):
                await one(name, i)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            print(
                f"{name:8s} {1000 * cpu / n:7.2f} ms CPU  {1000 * wall / n:7.2f} ms wall  "
                f"{statements[0] / n:5.1f} statements per answer (n={n})",
                flush=True,
            )
            if proc is not None:
                proc.send_signal(2)
                proc.wait()
                from bench.profile import summarise

                summary = summarise(Path(out), top=40)
                for key in ("ours_inclusive (of busy samples)", "self (of busy samples)"):
                    print(f"  {key}:")
                    for line in summary.get(key, []):
                        print(f"    {line}")
                print(f"  raw stacks: {out}")


def main(argv: list[str]) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.inproc")
    p.add_argument("setup", help="the JSON printed by bench.setup_db")
    p.add_argument("--only", default="healthz,P1,P2,P3,P4")
    p.add_argument("-n", type=int, default=200)
    p.add_argument("--spy", default="", help="one figure to record with py-spy")
    args = p.parse_args(argv)
    with open(args.setup) as f:
        setup = json.load(f)
    asyncio.run(_run(setup, args.only.split(","), args.n, args.spy))


if __name__ == "__main__":
    main(sys.argv[1:])
