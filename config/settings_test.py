"""Test overrides: fast hashing, in-memory e-mail, tasks inline."""

import os
import tempfile
from pathlib import Path

os.environ["DJANGO_DEBUG"] = "0"
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-" + "x" * 40)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ["SOLIDARNUM_MFA_REQUIRED"] = "0"
os.environ.setdefault("SOLIDARNUM_BASE_URL", "http://testserver")
os.environ.pop("CELERY_BROKER_URL", None)
# A fixed key for the secret codes of recharges (ADR 0028), never used outside tests.
os.environ.setdefault("SOLIDARNUM_CODE_KEYS", "dGVzdC1vbmx5LWtleS1mb3Itc2VjcmV0LWNvZGVzLTE=")

from .settings import *  # noqa: F403
from .settings import STORAGES, cache_settings

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
CELERY_TASK_ALWAYS_EAGER = True
NOTIFICATIONS_SMS_BACKENDS = ["solidarnum.notifications.backends.MemorySmsBackend"]
NOTIFICATIONS_WEBHOOK_SECRET = "test-webhook-secret"
ANYMAIL = {**ANYMAIL, "WEBHOOK_SECRET": "anymail:test-webhook-secret"}  # noqa: F405
NOTIFICATIONS_WEBHOOK_BASE_URL = ""
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(tempfile.gettempdir()) / "solidarnum-test-media"
ACCOUNT_RATE_LIMITS = False  # type: ignore[assignment]
# Local memory whatever the environment says: each test starts from an empty cache.
CACHES = cache_settings("")
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
