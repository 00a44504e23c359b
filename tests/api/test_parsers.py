"""Whatever body a client sends, the API answers 400 with a French message and saves nothing."""

import json

import pytest
from django.conf import settings

from solidarnum.api.parsers import MAX_BODY_BYTES, MAX_DEPTH
from solidarnum.referrals.models import Referral

from . import issue_token, token_client

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/referrals/"


@pytest.fixture
def api(world):
    _token, key = issue_token(world, "referent")
    client = token_client(key)
    client.raise_request_exception = False  # a 500 must show as a 500, not as a test error
    return client


def _post(api, body: str | bytes, content_type: str = "application/json"):
    return api.generic("POST", LIST_URL, body, content_type=content_type)


BODIES = [
    pytest.param('{"a":' * 1000 + "1" + "}" * 1000, "imbriqué", id="nested-objects-1000"),
    pytest.param("[" * 60_000, "imbriqué", id="nested-lists-60000-unclosed"),
    pytest.param(
        '{"first_name": ' + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "}",
        "imbriqué",
        id="nested-just-over-the-limit",
    ),
    pytest.param('{"a": "' + "[{" * 40 + '"}', "first_name", id="brackets-in-strings"),
    pytest.param(b'{"first_name": "\xff\xfe"}', "UTF-8", id="invalid-utf8"),
    pytest.param(b"\xef\xbb\xbf{}", "first_name", id="utf8-bom-is-read"),
    pytest.param('{"birth_year": NaN}', "NaN", id="nan"),
    pytest.param('{"birth_year": -Infinity}', "Infinity", id="infinity"),
    pytest.param('{"birth_year": 1e999999}', "birth_year", id="float-overflow"),
    pytest.param('{"birth_year": 1' + "0" * 5000 + "}", "JSON", id="integer-of-5000-digits"),
    pytest.param("x" * (MAX_BODY_BYTES + 1), "trop volumineux", id="over-the-api-limit"),
    pytest.param(
        " " * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
        "trop volumineux",
        id="over-the-django-limit",
    ),
    pytest.param("1234", "Attendait un dictionnaire", id="number-at-top-level"),
    pytest.param("true", "Attendait un dictionnaire", id="boolean-at-top-level"),
    pytest.param('{"first_name": "a"} {"b": 1}', "Erreur d'analyse JSON", id="two-documents"),
]


@pytest.mark.parametrize(("body", "message"), BODIES)
def test_any_body_answers_400_in_french(api, body, message):
    response = _post(api, body)
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert message in json.dumps(response.json(), ensure_ascii=False)
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("content_type", "message"),
    [
        ("application/json; charset=bz2_codec", "Jeu de caractères"),
        ("application/json; charset=utf-16", "Erreur d'analyse JSON"),
    ],
    ids=["bytes-codec", "wrong-charset"],
)
def test_charsets_other_than_text_are_refused_in_french(api, content_type, message):
    response = _post(api, b'{"first_name": "Mariam"}', content_type=content_type)
    assert response.status_code == 400, response.content[:300]
    assert message in response.json()["detail"]


def test_latin1_declared_charset_is_decoded(api):
    response = _post(
        api, '{"first_name": "Hélène"}'.encode("latin-1"), "application/json; charset=latin-1"
    )
    assert response.status_code == 400
    assert "first_name" not in response.json()  # read correctly, other fields missing


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"],
)
def test_other_media_types_answer_415_in_french(api, content_type):
    response = _post(api, "first_name=Mariam", content_type=content_type)
    assert response.status_code == 415
    assert "non supporté" in response.json()["detail"]
