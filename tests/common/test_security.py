import logging
import os
import re
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from solidarnum.common.logging import PersonalDataFilter, scrub
from tests.conftest import PASSWORD, client_for
from tests.equipment.logistics.matrix import stock_count_a

ROOT = Path(settings.BASE_DIR)


def test_strict_csp_header_without_unsafe_inline(client, db):
    header = client.get("/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in header
    assert "script-src 'self'" in header
    assert "unsafe-inline" not in header
    assert "frame-ancestors 'none'" in header


def test_templates_carry_no_inline_script_or_style():
    offenders = []
    for path in (ROOT / "solidarnum").rglob("*.html"):
        text = path.read_text()
        if (
            " style=" in text
            or "<style" in text
            or " onclick=" in text
            or ("<script" in text and "<script src=" not in text)
        ):
            offenders.append(str(path))
    assert not offenders


def test_htmx_posts_carry_the_csrf_token_of_their_form(clients, world):
    """htmx sends a form's fields, its CSRF token included (tests/test_page_assets.py checks
    every page): the stock-count scanner, the one htmx POST, is accepted."""
    count = stock_count_a(world)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["staff_a"], backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("equipment:stock_count_detail", args=[count.pk])).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    scan = reverse("equipment:stock_count_scan", args=[count.pk])
    headers = {"HX-Request": "true"}
    assert client.post(scan, {"code": "X1"}, headers=headers).status_code == 403
    answer = client.post(scan, {"code": "X1", "csrfmiddlewaretoken": token[1]}, headers=headers)
    assert answer.status_code == 200


def test_axes_locks_out_after_repeated_failures(world, settings):
    user = world.users["staff_a"]
    client = client_for(None)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("account_login"), {"login": user.email, "password": "faux"})
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Compte temporairement bloqué" in response.content.decode()


def test_mfa_is_required_for_managers_when_the_setting_is_on(clients, settings):
    settings.MFA_REQUIRED_FOR_MANAGERS = True
    response = clients["manager_a"].get(reverse("accounts:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    assert clients["admin"].get(reverse("privacy:audit_list")).status_code == 302
    # Staff are free to enrol but not forced.
    assert clients["staff_a"].get(reverse("accounts:home")).status_code == 200
    # The enrolment flow itself stays reachable (allauth may first ask for the password again).
    response = clients["manager_a"].get(reverse("mfa_activate_totp"))
    assert response.status_code == 200 or response["Location"].startswith("/compte/")


def test_mfa_enrolled_manager_passes_once_the_code_is_given(world, settings):
    from tests.accounts.totp import enrol_totp, log_in_with_totp

    settings.MFA_REQUIRED_FOR_MANAGERS = True
    manager = world.users["manager_a"]
    secret = enrol_totp(manager)
    client = client_for(None)
    log_in_with_totp(client, manager.email, secret)
    assert client.get(reverse("accounts:home")).status_code == 200


def test_sessions_expire_and_cookies_are_locked_down():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.PASSWORD_HASHERS  # tests use a fast hasher; production below


def test_production_settings_pass_check_deploy_and_use_argon2(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SOLIDARNUM_"))},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": "a-production-secret-" + "k" * 50,
        "SOLIDARNUM_CODE_KEYS": "cHJvZHVjdGlvbi1rZXktZm9yLXRoZS1jaGVjay10c3Q=",
        "DJANGO_ALLOWED_HOSTS": "solidarnum.example.org",
        "SOLIDARNUM_BASE_URL": "https://solidarnum.example.org",
        "DJANGO_STATIC_ROOT": str(tmp_path),
        "SOLIDARNUM_CACHE_URL": "redis://127.0.0.1:6379/1",  # not connected by the checks
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django;django.setup();from django.conf import settings;"
            "print(settings.PASSWORD_HASHERS[0], settings.MFA_REQUIRED_FOR_MANAGERS, "
            "settings.DEBUG)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.stdout.split() == [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "True",
        "False",
    ], result.stderr


def test_check_deploy_warns_when_production_has_no_shared_cache(settings):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.SHARED_CACHE = False
    with pytest.raises(SystemCheckError, match=r"solidarnum\.W001"):
        call_command("check", "--deploy", "--fail-level", "WARNING", "--tag", "caches")
    settings.SHARED_CACHE = True
    call_command("check", "--deploy", "--fail-level", "WARNING", "--tag", "caches")


def test_production_settings_refuse_to_start_without_a_secret(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SOLIDARNUM_"))},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_STATIC_ROOT": str(tmp_path),
    }
    # The WSGI entry point is what serves production: it must refuse to start.
    result = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("login failed for awa.diallo@example.org", "login failed for [e-mail]"),
        ("call 06 12 34 56 78 now", "call [téléphone] now"),
        ("call +33612345678", "call [téléphone]"),
        ("reference 2026-000123 ok", "reference 2026-000123 ok"),
    ],
)
def test_personal_data_is_scrubbed_from_logs(message, expected):
    assert scrub(message) == expected


def test_log_filter_rewrites_records_with_arguments():
    record = logging.LogRecord(
        "x", logging.WARNING, __file__, 1, "user %s locked", ("a@b.fr",), None
    )
    PersonalDataFilter().filter(record)
    assert record.getMessage() == "user [e-mail] locked"


def test_healthz_reports_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_healthz_answers_503_when_the_database_is_down(client, db):
    with mock.patch.object(connection, "cursor", side_effect=Exception("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_french_error_pages(clients):
    response = clients["staff_a"].get("/nulle-part/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
    response = clients["staff_a"].get(reverse("privacy:audit_list"))
    assert "Accès refusé" in response.content.decode()


def test_manage_py_works_on_a_developer_machine_without_a_secret(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SOLIDARNUM_"))},
        "DJANGO_STATIC_ROOT": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_flashed_messages_stay_in_the_session_not_in_a_cookie(world, clients):
    from solidarnum.accounts.models import Membership

    staff = world.users["staff_a"]
    membership = Membership.objects.get(user=staff)
    client = clients["manager_a"]
    response = client.post(
        reverse("accounts:set_device_skill", kwargs={"pk": membership.pk}), {"value": "1"}
    )
    assert response.status_code == 302
    assert "messages" not in response.cookies
    page = client.get(response["Location"])
    assert "messages" not in page.cookies
    assert (
        f"{staff.first_name} {staff.last_name} peut maintenant contrôler" in page.content.decode()
    )
    assert "messages" not in client.cookies
