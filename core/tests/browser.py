"""Shared pieces for the real-browser tests: one Chromium per session, a fresh context per
test, the two viewports, and an axe check to run on every page a test visits.

The fixtures are imported by the ``conftest.py`` of each tests folder that drives a browser;
the helpers are imported by the test modules themselves.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 3,
}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Playwright's default is 30 s; a page of this product that takes longer is broken anyway,
# and a shorter limit makes a failing test fail sooner.
TIMEOUT_MS = 15_000


class _SharedBrowser:
    """One Playwright driver and one Chromium for the whole run.

    Each tests folder's conftest imports the ``browser`` fixture, which makes pytest register
    it once per folder; two sync Playwright drivers cannot run in one thread, so every copy
    of the fixture shares this one and the last to finish closes it.
    """

    def __init__(self):
        self.users = 0
        self.playwright = None
        self.chromium = None

    def acquire(self):
        if self.users == 0:
            self.playwright = sync_playwright().start()
            self.chromium = self.playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS
            )
        self.users += 1
        return self.chromium

    def release(self):
        self.users -= 1
        if self.users == 0:
            self.chromium.close()
            self.playwright.stop()
            self.chromium = self.playwright = None


_shared = _SharedBrowser()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium (never a downloaded browser), shared by the whole run."""
    chromium = _shared.acquire()
    yield chromium
    _shared.release()


# The product's two languages; a journey walked in both is parametrized with ``language``.
LANGUAGES = ["sv", "en"]
_BROWSER_LOCALES = {"sv": "sv-SE", "en": "en-GB"}


@pytest.fixture
def language():
    """The language a browser test walks the product in: Swedish, unless the test is
    parametrized with ``language`` (``@pytest.mark.parametrize("language", LANGUAGES)``)."""
    return "sv"


@pytest.fixture
def new_context(browser, language, request):
    """Factory for fresh browser contexts (separate cookies = separate devices), closed after
    the test. ``new_context("phone")`` or ``new_context("desktop", java_script_enabled=False)``.

    Every context is in the test's ``language``: in English it carries the language cookie the
    header's language button sets, as a visitor who chose English; ``assert_accessible`` then
    also checks that every page it looks at says so in ``<html lang>``.
    """
    contexts = []
    violations = []

    def make(viewport="desktop", **options):
        # A Swedish browser unless the test says otherwise (the product serves Swedish to any
        # browser until the visitor chooses English; the locale is what a visitor would have).
        options.setdefault("locale", _BROWSER_LOCALES[language])
        context = browser.new_context(**VIEWPORTS[viewport], **options)
        context.set_default_timeout(TIMEOUT_MS)
        if language != "sv":
            _choose_language(context, request.getfixturevalue("live_server").url, language)
        context.digilyft_language = language
        watch_content_security_policy(context, violations)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


def _choose_language(context, base_url, language):
    from django.conf import settings

    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}]
    )


# Reports every Content-Security-Policy violation to the console, where the listener below
# hears it (Chromium also logs its own "Refused to …" message; both are caught).
_REPORT_VIOLATIONS_JS = """
document.addEventListener('securitypolicyviolation', (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`
    + ` on ${document.location.pathname}`);
});
"""


def watch_content_security_policy(context, violations: list):
    """Every page of ``context`` adds what the Content-Security-Policy refused to
    ``violations``; ``new_context`` fails the test on any, so every browser test checks that
    the pages it visits satisfy the policy."""
    context.add_init_script(_REPORT_VIOLATIONS_JS)

    def heard(message):
        text = message.text
        if "CSP violation" in text or (
            text.startswith("Refused to") and "Content Security Policy" in text
        ):
            violations.append(text)

    context.on("console", heard)


def describe_violations(violations) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation.get('impact')}): {violation['help']}")
        lines.append(f"  {violation.get('helpUrl', '')}")
        for node in violation["nodes"]:
            lines.append(f"    {node['html']}")
            summary = node.get("failureSummary")
            if summary:
                lines.append("      " + summary.replace("\n", "\n      "))
    return "\n".join(lines)


def assert_accessible(page):
    """Run axe (WCAG 2.0/2.1 A and AA rules) on the page as it is now; fail on any violation.

    Not for contexts made with ``java_script_enabled=False``: axe runs as a script there and
    never finishes.
    """
    expected = getattr(page.context, "digilyft_language", None)
    if expected:
        expect(page.locator("html")).to_have_attribute("lang", expected)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    # A run that checked nothing would pass silently; make sure axe really looked.
    assert results.response["passes"], f"axe ran no checks on {page.url}"
    violations = results.response["violations"]
    assert violations == [], (
        f"axe found {len(violations)} accessibility violation(s) on {page.url}:\n"
        + describe_violations(violations)
    )


