"""Requests a minute per token and per client address: beyond, 429 with `Retry-After`."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from . import issue_token, token_client
from .test_api import LIST_URL

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_rates(settings):
    settings.API_RATE_PER_MINUTE = 3
    settings.API_RATE_PER_ADDRESS_PER_MINUTE = 5
    return settings


def test_default_rate_is_120_a_minute_per_token(settings):
    assert settings.API_RATE_PER_MINUTE == 120


def test_a_token_over_its_rate_gets_429_with_retry_after(world, low_rates):
    _token, key = issue_token(world, "referent")
    api = token_client(key)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert [api.get(LIST_URL).status_code for _ in range(3)] == [200, 200, 200]
        response = api.get(LIST_URL)
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert response.json()["detail"].startswith("Requête ralentie.")
    assert "Disponible à nouveau dans 60 secondes." in response.json()["detail"]
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        assert api.get(LIST_URL).status_code == 200


def test_posts_count_too(world, low_rates):
    _token, key = issue_token(world, "referent")
    api = token_client(key)
    statuses = [api.post(LIST_URL, {}, format="json").status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]


def test_each_token_has_its_own_count(world, low_rates):
    _token, first = issue_token(world, "referent")
    _token, second = issue_token(world, "lead_referent")
    for _ in range(3):
        token_client(first).get(LIST_URL)
    assert token_client(first).get(LIST_URL).status_code == 429
    assert token_client(second).get(LIST_URL).status_code == 200


def test_one_address_is_limited_whatever_the_tokens(world, low_rates):
    keys = [issue_token(world, user)[1] for user in ("referent", "lead_referent")] * 3
    statuses = [token_client(key).get(LIST_URL).status_code for key in keys]
    assert statuses == [200, 200, 200, 200, 200, 429]
    _token, fresh = issue_token(world, "referent")
    assert token_client(fresh).get(LIST_URL).status_code == 429
    other_address = token_client(fresh).get(LIST_URL, REMOTE_ADDR="192.0.2.7")
    assert other_address.status_code == 200


def test_forwarded_for_is_ignored_without_a_trusted_proxy(world, low_rates):
    _token, key = issue_token(world, "referent")
    _token, key2 = issue_token(world, "lead_referent")
    for index in range(5):
        forged = {"HTTP_X_FORWARDED_FOR": f"198.51.100.{index}"}
        token_client(key if index < 3 else key2).get(LIST_URL, **forged)
    assert token_client(key2).get(LIST_URL, HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429


def test_behind_proxies_the_address_follows_the_login_rule(world, low_rates):
    # Two declared proxies but a one-entry header: the entry is the client's own claim. The
    # login protection then falls back to REMOTE_ADDR; the API must count the same address.
    low_rates.TRUSTED_PROXY_COUNT = 2  # as SOLIDARNUM_TRUSTED_PROXY_COUNT=2 sets it
    low_rates.REST_FRAMEWORK = {**low_rates.REST_FRAMEWORK, "NUM_PROXIES": 2}  # DRF told too
    _token, key = issue_token(world, "referent")
    _token, key2 = issue_token(world, "lead_referent")
    for index in range(5):
        forged = {"HTTP_X_FORWARDED_FOR": f"198.51.100.{index}"}
        token_client(key if index < 3 else key2).get(LIST_URL, **forged)
    assert token_client(key2).get(LIST_URL, HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429
