"""The referral model: the limits it sets hold in the web form and in the API alike."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from solidarnum.referrals.models import REASON_MAX_LENGTH, Referral
from tests.api import issue_token, token_client
from tests.referrals.referent.test_views import bon

from .factories import make_referral

TOO_LONG = "m" * (REASON_MAX_LENGTH + 1)


def test_the_reason_is_limited_on_the_model(world):
    referral = make_referral(world)
    referral.reason = TOO_LONG
    with pytest.raises(ValidationError) as error:
        referral.full_clean()
    assert "reason" in error.value.message_dict


def test_the_form_refuses_a_reason_over_the_limit_in_french(world, clients):
    response = clients["referent"].post(
        reverse("referrals:referral_create"), bon(world, reason=TOO_LONG)
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Le motif ne doit pas dépasser 2000 caractères (il en compte 2001)" in content, content[
        -3000:
    ]
    assert f'maxlength="{REASON_MAX_LENGTH}"' in content
    assert not Referral.objects.exists()


def test_the_form_accepts_a_reason_at_the_limit(world, clients):
    reason = "m" * REASON_MAX_LENGTH
    response = clients["referent"].post(
        reverse("referrals:referral_create"), bon(world, reason=reason)
    )
    assert response.status_code == 302
    assert Referral.objects.get().reason == reason


def test_the_api_refuses_the_same_reason_in_french(world):
    _token, key = issue_token(world, "referent")
    data = {
        "first_name": "Mariam",
        "last_name": "Kouyaté",
        "birth_year": 1979,
        "phone": "06 12 34 56 78",
        "housing": "sheltered",
        "needs_connect": True,
        "reason": TOO_LONG,
        "consent": True,
    }
    response = token_client(key).post("/api/v1/referrals/", data, format="json")
    assert response.status_code == 400
    message = " ".join(response.json()["reason"]).replace("\u00a0", " ")
    assert f"{REASON_MAX_LENGTH} caractères" in message
    assert not Referral.objects.exists()
    data["reason"] = "m" * REASON_MAX_LENGTH
    assert token_client(key).post("/api/v1/referrals/", data, format="json").status_code == 201