def assert_fits_the_screen(page):
    """Nothing makes the page wider than the screen (wide tables scroll inside their own box).
    On a phone, wider content would make the browser zoom the whole page out."""
    width, screen = page.evaluate("[document.documentElement.scrollWidth, window.screen.width]")
    assert width <= screen, f"{page.url} is {width}px wide on a {screen}px screen"


def open_menu(page):
    """Open the header's menu where it is a disclosure (a phone); elsewhere it is open."""
    summary = page.locator("header details.main-menu > summary")
    if summary.is_visible():
        summary.click()
    expect(page.locator("header nav[aria-label]")).to_be_visible()


def log_in(page, base_url, username):
    """Log in through the real login form (the password every test persona has)."""
    from conftest import PASSWORD

    page.goto(base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form[action$='/login/'] button[type=submit]").click()
    expect(page.locator("a[href$='/coordinator/']").first).to_be_attached()


_HIDDEN_COLUMNS_JS = """() => {
  const problems = [];
  const viewport = document.documentElement.clientWidth;
  for (const table of document.querySelectorAll('main table')) {
    if (!table.getClientRects().length) continue;  // not shown at this width
    const box = table.parentElement;
    const name = (table.caption ? table.caption.textContent : table.className).trim().slice(0, 60);
    if (box.classList.contains('cued')) {
      // Scrolls on purpose: then a visible cue must say so and the first column must stay.
      const cue = box.previousElementSibling;
      const cueShown = cue && cue.classList.contains('scroll-cue') && cue.getClientRects().length
        && cue.getBoundingClientRect().height > 0;
      const firsts = [...table.querySelectorAll('tr > :first-child')];
      const sticky = firsts.every(cell => getComputedStyle(cell).position === 'sticky');
      if (table.scrollWidth > box.clientWidth + 1 && !(cueShown && sticky)) {
        problems.push(`${name}: scrolls without a visible cue and a first column that stays`);
      }
      continue;
    }
    if (table.scrollWidth > box.clientWidth + 1) {
      problems.push(`${name}: ${table.scrollWidth}px wide in a ${box.clientWidth}px box`);
      continue;
    }
    for (const cell of table.querySelectorAll('th, td')) {
      const rect = cell.getBoundingClientRect();
      if (rect.width && (rect.right > viewport + 1 || rect.left < -1)) {
        const text = cell.textContent.trim().slice(0, 30);
        const right = rect.right.toFixed(1);
        problems.push(`${name}: a cell (${text}) reaches ${right}px of ${viewport}px`);
        break;
      }
    }
  }
  return problems;
}"""


def assert_no_hidden_columns(page):
    """Every table on the page is shown whole: none is wider than its box (which would hide
    its right-hand columns behind an inner scroll) and no cell lies outside the screen. The
    one exception is a table that scrolls on purpose (its box marked ``cued``): it must have a
    visible ``.scroll-cue`` just before it and a first column that stays in view (sticky)."""
    problems = page.evaluate(_HIDDEN_COLUMNS_JS)
    assert problems == [], f"tables on {page.url} hide columns:\n" + "\n".join(problems)


_CHART_TEXT_JS = """() => {
  const sizes = [];
  for (const svg of document.querySelectorAll('main svg')) {
    const rect = svg.getBoundingClientRect();
    if (!rect.width || !svg.viewBox.baseVal || !svg.viewBox.baseVal.width) continue;
    const scale = rect.width / svg.viewBox.baseVal.width;
    for (const text of svg.querySelectorAll('text')) {
      if (!text.getClientRects().length || !text.textContent.trim()) continue;
      sizes.push(parseFloat(getComputedStyle(text).fontSize) * scale);
    }
  }
  return sizes;
}"""


def chart_text_sizes(page) -> list[float]:
    """The rendered size in CSS pixels of every visible text in the page's charts (its font
    size times the factor the SVG is scaled by)."""
    return page.evaluate(_CHART_TEXT_JS)


def screenshot(page, name):
    """A full-page screenshot for a person to look at, only when DIGILYFT_SCREENSHOTS names a
    folder (never asserted on)."""
    import os

    folder = os.environ.get("DIGILYFT_SCREENSHOTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        width = page.viewport_size["width"] if page.viewport_size else 0
        page.screenshot(path=os.path.join(folder, f"{name}-{width}.png"), full_page=True)
