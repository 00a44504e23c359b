"""The product's own 404 and 500 pages: in the visitor's language on public pages, French for
staff; the 500 renders without request context, context processors or database."""

from html import unescape

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from solidarnum.accounts import views as accounts_views
from solidarnum.common import views as common_views
from solidarnum.network.public import views as public_views

MISSING = "/cette-page-n-existe-pas/"


def test_a_missing_page_is_ours_and_in_french_by_default(client, db):
    response = client.get(MISSING)

    assert response.status_code == 404
    html = unescape(response.content.decode())
    assert '<html lang="fr" dir="ltr">' in html
    assert "Cette page n'existe pas, ou vous ne pouvez pas la voir." in html
    assert f'href="{reverse("network:public_directory")}"' in html  # where a visitor may go
    assert 'class="language-switcher"' in html


@pytest.mark.parametrize(
    ("headers", "params", "lang", "direction", "text"),
    [
        ({"HTTP_ACCEPT_LANGUAGE": "ar"}, {}, "ar", "rtl", "الصفحة غير موجودة"),
        ({}, {"lang": "uk"}, "uk", "ltr", "Сторінку не знайдено"),
        ({}, {"lang": "prs"}, "fa-AF", "rtl", "صفحه پیدا نشد"),
        ({"HTTP_ACCEPT_LANGUAGE": "en-GB"}, {}, "en", "ltr", "Page not found"),
    ],
)
def test_a_missing_page_speaks_the_visitors_language(
    client, db, headers, params, lang, direction, text
):
    response = client.get(MISSING, params, **headers)

    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert text in html


def test_a_missing_page_remembers_a_chosen_language(client, db):
    response = client.get(MISSING, {"lang": "ar"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"


def test_a_missing_page_stays_french_for_staff(clients):
    client = clients["staff_a"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"

    response = client.get(MISSING, {"lang": "ar"}, HTTP_ACCEPT_LANGUAGE="ar")

    assert response.status_code == 404
    html = unescape(response.content.decode())
    assert '<html lang="fr" dir="ltr">' in html
    assert "Page introuvable" in html
    assert f'href="{reverse("accounts:home")}"' in html
    assert 'class="language-switcher"' not in html


def _failing(monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(public_views, "public_places", boom)
    return Client(raise_request_exception=False)


def test_a_server_error_on_a_public_page_is_in_the_visitors_language(db, monkeypatch):
    client = _failing(monkeypatch)

    response = client.get(reverse("network:public_directory"), {"lang": "ar"})

    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "حدث خطأ" in html
    assert translation.get_language() == "fr"


def test_a_server_error_on_a_staff_page_is_in_french(clients, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(accounts_views, "network_counts", boom)  # the national team's home
    client = clients["admin"]
    client.raise_request_exception = False
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"

    response = client.get(reverse("accounts:home"), HTTP_ACCEPT_LANGUAGE="ar")

    assert response.status_code == 500
    html = unescape(response.content.decode())
    assert '<html lang="fr" dir="ltr">' in html
    assert "Une erreur est survenue" in html


def test_the_server_error_page_needs_no_database_nor_context(rf: RequestFactory):
    # No `db` fixture: any query would fail this test.
    request = rf.get("/")
    for language, text in [("fr", "Une erreur est survenue"), ("uk", "Сталася помилка")]:
        with translation.override(language):
            response = common_views.server_error(request)
        assert response.status_code == 500
        html = response.content.decode()
        assert text in html
        assert "/static/css/app.css" in html
