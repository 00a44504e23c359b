"""When a cohort's half-days fall: mornings then afternoons, Monday to Friday."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

MORNING = time(9, 0)
AFTERNOON = time(14, 0)


def half_days(first: date, count: int) -> list[datetime]:
    """`count` half-days from `first`, mornings then afternoons, Monday to Friday."""
    zone = timezone.get_current_timezone()
    moments: list[datetime] = []
    day = first
    while len(moments) < count:
        if day.weekday() < 5:
            for start in (MORNING, AFTERNOON):
                if len(moments) < count:
                    moments.append(datetime.combine(day, start, tzinfo=zone))
        day += timedelta(days=1)
    return moments
