"""`python -m bench`: Accord under real HTTP load, side by side with R0, a bare Starlette app.

    python -m bench --tracks 2000 --db both            # every figure, about 25 minutes
    python -m bench --quick --db sqlite                 # a short smoke run
    python -m bench --only P1,P2 --tracks 200 --db postgres
    python -m bench operator                            # the compose topology as plain processes
    python -m bench overlap --quick                     # the N4 overlap-index benchmark

Each run makes its own databases (a SQLite file in a temp dir; `accord_bench_<pid>_<n>` on
PostgreSQL at 127.0.0.1:5432, dropped at the end), migrates them with `accord db upgrade`,
loads a generated workspace, starts uvicorn processes and measures with wrk on loopback.
It prints one table and writes the same figures as JSON under bench/results/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import load, procs

FIGURES = ("P1", "P2", "P3", "P4", "SCALE", "P8", "P9", "P10")
RESULTS = Path(__file__).resolve().parent / "results"
HTMX_BLOCK = "decision_log"


class Run:
    """The figures of one run, and the servers it keeps for R0."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.rows: list[dict[str, Any]] = []
        self.details: dict[str, Any] = {}
        self.prefix = f"accordbench{os.getpid()}:"
        self.logdir = Path(args.logs or f"/tmp/accord-bench-{os.getpid()}")
        self.logdir.mkdir(parents=True, exist_ok=True)
        self._r0: dict[int, list[procs.Server]] = {}
        self._r0_figures: dict[tuple[int, int, str], load.Result] = {}

    out: Path | None = None
    meta: dict[str, Any] = {}

    def save(self, complete: bool) -> None:
        """Write the rows so far (after each row, so an interrupted run keeps its figures)."""
        if self.out is not None:
            body = {
                "machine": self.meta,
                "complete": complete,
                "rows": self.rows,
                "r0": self.details.get("r0", {}),
            }
            self.out.write_text(json.dumps(body, indent=2) + "\n")

    def log(self, name: str) -> Path:
        return self.logdir / f"{name}.log"

    def say(self, text: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)

    def want(self, figure: str) -> bool:
        return figure in self.args.only

    # ------------------------------------------------------------ R0

    def r0(self, n: int, conns: int, kind: str) -> load.Result:
        """R0's JSON or HTML figure on `n` processes at `conns` connections (measured once a run)."""
        key = (n, conns, kind)
        if key not in self._r0_figures:
            if n not in self._r0:
                self._r0[n] = [procs.r0_server(self.log(f"r0-{n}-{i}")).start() for i in range(n)]
            bases = [s.base for s in self._r0[n]]
            load.warm(bases, conns, self.args.warmup, "get.lua", ["/" + kind])
            cpu = _cpu(self._r0[n])
            res = load.run(bases, conns, self.args.duration, "get.lua", ["/" + kind])
            _cpu_per_answer(res, _cpu(self._r0[n]) - cpu)
            self._r0_figures[key] = res
            self.details.setdefault("r0", {})[f"{kind} x{n} c{conns}"] = res.as_dict()
            self.say(
                f"R0 {kind} x{n} c{conns}: {res.ok_rps:,.0f}/s p95 {res.p95_ms:.1f} ms, "
                f"{res.sums.get('cpu_ms_per_ok')} ms CPU per answer"
            )
        return self._r0_figures[key]

    # ------------------------------------------------------------ rows

    def row(
        self,
        figure: str,
        what: str,
        db: str,
        n: int | str,
        conns: int | str,
        value: float | None,
        unit: str,
        target: str,
        ok: bool,
        r0: float | None = None,
        note: str = "",
        detail: dict[str, Any] | None = None,
    ) -> None:
        ratio = (value / r0) if (value is not None and r0) else None
        row = {
            "figure": figure,
            "what": what,
            "db": db,
            "processes": n,
            "connections": conns,
            "value": None if value is None else round(value, 3),
            "unit": unit,
            "r0": None if r0 is None else round(r0, 1),
            "ratio": None if ratio is None else round(ratio, 3),
            "target": target,
            "pass": ok,
            "note": note,
            # The machine is shared: the 1-minute load average says how busy it was.
            "detail": (detail or {}) | {"loadavg_1m": round(os.getloadavg()[0], 2)},
        }
        self.rows.append(row)
        self.save(complete=False)
        self.say(
            f"{figure} {what} {db} x{n} c{conns}: {_fmt(row['value'])} {unit}"
            + (f" ratio {ratio:.3f}" if ratio is not None else "")
            + f" target {target}: "
            + ("pass" if ok else "FAIL")
            + (f" ({note})" if note else "")
        )

    # ------------------------------------------------------------ P1-P4

    def throughput(self, db: procs.Database) -> None:
        fx = db.fixture
        ids = fx["page_ids"][:10]
        api_paths = ",".join(f"/api/v1/initiatives/{i}" for i in ids)
        page_paths = ",".join(f"/initiatives/{i}" for i in ids)
        bearer = f"Authorization: Bearer {fx['api_token']}"
        cookie = f"Cookie: accord={fx['cookie']}"
        reads = [
            ("P1", "JSON read of one track", "json", "get.lua", [api_paths, bearer], 0.15),
            ("P2", "initiative page", "html", "get.lua", [page_paths, cookie], 0.10),
            (
                "P3",
                f"htmx fragment ({HTMX_BLOCK})",
                "html",
                "get.lua",
                [page_paths, cookie, "HX-Request: true", f"HX-Target: {HTMX_BLOCK}"],
                0.20,
            ),
        ]
        for n in self.args.processes:
            servers = [
                procs.accord_server(db, self.log(f"web-{db.kind}-{db.tracks}-{n}-{i}")) for i in range(n)
            ]
            for s in servers:
                s.start()
            try:
                bases = [s.base for s in servers]
                for conns in self.args.connections:
                    for fig, what, r0kind, script, wargs, target in reads:
                        if not self.want(fig):
                            continue
                        base_r0 = self.r0(n, conns, r0kind).ok_rps
                        load.warm(bases, conns, self.args.warmup, script, wargs)
                        spy = self.profile_start(fig, db, servers, n, conns)
                        cpu = _cpu(servers)
                        res = load.run(bases, conns, self.args.duration, script, wargs)
                        _cpu_per_answer(res, _cpu(servers) - cpu)
                        prof = self.profile_end(spy)
                        wedged = self.recover(servers)
                        ratio = res.ok_rps / base_r0 if base_r0 else 0
                        note = _notes(res, wedged)
                        if prof:
                            res.sums["profile"] = prof
                        self.row(
                            fig,
                            what,
                            db.kind,
                            n,
                            conns,
                            res.ok_rps,
                            "req/s",
                            f">= {target:.2f} x R0",
                            ratio >= target and not wedged,
                            base_r0,
                            note,
                            res.as_dict(),
                        )
                        if fig == "P2" and conns == 64:
                            self.row(
                                "P2",
                                "initiative page p95",
                                db.kind,
                                n,
                                conns,
                                res.p95_ms,
                                "ms",
                                "<= 100 ms",
                                res.p95_ms <= 100 and not wedged and res.ok > 0,
                                None,
                                note,
                            )
                    if self.want("P4"):
                        spy = self.profile_start("P4", db, servers, n, conns)
                        wargs = [
                            fx["api_token"],
                            fx["signer_token"],
                            ",".join(map(str, ids)),
                            dt.date.today().isoformat(),
                        ]
                        cpu = _cpu(servers)
                        res = load.run(bases, conns, self.args.duration, "save.lua", wargs)
                        _cpu_per_answer(res, _cpu(servers) - cpu)
                        prof = self.profile_end(spy)
                        if prof:
                            res.sums["profile"] = prof
                        wedged = self.recover(servers)
                        saves = res.sums.get("saves", 0) / res.seconds
                        self.row(
                            "P4",
                            "saves (decision + sign-off)",
                            db.kind,
                            n,
                            conns,
                            saves,
                            "saves/s",
                            ">= 200/s",
                            saves >= 200 and not wedged,
                            None,
                            _notes(res, wedged),
                            res.as_dict(),
                        )
            finally:
                for s in servers:
                    s.stop()

    def profile_start(
        self, fig: str, db: procs.Database, servers: list[procs.Server], n: int, conns: int
    ) -> tuple[Any, Path] | None:
        """py-spy on the single web process, at the first connection count, for the figures asked."""
        if fig not in self.args.profile or n != 1 or conns != self.args.connections[0]:
            return None
        from bench import profile

        out = self.logdir / f"profile-{fig}-{db.kind}-{db.tracks}-c{conns}.txt"
        proc = profile.start(servers[0].pid, self.args.duration, out)
        return (proc, out) if proc else None

    def profile_end(self, spy: tuple[Any, Path] | None) -> dict[str, Any] | None:
        if spy is None:
            return None
        from bench import profile

        proc, out = spy
        proc.wait(60)
        summary = profile.summarise(out)
        lines = [f"  profile {out.name}: {summary.get('samples')} samples, busy {summary.get('busy_share')}"]
        for key in ("waiting (of all samples)", "ours_inclusive (of busy samples)", "self (of busy samples)"):
            lines += [f"  {key}:", *("    " + x for x in summary.get(key, [])[:10])]
        print("\n".join(lines), flush=True)
        return summary | {"file": str(out)}

    def recover(self, servers: list[procs.Server]) -> list[int]:
        """Ports of servers that no longer answer /healthz within 5 s (restarted for what follows)."""
        wedged = [s.port for s in servers if not s.healthy(5.0)]
        for s in servers:
            if s.port in wedged:
                self.say(f"web process on {s.port} does not answer /healthz: wedged; restarting it")
                s.restart()
        return wedged

    # ------------------------------------------------------------ SCALE

    def scale(self, db: procs.Database) -> None:
        """Page time (one client, median) at the smallest and the largest size."""
        times: dict[int, dict[str, Any]] = {}
        for size in self.args.scale:
            other = (
                db if size == db.tracks else procs.Database(db.kind, size, f"{self.prefix}{db.kind}{size}:")
            )
            try:
                if other is not db:
                    self.say(f"loading {size} tracks on {db.kind}")
                    other.create()
                server = procs.accord_server(other, self.log(f"web-scale-{db.kind}-{size}")).start()
                try:
                    fx = other.fixture
                    paths = ",".join(f"/initiatives/{i}" for i in fx["page_ids"][:5])
                    res = load.run(
                        [server.base],
                        1,
                        self.args.duration,
                        "get.lua",
                        # Drawn every time, not a kept answer: the figure is what a page's
                        # neighbourhood costs to read and render at this size.
                        [paths, f"Cookie: accord={fx['cookie']}", "Cache-Control: no-cache"],
                    )
                    times[size] = res.as_dict() | {"load_seconds": fx["load_seconds"]}
                finally:
                    server.stop()
            finally:
                if other is not db:
                    other.drop()
        small, large = min(times), max(times)
        ratio = times[large]["p50_ms"] / times[small]["p50_ms"] if times[small]["p50_ms"] else None
        note = f"page p50 {times[small]['p50_ms']} ms at {small}, {times[large]['p50_ms']} ms at {large}"
        self.row(
            "SCALE",
            f"page time {large} / {small} tracks",
            db.kind,
            1,
            1,
            ratio,
            "x",
            "<= 1.5 x",
            ratio is not None and ratio <= 1.5,
            None,
            note,
            {str(k): v for k, v in times.items()},
        )

    # ------------------------------------------------------------ P8, P10

    def save_to_alert(self, db: procs.Database) -> None:
        from bench import sse

        settle(db)
        server = procs.accord_server(db, self.log(f"web-p8-{db.kind}")).start()
        worker = procs.spawn(
            [sys.executable, "-m", "server", "worker", "-c", "2"], db.env(), self.log(f"worker-p8-{db.kind}")
        )
        spy = None
        if "P8" in self.args.profile:
            from bench import profile

            out = self.logdir / f"profile-P8-worker-{db.kind}-{db.tracks}.txt"
            # The worker's pool processes do the checks: sample them all, for the whole figure.
            proc = profile.start(worker.pid, 60 + 3 * self.args.p8_rounds, out, subprocesses=True)
            spy = (proc, out) if proc else None
        try:
            res = sse.save_to_alert(server.base, db.fixture, rounds=self.args.p8_rounds)
            if spy:
                spy[0].send_signal(signal.SIGINT)  # py-spy writes what it has on Ctrl-C
                res["profile"] = self.profile_end(spy)
        finally:
            procs.stop(worker)
            server.stop()
        p95 = res.get("p95_s")
        self.row(
            "P8",
            "save to alert on an open stream, p95",
            db.kind,
            1,
            1,
            p95,
            "s",
            "<= 1 s",
            p95 is not None and p95 <= 1.0,
            None,
            res.get("error")
            or f"p50 {res.get('p50_s')} s, max {res.get('max_s')} s, missed {res.get('missed')}",
            res,
        )

    def idle_streams(self, db: procs.Database) -> None:
        from bench import sse

        server = procs.accord_server(db, self.log(f"web-p10-{db.kind}")).start()
        try:
            res = sse.idle_streams(server, db.fixture["api_token"], self.args.p10_streams, self.args.p10_hold)
        finally:
            server.stop()
        flat = res["rss_mib_held"] <= res["rss_mib_open"] * 1.10 + 5
        ok = res["open_at_end"] == self.args.p10_streams and res["error_count"] == 0 and flat
        note = (
            f"RSS {res['rss_mib_before']} MiB before, {res['rss_mib_open']} open, "
            f"{res['rss_mib_held']} after {res['hold_seconds']:.0f} s, {res['rss_mib_closed']} closed; "
            f"{res['error_count']} errors; /healthz max {res['healthz_max_ms']} ms"
        )
        self.row(
            "P10",
            "idle streams held by one process",
            db.kind,
            1,
            self.args.p10_streams,
            float(res["open_at_end"]),
            "streams",
            f"{self.args.p10_streams}, no error, flat RSS",
            ok,
            None,
            note,
            res,
        )

    # ------------------------------------------------------------ P9

    def celery(self) -> None:
        from bench import celery_noop

        env = procs.Database("sqlite", 0, self.prefix + "p9:").env()
        res = celery_noop.measure(env, self.log("worker-p9"), tasks=self.args.p9_tasks)
        value = res.get("per_second")
        self.row(
            "P9",
            "Celery no-op tasks through Redis",
            "-",
            1,
            "-",
            value,
            "tasks/s",
            ">= 500/s",
            value is not None and value >= 500,
            None,
            res.get("error") or f"2 worker processes; one producer sends {res.get('send_per_second')}/s",
            res,
        )

    # ------------------------------------------------------------ all

    def execute(self) -> None:
        for kind in self.args.db:
            db = procs.Database(kind, self.args.tracks, f"{self.prefix}{kind}:")
            try:
                self.say(f"creating the {kind} database with {self.args.tracks} tracks")
                db.create()
                self.say(f"loaded in {db.fixture['load_seconds']} s ({db.fixture['counts']})")
                if any(self.want(f) for f in ("P1", "P2", "P3", "P4")):
                    self.throughput(db)
                if self.want("P8"):
                    self.save_to_alert(db)
                if self.want("P10"):
                    self.idle_streams(db)
                if self.want("SCALE") and kind in self.args.scale_db:
                    self.scale(db)
            finally:
                db.drop()
        if self.want("P9"):
            self.celery()

    def close(self) -> None:
        for servers in self._r0.values():
            for s in servers:
                s.stop()
        procs.stop_all()
        try:
            procs.clear_redis_prefix(self.prefix)
        except Exception as exc:  # noqa: BLE001
            print(f"could not clear redis keys {self.prefix}*: {exc}", file=sys.stderr)


