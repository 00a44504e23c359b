"""A few requests generated from the served schema, sent to the WSGI application in-process.

`make schemathesis` runs the full campaign (all checks, 1,000 examples an operation) against a
server; this keeps a small, derandomized sample in the suite so that a change that makes the
schema lie (or the API answer 500) fails CI.
"""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from . import issue_token

pytestmark = pytest.mark.django_db

EXAMPLES = 15


@pytest.fixture
def schema(world):
    # As Django's test client does: the request signals must not close the connection that
    # holds the test's transaction.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def auth(world):
    _token, key = issue_token(world, "referent")
    return {"Authorization": f"Token {key}"}


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_generated_requests_get_the_answers_the_schema_states(schema, auth, mode):
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 3
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            case.call_and_validate(headers=auth)

        check()
