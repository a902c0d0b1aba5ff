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


def start(pid: int, seconds: float, out: Path, subprocesses: bool = False) -> subprocess.Popen[bytes] | None:
    """Record `pid` (and with `subprocesses` its children) for `seconds` as collapsed stacks."""
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
    if subprocesses:
        cmd.append("--subprocesses")
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


WAIT_FILES = ("threading.py", "queue.py", "selectors.py", "base_events.py")


def summarise(path: Path, top: int = 15) -> dict[str, Any]:
    """Where the samples went: threads waiting (by what they wait for), and the busy ones' frames.

    A thread blocked in `Condition.wait` is sampled like a busy one; what it waits for is
    the first frame below the wait outside threading and queue (an idle thread-pool worker,
    or `QueuePool._do_get`: a request waiting for a database connection). The busy frames
    are counted inclusively (on the stack) and by self time (at the top), over busy samples.
    """
    inclusive: Counter[str] = Counter()
    leaf: Counter[str] = Counter()
    waits: Counter[str] = Counter()
    total = busy = 0
    if not path.exists():
        return {"error": "no profile written"}
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = [_short(f) for f in stack.split(";")]
        if _is_wait(frames[-1]):
            callers = [f for f in frames if not any(w in f for w in WAIT_FILES) and not _is_wait(f)]
            ours = [f for f in frames if _ours(f)]
            what = callers[-1] if callers else frames[-1]
            # e.g. "Cursor.execute (psycopg/cursor.py) in _lock_head (server/services/ledger.py)"
            waits[f"{what} in {ours[-1]}" if ours and ours[-1] != what else what] += n
            continue
        busy += n
        for f in set(frames):
            inclusive[f] += n
        leaf[frames[-1]] += n

    def pct(c: Counter[str], of: int, only_ours: bool = False) -> list[str]:
        rows = [(f, n) for f, n in c.most_common() if not only_ours or _ours(f)]
        return [f"{100 * n / of:5.1f}%  {f}" for f, n in rows[:top]] if of else []

    return {
        "samples": total,
        "busy_share": round(busy / total, 3) if total else 0,
        "waiting (of all samples)": pct(waits, total),
        "ours_inclusive (of busy samples)": pct(inclusive, busy, True),
        "self (of busy samples)": pct(leaf, busy),
    }


def _is_wait(frame: str) -> bool:
    name = frame.split(" (", 1)[0].rsplit(".", 1)[-1]
    # A blocking socket read is a wait too (a Celery process or a pub/sub thread idle on Redis).
    waits = ("wait", "_acquire_restore", "select", "poll", "acquire", "sleep", "control")
    return name in (*waits, "_recv", "recv", "recv_into", "_read_from_socket")


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