def settle(db: procs.Database) -> None:
    """Drop what earlier figures left queued (P4's checks), so P8 times its own saves only."""
    from sqlalchemy import create_engine, text

    procs.clear_redis_prefix(db.redis_prefix)
    engine = create_engine(db.url)
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE outbox SET sent_at = :now WHERE sent_at IS NULL"),
            {"now": dt.datetime.now(dt.UTC).replace(tzinfo=None)},
        )
    engine.dispose()


def _cpu(servers: list[procs.Server]) -> float:
    return sum(procs.cpu_seconds(s.pid) for s in servers)


def _cpu_per_answer(res: load.Result, cpu: float) -> None:
    """The web processes' own CPU per 2xx answer: what a request costs, however busy the machine."""
    res.sums["server_cpu_s"] = round(cpu, 2)
    res.sums["cpu_ms_per_ok"] = round(1000 * cpu / res.ok, 2) if res.ok else None


def _notes(res: load.Result, wedged: list[int]) -> str:
    parts = []
    if res.error_count:
        bad = {k: v for k, v in res.statuses.items() if not k.startswith("2")}
        sock = {k: v for k, v in res.errors.items() if v and k != "status"}
        parts.append(f"{res.error_count} errors {bad or ''}{sock or ''}".strip())
    if wedged:
        parts.append(f"WEDGED: {len(wedged)} process(es) stopped answering /healthz")
    parts.append(f"p95 {res.p95_ms:.0f} ms")
    if res.sums.get("cpu_ms_per_ok") is not None:
        parts.append(f"{res.sums['cpu_ms_per_ok']} ms CPU per answer")
    return "; ".join(parts)


