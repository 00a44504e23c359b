"""The printable bon d'orientation, downloaded by the référent."""

import io
from datetime import date, datetime
from html import unescape

import pytest
import time_machine
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from solidarnum.referrals import voucher
from tests.referrals.factories import make_referral


def voucher_url(referral):
    return reverse("referrals:referral_voucher_pdf", kwargs={"reference": referral.reference})


def pdf_text(content: bytes) -> str:
    """The PDF's text, spaces collapsed."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_voucher_is_a_pdf_holding_the_code(world, clients):
    referral = make_referral(world, languages=["fr"])
    response = clients["referent"].get(voucher_url(referral))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert referral.reference in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]  # personal data: not kept by caches
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert referral.reference in text
    assert "Présentez ce bon à l'accueil." in text


def _capture(monkeypatch):
    captured = {}

    def fake_render_pdf(template_name, context, request, **kwargs):
        captured["html"] = render_to_string(template_name, context, request=request)
        captured["kwargs"] = kwargs
        return b"%PDF-fake"

    monkeypatch.setattr(voucher, "render_pdf", fake_render_pdf)
    return captured


def _voucher_html(world, clients, monkeypatch, lang="fr", **extra):
    captured = _capture(monkeypatch)
    referral = make_referral(world, **extra)
    assert clients["referent"].get(voucher_url(referral), {"lang": lang}).status_code == 200
    return referral, unescape(captured["html"])


def test_the_voucher_tells_where_to_go_and_why(world, clients, monkeypatch):
    captured = _capture(monkeypatch)
    referral = make_referral(world, needs_connect=True, needs_connect_detail="Un forfait")
    assert clients["referent"].get(voucher_url(referral), {"lang": "fr"}).status_code == 200
    html = unescape(captured["html"])
    for expected in [
        referral.reference,
        "Awa",
        "Diallo",
        "Paris 19e",  # reception point
        "12 rue de Tanger",
        "75019 Paris",
        "Du lundi au vendredi : de 9h30 à 12h30 et de 14h à 18h",
        "01 42 00 00 00",
        "Avoir un ordinateur, une tablette ou un téléphone",
        "Un ordinateur pour les démarches",  # the référent's own words stay as written
        "Avoir internet et un forfait de téléphone",
        "Un forfait",
        "Présentez ce bon à l'accueil",
        "CCAS de Paris 19e",  # the référent's structure
    ]:
        assert expected in html, expected


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
    needs = html[html.index("Pourquoi") :]
    assert needs.index("Avoir internet") < needs.index("Avoir un ordinateur")


# --- In the person's language ---------------------------------------------------------------------

# One sentence of each language's voucher, as the PDF's text layer holds it.
SHOW_AT_RECEPTION = {
    "fr": "Présentez ce bon à l'accueil.",
    "en": "Show this voucher at the reception desk.",
    "ar": "اعرض هذه الورقة عند الاستقبال.",
    "uk": "Покажіть цей талон на рецепції.",
    "prs": "این معرفی\u200cنامه را در بخش پذیرش نشان دهید.",  # noqa: RUF001
}
TITLES = {
    "fr": "Bon d'orientation",
    "en": "Referral voucher",
    "ar": "ورقة التوجيه",
    "uk": "Талон направлення",
    "prs": "معرفی\u200cنامه",  # noqa: RUF001
}


@pytest.mark.parametrize(
    ("language", "pdf_lang"),
    [("fr", "fr"), ("en", "en"), ("ar", "ar"), ("uk", "uk"), ("prs", "fa-AF")],
)
def test_the_voucher_is_printed_in_each_language_as_a_tagged_pdf(
    world, clients, language, pdf_lang
):
    referral = make_referral(world, languages=["fr"])

    response = clients["referent"].get(voucher_url(referral), {"lang": language})

    assert response.status_code == 200
    assert response["Content-Language"] == pdf_lang
    text = pdf_text(response.content)
    # Without its final stop (in right-to-left lines the text layer puts it first) nor the
    # zero-width non-joiners of Persian words (drawn, not kept in the text layer).
    assert SHOW_AT_RECEPTION[language].rstrip(".").replace("\u200c", "") in text
    assert referral.reference in text
    reader = PdfReader(io.BytesIO(response.content))
    root = reader.trailer["/Root"]
    # Tagged (PDF/UA-1): a structure tree, a language and a title a screen reader announces.
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == pdf_lang
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"]) is True
    assert reader.metadata.title == f"{TITLES[language]} {referral.reference}"
    # Every letter is drawn with a font that has it: DejaVu has Latin, Cyrillic and Arabic.
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all("DejaVu" in name for name in fonts), fonts


@pytest.mark.parametrize(
    ("spoken", "expected"),
    [(["fr", "ar"], "ar"), (["uk"], "uk"), (["fa"], "fa-AF"), (["ps"], "fr"), ([], "fr")],
)
def test_the_voucher_is_in_the_persons_language_unless_another_is_chosen(
    world, clients, spoken, expected
):
    referral = make_referral(world, languages=spoken)

    response = clients["referent"].get(voucher_url(referral))
    assert response["Content-Language"] == expected
    # A code we do not print falls back to the person's language, never an error.
    response = clients["referent"].get(voucher_url(referral), {"lang": "tlh"})
    assert response.status_code == 200
    assert response["Content-Language"] == expected


def test_the_voucher_lays_out_right_to_left_in_arabic_and_dari(world, clients, monkeypatch):
    for language, lang in (("ar", "ar"), ("prs", "fa-AF")):
        _referral, html = _voucher_html(world, clients, monkeypatch, lang=language)
        assert f'<html lang="{lang}" dir="rtl">' in html
        # Numbers and French addresses keep their order inside the right-to-left text.
        assert '<span dir="ltr">01 42 00 00 00</span>' in html
        assert '<span dir="ltr" lang="fr">12 rue de Tanger</span>' in html
    _referral, html = _voucher_html(world, clients, monkeypatch, lang="uk")
    assert '<html lang="uk" dir="ltr">' in html


def test_the_voucher_dates_are_written_in_the_persons_language(world, clients, monkeypatch):
    with time_machine.travel(datetime(2026, 3, 1, 10, 0, tzinfo=timezone.get_current_timezone())):
        for language, expected in [
            ("en", "30 March 2026"),
            ("ar", "30 مارس 2026"),
            ("uk", "30 березня 2026"),
            ("prs", "30 مارچ 2026"),
        ]:
            _referral, html = _voucher_html(world, clients, monkeypatch, lang=language)
            assert expected in html, language


def test_the_referent_downloads_the_voucher_in_the_persons_language_or_another(world, clients):
    referral = make_referral(world, languages=["fr", "ar"])

    html = unescape(
        clients["referent"]
        .get(
            reverse("referrals:referent_referral_detail", kwargs={"reference": referral.reference})
        )
        .content.decode()
    )

    url = voucher_url(referral)
    assert f'<a class="button" href="{url}?lang=ar"' in html
    assert "en arabe" in html
    for code, name in (("fr", "Français"), ("en", "Anglais"), ("uk", "Ukrainien"), ("prs", "Dari")):
        assert f'href="{url}?lang={code}"' in html
        assert f">{name}</a>" in html
    assert '<html lang="fr" dir="ltr">' in html  # the référent's page stays French
