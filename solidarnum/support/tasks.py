"""Background jobs of support: the reminders of permanences connectées, two days before at 09:00
and the morning of (Celery beat; inline without a broker). Each takes `now` for tests."""

from celery import shared_task
from django.db import transaction

from . import reminders


@shared_task(name="solidarnum.support.tasks.remind_two_days_before")
def remind_two_days_before() -> int:
    with transaction.atomic():
        return reminders.remind_two_days_before()


@shared_task(name="solidarnum.support.tasks.remind_same_day")
def remind_same_day() -> int:
    with transaction.atomic():
        return reminders.remind_same_day()
