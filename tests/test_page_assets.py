"""Every page of the access matrix, as every role it answers 200 to, is read for what it loads
and announces (ADR 0027):

- htmx is loaded exactly on the pages that write `hx-` attributes;
- an htmx POST comes from a form carrying its CSRF token (no page-wide `hx-headers`);
- the page has one status region, outside `<main>`, and nothing htmx swaps is a live region of
  its own (a replaced live region is not announced);
- the developers' API docs are linked from the API token page only.
"""

from html.parser import HTMLParser
from xml.etree.ElementTree import Element

import pytest
from django.urls import reverse

from .conftest import ROLES
from .test_access_matrix import MATRIX, build_kwargs, case_id

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip
HTMX_SCRIPT = "vendor/htmx/htmx"
LIVE_ROLES = {"status", "alert", "log"}
HX_WRITES = ("hx-post", "hx-put", "hx-patch", "hx-delete")


class _TreeBuilder(HTMLParser):
    """Just enough of an HTML tree to ask what contains what."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("document")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return


def parse(html: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(html)
    return builder.root


def problems_of(html: str, *, url_name: str) -> list[str]:
    tree = parse(html)
    elements = list(tree.iter())
    found: list[str] = []

    uses_htmx = any(name.startswith("hx-") for e in elements for name in e.attrib)
    loads_htmx = any(HTMX_SCRIPT in e.get("src", "") for e in tree.iter("script"))
    if uses_htmx and not loads_htmx:
        found.append("hx- attributes, but htmx is not loaded")
    if loads_htmx and not uses_htmx:
        found.append("htmx is loaded, but nothing uses it")

    for element in elements:
        if any(element.get(name) for name in HX_WRITES):
            token = element.find(".//input[@name='csrfmiddlewaretoken']")
            if element.tag != "form" or token is None:
                found.append(f"an htmx POST without its form's CSRF token: {element.attrib}")
        if "hx-headers" in element.attrib:
            found.append(f"hx-headers on <{element.tag}>: the token belongs in the form")

    main = tree.find(".//main")
    if main is not None:  # a page of the site (not the API docs)
        regions = [e for e in elements if e.get("id") == "status-region"]
        if len(regions) != 1:
            found.append(f"{len(regions)} status regions")
        elif regions[0].get("role") != "status" or regions[0].get("aria-live") != "polite":
            found.append(f"the status region is not a polite status: {regions[0].attrib}")
        elif regions[0] in main.iter():
            found.append("the status region is inside <main>")

    swapped_ids = {
        e.get(name, "").removeprefix("#")
        for e in elements
        for name in ("hx-target", "hx-select")
        if e.get(name, "").startswith("#")
    }
    swapped_ids |= {e.get("id", "") for e in elements if "hx-trigger" in e.attrib and e.get("id")}
    found.extend(
        f"#{block.get('id')} is swapped and holds a live region {inner.attrib}"
        for block in elements
        if block.get("id") in swapped_ids
        for inner in block.iter()
        if "aria-live" in inner.attrib or inner.get("role") in LIVE_ROLES
    )

    docs = reverse("api:api_docs")
    links_docs = any(a.get("href") == docs for a in tree.iter("a"))
    if links_docs != (url_name == "api:api_tokens"):
        found.append("the API docs link belongs on the API token page, and only there")
    return found


GET_PAGES = [
    pytest.param(name, key, role, id=case_id(name, key, "get", role))
    for name, key, method, expected in MATRIX
    for role in ROLES
    if method == "get" and expected[role] == 200
]


@pytest.mark.parametrize(("name", "key", "role"), GET_PAGES)
def test_page_loads_what_it_uses_and_announces_from_one_region(
    module_world, module_clients, name, key, role
):
    response = module_clients[role].get(reverse(name, kwargs=build_kwargs(module_world, key)))
    assert response.status_code == 200
    if not response.get("Content-Type", "").startswith("text/html"):
        pytest.skip("not a page")
    if b"<html" not in response.content:
        pytest.skip("a fragment htmx asks for (suggestions), not a page")
    assert problems_of(response.content.decode(), url_name=name) == []


def test_the_checks_catch_what_they_look_for():
    """Each rule of `problems_of` fails on the page it guards against."""
    base = '<main></main><div id="status-region" role="status" aria-live="polite"></div>'
    htmx = f'<script src="/static/{HTMX_SCRIPT}.min.js"></script>'
    assert problems_of(base, url_name="x") == []
    assert problems_of(base + '<form hx-get="/">', url_name="x") == [
        "hx- attributes, but htmx is not loaded"
    ]
    assert problems_of(base + htmx, url_name="x") == ["htmx is loaded, but nothing uses it"]
    swapped = '<form hx-get="/" hx-target="#results"></form><div id="results" aria-live="polite">'
    assert any("is swapped" in p for p in problems_of(base + htmx + swapped, url_name="x"))
    assert any("CSRF" in p for p in problems_of(base + htmx + '<form hx-post="/">', url_name="x"))
    assert "the status region is inside <main>" in problems_of(
        '<main><div id="status-region" role="status" aria-live="polite"></div></main>',
        url_name="x",
    )
    assert problems_of(base.replace("status-region", "other"), url_name="x") == ["0 status regions"]
    docs = f'<a href="{reverse("api:api_docs")}">API</a>'
    assert problems_of(base + docs, url_name="api:api_tokens") == []
    assert problems_of(base + docs, url_name="x") == [
        "the API docs link belongs on the API token page, and only there"
    ]
