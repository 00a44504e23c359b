"""Celery application.

With CELERY_BROKER_URL set (Redis in production) tasks go to workers; without it they run
inline in the calling process, so a fresh machine needs no broker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("solidarnum")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
