"""Settings for solidarnum: one base, driven by environment variables.

Production is the default posture (DEBUG off, secrets required, secure cookies, MFA required
for managers). `make run` sets DJANGO_DEBUG=1 for the local demo.
"""

import base64
import contextlib
import hashlib
import os
from decimal import Decimal
from pathlib import Path

import dj_database_url
import django_stubs_ext
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.conf import global_settings
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Django's generic classes (ModelAdmin[Device], ModelForm[Donation]) subscriptable at run time,
# as the type checker sees them (mypy runs with disallow_any_generics).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set outside of debug mode.")
    SECRET_KEY = "insecure-local-demo-key-only-used-with-DJANGO_DEBUG-on"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # The Django admin, behind the common login and its second factor (ADR 0016).
    "solidarnum.accounts.apps.SolidarnumAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Third-party
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "django_ratelimit",
    "csp",
    "django_htmx",
    "django_filters",
    "django_tables2",
    "import_export",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "phonenumber_field",
    "anymail",
    # Ours
    "solidarnum.common",
    "solidarnum.accounts",
    "solidarnum.network",
    "solidarnum.privacy",
    "solidarnum.beneficiaries",
    "solidarnum.referrals",
    "solidarnum.api",
    "solidarnum.equipment",
    "solidarnum.notifications",
    "solidarnum.connectivity",
    "solidarnum.sales",
    "solidarnum.support",
    "solidarnum.volunteers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # French for every page; the language a person reads on the pages made for them (ADR 0025).
    "solidarnum.common.language.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "solidarnum.accounts.middleware.ScopeMiddleware",
    "solidarnum.accounts.middleware.RequireMFAMiddleware",
    # Last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "solidarnum" / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "solidarnum.accounts.context_processors.scope",
            ],
            # Said, not left to the default: a template is read and compiled once per process
            # (ADR 0024). With DJANGO_DEBUG=1, runserver's reloader empties the cache when a
            # template file changes.
            "loaders": [
                (
                    "django.template.loaders.cached.Loader",
                    [
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader",
                    ],
                )
            ],
        },
    },
]

