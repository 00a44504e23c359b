"""When a non-essential SMS may go: Monday to Saturday, 08:00 to 20:00 (Paris time), never on a
French public holiday (the `holidays` package: metropolitan France's eleven days, Easter Monday
and Whit Monday computed from Easter)."""

from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings

PARIS = ZoneInfo("Europe/Paris")


@cache
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("FR", years=year)


def is_public_holiday(day: date) -> bool:
    return day in _holidays(day.year)


def _window() -> tuple[time, time]:
    start, end = settings.NOTIFICATIONS_QUIET_HOURS_WINDOW
    return time(start), time(end)


def is_allowed(moment: datetime) -> bool:
    local = moment.astimezone(PARIS)
    start, end = _window()
    return (
        local.weekday() != 6  # not on Sunday
        and not is_public_holiday(local.date())
        and start <= local.time() < end
    )


def next_allowed(moment: datetime) -> datetime:
    """`moment` itself when allowed, else the next opening of the window (an aware datetime)."""
    if is_allowed(moment):
        return moment
    local = moment.astimezone(PARIS)
    start, _end = _window()
    day = local.date()
    if local.time() >= start:
        day += timedelta(days=1)
    while day.weekday() == 6 or is_public_holiday(day):
        day += timedelta(days=1)
    return datetime.combine(day, start, tzinfo=PARIS)
