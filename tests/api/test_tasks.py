"""API background tasks: idempotency keys (and the answers they hold) go after 24 hours."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from solidarnum.api.models import IdempotencyKey
from solidarnum.api.tasks import purge_idempotency_keys

from . import issue_token, token_client
from .test_api import LIST_URL, payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(world):
    _token, key = issue_token(world, "referent")
    return token_client(key)


def _post(client, data, key: str):
    return client.post(LIST_URL, data, format="json", headers={"Idempotency-Key": key})


def test_the_purge_deletes_keys_older_than_24_hours(api):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _post(api, payload(), str(uuid.uuid4()))
    with time_machine.travel(start + timedelta(hours=12), tick=False):
        recent = str(uuid.uuid4())
        _post(api, payload(first_name="Ilyes"), recent)
    with time_machine.travel(start + timedelta(hours=24, minutes=1), tick=False):
        assert purge_idempotency_keys() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == [recent]


def test_the_purge_command(api, capsys):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _post(api, payload(), str(uuid.uuid4()))
    with time_machine.travel(start + timedelta(days=2), tick=False):
        call_command("purge_idempotency_keys")
    assert not IdempotencyKey.objects.exists()
    assert "1 clé d'idempotence supprimée." in capsys.readouterr().out


def test_the_purge_is_scheduled(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "solidarnum.api.tasks.purge_idempotency_keys" in tasks
