"""Printable PDF documents rendered from Django templates with WeasyPrint.

The renderer fetches nothing over the network: only our own static files (a logo, a font) may be
referenced, and they are read from disk. A PDF's CSS is a template of its own (`stylesheets`),
since no template carries inline style (tests/common/test_security.py).
"""

import logging
from collections.abc import Sequence
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpRequest
from django.template.loader import render_to_string

# WeasyPrint traces every rendering step at INFO, from its import on: keep the logs readable.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

import weasyprint  # noqa: E402
from weasyprint.urls import URLFetcher, path2url  # noqa: E402


class StaticOnlyFetcher(URLFetcher):
    """Serves `<base_url>/static/...` from disk and refuses every other URL."""

    def __init__(self, static_url: str, **kwargs: Any) -> None:
        super().__init__(allowed_protocols={"file", "data"}, **kwargs)
        self.static_url = static_url

    def fetch(self, url: str, headers: Any = None) -> Any:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if not url.startswith(self.static_url):
            raise ValueError("PDF rendering only reads our static files")
        relative = unquote(urlsplit(url).path.removeprefix(urlsplit(self.static_url).path))
        try:
            found = finders.find(relative)
        except SuspiciousFileOperation:  # "../" out of the static folders
            found = None
        path = found[0] if isinstance(found, list) else found
        if not path:
            raise ValueError("Static file not found")
        return super().fetch(path2url(str(path)), headers)


def render_pdf(
    template_name: str,
    context: dict[str, Any],
    request: HttpRequest,
    *,
    stylesheets: Sequence[str] = (),
    pdf_variant: str | None = None,
) -> bytes:
    """Render a template to PDF bytes, styled by the CSS templates named in `stylesheets`
    (WeasyPrint's default page is A4). `pdf_variant="pdf/ua-1"` writes a tagged PDF for screen
    readers, its title from `<title>` and its language from `<html lang>`."""
    html = render_to_string(template_name, context, request=request)
    base_url = request.build_absolute_uri("/")
    fetcher = StaticOnlyFetcher(request.build_absolute_uri(settings.STATIC_URL))
    css = [
        weasyprint.CSS(string=render_to_string(name), base_url=base_url, url_fetcher=fetcher)
        for name in stylesheets
    ]
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    pdf = document.write_pdf(stylesheets=css, pdf_variant=pdf_variant)
    assert pdf is not None  # write_pdf returns bytes when no target is given
    return bytes(pdf)
