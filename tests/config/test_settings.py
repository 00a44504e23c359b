"""Settings computed from the environment: the shared cache."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import RequestFactory

from config.settings import cache_settings, proxy_ssl_header
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


# --- Proxy trust ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("proxies", "explicit", "expected"),
    [
        (0, None, None),  # served directly: nobody may claim HTTPS for the client
        (1, None, ("HTTP_X_FORWARDED_PROTO", "https")),
        (2, None, ("HTTP_X_FORWARDED_PROTO", "https")),
        (0, True, ("HTTP_X_FORWARDED_PROTO", "https")),  # a proxy declared explicitly
        (1, False, None),  # a proxy that does not send the header
    ],
)
def test_x_forwarded_proto_is_trusted_only_behind_a_declared_proxy(proxies, explicit, expected):
    assert proxy_ssl_header(trusted_proxy_count=proxies, trust_forwarded_proto=explicit) == (
        expected
    )


def test_without_a_declared_proxy_a_forged_header_does_not_make_a_request_secure(settings):
    assert settings.TRUSTED_PROXY_COUNT == 0
    assert settings.SECURE_PROXY_SSL_HEADER is None
    request = RequestFactory().get("/", HTTP_X_FORWARDED_PROTO="https")
    assert request.is_secure() is False
    settings.SECURE_PROXY_SSL_HEADER = proxy_ssl_header(
        trusted_proxy_count=1, trust_forwarded_proto=None
    )
    assert request.is_secure() is True


def test_the_benchmark_settings_load_from_a_bare_environment():
    """`make bench-load` runs production's settings with DEBUG off: whatever production
    requires must have a bench value, or the benchmark stops before its first request."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    keep = ("PATH", "HOME", "LANG")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings_bench"
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
