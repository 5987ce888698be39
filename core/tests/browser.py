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
  const visible = (element) => element && !element.hidden
    && element.getClientRects().length > 0 && element.getBoundingClientRect().height > 0
    && getComputedStyle(element).visibility !== 'hidden';
  for (const table of document.querySelectorAll('main table')) {
    if (!table.getClientRects().length) continue;  // not shown at this width
    const name = (table.caption ? table.caption.textContent : table.id || table.className)
      .trim().slice(0, 60);
    const box = table.closest('.table-scroll');
    const scrolls = box && ['auto', 'scroll'].includes(getComputedStyle(box).overflowX);
    if (box && table.scrollWidth > box.clientWidth + 1) {
      // Wider than the screen: it must scroll in its box, say so above it, keep its first column.
      const cue = box.previousElementSibling;
      const cued = cue && cue.classList.contains('scroll-cue') && visible(cue);
      const firsts = [...table.querySelectorAll('tr > :first-child')];
      const sticky = firsts.every(cell => getComputedStyle(cell).position === 'sticky');
      if (!(scrolls && cued && sticky)) {
        problems.push(`${name}: ${table.scrollWidth}px in a ${box.clientWidth}px box, ` +
          `scrolls: ${scrolls}, cue shown: ${Boolean(cued)}, first column stays: ${sticky}`);
      }
      continue;
    }
    if (!box && table.scrollWidth > table.parentElement.clientWidth + 1) {
      const room = table.parentElement.clientWidth;
      problems.push(`${name}: ${table.scrollWidth}px wide in a ${room}px box,` +
        ' with no scroll box (class table-scroll)');
      continue;
    }
    if (scrolls) continue;  // fits its scroll box: nothing hidden
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


def hidden_columns(page) -> list[str]:
    """What hides a column on the page as it is now (see ``assert_no_hidden_columns``)."""
    return page.evaluate(_HIDDEN_COLUMNS_JS)


def assert_no_hidden_columns(page):
    """No table on the page hides a column without saying so. A table that fits is shown
    whole (no cell outside the screen); a table wider than its box scrolls in it (the one
    mechanism of ``core/static/core/tables.js``): the box scrolls sideways, a visible
    ``.scroll-cue`` stands right above it and the first column stays in view (sticky). A
    table wider than its box with no scroll box fails."""
    problems = hidden_columns(page)
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


_CHART_PROBLEMS_JS = """() => {
  const problems = [];
  const charts = [...document.querySelectorAll('main figure')].filter(f => f.querySelector('svg'));
  charts.forEach((figure, index) => {
    const svg = [...figure.querySelectorAll('svg')].find(s => s.getClientRects().length
      && s.getBoundingClientRect().width > 0);
    if (!svg) return;
    const name = `chart ${index + 1} (${svg.getAttribute('class') || ''})`;
    // Every text that shows: none may overlap another (axis labels, names, values).
    const boxes = [...svg.querySelectorAll('text')]
      .filter(t => t.textContent.trim() && t.getClientRects().length
        && getComputedStyle(t).display !== 'none' && getComputedStyle(t).visibility !== 'hidden'
        && !t.closest('.tooltip'))
      .map(t => [t.textContent.trim(), t.getBoundingClientRect()])
      .filter(([_text, r]) => r.width > 0 && r.height > 0);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, ra] = boxes[i], [b, rb] = boxes[j];
        const x = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
        const y = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
        if (x > 1 && y > 1) problems.push(`${name}: "${a}" overlaps "${b}"`);
      }
    }
    // The key lists the colours drawn, no more and no fewer.
    const drawn = new Set([...svg.querySelectorAll('.series rect.rect, rect.bar')]
      .filter(r => r.getBoundingClientRect().width >= 0.5)
      .map(r => getComputedStyle(r).fill));
    const swatches = [...figure.querySelectorAll('.chart-key .swatch')]
      .map(s => getComputedStyle(s).backgroundColor);
    if (swatches.length && [...drawn].sort().join() !== [...new Set(swatches)].sort().join()) {
      problems.push(`${name}: the key lists ${swatches.join(', ')} but ${[...drawn].join(', ')}`
        + ' are drawn');
    }
    if (!swatches.length && drawn.size > 1) {
      problems.push(`${name}: ${drawn.size} colours drawn without a key`);
    }
    // Each chart keeps its data table: the figure is followed by one (or holds one).
    let next = figure.nextElementSibling;
    while (next && !next.matches('table, .table-scroll') && !next.querySelector('table')) {
      next = next.nextElementSibling;
    }
    if (!next && !figure.querySelector('table')) {
      problems.push(`${name}: no data table after the chart`);
    }
  });
  return problems;
}"""


def chart_problems(page) -> list[str]:
    """What makes a chart on the page as it is now hard to read: two texts overlapping
    (bounding boxes of axis labels, names and values), a key that lists other colours than
    the bars drawn, or no data table after the chart."""
    return page.evaluate(_CHART_PROBLEMS_JS)


def assert_charts_readable(page):
    """Every chart shown on the page: texts at least 12 px, none overlapping another, a key
    listing only what is drawn, and its data table after it."""
    sizes = chart_text_sizes(page)
    assert sizes, f"no chart text on {page.url}"
    assert min(sizes) >= 12, f"chart text down to {min(sizes):.1f}px on {page.url}"
    problems = chart_problems(page)
    assert problems == [], f"charts on {page.url}:\n" + "\n".join(problems)


def screenshot(page, name):
    """A full-page screenshot for a person to look at, only when DIGILYFT_SCREENSHOTS names a
    folder (never asserted on)."""
    import os

    folder = os.environ.get("DIGILYFT_SCREENSHOTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        width = page.viewport_size["width"] if page.viewport_size else 0
        page.screenshot(path=os.path.join(folder, f"{name}-{width}.png"), full_page=True)


_BROKEN_TEXT_JS = r"""() => {
  // Where a line break falls in the text as drawn: inside a word without a hyphen, or inside
  // a number or an amount ("10 000 / 000,00 kr").
  const WORD = /[\p{L}\p{N}]/u;
  const NUMBER = new RegExp([
    /\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?(?:[ \u00a0\u202f](?:kr|%))?/.source,  // 10 000,00 kr
    /\d+(?:[,.]\d+)?[ \u00a0\u202f](?:kr|%)/.source,  // 12 kr, 95 %
    /\d+[,.]\d+/.source,  // 3,5
  ].join('|'), 'g');
  const problems = [];
  const range = document.createRange();
  const lineOf = (node, index) => {
    range.setStart(node, index);
    range.setEnd(node, index + 1);
    // A letter right after a soft hyphen that broke the line also reports the drawn hyphen's
    // box on the line above; the last box is the letter's own.
    const rects = range.getClientRects();
    return rects.length ? rects[rects.length - 1] : null;
  };
  // Text only for screen readers (clipped to a pixel, as .visually-hidden and a stacked
  // table's head are) is never drawn, so it cannot break.
  const clipped = (element) => {
    for (let e = element; e && e !== document.body; e = e.parentElement) {
      const style = getComputedStyle(e);
      if ((style.clip && style.clip !== 'auto') || style.clipPath !== 'none') return true;
    }
    return false;
  };
  const apart = (a, b) => a && b && b.top >= a.bottom - Math.min(a.height, b.height) / 2;
  const walker = document.createTreeWalker(document.querySelector('main') || document.body,
                                           NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.data;
    const parent = node.parentElement;
    if (!text.trim() || !parent || !parent.getClientRects().length) continue;
    if (parent.closest('svg, script, style') || clipped(parent)) continue;
    const context = (i) => text.slice(Math.max(0, i - 15), i + 16).replace(/\s+/g, ' ');
    let previous = null;
    for (let i = 0; i < text.length; i++) {
      const here = WORD.test(text[i]) ? lineOf(node, i) : null;
      if (previous && here && WORD.test(text[i - 1]) && apart(previous, here)) {
        problems.push(`a word broken without a hyphen: …${context(i)}…`);
      }
      previous = here;
    }
    for (const match of text.matchAll(NUMBER)) {
      const first = lineOf(node, match.index);
      const last = lineOf(node, match.index + match[0].length - 1);
      if (apart(first, last)) problems.push(`a number broken across lines: ${match[0]}`);
    }
  }
  return problems;
}"""


def broken_text(page) -> list[str]:
    """Where a line break on the page falls inside a word without a hyphen (a soft hyphen
    shows one) or inside a number or an amount. Only text a reader sees, charts excepted."""
    return page.evaluate(_BROKEN_TEXT_JS)
