"""Settings computed from the environment: the shared cache."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import RequestFactory

from config.settings import cache_settings
from solidarnum.accounts import login_protection

REDIS_URL = "redis://127.0.0.1:6379/1"


def test_the_cache_is_redis_when_a_url_is_given_and_local_memory_otherwise():
    redis = cache_settings(REDIS_URL)["default"]
    assert redis["BACKEND"] == "django_redis.cache.RedisCache"
    assert redis["LOCATION"] == REDIS_URL
    assert cache_settings("")["default"]["BACKEND"] == (
        "django.core.cache.backends.locmem.LocMemCache"
    )


def test_tests_run_on_local_memory():
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")


def _redis_or_skip():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    return client


def test_login_failures_per_address_are_counted_in_redis(settings):
    client = _redis_or_skip()
    settings.CACHES = cache_settings(REDIS_URL)
    settings.LOGIN_FAILURES_PER_ADDRESS = "3/m"
    try:
        cache.clear()  # this Redis database (1) is the tests' own
        request = RequestFactory().post("/compte/login/", REMOTE_ADDR="203.0.113.9")
        for _ in range(2):
            login_protection.count_failure_of_address(sender=None, credentials={}, request=request)
        assert login_protection.refusal_for_address(request) is None
        login_protection.count_failure_of_address(sender=None, credentials={}, request=request)
        assert login_protection.refusal_for_address(request).status_code == 429
        # What every gunicorn worker reads: the counter lives in Redis, under our prefix.
        keys = client.keys("solidarnum:*")
        assert len(keys) == 1
        assert int(client.get(keys[0])) == 3
    finally:
        cache.clear()
