"""`accord import` holds a document to the same bounds as a form or the API: refused with each
JSON path, exit 1, nothing imported."""

from __future__ import annotations

import json
from pathlib import Path

from server.services.validation import CAPS
from tests.test_cli import EXAMPLE, accord


def test_import_refuses_what_a_form_refuses(tmp_path: Path) -> None:
    bad = json.loads(EXAMPLE.read_text())
    track = bad["initiatives"][0]
    track["title"] = "t" * (CAPS["title"] + 1)
    track["description"] = "before\u0000after"
    track["end"] = "9999-12-31"
    track.setdefault("resources", []).append({"kind": "funding", "amount": float("inf")})
    bad["field_reports"] = [
        {
            "crisis": bad["crisis"] if "crisis" in bad else bad["crises"][0]["key"],
            "date": "2026-01-05",
            "source_kind": "ngo",
            "text": "x" * (CAPS["report"] + 1),
        }
    ]
    path = tmp_path / "bad.json"
    # json.dumps writes Infinity as the bare literal the probe sent.
    path.write_text(json.dumps(bad))
    result = accord("import", str(path), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    n = len(track["resources"]) - 1
    for expected in (
        "initiatives[0].title",
        "initiatives[0].description: Must not contain NUL characters",
        "initiatives[0].end: Must be between 01 January 1990 and 31 December 2100",
        f"initiatives[0].resources[{n}].amount",
        "field_reports[0].text",
    ):
        assert any(expected in line for line in lines), (expected, lines)
    assert lines[-1].endswith("nothing was imported")
    empty = accord("export", cwd=tmp_path)
    assert json.loads(empty.stdout).get("initiatives", []) == []
