"""What a person reads, in their language; staff pages in French whatever the browser says."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from solidarnum.common.language import (
    html_lang,
    language_for_person,
    supported_language,
    text_direction,
)

DIRECTORY = reverse("network:public_directory")
PRIVACY = reverse("referrals:privacy_notice")


def test_the_five_languages_are_offered_french_first():
    assert [code for code, _name in settings.LANGUAGES] == ["fr", "en", "ar", "uk", "prs"]
    assert settings.LANGUAGE_CODE == "fr"


@pytest.mark.parametrize(
    ("code", "bidi", "name"),
    [
        ("fr", False, "français"),
        ("en", False, "English"),
        ("ar", True, "العربيّة"),
        ("uk", False, "Українська"),
        ("prs", True, "دری"),
    ],
)
def test_each_language_knows_its_name_and_direction(code, bidi, name):
    info = translation.get_language_info(code)
    assert info["name_local"] == name
    assert info["bidi"] is bidi
    with translation.override(code):
        assert translation.get_language_bidi() is bidi
        assert text_direction() == ("rtl" if bidi else "ltr")


def test_dari_is_written_fa_af_in_lang_attributes():
    # Screen readers and speech synthesis know Persian of Afghanistan, not the ISO 639-3 code.
    assert html_lang("prs") == "fa-AF"
    assert html_lang("ar") == "ar"
    with translation.override("prs"):
        assert html_lang() == "fa-AF"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("fr", "fr"),
        ("EN", "en"),
        ("en-GB", "en"),
        ("ar_MA", "ar"),
        ("uk-UA", "uk"),
        ("prs", "prs"),
        ("fa", "prs"),
        ("fa-AF", "prs"),
        ("es", None),
        ("ps", None),
        ("", None),
        (None, None),
        ("x" * 1000, None),
        ("../../etc", None),
    ],
)
def test_a_code_maps_to_one_of_our_languages_or_none(code, expected):
    assert supported_language(code) == expected


@pytest.mark.parametrize(
    ("spoken", "expected"),
    [
        ([], "fr"),
        (None, "fr"),
        (["fr"], "fr"),
        (["fr", "ar"], "ar"),  # who also speaks French reads Arabic more easily
        (["es", "uk"], "uk"),
        (["fa"], "prs"),
        (["ps", "ta"], "fr"),  # no Pashto or Tamil yet: French
        (["en", "ar"], "en"),  # the order recorded
    ],
)
def test_the_persons_language_is_the_first_of_theirs_we_have(spoken, expected):
    assert language_for_person(spoken) == expected


# --- Pages ----------------------------------------------------------------------------------------


def test_a_visitors_language_never_leaks_to_the_next_request(client, db):
    client.get(DIRECTORY, {"lang": "ar"})
    assert translation.get_language() == "fr"
    other = Client()
    assert '<html lang="fr" dir="ltr">' in other.get(DIRECTORY).content.decode()


def test_staff_pages_stay_french_with_a_language_cookie_and_browser(clients):
    client = clients["staff_a"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for url in (
        reverse("accounts:home"),
        reverse("referrals:referral_inbox"),
        reverse("beneficiaries:beneficiary_list"),
    ):
        response = client.get(url, {"lang": "ar"}, HTTP_ACCEPT_LANGUAGE="en,ar;q=0.8")
        html = response.content.decode()
        assert response.status_code == 200, url
        assert '<html lang="fr" dir="ltr">' in html, url
        assert "Se déconnecter" in html
        assert "Log out" not in html
        assert 'class="language-switcher"' not in html  # no switcher on working pages
        assert settings.LANGUAGE_COOKIE_NAME not in response.cookies  # nothing remembered


def test_the_login_page_stays_french(client, db):
    html = client.get(reverse("account_login"), {"lang": "en"}).content.decode()
    assert '<html lang="fr" dir="ltr">' in html


def test_person_pages_follow_the_language_even_for_a_signed_in_referent(clients):
    # A social worker shows the privacy notice to the person, in Arabic.
    html = clients["referent"].get(PRIVACY, {"lang": "ar"}).content.decode()
    assert '<html lang="ar" dir="rtl">' in html


def test_the_public_home_page_follows_the_visitor(client, db):
    html = client.get(reverse("accounts:home"), {"lang": "uk"}).content.decode()
    assert '<html lang="uk" dir="ltr">' in html
    assert 'class="language-switcher"' in html
