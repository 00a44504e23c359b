from datetime import date, datetime

import pytest

from solidarnum.notifications.calendar import PARIS, is_allowed, is_public_holiday, next_allowed


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("moment", "allowed"),
    [
        (paris(2026, 3, 3, 7, 59), False),  # Tuesday, too early
        (paris(2026, 3, 3, 8, 0), True),
        (paris(2026, 3, 3, 19, 59), True),
        (paris(2026, 3, 3, 20, 0), False),
        (paris(2026, 3, 7, 10, 0), True),  # Saturday
        (paris(2026, 3, 8, 10, 0), False),  # Sunday
        (paris(2026, 4, 6, 10, 0), False),  # Easter Monday 2026
        (paris(2026, 7, 14, 10, 0), False),  # Bastille Day
        (paris(2026, 5, 25, 10, 0), False),  # Whit Monday 2026
    ],
)
def test_the_allowed_hours(moment, allowed):
    assert is_allowed(moment) is allowed


def test_french_public_holidays():
    assert is_public_holiday(date(2026, 11, 11))
    assert not is_public_holiday(date(2026, 11, 12))


def test_after_saturday_evening_the_next_slot_is_monday_morning():
    assert next_allowed(paris(2026, 3, 7, 21, 0)) == paris(2026, 3, 9, 8, 0)


def test_before_easter_monday_the_next_slot_is_tuesday():
    assert next_allowed(paris(2026, 4, 5, 12, 0)) == paris(2026, 4, 7, 8, 0)


def test_early_morning_waits_for_eight():
    assert next_allowed(paris(2026, 3, 3, 6, 30)) == paris(2026, 3, 3, 8, 0)


def test_an_allowed_moment_is_itself():
    moment = paris(2026, 3, 3, 12, 0)
    assert next_allowed(moment) == moment
