"""The demo video tutorial on a slow phone network: when the first step's screenshot shows, and how many bytes
the page fetches before the citizen touches anything, beside the same page with every video request blocked.

Chromium (Debian's, through Playwright) at 390x844 with slow-4G emulation through the DevTools protocol
(Network.emulateNetworkConditions: 1.6 Mbit/s down, 750 kbit/s up, 150 ms RTT; cache off), standard and elder
mode, alternating runs, medians. Aims: screenshot visible within 1.5 s; under 60 KB before the first interaction.
bench/page_weight.py counts HTML+CSS+JS alone (gzip, no browser); this one counts what the browser really fetches,
images and video included. Run through `make bench` (PostgreSQL with the demo content): it collects the static files
into a temporary directory and starts `python -m cms.serve` on a free port, as a site would run.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROME = os.environ.get("CHROMIUM", "/usr/bin/chromium")
DEMO_TUTORIAL = "查询社保缴费记录"
RUNS = int(os.environ.get("STEP_VIDEO_RUNS", "5"))
SLOW_4G = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1_600_000 / 8,
    "uploadThroughput": 750_000 / 8,
}
AIM_SECONDS, AIM_KB = 1.5, 60.0
SHOT_VISIBLE = """() => {
  const img = document.querySelector('#step-1 .screenshot__img');
  return img && img.complete && img.naturalWidth > 0 ? performance.now() : false;
}"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(work: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = dict(os.environ)
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        SERVE_MEDIA="1",
        STATIC_DIR=str(work / "static"),
        WEB_BIND=f"127.0.0.1:{port}",
        WEB_WORKERS="1",
        WEB_ACCESS_LOG="0",
        LOG_LEVEL="WARNING",
    )
    py = sys.executable
    subprocess.run([py, "manage.py", "collectstatic", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen([py, "-m", "cms.serve"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        if server.poll() is not None:
            raise RuntimeError(f"cms.serve exited with {server.returncode}")
        try:
            with urllib.request.urlopen(base + "/", timeout=2):
                return server, base
        except (urllib.error.URLError, OSError):
            if time.monotonic() > deadline:
                server.terminate()
                raise RuntimeError("cms.serve did not answer within 60 s") from None
            time.sleep(0.3)


def tutorial_path() -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
    import django

    django.setup()
    from tutorials.models import TutorialPage

    page = TutorialPage.objects.live().filter(title=DEMO_TUTORIAL).first()
    if page is None:
        raise SystemExit(f"no live tutorial {DEMO_TUTORIAL!r}: run `manage.py seed_demo` first")
    return page.url


def measure(browser, url: str, *, elder: bool, block_media: bool) -> tuple[float, dict[str, float], int]:
    """(seconds until the first step's screenshot has loaded, KB fetched by URL before any interaction, video
    requests made)."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    if elder:
        context.add_cookies([{"name": "bangban_mode", "value": "elder", "url": url}])
    if block_media:
        context.route("**/videos/**", lambda route: route.abort())
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", SLOW_4G)
    urls: dict[str, str] = {}
    sizes: dict[str, float] = {}

    def sent(event) -> None:
        urls[event["requestId"]] = event["request"]["url"]

    def finished(event) -> None:
        url = urls.get(event["requestId"], "?")
        sizes[url] = sizes.get(url, 0.0) + event["encodedDataLength"] / 1024

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.loadingFinished", finished)
    page.goto(url, wait_until="commit")
    visible_ms = page.wait_for_function(SHOT_VISIBLE, polling="raf", timeout=60_000).json_value()
    page.wait_for_load_state("load")
    page.wait_for_load_state("networkidle")
    context.close()
    return visible_ms / 1000, sizes, sum("/videos/" in url for url in urls.values())


def main() -> int:
    from playwright.sync_api import sync_playwright

    path = tutorial_path()
    work = Path(tempfile.mkdtemp(prefix="bangban-step-video-"))
    server, base = start_server(work)
    results: dict[tuple[str, str], list[tuple[float, float, int]]] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROME, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            for _ in range(RUNS):
                for elder in (False, True):
                    for block_media in (False, True):  # alternating, so drift hits both alike
                        key = ("elder" if elder else "standard", "media blocked" if block_media else "as served")
                        results.setdefault(key, []).append(
                            measure(browser, base + path, elder=elder, block_media=block_media)
                        )
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)

    print(f"{DEMO_TUTORIAL} under slow 4G (1.6 Mbit/s, 150 ms RTT), 390x844, median of {RUNS} runs")
    print(f"{'mode':<9} {'page':<14} {'screenshot s':>12} {'KB before touch':>16} {'video requests':>15}")
    worst_seconds = worst_kb = 0.0
    for (mode, variant), rows in results.items():
        seconds = statistics.median(row[0] for row in rows)
        kb = statistics.median(sum(row[1].values()) for row in rows)
        requests = max(row[2] for row in rows)
        print(f"{mode:<9} {variant:<14} {seconds:>12.2f} {kb:>16.1f} {requests:>15}")
        if variant == "as served":
            worst_seconds, worst_kb = max(worst_seconds, seconds), max(worst_kb, kb)
    print("fetched before the first interaction (standard mode, as served, last run):")
    for address, kb in sorted(results[("standard", "as served")][-1][1].items(), key=lambda item: -item[1]):
        print(f"  {kb:>7.1f} KB  {address.removeprefix(base)}")
    print(
        f"aim: screenshot within {AIM_SECONDS} s (worst {worst_seconds:.2f} s), "
        f"under {AIM_KB:.0f} KB before the first interaction (worst {worst_kb:.1f} KB)"
    )
    return 0 if worst_seconds <= AIM_SECONDS and worst_kb < AIM_KB else 1


if __name__ == "__main__":
    sys.exit(main())
