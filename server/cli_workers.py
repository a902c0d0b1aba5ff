"""The worker side of the `accord` command: `worker`, `beat`, `checks run`, and `serve`'s supervisor."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import signal
import subprocess
import sys
import time
from typing import Annotated

import typer

from server.settings import get_settings

log = logging.getLogger("accord.serve")
QUEUES = "checks,sweep,notify"


def _broker_or_exit() -> None:
    """Stop with a clear error when the broker cannot be reached."""
    from server.broker import BrokerUnavailable, check_broker

    try:
        check_broker()
    except BrokerUnavailable as exc:
        logging.getLogger("accord.workers").error("%s", exc)
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


def _celery(*args: str) -> list[str]:
    return [sys.executable, "-m", "celery", "-A", "workers.celery_app", *args]


def _exec_celery(argv: list[str]) -> None:
    """Become the Celery program (the workers are a separate program, never imported here)."""
    sys.stdout.flush()
    sys.stderr.flush()
    cmd = _celery(*argv)
    os.execv(cmd[0], cmd)


def worker_argv(concurrency: int | None = None, loglevel: str = "info", overlap: bool = False) -> list[str]:
    if overlap:
        # One process, no pool: the host's one overlap index lives in it.
        return ["worker", "-Q", "overlap", "-P", "solo", "-n", "overlap@%h", "-l", loglevel,
                "--without-gossip", "--without-mingle"]  # fmt: skip
    argv = ["worker", "-Q", QUEUES, "-l", loglevel, "--without-gossip", "--without-mingle"]
    if concurrency:
        argv += ["-c", str(concurrency)]
    return argv


def beat_argv(loglevel: str = "info") -> list[str]:
    return ["beat", "-l", loglevel]


def register(app: typer.Typer) -> None:
    """Add `worker`, `beat` and `checks run` to the `accord` command."""

    @app.command()
    def worker(
        concurrency: Annotated[
            int | None, typer.Option("--concurrency", "-c", help="Worker processes.")
        ] = None,
        loglevel: Annotated[str, typer.Option("--loglevel", "-l")] = "info",
        overlap: Annotated[
            bool,
            typer.Option(
                "--overlap",
                help="Run the host's one overlap worker instead (the overlap queue, one process; "
                "with ACCORD_OVERLAP_QUEUE=1).",
            ),
        ] = False,
    ) -> None:
        """Run a Celery worker on the checks, sweep and notify queues (or, with --overlap, the overlap queue)."""
        _broker_or_exit()
        _exec_celery(worker_argv(concurrency, loglevel, overlap=overlap))

    @app.command()
    def beat(loglevel: Annotated[str, typer.Option("--loglevel", "-l")] = "info") -> None:
        """Run the scheduler: the outbox relay and the periodic sweep (run exactly one)."""
        _broker_or_exit()
        _exec_celery(beat_argv(loglevel))

    checks = typer.Typer(help="Run the principle checks.", no_args_is_help=True)

    @checks.command("run")
    def checks_run(
        as_json: Annotated[
            bool, typer.Option("--json", help="One JSON object per finding per line.")
        ] = False,
        initiative: Annotated[
            list[str] | None, typer.Option("--initiative", help="Only findings that touch this track's key.")
        ] = None,
        today: Annotated[
            str | None,
            typer.Option(
                "--today",
                metavar="DATE",
                help="Judge as of this date (YYYY-MM-DD), instead of the workspace's own date.",
            ),
        ] = None,
    ) -> None:
        """Run every check over the database now, without a worker, and print the findings."""
        from server.db import session_scope
        from server.domain.checks import run_all
        from server.domain.snapshot import Snapshot
        from server.services import loader

        keys = set(initiative or ())
        day: dt.date | None = None
        if today is not None:
            try:
                day = dt.date.fromisoformat(today)
            except ValueError:
                typer.echo(f"error: --today: not a date in the form YYYY-MM-DD: {today!r}", err=True)
                raise typer.Exit(2) from None
        with session_scope(write=False) as db:
            loaded = loader.load_all(db)
        missing = keys - set(loaded.ids)
        if missing:
            typer.echo(f"error: no such initiative: {', '.join(sorted(missing))}", err=True)
            raise typer.Exit(1)
        snapshot = loaded.snapshot
        if keys or day is not None:
            ws = snapshot.ws if day is None else snapshot.ws.model_copy(update={"today": day})
            snapshot = Snapshot(ws, focus=keys or None, settings=loader.check_settings())
        findings = run_all(snapshot)
        if keys:
            findings = [f for f in findings if keys & (set(f.initiatives) | set(f.subjects))]
        if as_json:
            for f in findings:
                typer.echo(json.dumps(f.to_json(), ensure_ascii=False))
            return
        if not findings:
            typer.echo("no findings")
            return
        for f in findings:
            typer.echo(f"{f.principle:3} {f.severity:6} {f.kind:24} {','.join(f.subjects):24} {f.message}")
        typer.echo(f"{len(findings)} findings")

    app.add_typer(checks, name="checks")


# ---------------------------------------------------------------- accord serve


class Child:
    """One supervised child process."""

    def __init__(self, name: str, argv: list[str], restart: bool) -> None:
        self.name = name
        self.argv = argv
        self.restart = restart
        self.proc: subprocess.Popen[bytes] | None = None
        self.restarts = 0
        self.next_start = 0.0

    def start(self) -> None:
        # The children share this process's folder and settings: the data folder is
        # passed as an absolute path so that all three open the same database and broker.
        env = dict(os.environ, ACCORD_DATA_DIR=str(get_settings().data_dir.resolve()))
        self.proc = subprocess.Popen(self.argv, env=env, start_new_session=True)
        log.info("%s started, pid %d", self.name, self.proc.pid)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.alive():
            assert self.proc is not None
            try:
                if sig == signal.SIGKILL:
                    os.killpg(self.proc.pid, sig)  # the child and whatever it forked
                else:
                    self.proc.send_signal(sig)  # the child shuts its own pool down warmly
            except ProcessLookupError:
                pass


def run_embedded(host: str, port: int) -> None:
    """Run web, one worker and beat as child processes until Ctrl-C or SIGTERM.

    A worker or beat that dies is restarted (with a growing pause, so a child that
    cannot start does not spin); if the web server dies, everything stops and the
    exit status says so. A broker that cannot be reached stops it all at the start.
    """
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    _broker_or_exit()
    s = get_settings()
    from server.broker import redact

    children = [
        Child(
            "web",
            [
                sys.executable,
                "-m",
                "uvicorn",
                "server.app:create_app",
                "--factory",
                "--host",
                host,
                "--port",
                str(port),
                # Forwarded headers are Accord's to judge (ACCORD_TRUSTED_PROXIES), not uvicorn's.
                "--no-proxy-headers",
            ],
            restart=False,
        ),
        # SQLite takes one writer at a time; two worker processes are plenty.
        Child("worker", _celery(*worker_argv(2)), restart=True),
        Child("beat", _celery(*beat_argv()), restart=True),
    ]
    if s.overlap_queue:
        children.append(Child("overlap-worker", _celery(*worker_argv(overlap=True)), restart=True))
    log.info(
        "web on http://%s:%d; database %s; broker %s; beat schedule in %s",
        host,
        port,
        redact(s.sqlalchemy_url),
        redact(s.broker_url),
        s.data_dir.resolve(),
    )
    stopping = False

    def _stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    status = 0
    try:
        for child in children:
            child.start()
        while not stopping:
            time.sleep(0.5)
            for child in children:
                if child.alive() or stopping:
                    continue
                code = child.proc.returncode if child.proc else None
                if not child.restart:
                    log.error("%s exited with status %s; stopping everything", child.name, code)
                    stopping, status = True, 1
                    break
                now = time.monotonic()
                if child.next_start == 0.0:
                    pause = min(30.0, 2.0 ** min(child.restarts, 5))
                    child.next_start = now + pause
                    log.warning("%s exited with status %s; restarting in %.0fs", child.name, code, pause)
                elif now >= child.next_start:
                    child.restarts += 1
                    child.next_start = 0.0
                    child.start()
    finally:
        log.info("stopping web, worker and beat")
        for child in children:
            child.stop(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for child in children:
            if child.proc is not None:
                try:
                    child.proc.wait(max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    log.warning("%s did not stop in time; killing it", child.name)
                    child.stop(signal.SIGKILL)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if status:
        raise SystemExit(status)
