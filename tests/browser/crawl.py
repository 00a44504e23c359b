"""Walk every page a person can reach and check it: axe-core (WCAG 2.0, 2.1, 2.2 A and AA) at
1280 px then 320 px, sideways overflow at 320 px, and htmx loaded exactly where it is used.

From the home page, breadth first, following same-origin links (`a[href]`); pages are told apart
by their URL pattern (the resolved view name), so one representative of each kind of page is
checked per person. Files (PDF, CSV, downloads) are not pages and are skipped.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import BrowserContext, Page
from playwright.sync_api import Error as PlaywrightError

from tests.demo import view_name_of, worth_visiting

WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 640}
WIDTHS = (WIDE["width"], NARROW["width"])
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
OVERFLOW = "overflow-320"

HTMX_STATE = """() => ({
  loaded: typeof window.htmx !== "undefined"
    || document.querySelector('script[src*="htmx"]') !== null,
  used: Array.from(document.querySelectorAll("*")).some(
    (el) => Array.from(el.attributes).some((a) => a.name.startsWith("hx-"))),
})"""
# Pages drawn by their own script: checked once it has drawn them.
DRAWN_BY_SCRIPT = {"api:api_docs": "#swagger-ui .opblock"}
RUN_AXE = f"() => axe.run(document, {AXE_OPTIONS!r})".replace("'", '"')
SIDEWAYS = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"


@dataclass
class PageResult:
    role: str
    view_name: str
    url: str
    # "rule-id (impact): css target" per width, from axe.
    violations: dict[int, list[str]] = field(default_factory=dict)
    scroll_width_320: int = 0
    client_width_320: int = 0
    htmx_loaded: bool = False
    htmx_used: bool = False
    html_bytes: int = 0
    seconds: float = 0.0

    @property
    def overflows(self) -> bool:
        """Wider than the window at 320 px: the page scrolls sideways."""
        return self.scroll_width_320 > self.client_width_320

    def failures(self, width: int) -> set[str]:
        """The rule ids failing at `width`, plus `overflow-320` at 320 px."""
        rules = {v.split(" ", 1)[0] for v in self.violations.get(width, [])}
        if width == NARROW["width"] and self.overflows:
            rules.add(OVERFLOW)
        return rules


def same_origin_paths(page: Page, origin: str) -> list[str]:
    """The path and query string of every same-origin link of the page, in document order."""
    links: list[list[str | bool]] = page.eval_on_selector_all(
        "a[href]", "els => els.map(e => [e.href, e.hasAttribute('download')])"
    )
    paths = []
    for href, download in links:
        parts = urlsplit(str(href))
        if download or f"{parts.scheme}://{parts.netloc}" != origin:
            continue
        paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


def check_page(page: Page, role: str, view_name: str, url: str) -> PageResult:
    result = PageResult(role=role, view_name=view_name, url=url)
    state = page.evaluate(HTMX_STATE)
    result.htmx_loaded, result.htmx_used = state["loaded"], state["used"]
    for size in (WIDE, NARROW):
        page.set_viewport_size(size)
        answer = page.evaluate(RUN_AXE)
        result.violations[size["width"]] = [
            f"{v['id']} ({v['impact']}): {', '.join(str(t) for t in node['target'])}"
            for v in answer["violations"]
            for node in v["nodes"]
        ]
    page.set_viewport_size(NARROW)
    result.scroll_width_320, result.client_width_320 = page.evaluate(SIDEWAYS)
    page.set_viewport_size(WIDE)
    return result


def kind_of(path: str, *, by_language: bool) -> str | None:
    """The URL pattern; with `by_language`, each language of a page (`?lang=`) is a kind."""
    name = view_name_of(path)
    language = parse_qs(urlsplit(path).query).get("lang")
    return f"{name}?lang={language[0]}" if name and by_language and language else name


def crawl(
    context: BrowserContext,
    role: str,
    origin: str,
    start: str = "/",
    *,
    by_language: bool = False,
    refused: list[str] | None = None,
    also: Sequence[str] = (),
) -> list[PageResult]:
    """Check one representative of each kind of page reachable from `start` in `context`
    (already logged in as `role`, or anonymous); `by_language`: each translation of a page too
    (the pages people read, in French, English, Arabic, Ukrainian and Dari). Links answering
    403 or 404 are added to `refused`. `also`: pages no link leads to (a person opens them from
    an SMS), walked after `start` like the others."""
    refused = [] if refused is None else refused
    context.add_init_script(AXE_SCRIPT)  # injected outside the page's CSP, on every page
    page = context.new_page()
    page.set_viewport_size(WIDE)
    results: list[PageResult] = []
    queue: deque[str] = deque([start, *also])
    kinds: set[str] = set()  # queued or checked
    checked: set[str] = set()  # where the links led (a redirect may land on a checked kind)
    for path in (start, *also):
        start_kind = kind_of(path, by_language=by_language)
        if start_kind:
            kinds.add(start_kind)
    while queue:
        url = queue.popleft()
        started = time.monotonic()
        try:
            response = page.goto(url)
        except PlaywrightError as error:  # a download the link did not announce
            if "Download is starting" in str(error):
                continue
            raise
        if response is not None and response.status in (403, 404):
            refused.append(url)  # a link the role may not follow: reported, not checked
            continue
        if response is None or not response.ok:
            raise AssertionError(f"{role}: {url} answered {response and response.status}")
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        landed = urlsplit(page.url)
        path = landed.path + (f"?{landed.query}" if landed.query else "")
        view_name = kind_of(path, by_language=by_language) or landed.path
        if view_name in checked:
            continue
        checked.add(view_name)
        if view_name in DRAWN_BY_SCRIPT:
            page.wait_for_selector(DRAWN_BY_SCRIPT[view_name])
        result = check_page(page, role, view_name, url)
        result.html_bytes = len(response.body())
        result.seconds = time.monotonic() - started
        results.append(result)
        for path in same_origin_paths(page, origin):
            kind = kind_of(path, by_language=by_language)
            if kind is None or kind in kinds or not worth_visiting(path):
                continue
            kinds.add(kind)
            queue.append(path)
    page.close()
    return results


def summary(results: Iterable[PageResult]) -> str:
    results = list(results)
    lines = [f"{len(results)} pages checked"]
    for width in WIDTHS:
        clean = sum(1 for r in results if not r.failures(width))
        lines.append(f"  {clean}/{len(results)} clean at {width} px")
    return "\n".join(lines)