# --- Database ------------------------------------------------------------------------------
# DATABASE_URL selects PostgreSQL (production); without it, SQLite in the ignored var/ folder.
_database_url = os.environ.get("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # No JIT compiling: it costs more than the short queries of a page (ADR 0023).
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(BASE_DIR / "var" / "solidarnum.sqlite3"),
            "OPTIONS": {"timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Shared cache --------------------------------------------------------------------------------
# Rate limits (login failures per address, allauth's code checks, the API) must hold across
# gunicorn workers: Redis in production (SOLIDARNUM_CACHE_URL, e.g. redis://host:6379/1), local
# memory otherwise (one process: runserver, tests). ADR 0015.


def cache_settings(url: str) -> dict[str, dict[str, object]]:
    if url:
        return {
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": url,
                "KEY_PREFIX": "solidarnum",
            }
        }
    return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


CACHES = cache_settings(os.environ.get("SOLIDARNUM_CACHE_URL", ""))
SHARED_CACHE = CACHES["default"]["BACKEND"] != "django.core.cache.backends.locmem.LocMemCache"
# django-ratelimit refuses local memory as "not shared": true across processes, fine within one.
# `check --deploy` warns instead when production runs without a shared cache.
SILENCED_SYSTEM_CHECKS = [] if SHARED_CACHE else ["django_ratelimit.E003", "django_ratelimit.W001"]

# --- Accounts, authentication, MFA, lockout ------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:home"

ACCOUNT_ADAPTER = "solidarnum.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"  # accounts only come from invitations sent to that address
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
# allauth's failed-login limit only guards the second-factor codes (per account): passwords
# are limited per account by django-axes and per address below, one message each (ADR 0015).
ACCOUNT_RATE_LIMITS = {"login_failed": "5/5m/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "solidarnum"
# National admins and site managers must enrol a TOTP device. The local demo turns it off.
MFA_REQUIRED_FOR_MANAGERS = env_bool("SOLIDARNUM_MFA_REQUIRED", default=True)

# Login protection (ADR 0015). A lock per account, wherever the attempts come from (and per
# account + address), so that one person's typos never lock a whole reception point behind
# its single internet address. A locked attempt does not push the end of the lock back.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
# allauth authenticates with `email=`: read it there, trimmed and lower-cased like accounts.
AXES_USERNAME_CALLABLE = "solidarnum.accounts.login_protection.username_from"
AXES_LOCKOUT_CALLABLE = "solidarnum.accounts.login_protection.lockout_response"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Unlocking goes through the audited service ("Mon équipe", "Utilisateurs"), not the admin.
AXES_ENABLE_ADMIN = False
# Behind N trusted reverse proxies, the client IP is the N-th X-Forwarded-For entry from the
# right; otherwise REMOTE_ADDR (ADR 0016). One rule for axes, allauth and the per-address limit.
TRUSTED_PROXY_COUNT = int(os.environ.get("SOLIDARNUM_TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "solidarnum.accounts.login_protection.client_ip"
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# Against password spraying: failed logins from one address (IPv4, or IPv6 /64), in a window.
LOGIN_FAILURES_PER_ADDRESS = os.environ.get("SOLIDARNUM_LOGIN_FAILURES_PER_ADDRESS", "30/m")
RATELIMIT_IP_META_KEY = "solidarnum.accounts.login_protection.client_ip"
RATELIMIT_FAIL_OPEN = True  # a cache outage must not stop logins; axes' locks live in the database

SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
# Flashed messages name people ("Awa Diallo peut maintenant…"): kept server-side, never in a
# cookie the browser stores and sends back.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

INVITATION_VALIDITY_DAYS = int(os.environ.get("SOLIDARNUM_INVITATION_VALIDITY_DAYS", "7"))

# --- Security headers ----------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG


def proxy_ssl_header(
    *, trusted_proxy_count: int, trust_forwarded_proto: bool | None
) -> tuple[str, str] | None:
    """X-Forwarded-Proto says whether the client used HTTPS; anyone can send it, so it is
    believed only behind a declared proxy, which overwrites it (ADR 0016)."""
    trusted = trusted_proxy_count > 0 if trust_forwarded_proto is None else trust_forwarded_proto
    return ("HTTP_X_FORWARDED_PROTO", "https") if trusted else None


# SOLIDARNUM_TRUST_X_FORWARDED_PROTO: on or off explicitly; by default, on behind declared proxies.
SECURE_PROXY_SSL_HEADER = proxy_ssl_header(
    trusted_proxy_count=TRUSTED_PROXY_COUNT,
    trust_forwarded_proto=(
        env_bool("SOLIDARNUM_TRUST_X_FORWARDED_PROTO")
        if "SOLIDARNUM_TRUST_X_FORWARDED_PROTO" in os.environ
        else None
    ),
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Internationalisation ------------------------------------------------------------------------
# Staff pages are French. What a person reads (the directory, the privacy notice, the voucher,
# the error pages they meet) is also offered in these languages (ADR 0025); the names are the
# staff's (French), the switcher shows each language in its own name.
LANGUAGE_CODE = "fr"
LANGUAGES = [
    ("fr", _("Français")),
    ("en", _("Anglais")),
    ("ar", _("Arabe")),
    ("uk", _("Ukrainien")),
    ("prs", _("Dari")),
]
# Dari (ISO 639-3 "prs", the Persian of Afghanistan) is unknown to Django: its name and its
# direction. Right to left like Arabic.
LANG_INFO["prs"] = {
    "bidi": True,
    "code": "prs",
    "name": "Dari",
    "name_local": "\u062f\u0631\u06cc",  # دری
}
LANGUAGES_BIDI = [*global_settings.LANGUAGES_BIDI, "prs"]
# The visitor's choice on public pages, remembered for a year; read by the server only.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = not DEBUG
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "solidarnum" / "locale"]
PHONENUMBER_DEFAULT_REGION = "FR"
PHONENUMBER_DB_FORMAT = "E164"
PHONENUMBER_DEFAULT_FORMAT = "NATIONAL"

# --- Static files --------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "var" / "static"))
with contextlib.suppress(OSError):  # a first `runserver` finds it; read-only images skip it
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "solidarnum" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = BASE_DIR / "var" / "media"
MEDIA_URL = "/media/"

# --- E-mail --------------------------------------------------------------------------------------
# The console backend only in debug: in production, messages go through SMTP.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get(
    "DJANGO_DEFAULT_FROM_EMAIL", "solidarnum <ne-pas-repondre@localhost>"
)

# --- Notifications: SMS and e-mail providers (ADR 0031) ------------------------------------------
# E-mail goes through EMAIL_BACKEND above: SMTP, or one of django-anymail's providers, e.g.
# DJANGO_EMAIL_BACKEND=anymail.backends.brevo.EmailBackend with BREVO_API_KEY.
# Credentials only from the environment.
BREVO_API_KEY = os.environ.get("BREVO_API_KEY", "")
ANYMAIL = {
    "BREVO_API_KEY": BREVO_API_KEY,
    # E-mail delivery reports (/notifications/webhooks/email/<provider>/suivi/) are posted with
    # HTTP basic auth "user:password" (anymail's WEBHOOK_SECRET). Empty: every call refused.
    "WEBHOOK_SECRET": os.environ.get("SOLIDARNUM_EMAIL_WEBHOOK_SECRET", ""),
}
NOTIFICATIONS_EMAIL_FALLBACK_BACKEND = os.environ.get("SOLIDARNUM_EMAIL_FALLBACK_BACKEND", "")
# SMS providers in the order they are tried: the first, then the fallback. Development prints.
NOTIFICATIONS_SMS_BACKENDS = env_list(
    "SOLIDARNUM_SMS_BACKENDS",
    "solidarnum.notifications.backends.ConsoleSmsBackend"
    if DEBUG
    else "solidarnum.notifications.backends.BrevoSmsBackend",
)
NOTIFICATIONS_BREVO_API_URL = os.environ.get("SOLIDARNUM_BREVO_API_URL", "https://api.brevo.com/v3")
NOTIFICATIONS_SMS_SENDER = os.environ.get("SOLIDARNUM_SMS_SENDER", "Solidarnum")[:11]
NOTIFICATIONS_HTTP_TIMEOUT = float(os.environ.get("SOLIDARNUM_SMS_TIMEOUT_SECONDS", "10"))
# Webhooks of delivery reports and replies: /notifications/webhooks/<provider>/rapports/ and
# .../reponses/, with ?secret=<this>. Empty: every webhook call is refused (403).
NOTIFICATIONS_WEBHOOK_SECRET = os.environ.get("SOLIDARNUM_WEBHOOK_SECRET", "")
# Where providers reach us (given to Brevo with each SMS); empty: the account's webhook setting.
NOTIFICATIONS_WEBHOOK_BASE_URL = os.environ.get("SOLIDARNUM_WEBHOOK_BASE_URL", "")
# Attempts per provider on temporary errors, and the backoff base (30 s, 2 min, 8 min).
NOTIFICATIONS_MAX_ATTEMPTS = int(os.environ.get("SOLIDARNUM_NOTIFY_MAX_ATTEMPTS", "3"))
NOTIFICATIONS_RETRY_BASE_SECONDS = int(os.environ.get("SOLIDARNUM_NOTIFY_RETRY_SECONDS", "30"))
# A pending message not sent after this many minutes is sent by the sweep.
NOTIFICATIONS_STUCK_MINUTES = 15
# Non-essential SMS only from 08:00 to 20:00 (Paris), Monday to Saturday, not on public holidays.
NOTIFICATIONS_QUIET_HOURS_WINDOW = (8, 20)
# The languages message templates are written in (solidarnum/notifications/locale/).
NOTIFICATIONS_LANGUAGES = ("fr", "en", "ar", "uk", "prs")
# The rendered text of a message is kept this long, then only its metadata.
NOTIFICATIONS_TEXT_RETENTION_DAYS = int(
    os.environ.get("SOLIDARNUM_MESSAGE_TEXT_RETENTION_DAYS", "90")
)

# --- Celery --------------------------------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
# Without a broker, tasks run inline in the calling process; Celery is then given its in-memory
# transport, so that nothing looks for a broker on localhost.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True

# --- API -----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    # A référent's personal token first; their browser session also works (CSRF enforced).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "solidarnum.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Deny by default: each API view declares its `access_rule`, like every other view.
    "DEFAULT_PERMISSION_CLASSES": ["solidarnum.api.permissions.FollowsAccessRule"],
    "DEFAULT_PARSER_CLASSES": ["solidarnum.api.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "solidarnum.api.exceptions.exception_handler",
    # 429 with Retry-After beyond API_RATE_PER_MINUTE (per token) or ..._PER_ADDRESS_PER_MINUTE.
    "DEFAULT_THROTTLE_CLASSES": [
        "solidarnum.api.throttling.TokenRateThrottle",
        "solidarnum.api.throttling.AddressRateThrottle",
    ],
    # The client address is REMOTE_ADDR; X-Forwarded-For is read only behind declared proxies.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
API_RATE_PER_MINUTE = int(os.environ.get("SOLIDARNUM_API_RATE_PER_MINUTE", "120"))
API_RATE_PER_ADDRESS_PER_MINUTE = int(
    os.environ.get("SOLIDARNUM_API_RATE_PER_ADDRESS_PER_MINUTE", "600")
)
# An Idempotency-Key and the answer it replays are kept this long (hourly purge below).
API_IDEMPOTENCY_KEY_HOURS = 24
SPECTACULAR_SETTINGS = {
    "TITLE": "solidarnum API",
    "VERSION": "1.0.0",
    "DESCRIPTION": (
        "Envoyer des bons d'orientation et suivre leur devenir. Authentification : "
        "en-tête `Authorization: Token <jeton>` (ou `Bearer <jeton>`), jeton créé par "
        "le ou la référente dans « Accès à l'API »."
    ),
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # The referral's rules between fields, after the enums are lifted into components.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "solidarnum.api.schema.state_referral_rules",
    ],
    # Swagger UI and Redoc are served from our own static files (no CDN, strict CSP).
    "SWAGGER_UI_DIST": "SIDECAR",
    # Without deep links, an operation's summary button holds no link of its own (WCAG 4.1.2,
    # axe's nested-interactive rule).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- The organisation (labels are settings, not code) --------------------------------------------
ORGANISATION_NAME = os.environ.get("SOLIDARNUM_ORGANISATION_NAME", "Emmaüs Connect")
ORGANISATION_SIRET = os.environ.get("SOLIDARNUM_ORGANISATION_SIRET", "79388932000024")
ORGANISATION_WEBSITE = os.environ.get("SOLIDARNUM_ORGANISATION_WEBSITE", "")
# Values written in `dispositif_programmes_nationaux` of the open-data export.
OPENDATA_PROGRAMME_RECEPTION_POINT = os.environ.get(
    "SOLIDARNUM_OPENDATA_PROGRAMME", "Emmaüs Connect"
)
OPENDATA_PROGRAMME_RELAY = os.environ.get(
    "SOLIDARNUM_OPENDATA_PROGRAMME_RELAY", "Relais numérique (Emmaüs Connect)"
)
OPENDATA_SOURCE = os.environ.get("SOLIDARNUM_OPENDATA_SOURCE", "solidarnum")

# --- Logging: never personal data ----------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_data": {"()": "solidarnum.common.logging.PersonalDataFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["personal_data"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
if CELERY_TASK_ALWAYS_EAGER:
    # Inline tasks (no broker: a developer's machine, the demo) would print a line per task and
    # per message sent, hundreds while the demo loads; workers with a broker keep them.
    for _chatty in ("celery.app.trace", "solidarnum.notifications.delivery"):
        LOGGING["loggers"][_chatty] = {"level": "WARNING"}  # type: ignore[index]

# --- Retention -----------------------------------------------------------------------------------
INVITATION_RETENTION_DAYS = int(os.environ.get("SOLIDARNUM_INVITATION_RETENTION_DAYS", "90"))
CELERY_BEAT_SCHEDULE = {
    "purge-stale-invitations": {
        "task": "solidarnum.accounts.tasks.purge_stale_invitations",
        "schedule": 24 * 3600,
    },
}

CELERY_BEAT_SCHEDULE["purge-idempotency-keys"] = {
    "task": "solidarnum.api.tasks.purge_idempotency_keys",
    "schedule": crontab(minute=45),
}
# Every kind of background import (device batches, deliveries): jobs nobody confirmed within a
# day expire, then the uploaded files no job needs go (ADR 0043).
CELERY_BEAT_SCHEDULE["purge-stale-import-files"] = {
    "task": "solidarnum.common.tasks.purge_stale_import_files",
    "schedule": crontab(hour=4, minute=0),
}

# --- Referrals and access ------------------------------------------------------------------------
ACCESS_PERIOD_MONTHS = int(os.environ.get("SOLIDARNUM_ACCESS_PERIOD_MONTHS", "18"))
REFERRAL_REMINDER_DAYS = int(os.environ.get("SOLIDARNUM_REFERRAL_REMINDER_DAYS", "10"))
REFERRAL_EXPIRY_DAYS = int(os.environ.get("SOLIDARNUM_REFERRAL_EXPIRY_DAYS", "30"))
CELERY_BEAT_SCHEDULE.update(
    {
        "remind-open-referrals": {
            "task": "solidarnum.referrals.tasks.remind_open_referrals",
            "schedule": crontab(hour=8, minute=0),
        },
        "expire-open-referrals": {
            "task": "solidarnum.referrals.tasks.expire_open_referrals",
            "schedule": crontab(hour=3, minute=30),
        },
        "send-weekly-referral-digests": {
            "task": "solidarnum.referrals.digest.send_weekly_digests",
            "schedule": crontab(hour=7, minute=0, day_of_week=1),
        },
    }
)

# Identity and contact of closed referrals and exited files are anonymised after this delay.
PERSONAL_DATA_RETENTION_DAYS = int(os.environ.get("SOLIDARNUM_PERSONAL_DATA_RETENTION_DAYS", "730"))
CELERY_BEAT_SCHEDULE["anonymise-expired-personal-data"] = {
    "task": "solidarnum.beneficiaries.tasks.anonymise_expired_personal_data",
    "schedule": crontab(hour=2, minute=0),
}

# --- Support: reminders of permanences connectées (two days before at 09:00, the morning of) ---
CELERY_BEAT_SCHEDULE.update(
    {
        "support-remind-two-days-before": {
            "task": "solidarnum.support.tasks.remind_two_days_before",
            "schedule": crontab(hour=9, minute=0),
        },
        "support-remind-same-day": {
            "task": "solidarnum.support.tasks.remind_same_day",
            "schedule": crontab(hour=8, minute=0),
        },
    }
)

# --- Public directory ----------------------------------------------------------------------------
# Each place links to a map site at its coordinates ({lat}, {lon}); empty: no link. A link only:
# the directory loads nothing from that site, no tiles, no script (ADR 0025).
DIRECTORY_MAP_URL = os.environ.get(
    "SOLIDARNUM_MAP_URL", "https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=18/{lat}/{lon}"
)

# --- Links in e-mails ---------------------------------------------------------------------------
# The public address of the site, for links in e-mails sent by tasks or after commit
# (solidarnum/common/links.py). Empty: e-mails name the page instead, and `check --deploy` warns.
SITE_BASE_URL = os.environ.get(
    "SOLIDARNUM_BASE_URL", "http://127.0.0.1:8000" if DEBUG else ""
).rstrip("/")

# --- Equipment -----------------------------------------------------------------------------------
# A reservation holds a device for a person this many days, then it is back on sale.
EQUIPMENT_RESERVATION_DAYS = int(os.environ.get("SOLIDARNUM_RESERVATION_DAYS", "7"))
# A sold device may come back under warranty ("retour SAV") within this many months.
EQUIPMENT_WARRANTY_MONTHS = int(os.environ.get("SOLIDARNUM_WARRANTY_MONTHS", "6"))
# The volunteer check fails a battery below this health (%).
EQUIPMENT_BATTERY_MIN_PERCENT = int(os.environ.get("SOLIDARNUM_BATTERY_MIN_PERCENT", "70"))
# Erasure certificates: PDF only, at most this size.
EQUIPMENT_CERTIFICATE_MAX_BYTES = 5 * 1024 * 1024
# Device imports: at most this many rows and this size per file.
EQUIPMENT_IMPORT_MAX_ROWS = 2000
EQUIPMENT_IMPORT_MAX_BYTES = 2 * 1024 * 1024
# Files with more rows than this are checked and imported by a background task with a progress
# page (ADR 0018); smaller ones within the request.
EQUIPMENT_IMPORT_BACKGROUND_ROWS = int(os.environ.get("SOLIDARNUM_IMPORT_BACKGROUND_ROWS", "300"))
CELERY_BEAT_SCHEDULE["send-due-messages"] = {
    "task": "solidarnum.notifications.tasks.send_due_messages",
    "schedule": crontab(minute="*/5"),
}
CELERY_BEAT_SCHEDULE["purge-message-texts"] = {
    "task": "solidarnum.notifications.tasks.purge_message_texts",
    "schedule": crontab(hour=2, minute=30),
}
CELERY_BEAT_SCHEDULE["expire-device-reservations"] = {
    "task": "solidarnum.equipment.tasks.expire_device_reservations",
    "schedule": crontab(minute=15),
}

# --- Connectivity: the secret codes of recharges, encrypted at rest (ADR 0028) ----------------
# Fernet keys, comma-separated, newest first: the first encrypts, all of them decrypt, so a key is
# rotated by putting the new one first and running `manage.py reencrypt_codes`. Outside debug the
# server refuses to start without one; in debug a key derived from the secret key lets a fresh
# clone run with no configuration.
CODE_ENCRYPTION_KEYS = env_list("SOLIDARNUM_CODE_KEYS")
if not CODE_ENCRYPTION_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SOLIDARNUM_CODE_KEYS must be set outside of debug mode "
            "(generate one with: python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())')."
        )
    CODE_ENCRYPTION_KEYS = [
        base64.urlsafe_b64encode(
            hashlib.sha256(b"solidarnum-code-keys:" + SECRET_KEY.encode()).digest()
        ).decode()
    ]
# Delivery files: at most this many rows, this many bytes.
CONNECTIVITY_IMPORT_MAX_ROWS = 5000
CONNECTIVITY_IMPORT_MAX_BYTES = 2 * 1024 * 1024
# Larger deliveries are checked and imported by a background task with a progress page, as
# device batches (ADR 0018); the same setting.
CONNECTIVITY_IMPORT_BACKGROUND_ROWS = EQUIPMENT_IMPORT_BACKGROUND_ROWS
CELERY_BEAT_SCHEDULE["expire-connectivity-codes"] = {
    "task": "solidarnum.connectivity.tasks.expire_codes",
    "schedule": crontab(hour=3, minute=30),
}
CELERY_BEAT_SCHEDULE["list-due-mediation-cases"] = {
    "task": "solidarnum.connectivity.tasks.list_due_mediation_cases",
    "schedule": crontab(hour=7, minute=0),
}

# --- Reuse impact --------------------------------------------------------------------------------
# Greenhouse gases avoided when a person gets a reused device instead of a new one, in kg CO2e per
# device and per year of use, by device kind. The donor report multiplies each factor by the
# devices reused (sold) in the period, counting one year of use per device. Source and
# assumptions: docs/reuse-impact.md (ADEME, « Évaluation de l'impact environnemental d'un
# ensemble de produits reconditionnés », 2022). basic_phone and hotspot are assumptions.
EQUIPMENT_EMISSION_FACTORS: dict[str, float] = {
    "laptop": 27.0,  # ADEME 2022
    "desktop": 27.0,  # assumption: the laptop figure (no desktop figure in kg found)
    "smartphone": 24.6,  # ADEME 2022
    "tablet": 20.0,  # ADEME 2022
    "basic_phone": 5.0,  # assumption: deliberately low, no published figure found
    "hotspot": 5.0,  # assumption: deliberately low, no published figure found
}
EQUIPMENT_EMISSION_SOURCE = (
    "ADEME, « Évaluation de l'impact environnemental d'un ensemble de produits "
    "reconditionnés », 2022"
)
EQUIPMENT_EMISSION_SOURCE_URL = (
    "https://librairie.ademe.fr/dechets-economie-circulaire/"
    "5241-evaluation-de-l-impact-environnemental-d-un-ensemble-de-produits-reconditionnes.html"
)

# The till (sales): above this difference between counted and expected cash (in euros), only the
# site manager closes a cash session.
SALES_CLOSING_TOLERANCE = Decimal(os.environ.get("SOLIDARNUM_TILL_TOLERANCE", "5.00"))

# --- Volunteers ----------------------------------------------------------------------------------
# The value of one hour of volunteer time, in euros, for funders and the annual accounts (the
# "contributions volontaires en nature" of the accounts): by default the gross hourly minimum
# wage (SMIC brut horaire au 1er janvier 2025, 11,88 €), the usual basis; set the figure the
# association's accountant retains (ADR 0039).
VOLUNTEERS_HOURLY_RATE = Decimal(os.environ.get("SOLIDARNUM_VOLUNTEER_HOURLY_RATE", "11.88"))
# A device check counts this many minutes of volunteer time.
VOLUNTEERS_DEVICE_CHECK_MINUTES = int(os.environ.get("SOLIDARNUM_DEVICE_CHECK_MINUTES", "20"))
# A declined candidate ("non retenu·e") is deleted this many days after the decision.
VOLUNTEERS_DECLINED_RETENTION_DAYS = int(
    os.environ.get("SOLIDARNUM_DECLINED_CANDIDATE_RETENTION_DAYS", "183")
)
# The public "devenir bénévole" form: at most this many applications per address.
VOLUNTEERS_APPLY_RATE = os.environ.get("SOLIDARNUM_VOLUNTEER_APPLY_RATE", "5/h")
CELERY_BEAT_SCHEDULE["delete-declined-candidates"] = {
    "task": "solidarnum.volunteers.tasks.delete_declined_candidates",
    "schedule": crontab(hour=3, minute=45),
}
