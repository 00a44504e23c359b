"""The PDF helper: WeasyPrint fed with our static files only."""

import pytest
import weasyprint
from django.template.loader import render_to_string
from django.test import RequestFactory

from solidarnum.common import pdf
from solidarnum.common.pdf import StaticOnlyFetcher, render_pdf


def test_render_pdf_gives_pdf_bytes_styled_by_its_stylesheets(rf: RequestFactory):
    request = rf.get("/")
    css = ["referrals/voucher.css"]
    content = render_pdf("referrals/voucher.html", _minimal_context(), request, stylesheets=css)
    assert isinstance(content, bytes)
    assert content.startswith(b"%PDF")
    html = render_to_string("referrals/voucher.html", _minimal_context(), request=request)
    stylesheet = weasyprint.CSS(string=render_to_string(css[0]))
    page = weasyprint.HTML(string=html).render(stylesheets=[stylesheet]).pages[0]
    assert round(page.width * 0.75) == 595  # A4 width: 595 pt (CSS px x 0.75)
    assert round(page._page_box.margin_left * 0.75) == round(16 / 25.4 * 72)  # 16 mm margin


def _minimal_context():
    class Place:
        name = "Lieu"
        address = "1 rue"
        address_complement = ""
        postcode = "75019"
        commune = "Paris"
        phone = ""
        opening_hours = ""

    class Referral:
        reference = "ABC234"
        first_name = "Awa"
        last_name = "Diallo"
        created_at = None

    return {"referral": Referral(), "place": Place(), "needs": [], "structure": None}


def test_the_pdf_renderer_reads_our_static_files_only():
    fetcher = StaticOnlyFetcher("http://testserver/static/")
    response = fetcher.fetch("http://testserver/static/favicon.svg")
    assert response is not None
    with pytest.raises(ValueError, match="only reads our static files"):
        fetcher.fetch("http://example.org/tracker.png")
    with pytest.raises(ValueError, match="only reads our static files"):
        fetcher.fetch("file:///etc/passwd")
    with pytest.raises(ValueError, match="not found"):
        fetcher.fetch("http://testserver/static/../../etc/passwd")


def test_an_external_image_does_not_stop_the_rendering(rf, monkeypatch):
    # WeasyPrint logs the refused fetch and goes on: the document is still produced.
    monkeypatch.setattr(
        pdf, "render_to_string", lambda *a, **k: '<img src="http://example.org/x.png"><p>ok</p>'
    )
    assert render_pdf("unused.html", {}, rf.get("/")).startswith(b"%PDF")
