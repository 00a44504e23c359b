"""`Idempotency-Key` on POST: a retried request gets the first answer, never a second referral."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from solidarnum.api.models import IdempotencyKey
from solidarnum.referrals.models import Referral

from . import issue_token, token_client
from .test_api import LIST_URL, payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(world):
    _token, key = issue_token(world, "referent")
    return token_client(key)


def _post(client, data, key: str | None):
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(LIST_URL, data, format="json", headers=headers)


def test_four_identical_posts_with_one_key_create_one_referral(api):
    key = str(uuid.uuid4())
    first = _post(api, payload(), key)
    assert first.status_code == 201, first.json()
    retries = [_post(api, payload(), key) for _ in range(3)]
    assert Referral.objects.count() == 1
    for retry in retries:
        assert retry.status_code == 201
        assert retry.json() == first.json()
        assert retry["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first


def test_the_key_order_and_spacing_of_the_body_do_not_matter(api):
    key = str(uuid.uuid4())
    data = payload()
    assert _post(api, data, key).status_code == 201
    reordered = dict(reversed(list(data.items())))
    assert _post(api, reordered, key).status_code == 201
    assert Referral.objects.count() == 1


def test_the_same_key_with_another_body_answers_422_in_french(api):
    key = str(uuid.uuid4())
    assert _post(api, payload(), key).status_code == 201
    response = _post(api, payload(first_name="Ilyes"), key)
    assert response.status_code == 422
    assert "Cette clé d'idempotence a déjà servi" in response.json()["detail"]
    assert Referral.objects.count() == 1


def test_without_a_key_each_post_creates_a_referral(api):
    for _ in range(2):
        assert _post(api, payload(), None).status_code == 201
    assert Referral.objects.count() == 2


def test_a_refused_post_does_not_hold_the_key(api):
    key = str(uuid.uuid4())
    refused = _post(api, payload(birth_year=1850), key)
    assert refused.status_code == 400
    assert not IdempotencyKey.objects.exists()
    fixed = _post(api, payload(), key)
    assert fixed.status_code == 201
    assert Referral.objects.count() == 1


def test_keys_belong_to_one_token(world, api):
    key = str(uuid.uuid4())
    assert _post(api, payload(), key).status_code == 201
    _token, other_key = issue_token(world, "lead_referent")
    other = token_client(other_key)
    response = _post(other, payload(first_name="Ilyes"), key)
    assert response.status_code == 201
    assert Referral.objects.count() == 2


@pytest.mark.parametrize(
    "key",
    ["", "court", "x" * 256, "avec des espaces dedans", "clé-accentuée-0123456789"],
    ids=["empty", "too-short", "too-long", "spaces", "not-ascii"],
)
def test_a_malformed_key_answers_400_in_french(api, key):
    response = _post(api, payload(), key)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["detail"]
    assert not Referral.objects.exists()


def test_a_browser_session_cannot_use_keys(world, clients):
    response = clients["referent"].post(
        LIST_URL,
        payload(),
        content_type="application/json",
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert response.status_code == 400
    assert "jeton" in response.json()["detail"]
    assert not Referral.objects.exists()


def test_a_key_older_than_24_hours_is_forgotten(api):
    key = str(uuid.uuid4())
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert _post(api, payload(), key).status_code == 201
    with time_machine.travel(start + timedelta(hours=23, minutes=59), tick=False):
        assert _post(api, payload(), key)["Idempotent-Replayed"] == "true"
    with time_machine.travel(start + timedelta(hours=24, minutes=1), tick=False):
        response = _post(api, payload(first_name="Ilyes"), key)
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert Referral.objects.count() == 2
