"""The OpenAPI schema states every answer, header, bound and rule the API applies."""

import re

import pytest
import yaml
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from solidarnum.api.schema import french_phone_pattern
from solidarnum.api.serializers import StrictPhoneNumberField
from tests.conftest import make_place

pytestmark = pytest.mark.django_db

LIST, DETAIL = "/api/v1/referrals/", "/api/v1/referrals/{reference}/"


@pytest.fixture
def schema(world):
    response = Client().get(reverse("api:api_schema"))
    return yaml.safe_load(response.content)


def _statuses(operation):
    return set(operation["responses"])


def test_every_answer_is_documented(schema):
    paths = schema["paths"]
    assert _statuses(paths[LIST]["get"]) == {"200", "400", "401", "403", "404", "429"}
    assert _statuses(paths[LIST]["post"]) == {
        "201",
        "400",
        "401",
        "403",
        "415",
        "422",
        "429",
    }
    assert _statuses(paths[DETAIL]["get"]) == {"200", "401", "403", "404", "429"}
    for path in paths.values():
        for operation in path.values():
            for code, response in operation["responses"].items():
                assert response["description"], (code, operation["operationId"])
                assert "application/json" in response["content"], code


def test_throttling_and_idempotency_headers(schema):
    for path in schema["paths"].values():
        for operation in path.values():
            headers = operation["responses"]["429"]["headers"]
            assert headers["Retry-After"]["required"] is True
    post = schema["paths"][LIST]["post"]
    key = next(p for p in post["parameters"] if p["name"] == "Idempotency-Key")
    assert key["in"] == "header" and not key.get("required", False)
    assert key["schema"]["minLength"] == 16 and key["schema"]["maxLength"] == 255
    assert "Idempotent-Replayed" in post["responses"]["201"]["headers"]


def test_query_values_are_bounded(schema):
    parameters = {p["name"]: p for p in schema["paths"][LIST]["get"]["parameters"]}
    assert parameters["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}
    status = parameters["status"]["schema"]
    assert set(status["enum"]) == {"open", "under_review", "validated", "refused", "expired"}


def test_the_referral_request_states_its_bounds_and_rules(world, schema):
    make_place("Paris 20e (fermé)", postcode="75020", is_active=False)
    request = schema["components"]["schemas"]["ReferralCreateRequest"]
    properties = request["properties"]
    assert properties["birth_year"]["minimum"] == 1900
    assert properties["birth_year"]["maximum"] == timezone.localdate().year
    assert request["additionalProperties"] is False
    assert properties["consent"]["enum"] == [True]
    assert properties["reception_point"]["enum"] == sorted([world.site_a.pk, world.site_b.pk])
    assert properties["first_name"]["maxLength"] == 100
    assert re.search(properties["first_name"]["pattern"], "Mariam")
    assert not re.search(properties["first_name"]["pattern"], "   ")
    assert not re.search(properties["first_name"]["pattern"], "Ma\x00riam")
    # phone-or-not, contact preference, at least one need, one rule per need detail
    assert len(request["allOf"]) == 6


@settings(max_examples=60, derandomize=True, database=None, deadline=None)
@given(number=st.from_regex(french_phone_pattern(), fullmatch=True))
def test_every_phone_number_the_pattern_allows_is_accepted(number):
    field = StrictPhoneNumberField(region="FR", max_length=40)
    assert field.run_validation(number).is_valid()
