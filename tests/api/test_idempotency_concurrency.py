"""Concurrent retries with one `Idempotency-Key` create one referral (PostgreSQL, threads).

The second INSERT of the same (token, key) waits on the first transaction's unique index
entry, then fails once it commits: that request replays the stored answer.
"""

import uuid

import pytest
from django.db import connection

from solidarnum.api.models import IdempotencyKey
from solidarnum.referrals.models import Referral
from tests.race import race

from . import issue_token, token_client
from .test_api import LIST_URL, payload

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent inserts are tested on PostgreSQL"
    ),
    # serialized_rollback: the reference data created by data migrations survive the flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_four_concurrent_retries_create_one_referral(world):
    _token, secret = issue_token(world, "referent")
    key = str(uuid.uuid4())

    def send():
        response = token_client(secret).post(
            LIST_URL, payload(), format="json", headers={"Idempotency-Key": key}
        )
        return response.status_code, response.json()

    outcomes = race(send, send, send, send)

    assert [kind for kind, _ in outcomes] == ["ok"] * 4, outcomes
    answers = [value for _, value in outcomes]
    assert {status for status, _ in answers} == {201}
    assert all(body == answers[0][1] for _, body in answers)
    assert Referral.objects.count() == 1
    assert IdempotencyKey.objects.count() == 1


def test_without_a_key_concurrent_posts_each_create_a_referral(world):
    # The control case: the race helper does run the requests at the same time.
    _token, secret = issue_token(world, "referent")

    def send():
        return token_client(secret).post(LIST_URL, payload(), format="json").status_code

    assert [value for _, value in race(send, send)] == [201, 201]
    assert Referral.objects.count() == 2
