"""Sampling a web process under load with py-spy, and reading where its time goes.

`py-spy` comes from PyPI (`pip install -e '.[bench]'`); it attaches to the running
uvicorn process by id, so the process under load is the one measured.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any


def py_spy() -> str | None:
    found = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    return found if Path(found).exists() else None


def start(pid: int, seconds: float, out: Path) -> subprocess.Popen[bytes] | None:
    """Record `pid` for `seconds` (all threads, idle frames left out) as collapsed stacks."""
    exe = py_spy()
    if exe is None:
        print("py-spy is missing: pip install -e '.[bench]'", file=sys.stderr)
        return None
    cmd = [
        exe,
        "record",
        "-p",
        str(pid),
        "-d",
        str(max(1, round(seconds))),
        "-f",
        "raw",
        "-o",
        str(out),
        "-r",
        "50",
    ]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def summarise(path: Path, top: int = 15) -> dict[str, Any]:
    """The frames with the most samples: inclusive (on the stack) and self (at the top)."""
    inclusive: Counter[str] = Counter()
    leaf: Counter[str] = Counter()
    total = 0
    if not path.exists():
        return {"error": "no profile written"}
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = [_short(f) for f in stack.split(";")]
        for f in set(frames):
            inclusive[f] += n
        leaf[frames[-1]] += n

    def pct(c: Counter[str], only_ours: bool) -> list[str]:
        rows = [(f, n) for f, n in c.most_common() if not only_ours or _ours(f)]
        return [f"{100 * n / total:5.1f}%  {f}" for f, n in rows[:top]]

    return {
        "samples": total,
        "ours_inclusive": pct(inclusive, True),
        "all_inclusive": pct(inclusive, False),
        "self": pct(leaf, False),
    }


def _short(frame: str) -> str:
    # "func (path/to/module.py:123)" -> "func (module.py)" keeps lines apart only by function
    name, _, where = frame.partition(" (")
    where = where.rstrip(")")
    path = where.rsplit(":", 1)[0]
    parts = Path(path).parts
    for anchor in ("server", "web", "workers", "site-packages"):
        if anchor in parts:
            path = "/".join(parts[parts.index(anchor) + (1 if anchor == "site-packages" else 0) :])
            break
    else:
        path = Path(path).name
    return f"{name} ({path})"


def _ours(frame: str) -> bool:
    return "(server/" in frame or "(web/" in frame
