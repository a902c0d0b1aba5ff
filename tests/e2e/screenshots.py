"""Screenshots of the demo workspace for the README: `python -m tests.e2e.screenshots OUT_DIR`.

Loads the demo into a fresh SQLite file, runs every check once so the alerts exist,
starts the web app on a free port and photographs the dashboard, an initiative page,
the alerts inbox and the Principles page as a desk officer of Varnia's foreign ministry,
and the people of Varnia as its admin.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.e2e.conftest import ARGS, CHROMIUM, start_server, stop_server

# Who signs in, and the pages photographed as them: (file name, path).
SHOTS = (
    (
        "desk.mfa@varnia.example",
        (
            ("dashboard", "/"),
            ("initiative", "/initiatives/1"),
            ("alerts", "/alerts"),
            ("principles", "/principles"),
        ),
    ),
    ("admin@varnia.example", (("admin-people", "/admin/people"),)),
)


def main(out: Path) -> None:
    work = Path(tempfile.mkdtemp(prefix="accord-shots-"))
    os.environ["ACCORD_DATA_DIR"] = str(work)
    os.environ["ACCORD_DATABASE_URL"] = f"sqlite:///{work / 'accord.db'}"
    subprocess.run([sys.executable, "-m", "server", "demo"], check=True, capture_output=True)
    subprocess.run(
        [sys.executable, "-c", "from workers.tasks import check_everything_now; check_everything_now()"],
        check=True,
    )
    proc, base = start_server(work)
    out.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for width, height, suffix in ((1280, 1000, ""), (375, 812, "-phone")):
                for email, shots in SHOTS:
                    context = browser.new_context(viewport={"width": width, "height": height})
                    page = context.new_page()
                    page.goto(base + "/signin")
                    page.fill("#email", email)
                    page.fill("#password", "accord-demo-2026")
                    page.click("button[type=submit]")
                    page.wait_for_url(base + "/")
                    for name, path in shots:
                        page.goto(base + path)
                        page.wait_for_timeout(300)
                        page.screenshot(path=str(out / f"{name}{suffix}.png"))
                    context.close()
            browser.close()
    finally:
        stop_server(proc)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "web/static/screenshots"))
