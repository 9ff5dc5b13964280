"""Screenshots of the main pages at phone and desktop size, light and dark (`make screenshots`).

Seeds a throw-away instance with a year of history (bench/seed_history.py), serves it,
and has Debian's Chromium photograph each page into docs/screenshots/ as
``<page>-<phone|desktop>-<light|dark>.png``. The phone shots show the first screen only;
the desktop ones the first 1280 × 800, each reduced to a 64-colour palette. Run from the
repository root (``--pages`` picks others: month, history, design):

    .venv/bin/python tools/screenshots.py [--out docs/screenshots] [--pages today,plan]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("KNEECAP_CHROMIUM", "/usr/bin/chromium")
PAGES = {
    "today": "/today/",
    "plan": "/plan/",
    "month": "/plan/month/",
    "progress": "/progress/",
    "exercise": "/exercises/split-squat/",
    "load": "/load/",
    "history": "/history/",
    "design": "/design/",
}
COMMITTED = "today,plan,progress,load,exercise"  # the set kept in docs/screenshots
COLOURS = 64  # a palette keeps each picture near 20 kB
SIZES = {"phone": (390, 844), "desktop": (1280, 800)}
SCHEMES = ("light", "dark")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(port: int, proc: subprocess.Popen[bytes]) -> None:
    for _ in range(100):
        if proc.poll() is not None:
            sys.exit("the server stopped before it was ready")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    sys.exit("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument(
        "--pages", default=COMMITTED, help=f"comma-separated, of: {', '.join(PAGES)}"
    )
    args = parser.parse_args()
    pages = {name: PAGES[name] for name in args.pages.split(",")}
    args.out.mkdir(parents=True, exist_ok=True)
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory(prefix="kneecap-shots-") as data:
        env = {
            **os.environ,
            "KNEECAP_DATA_DIR": data,
            "KNEECAP_DATABASE_URL": "",
            "DJANGO_SETTINGS_MODULE": "kneecap.web.settings",
        }
        seeded = subprocess.run(
            [sys.executable, str(REPO / "bench" / "seed_history.py"), "--years", "1", "--json"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        cookie = json.loads(seeded.stdout.strip().splitlines()[-1])["cookies"]["runner"]
        port = _free_port()
        server = subprocess.Popen(
            [str(bin_dir / "kneecap"), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait(port, server)
            _shoot(f"http://127.0.0.1:{port}", cookie, pages, args.out)
        finally:
            server.terminate()
            server.wait(timeout=10)


def _shoot(base: str, cookie: str, pages: dict[str, str], out: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for size, (width, height) in SIZES.items():
            for scheme in SCHEMES:
                context = browser.new_context(
                    viewport={"width": width, "height": height},
                    color_scheme=scheme,  # type: ignore[arg-type]
                    device_scale_factor=1,
                )
                context.add_cookies([{"name": "sessionid", "value": cookie, "url": base}])
                page = context.new_page()
                for name, path in pages.items():
                    page.goto(base + path)
                    page.wait_for_load_state("networkidle")
                    target = out / f"{name}-{size}-{scheme}.png"
                    page.screenshot(path=str(target))
                    _shrink(target)
                    print(target.relative_to(REPO) if target.is_relative_to(REPO) else target)
                context.close()
        browser.close()


def _shrink(path: Path) -> None:
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


if __name__ == "__main__":
    main()
