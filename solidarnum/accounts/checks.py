"""System checks of the login protection's set-up (ADR 0015)."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if settings.SHARED_CACHE:
        return []
    return [
        Warning(
            "No shared cache: login failures per address and API rate limits are counted "
            "separately by each server process.",
            hint="Set SOLIDARNUM_CACHE_URL to a Redis database, e.g. redis://127.0.0.1:6379/1.",
            id="solidarnum.W001",
        )
    ]
