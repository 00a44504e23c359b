"""The agenda's tests check its own rules (overlaps, locks, statuses); the volunteers' rules
registered on its staffing extension point (availability, skills, languages) are tested in
tests/volunteers. Each test here runs without them; they are put back after it."""

import pytest

from solidarnum.support import staffing


@pytest.fixture(autouse=True)
def _agenda_without_the_volunteers_rules():
    with staffing.only():
        yield
