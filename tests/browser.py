"""Headless Chromium for the tests: open a local page at a viewport, list what went wrong, keep a screenshot.

The browser is Debian's ``/usr/bin/chromium`` (or ``$SCO_RESEARCH_CHROMIUM``), driven by Playwright for Python
through ``executable_path``: Playwright never downloads a browser here. Without Chromium (or Playwright) the tests
that use ``open_page`` are skipped, unless ``SCO_RESEARCH_REQUIRE_BROWSER=1`` (set by ``.ci/run``), which makes them
fail instead, so CI cannot pass with the browser check silently skipped.

The whole API::

    def test_front_page_fits_a_phone(open_page):        # the fixture (tests/conftest.py imports it)
        page = open_page(out / "index.html", 390, 844)   # a Playwright Page, loaded, at 390 x 844 CSS pixels
        assert problems(page) == []                      # console errors, remote/failed requests, overflow
        screenshot(page, "front-390")                    # a PNG under the session's screenshot folder, if wanted

Nothing leaves the page: every request that is not ``file:``, ``data:``, ``blob:`` or ``about:`` is aborted
before it is sent and reported by ``problems``.

Screenshots are kept for a look, not checked. Every page a test opened is saved when the test fails (as the page
was when it failed), and every page of every test when ``$SCO_RESEARCH_SCREENSHOTS`` names a folder, into that
folder; otherwise into ``screenshots/`` in pytest's base temporary folder. A full-page screenshot costs more than
loading the page (about 0.6 CPU-s each for the report pages), so a passing run takes none unless asked.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
REQUIRE_ENV = "SCO_RESEARCH_REQUIRE_BROWSER"
SCREENSHOTS_ENV = "SCO_RESEARCH_SCREENSHOTS"
_FAILED = pytest.StashKey[bool]()


@dataclass
class _Record:
    """What one page did while it loaded and afterwards (filled by Playwright's event handlers)."""

    width: int
    console_errors: list[str] = field(default_factory=list)
    remote_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    screenshot_dir: Path | None = None


_records: dict[int, _Record] = {}  # id(page) -> record; pages live only as long as the test that opened them


def chromium_path() -> str | None:
    """The Chromium executable to drive, or None when there is none on this machine."""
    path = os.environ.get("SCO_RESEARCH_CHROMIUM", "/usr/bin/chromium")
    return path if Path(path).exists() else shutil.which("chromium")


def _unavailable(reason: str):
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{reason}, and {REQUIRE_ENV}=1 requires the browser tests to run", pytrace=False)
    pytest.skip(f"{reason} (apt-get install chromium; pip install -r requirements.lock)")


@pytest.fixture(scope="session")
def chromium_browser(tmp_path_factory):
    """One headless Chromium for the whole session (per xdist worker)."""
    executable = chromium_path()
    if executable is None:
        _unavailable("Chromium is not installed (/usr/bin/chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed")
    with sync_playwright() as playwright:
        # No sandbox: CI runs as root; the pages are the project's own local files.
        browser = playwright.chromium.launch(executable_path=executable, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        yield browser
        browser.close()


def screenshots_asked() -> bool:
    """Whether ``$SCO_RESEARCH_SCREENSHOTS`` asks for a screenshot of every page (not only a failing test's)."""
    return bool(os.environ.get(SCREENSHOTS_ENV))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember whether a test failed, for ``open_page`` to keep its pages' screenshots (tests/conftest.py imports
    this hook)."""
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory) -> Path:
    """The folder screenshots are saved into (``$SCO_RESEARCH_SCREENSHOTS`` or ``<pytest basetemp>/screenshots``)."""
    folder = Path(os.environ.get(SCREENSHOTS_ENV) or tmp_path_factory.getbasetemp() / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def open_page(chromium_browser, screenshot_dir, request):
    """``open_page(path, width, height) -> Page``: a local HTML file loaded at that viewport, recording problems.

    Each call gets a fresh browser context (no shared cache or storage); all are closed when the test ends, after
    a screenshot of each page if the test failed or ``$SCO_RESEARCH_SCREENSHOTS`` asks for every page.
    """
    contexts = []

    def _open(path: Path | str, width: int, height: int):
        context = chromium_browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1,
                                               service_workers="block")
        contexts.append(context)
        record = _Record(width=width, screenshot_dir=screenshot_dir)

        def route(route):
            url = route.request.url
            if url.startswith(LOCAL_SCHEMES):
                route.continue_()
            else:
                record.remote_requests.append(url)
                route.abort("blockedbyclient")

        context.route("**/*", route)
        page = context.new_page()
        _records[id(page)] = record
        page.on("console", lambda message: message.type == "error" and record.console_errors.append(
            f"{message.text} ({message.location.get('url', '')}:{message.location.get('lineNumber', '')})"))
        page.on("pageerror", lambda error: record.console_errors.append(f"uncaught: {error}"))
        page.on("requestfailed", lambda request: request.url.startswith(LOCAL_SCHEMES)
                and record.failed_requests.append(f"{request.url} ({request.failure})"))
        page.goto(Path(path).resolve().as_uri(), wait_until="load")
        return page

    yield _open
    close_pages(contexts, request.node.name, keep=request.node.stash.get(_FAILED, False) or screenshots_asked())


def close_pages(contexts, name: str, *, keep: bool) -> list[Path]:
    """Close the browser contexts of a test called ``name``, saving a screenshot of each page first if ``keep``.

    Returns the screenshots saved, named ``<name>-<context number>-<page file>-<width>.png``.
    """
    saved = []
    for n, context in enumerate(contexts, start=1):
        for page in context.pages:
            if keep:
                width = page.viewport_size["width"]
                saved.append(screenshot(page, f"{name}-{n}-{Path(page.url).stem}-{width}", always=True))
            _records.pop(id(page), None)
        context.close()
    return saved


def overflow(page) -> int:
    """How many CSS pixels the document is wider than the viewport (0 when nothing scrolls sideways)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    return max(0, width - page.viewport_size["width"])


def problems(page) -> list[str]:
    """Everything wrong with a page opened by ``open_page``, one sentence each; empty when the page is fine.

    Console errors and uncaught exceptions, requests that would leave the machine (blocked), local files that
    failed to load, horizontal overflow of the document at the page's viewport width, and list numbers cut off
    by a box that clips what lies outside it.
    """
    record = _records[id(page)]
    found = [f"console error: {text}" for text in record.console_errors]
    found += [f"remote request (blocked): {url}" for url in record.remote_requests]
    found += [f"failed request: {text}" for text in record.failed_requests]
    extra = overflow(page)
    if extra:
        found.append(f"horizontal overflow: the document is {extra}px wider than the {record.width}px viewport"
                     f" (widest: {_widest(page)})")
    found += [f"list numbers cut off: {text}" for text in clipped_list_numbers(page)]
    return found


def clipped_list_numbers(page) -> list[str]:
    """Numbered lists whose longest number does not fit in the room left of the items.

    An outside marker hangs left of its item; a box that clips (``overflow`` other than visible) cuts off what lies
    beyond its edge, so "12." reads ".2". The marker's width is measured by showing the last item's marker inside
    for a moment: the distance from the item's edge to its first character.
    """
    return page.evaluate("""() => {
        const found = [];
        for (const list of document.querySelectorAll('ol')) {
            const items = [...list.children].filter(e => e.tagName === 'LI');
            if (!items.length || getComputedStyle(list).listStylePosition !== 'outside') continue;
            const last = items[items.length - 1];
            const walker = document.createTreeWalker(last, NodeFilter.SHOW_TEXT,
                {acceptNode: n => n.textContent.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP});
            const text = walker.nextNode();
            if (!text) continue;
            const first = text.textContent.search(/\\S/), range = document.createRange();
            range.setStart(text, first);
            range.setEnd(text, first + 1);
            const edge = last.getBoundingClientRect().left;
            last.style.listStylePosition = 'inside';
            const marker = range.getBoundingClientRect().left - edge;
            last.style.listStylePosition = '';
            let box = list.parentElement;
            while (box && getComputedStyle(box).overflowX === 'visible') box = box.parentElement;
            const room = edge - (box ? box.getBoundingClientRect().left : 0);
            if (marker > room + 0.5) {
                const cls = list.className ? '.' + list.className.split(' ')[0] : '';
                found.push(`<ol${cls}> of ${items.length}: the numbers need ${Math.round(marker)}px, `
                           + `${Math.round(room)}px left of the items`);
            }
        }
        return found;
    }""")


def _widest(page) -> str:
    """The element that reaches furthest right, to name in an overflow message."""
    return page.evaluate("""() => {
        let best = null, right = 0;
        for (const el of document.body.querySelectorAll('*')) {
            const r = el.getBoundingClientRect().right;
            if (r > right) { right = r; best = el; }
        }
        if (!best) return 'nothing';
        const cls = best.className && typeof best.className === 'string' ? '.' + best.className.split(' ')[0] : '';
        return `<${best.tagName.toLowerCase()}${cls}> ends at ${Math.round(right)}px`;
    }""")


def screenshot(page, name: str, full_page: bool = True, *, always: bool = False) -> Path | None:
    """Save a PNG of the page as ``<screenshot folder>/<name>.png`` and return its path.

    Only when ``$SCO_RESEARCH_SCREENSHOTS`` asks for screenshots, or ``always``; otherwise returns ``None`` (the
    pages of a failing test are saved anyway, by ``open_page``).
    """
    if not (always or screenshots_asked()):
        return None
    target = _records[id(page)].screenshot_dir / f"{name}.png"
    page.screenshot(path=str(target), full_page=full_page)
    return target
