"""Browser tests: Debian's Chromium, headless, driven by Playwright against a live server.

Never a downloaded browser: the executable is /usr/bin/chromium (override with CHROMIUM_PATH);
`make test` installs Debian's package when it is missing.

Every page opened through the `page` and `phone_page` fixtures records its problems in
`page.problems`: console errors, uncaught exceptions, Content-Security-Policy violations and
failed requests. Screenshots go to /tmp/browser-shots (override with BROWSER_SHOTS_DIR)."""

import json
import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test body
# are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
AXE_SCRIPT = Path(__file__).parent / "vendor" / "axe-4.11.0.min.js"
SHOTS_DIR = Path(os.environ.get("BROWSER_SHOTS_DIR", "/tmp/browser-shots"))
# The number of synthetic polling stations the geography tests build: enough for every search
# to find something, small enough to build in well under a second.
DEMO_STATIONS = 200

# Reported to the console by the page itself, so that CSP violations are seen even when the
# browser does not log them (e.g. report-only policies).
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || "?"}:${event.lineNumber || "?"}`);
});
"""


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}; `make test` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


class PageProblems(list):
    """Console errors, uncaught exceptions, CSP violations and failed requests seen on a page."""


def watch_problems(page):
    """Collect the page's problems in `page.problems`."""
    problems = PageProblems()

    def on_console(message):
        if message.type == "error":
            problems.append(f"console: {message.text} ({message.location.get('url', '')})")

    def on_response(response):
        if response.status >= 400:
            problems.append(f"HTTP {response.status}: {response.request.method} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))

    def on_request_failed(request):
        # ERR_ABORTED is the browser cancelling a load because the test navigated on (a favicon
        # still in flight, say); missing files are caught as HTTP 4xx by on_response.
        if request.failure and "ERR_ABORTED" in request.failure:
            return
        problems.append(f"request failed: {request.url} {request.failure}")

    page.on("requestfailed", on_request_failed)
    page.on("response", on_response)
    page.add_init_script(_CSP_LISTENER)
    page.problems = problems
    return page


def _new_page(browser, **options):
    context = browser.new_context(**options)
    context.set_default_timeout(15_000)
    return context, watch_problems(context.new_page())


@pytest.fixture
def page(chromium_browser):
    """A desktop browser window (1280 × 900)."""
    context, page = _new_page(
        chromium_browser, viewport={"width": 1280, "height": 900}, locale="az-AZ"
    )
    yield page
    context.close()


@pytest.fixture
def phone_page(chromium_browser):
    """A cheap phone: 360 px wide."""
    context, page = _new_page(
        chromium_browser,
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="az-AZ",
    )
    yield page
    context.close()


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded and generated files (the demo content's PDFs) go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def demo_geography(live_server):
    """Synthetic regions, districts, constituencies and DEMO_STATIONS polling stations."""
    from geo.demo import build_demo_geography

    build_demo_geography(stations=DEMO_STATIONS)


@pytest.fixture
def demo_content(live_server, media_root):
    """The site skeleton plus the demo articles (with PDF attachments) in az, en and ru."""
    from publications.demo import build_demo_content

    build_demo_content()


def run_axe(page) -> list[dict]:
    """axe-core's serious and critical violations on the current page (WCAG 2.1 A and AA)."""
    # Evaluated through the DevTools protocol, so the page's CSP does not block it.
    page.evaluate(AXE_SCRIPT.read_text())
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
        }"""
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


def describe(violations) -> str:
    return json.dumps(violations, ensure_ascii=False, indent=2)


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than its window (0: no sideways scrolling)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def screenshot(page, name: str, *, full_page: bool = True) -> Path:
    """Save a screenshot for a human to look at (not compared against anything)."""
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    path = SHOTS_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def submit(page, field_selector: str) -> None:
    """Submit the form holding `field_selector` as a person would: Enter in that field. (Its
    default button, never a button of another form such as "Cancel".)"""
    with page.expect_navigation():
        page.press(field_selector, "Enter")
