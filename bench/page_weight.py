"""Tutorial page weight on the wire: HTML + CSS + JS, gzip-compressed, images aside.

Budget: 60 KB per tutorial page. Run through `make bench` (PostgreSQL with the demo content).
"""

import gzip
import os
import re
import statistics
import sys

BUDGET_KB = 60.0


def gzip_kb(data: bytes) -> float:
    return len(gzip.compress(data, compresslevel=6)) / 1024


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
    import django

    django.setup()
    from django.contrib.staticfiles import finders
    from django.test import Client

    from tutorials.models import TutorialPage

    pages = list(TutorialPage.objects.live().order_by("title"))
    if not pages:
        print("no live tutorials: run `manage.py seed_demo` first", file=sys.stderr)
        return 1
    client = Client()
    rows = []
    for elder in (False, True):
        if elder:
            client.cookies["bangban_mode"] = "elder"
        for page in pages:
            response = client.get(page.url, HTTP_HOST="localhost")
            html = response.content
            assets = re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
            asset_bytes = b""
            for asset in assets:
                path = finders.find(asset.decode())
                with open(path, "rb") as handle:
                    asset_bytes += handle.read()
            html_kb, asset_kb = gzip_kb(html), gzip_kb(asset_bytes)
            rows.append((page.title, "elder" if elder else "standard", html_kb, asset_kb, html_kb + asset_kb))

    print(f"{'mode':<9} {'html KB':>8} {'css+js KB':>10} {'total KB':>9} {'of budget':>10}  tutorial")
    for title, mode, html_kb, asset_kb, total in rows:
        print(f"{mode:<9} {html_kb:>8.1f} {asset_kb:>10.1f} {total:>9.1f} {total / BUDGET_KB:>10.0%}  {title}")
    totals = [row[4] for row in rows]
    print(
        f"\ntutorial page weight (gzip, images aside): median {statistics.median(totals):.1f} KB, "
        f"max {max(totals):.1f} KB, budget {BUDGET_KB:.0f} KB -> max is {max(totals) / BUDGET_KB:.0%} of budget"
    )
    return 0 if max(totals) <= BUDGET_KB else 1


if __name__ == "__main__":
    sys.exit(main())
