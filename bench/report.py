"""Tables from saved bench results: `python -m bench.report RESULT.json [EARLIER.json ...]`.

With one file, the run's table; with more, one column of figures per file (matched by
figure, what, database, processes and connections), the first file's targets and results.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from bench.__main__ import _fmt, table


def _key(r: dict[str, Any]) -> tuple[str, str, str, str, str]:
    return (r["figure"], r["what"], r["db"], str(r["processes"]), str(r["connections"]))


def compare(files: list[Path]) -> str:
    runs = [json.loads(f.read_text())["rows"] for f in files]
    keys: list[tuple[str, str, str, str, str]] = []
    for rows in runs:
        for r in rows:
            if _key(r) not in keys:
                keys.append(_key(r))
    by_run = [{_key(r): r for r in rows} for rows in runs]
    head = ["figure", "what", "db", "proc", "conn", *(f.stem for f in files), "target"]
    body = []
    for k in keys:
        cells = []
        target = ""
        for run in by_run:
            r = run.get(k)
            if r is None:
                cells.append("-")
                continue
            target = target or r["target"]
            ratio = f" ({r['ratio']:.3f})" if r.get("ratio") is not None else ""
            verdict = "WEDGED" if "WEDGED" in r.get("note", "") else ("pass" if r["pass"] else "FAIL")
            cells.append(f"{_fmt(r['value'])} {r['unit']}{ratio} {verdict}")
        body.append([*k, *cells, target])
    widths = [max(len(x) for x in col) for col in zip(head, *body, strict=True)]
    lines = [
        "| " + " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)) + " |",
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
    ]
    lines += ["| " + " | ".join(c.ljust(w) for c, w in zip(b, widths, strict=True)) + " |" for b in body]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv]
    if not files:
        print(__doc__)
        return 2
    if len(files) == 1:
        print(table(json.loads(files[0].read_text())["rows"]))
    else:
        print(compare(files))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
