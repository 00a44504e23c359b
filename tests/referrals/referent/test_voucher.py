"""The printable bon d'orientation, downloaded by the référent."""

import shutil
import subprocess
from datetime import date, datetime
from html import unescape

import time_machine
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

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


def _voucher_html(world, clients, monkeypatch, **extra):
    captured = {}

    def fake_render_pdf(template_name, context, request, **kwargs):
        captured["html"] = render_to_string(template_name, context, request=request)
        return b"%PDF-fake"

    monkeypatch.setattr(referent_views, "render_pdf", fake_render_pdf)
    referral = make_referral(world, **extra)
    assert clients["referent"].get(voucher_url(referral)).status_code == 200
    return referral, unescape(captured["html"])


def test_the_voucher_gives_its_validity_date_from_the_expiry_setting(
    world, clients, monkeypatch, settings
):
    settings.REFERRAL_EXPIRY_DAYS = 30
    with time_machine.travel(datetime(2026, 3, 1, 10, 0, tzinfo=timezone.get_current_timezone())):
        referral, html = _voucher_html(world, clients, monkeypatch)
        # Expired by the daily task once 30 days have gone by: valid up to the day before.
        assert "Valable jusqu'au 30 mars 2026" in html
        assert referral.valid_until == date(2026, 3, 30)
        page = clients["referent"].get(
            reverse("referrals:referent_referral_detail", kwargs={"reference": referral.reference})
        )
        assert "Valable jusqu'au 30/03/2026" in unescape(page.content.decode())


def test_the_voucher_says_what_to_bring(world, clients, monkeypatch):
    _referral, html = _voucher_html(world, clients, monkeypatch)
    assert "À apporter" in html
    for item in ("Ce bon", "Une pièce d'identité, si vous en avez une", "Votre téléphone"):
        assert item in html, item
    _referral, html = _voucher_html(
        world,
        clients,
        monkeypatch,
        phone="",
        has_no_phone=True,
        contact_notes="Par le CCAS",
        contact_preference="referent",
    )
    assert "Votre téléphone" not in html


def test_the_voucher_never_shows_the_raw_opening_hours_code(world, clients, monkeypatch):
    world.site_a.opening_hours = "Mo-Fr 09:00-18:00; Jul-Aug off"
    world.site_a.save()
    _referral, html = _voucher_html(world, clients, monkeypatch)
    assert "Jul-Aug" not in html
    assert "Horaires particuliers" in html


def test_the_voucher_lists_the_needs_in_the_referents_order(world, clients, monkeypatch):
    _referral, html = _voucher_html(
        world, clients, monkeypatch, needs_connect=True, needs_priority=["connect", "equip"]
    )
    needs = html[html.index("Pour quoi") :]
    assert needs.index("Connecter") < needs.index("Équiper")
