"""The workspace's judging date: `today` from the document is kept, used by the checks, and exported."""

from __future__ import annotations

import json
from pathlib import Path

from server.domain.checks import run_all
from server.domain.snapshot import Snapshot, parse_document
from tests.test_cli import EXAMPLE, accord


def _past_document() -> dict[str, object]:
    """The format's example moved into 2019: every date, the judging date included, long past."""
    text = EXAMPLE.read_text().replace("2026-", "2019-")
    data = json.loads(text)
    assert data["today"] == "2019-06-01"
    return data


def _findings(lines: str) -> list[tuple[str, str, tuple[str, ...]]]:
    out = []
    for line in lines.splitlines():
        f = json.loads(line)
        out.append((f["principle"], f["kind"], tuple(f["subjects"])))
    return sorted(out)


def test_imported_today_gives_the_findings_of_the_document_judged_in_memory(tmp_path: Path) -> None:
    data = _past_document()
    path = tmp_path / "past.json"
    path.write_text(json.dumps(data))
    expected = sorted(
        (f.principle, f.kind, tuple(f.subjects)) for f in run_all(Snapshot(parse_document(data)))
    )
    # The track runs until 2019-09-30: judged against the real date it would raise nothing.
    assert any(p == "D1" or p == "D3" or p == "D4" for p, _, _ in expected), expected
    assert accord("import", str(path), cwd=tmp_path).returncode == 0
    run = accord("checks", "run", "--json", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert _findings(run.stdout) == expected

    out = tmp_path / "out.json"
    assert accord("export", "--out", str(out), cwd=tmp_path).returncode == 0
    assert json.loads(out.read_text())["today"] == "2019-06-01"


def test_today_option_overrides_the_workspace_date(tmp_path: Path) -> None:
    data = _past_document()
    path = tmp_path / "past.json"
    path.write_text(json.dumps(data))
    assert accord("import", str(path), cwd=tmp_path).returncode == 0
    later = accord("checks", "run", "--json", "--today", "2021-01-01", cwd=tmp_path)
    assert later.returncode == 0, later.stderr
    moved = dict(data, today="2021-01-01")
    expected = sorted(
        (f.principle, f.kind, tuple(f.subjects)) for f in run_all(Snapshot(parse_document(moved)))
    )
    assert _findings(later.stdout) == expected
    bad = accord("checks", "run", "--today", "1 January", cwd=tmp_path)
    assert bad.returncode == 2
    assert "--today" in bad.stderr and "Traceback" not in bad.stderr
