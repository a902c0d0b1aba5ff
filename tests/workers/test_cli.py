"""`accord checks run` answers from the database now; a broker that is away is an error."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from sqlmodel import Session

from tests import factories
from tests.workers.conftest import ROOT


def _accord(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "server", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_checks_run_prints_one_json_finding_per_line(db: Session) -> None:
    factories.load(
        db,
        factories.document(
            initiatives=[
                factories.initiative("t1", end="2099-12-31"),
                factories.initiative("t2", end="2099-12-31"),
            ]
        ),
    )
    db.commit()
    out = _accord("checks", "run", "--json")
    assert out.returncode == 0, out.stderr
    findings = [json.loads(line) for line in out.stdout.splitlines()]
    assert {"principle": "N3", "kind": "no_metrics", "subjects": ["t1"]}.items() <= findings[
        [f["kind"] == "no_metrics" and f["subjects"] == ["t1"] for f in findings].index(True)
    ].items()
    assert set(findings[0]) >= {"principle", "kind", "subjects", "severity", "message", "evidence", "remedy"}

    only = _accord("checks", "run", "--json", "--initiative", "t2")
    assert only.returncode == 0, only.stderr
    assert all("t2" in json.loads(line)["subjects"] for line in only.stdout.splitlines())
    table = _accord("checks", "run")
    assert "no_metrics" in table.stdout and "findings" in table.stdout
    assert _accord("checks", "run", "--initiative", "nope").returncode == 1


def test_a_worker_without_its_broker_stops_with_an_error(db_url: str) -> None:
    out = _accord("worker", ACCORD_REDIS_URL="redis://127.0.0.1:1/0")
    assert out.returncode == 2
    assert "cannot reach the broker at redis://127.0.0.1:1/0" in out.stderr
