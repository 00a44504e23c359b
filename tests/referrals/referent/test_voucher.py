"""The printable bon d'orientation, downloaded by the référent."""

import shutil
import subprocess

from django.template.loader import render_to_string
from django.urls import reverse

from solidarnum.referrals.referent import views as referent_views
from tests.referrals.factories import make_referral


def voucher_url(referral):
    return reverse("referrals:referral_voucher_pdf", kwargs={"reference": referral.reference})


def test_the_voucher_is_a_pdf_holding_the_code(world, clients):
    referral = make_referral(world)
    response = clients["referent"].get(voucher_url(referral))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert referral.reference in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]  # personal data: not kept by caches
    assert response.content.startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        return  # poppler-utils is not installed: the content is checked on the HTML below
    text = subprocess.run(  # noqa: S603 (fixed executable, no shell)
        [pdftotext, "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert referral.reference in text
    assert "Présentez ce bon à l'accueil" in text


def test_the_voucher_tells_where_to_go_and_why(world, clients, monkeypatch):
    captured = {}

    def fake_render_pdf(template_name, context, request, **kwargs):
        captured["html"] = render_to_string(template_name, context, request=request)
        return b"%PDF-fake"

    monkeypatch.setattr(referent_views, "render_pdf", fake_render_pdf)
    referral = make_referral(world, needs_connect=True, needs_connect_detail="Un forfait")
    assert clients["referent"].get(voucher_url(referral)).status_code == 200
    html = captured["html"]
    for expected in [
        referral.reference,
        "Awa",
        "Diallo",
        "Paris 19e",  # reception point
        "12 rue de Tanger",
        "75019 Paris",
        "Du lundi au vendredi : de 9h30 à 12h30 et de 14h à 18h",
        "01 42 00 00 00",
        "Équiper : Un ordinateur pour les démarches",
        "Connecter : Un forfait",
        "Présentez ce bon à l'accueil",
        "CCAS de Paris 19e",  # the référent's structure
    ]:
        assert expected in html, expected