def _fmt(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:,.0f}" if v >= 100 else f"{v:.3g}"
    return str(v)


def table(rows: list[dict[str, Any]]) -> str:
    head = ["figure", "what", "db", "proc", "conn", "value", "R0", "ratio", "target", "result"]
    body = [
        [
            r["figure"],
            r["what"],
            r["db"],
            str(r["processes"]),
            str(r["connections"]),
            f"{_fmt(r['value'])} {r['unit']}",
            _fmt(r["r0"]),
            "-" if r["ratio"] is None else f"{r['ratio']:.3f}",
            r["target"],
            "pass" if r["pass"] else "FAIL",
        ]
        for r in rows
    ]
    widths = [max(len(x) for x in col) for col in zip(head, *body, strict=True)]
    lines = [
        "| " + " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)) + " |",
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
    ]
    lines += ["| " + " | ".join(c.ljust(w) for c, w in zip(b, widths, strict=True)) + " |" for b in body]
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=procs.ROOT, capture_output=True, text=True
    ).stdout.strip()
    wrk = subprocess.run([load.ensure_wrk(), "-v"], capture_output=True, text=True)
    return {
        "commit": commit,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "wrk": (wrk.stdout or wrk.stderr).splitlines()[0] if (wrk.stdout or wrk.stderr) else "",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--tracks", type=int, default=2000, help="workspace size for P1-P4, P8, P10 (200, 2000, 20000)"
    )
    p.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    p.add_argument("--duration", type=float, default=10.0, help="seconds per load")
    p.add_argument(
        "--warmup",
        type=float,
        default=2.0,
        help="seconds of the same load, not counted, before each read load (R0's and Accord's alike)",
    )
    p.add_argument("--only", default=",".join(FIGURES), help="comma-separated figures: " + ",".join(FIGURES))
    p.add_argument(
        "--quick", action="store_true", help="3 s loads, 64 connections, smaller P8/P9/P10 and scale"
    )
    p.add_argument("--connections", default="64,256")
    p.add_argument("--processes", default="1,2", help="web processes for P1-P4 (1, 2 or both)")
    p.add_argument("--scale", default="200,20000", help="the two sizes the page time is compared at")
    p.add_argument(
        "--scale-db",
        default="",
        help="databases SCALE runs on (default: those of --db; 20,000 tracks load slowly)",
    )
    p.add_argument("--profile", default="", help="figures to sample with py-spy (1 process, first conns)")
    p.add_argument("--logs", default="", help="folder for server logs (default /tmp/accord-bench-PID)")
    p.add_argument("--out", default="", help="JSON file (default bench/results/<date>-<tracks>.json)")
    a = p.parse_args(argv)
    a.db = ["sqlite", "postgres"] if a.db == "both" else [a.db]
    a.only = [f.strip().upper() for f in a.only.split(",") if f.strip()]
    unknown = set(a.only) - set(FIGURES)
    if unknown:
        p.error(f"unknown figures: {', '.join(sorted(unknown))}")
    a.scale_db = [d.strip() for d in a.scale_db.split(",") if d.strip()] or a.db
    a.profile = [f.strip().upper() for f in a.profile.split(",") if f.strip()]
    a.connections = [int(c) for c in a.connections.split(",")]
    a.processes = [int(n) for n in a.processes.split(",")]
    a.scale = [int(n) for n in a.scale.split(",")]
    a.p8_rounds, a.p9_tasks, a.p10_streams, a.p10_hold = 20, 5000, 1000, 30.0
    if a.quick:
        a.duration = min(a.duration, 3.0)
        a.connections = [64]
        a.scale = [200, 2000] if a.scale == [200, 20000] else a.scale
        a.p8_rounds, a.p9_tasks, a.p10_hold = 6, 2000, 10.0
    return a


def main(argv: list[str]) -> int:
    if argv[:1] == ["overlap"]:
        from bench import overlap_bench

        sys.argv = ["python -m bench overlap", *argv[1:]]
        overlap_bench.main()
        return 0
    if argv[:1] == ["operator"]:
        from bench import operator_trial

        return operator_trial.main(argv[1:])
    args = parse(argv)
    procs.raise_fd_limit()
    load.ensure_wrk()
    run = Run(args)
    meta = machine() | {"options": {k: v for k, v in vars(args).items() if k not in ("logs", "out")}}
    RESULTS.mkdir(exist_ok=True)
    run.out = (
        Path(args.out)
        if args.out
        else RESULTS / (f"{dt.datetime.now().strftime('%Y%m%d-%H%M')}-{args.tracks}-{'-'.join(args.db)}.json")
    )
    run.meta = meta
    run.say(
        f"accord bench: {args.tracks} tracks on {', '.join(args.db)}; figures {','.join(args.only)}; "
        f"logs in {run.logdir}; figures to {run.out}"
    )
    try:
        run.execute()
    finally:
        run.close()
        run.save(complete=True)
    print()
    print(table(run.rows))
    print(f"\nfigures written to {run.out}")
    return 0 if all(r["pass"] for r in run.rows) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
