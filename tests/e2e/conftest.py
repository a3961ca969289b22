import os
from pathlib import Path

import pytest
from django.test import testcases

# Django's live server answers MEDIA_URL itself, without HTTP Range support, so a browser cannot seek in a
# video. Let those requests reach the site's own range-capable view, as a real web server would serve them.
testcases._MediaFilesHandler._should_handle = lambda self, path: False

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "e2e"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in the test thread; the ORM calls that set up
    # data for these tests are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    if not AXE.exists():
        raise RuntimeError(f"{AXE} is missing: `make test` installs axe-core from npm")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


# Every page the fixtures make reports Content-Security-Policy violations: the event is turned into a console
# message (Chromium also logs its own "Refused to ..." line), so a blocked inline script or style fails the test.
CSP_WATCH = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.effectiveDirective} blocked ${event.blockedURI || "inline code"}`
    + ` at ${event.sourceFile || document.location.href}:${event.lineNumber}`);
});
"""


def watch_csp(context) -> list[str]:
    """Collects the CSP violations of every page in `context`; a test that makes its own context calls this and
    asserts the list is empty at the end (the fixtures below do it for their pages)."""
    violations: list[str] = []
    context.add_init_script(CSP_WATCH)

    def on_console(message):
        text = message.text
        if "CSP violation" in text or "Content Security Policy" in text:
            violations.append(f"{message.page.url if message.page else '?'}: {text}")

    context.on("console", on_console)
    return violations


def _fail_on(violations: list[str]) -> None:
    if violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(violations), pytrace=False)


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE, locale="zh-CN")
    violations = watch_csp(context)
    page = context.new_page()
    yield page
    context.close()
    _fail_on(violations)


@pytest.fixture
def phone_without_js(browser):
    context = browser.new_context(**PHONE, java_script_enabled=False)
    violations = watch_csp(context)
    page = context.new_page()
    yield page
    context.close()
    _fail_on(violations)


@pytest.fixture(scope="session")
def screenshot_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(autouse=True)
def live_server_idle_before_flush(request):
    """After a browser test, wait until the live server has answered what the closing browser still sent (Wagtail's
    editor releases its editing session on unload) before the database is emptied: a TRUNCATE meeting that request's
    locks was seen to deadlock. Set up after ``live_server``, so it is torn down before the flush."""
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("live_server")
    yield
    import time

    from django.db import connection

    if connection.vendor != "postgresql":
        return
    time.sleep(0.3)
    with connection.cursor() as cursor:
        for _ in range(50):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state = 'active'"
            )
            if not cursor.fetchone()[0]:
                break
            time.sleep(0.1)
