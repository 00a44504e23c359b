"""Benchmark settings (bench/load.py): production's settings, served over plain HTTP on the
local machine, plus a bare one-query page (`/bench/bare/`) that exists only here, to compare the
staff pages with the cheapest page the same stack can serve."""

import os

os.environ["DJANGO_DEBUG"] = "0"
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("SOLIDARNUM_MFA_REQUIRED", "0")
# A fixed Fernet key for the bench's generated codes only (production requires its own).
os.environ.setdefault("SOLIDARNUM_CODE_KEYS", "YmVuY2gtb25seS1rZXktLWJlbmNoLW9ubHkta2V5LS0=")

from .settings import *  # noqa: F403
from .settings import BASE_DIR

ROOT_URLCONF = "config.urls_bench"
# Plain HTTP on 127.0.0.1 (production has TLS in front): cookies must travel without it.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
STATIC_ROOT = BASE_DIR / "bench" / "out" / "static"
