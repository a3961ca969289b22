"""Lighthouse (npm, mobile, Debian's Chromium) on the production server: home, the demo video tutorial and a
search, in standard and elder mode.

Prints performance, accessibility, best practices and SEO per page and mode (the median of LIGHTHOUSE_RUNS runs,
3) beside the aims (95, 100, 100, 100), and the audits that cost points. Run through `make bench` (PostgreSQL
with the demo content); it collects the static files into a temporary directory and starts `python -m cms.serve`
on a free port, as a site would run, and warms its processes up first.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
AIMS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
DEMO_TUTORIAL = "查询社保缴费记录"
SEARCH = "怎么查社保"
RUNS = int(os.environ.get("LIGHTHOUSE_RUNS", "3"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(static_dir: str, port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        # Plain HTTP on this machine: no redirect to HTTPS (a real site has TLS in front).
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        SERVE_MEDIA="1",
        STATIC_DIR=static_dir,
        WEB_BIND=f"127.0.0.1:{port}",
        WEB_WORKERS="2",
        WEB_ACCESS_LOG="0",
        LOG_LEVEL="WARNING",
    )
    return env


def wait_until_up(url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"cms.serve exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    raise RuntimeError(f"cms.serve did not answer {url} within {seconds:.0f} s")


def tutorial_path() -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
    import django

    django.setup()
    from tutorials.models import TutorialPage

    page = TutorialPage.objects.live().filter(title=DEMO_TUTORIAL).first() or TutorialPage.objects.live().first()
    if page is None:
        raise SystemExit("no live tutorials: run `manage.py seed_demo` first")
    return page.url


def lighthouse(url: str, *, elder: bool, out: Path) -> dict:
    headers = {"Cookie": "bangban_mode=elder"} if elder else {}
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={out}",
        "--quiet",
        "--form-factor=mobile",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        f"--extra-headers={json.dumps(headers)}",
    ]
    for attempt in range(3):
        # Lighthouse now and then loses the trace of a load on a busy machine (NO_NAVSTART); it says to run again.
        done = subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROME}, timeout=300)
        if done.returncode == 0:
            return json.loads(out.read_text())
        print(f"lighthouse failed on {url} (attempt {attempt + 1} of 3)", file=sys.stderr)
    raise RuntimeError(f"lighthouse failed three times on {url}")


def lost_points(report: dict) -> list[str]:
    """The audits under 1 in each category that counts them (performance shows its metrics instead)."""
    lines = []
    for key in CATEGORIES[1:]:
        for ref in report["categories"][key]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                lines.append(f"{key}: {ref['id']} ({audit['title']})")
    return lines


def metrics(report: dict) -> str:
    audits = report["audits"]
    names = {
        "first-contentful-paint": "FCP",
        "largest-contentful-paint": "LCP",
        "total-blocking-time": "TBT",
        "cumulative-layout-shift": "CLS",
    }
    return ", ".join(f"{short} {audits[key]['displayValue']}" for key, short in names.items() if key in audits)


def main() -> int:
    if not LIGHTHOUSE.exists():
        print(f"{LIGHTHOUSE} is missing: run `npm ci`", file=sys.stderr)
        return 1
    pages = {"home": "/", "tutorial": tutorial_path(), "search": f"/search/?q={quote(SEARCH)}"}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    work = Path(tempfile.mkdtemp(prefix="bangban-lighthouse-"))
    env = server_env(str(work / "static"), port)
    # LIGHTHOUSE_REPORTS=dir keeps the JSON reports (open them in the Lighthouse viewer); else they go with the run.
    reports = Path(os.environ.get("LIGHTHOUSE_REPORTS") or work)
    reports.mkdir(parents=True, exist_ok=True)
    py = sys.executable
    subprocess.run([py, "manage.py", "collectstatic", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen([py, "-m", "cms.serve"], cwd=ROOT, env=env)
    rows, problems, failed = [], {}, False
    try:
        wait_until_up(base + "/", server)
        # A site's processes are warm: the first search of each loads the word lists (several seconds here).
        for _ in range(2 * int(env["WEB_WORKERS"])):
            for elder in (False, True):
                for path in pages.values():
                    request = urllib.request.Request(
                        base + path, headers={"Cookie": "bangban_mode=elder"} if elder else {}
                    )
                    with urllib.request.urlopen(request, timeout=60) as response:
                        response.read()
        for elder in (False, True):
            mode = "elder" if elder else "standard"
            for name, path in pages.items():
                # Lighthouse's figures vary from run to run on a busy machine: the median run of RUNS, by performance.
                runs = []
                for run in range(RUNS):
                    report = lighthouse(base + path, elder=elder, out=reports / f"{name}-{mode}-{run + 1}.json")
                    runs.append((report["categories"]["performance"]["score"] or 0, run, report))
                report = sorted(runs, key=lambda item: item[:2])[len(runs) // 2][2]
                scores = {key: round((report["categories"][key]["score"] or 0) * 100) for key in CATEGORIES}
                rows.append((name, mode, scores, metrics(report)))
                print(f"{name} ({mode}): {scores}", file=sys.stderr, flush=True)
                problems[(name, mode)] = lost_points(report)
                failed |= any(scores[key] < AIMS[key] for key in CATEGORIES)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)

    print(f"{'page':<9} {'mode':<9} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5}  metrics")
    for name, mode, scores, figures in rows:
        values = " ".join(f"{scores[key]:>5}" for key in CATEGORIES)
        print(f"{name:<9} {mode:<9} {values}  {figures}")
    aims = " ".join(f"{AIMS[key]:>5}" for key in CATEGORIES)
    print(f"{'aim':<9} {'':<9} {aims}  (Lighthouse mobile: simulated slow 4G, 4x CPU slowdown; median of {RUNS})")
    for (name, mode), lines in problems.items():
        for line in lines:
            print(f"  {name} ({mode}) loses points on {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
