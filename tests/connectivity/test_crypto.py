"""Secret codes at rest (ADR 0028): encrypted, readable with any configured key, re-encrypted
under the newest by a command; production refuses to start without a key."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError

from solidarnum.connectivity import crypto
from solidarnum.connectivity.models import Code
from tests.connectivity.factories import make_codes, make_offer, secret_of

ROOT = Path(__file__).resolve().parents[2]
OLD = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()


def test_a_token_is_read_by_any_configured_key_and_written_with_the_first(settings):
    settings.CODE_ENCRYPTION_KEYS = [OLD]
    token = crypto.encrypt("12345678901234")
    settings.CODE_ENCRYPTION_KEYS = [NEW, OLD]
    assert crypto.decrypt(token) == "12345678901234"
    rotated = crypto.rotate(token)
    settings.CODE_ENCRYPTION_KEYS = [NEW]
    assert crypto.decrypt(rotated) == "12345678901234"
    with pytest.raises(crypto.UnreadableSecret) as caught:
        crypto.decrypt(token)
    assert "12345678901234" not in str(caught.value)


@pytest.mark.django_db
def test_the_command_re_encrypts_every_code_under_the_new_key(settings, world):
    settings.CODE_ENCRYPTION_KEYS = [OLD]
    offer = make_offer()
    codes = make_codes(offer, world.site_a, 5)
    make_codes(offer, world.site_a, 1, with_secret=False)
    settings.CODE_ENCRYPTION_KEYS = [NEW, OLD]
    out = StringIO()
    call_command("reencrypt_codes", "--batch", "2", stdout=out)
    assert "5 codes secrets rechiffrés" in out.getvalue()
    settings.CODE_ENCRYPTION_KEYS = [NEW]  # the old key is gone: every code still reads
    for code in codes:
        stored = Code.objects.get(pk=code.pk).secret_token
        assert crypto.decrypt(stored) == secret_of(code.serial)
        assert secret_of(code.serial) not in out.getvalue()


@pytest.mark.django_db
def test_the_command_stops_when_a_key_is_missing(settings, world):
    settings.CODE_ENCRYPTION_KEYS = [OLD]
    make_codes(make_offer(), world.site_a, 2)
    settings.CODE_ENCRYPTION_KEYS = [NEW]
    with pytest.raises(CommandError, match="aucune des clés"):
        call_command("reencrypt_codes", stdout=StringIO())


def test_a_bad_key_is_refused_without_being_printed(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.CODE_ENCRYPTION_KEYS = ["not-a-key-at-all"]
    with pytest.raises(ImproperlyConfigured) as caught:
        crypto.encrypt("1")
    assert "not-a-key-at-all" not in str(caught.value)


def _settings_in_a_subprocess(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SOLIDARNUM_"))}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django;django.setup();from django.conf import settings;"
            "from solidarnum.connectivity import crypto;"
            "print(crypto.decrypt(crypto.encrypt('42')), len(settings.CODE_ENCRYPTION_KEYS))",
        ],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_a_key():
    result = _settings_in_a_subprocess(DJANGO_SECRET_KEY="a-production-secret-" + "k" * 50)
    assert result.returncode != 0
    assert "SOLIDARNUM_CODE_KEYS must be set" in result.stderr


def test_a_fresh_clone_in_debug_runs_with_a_derived_key():
    result = _settings_in_a_subprocess(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["42", "1"]


def test_several_keys_are_read_from_the_environment():
    result = _settings_in_a_subprocess(
        DJANGO_SECRET_KEY="a-production-secret-" + "k" * 50, SOLIDARNUM_CODE_KEYS=f"{NEW}, {OLD}"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["42", "2"]
