"""Absolute links for messages sent outside a request (e-mails sent after commit or by tasks).

The site's address comes from `SITE_BASE_URL` (env `SOLIDARNUM_BASE_URL`, e.g.
"https://solidarnum.example.org"). Without it, no link is written: e-mails name the page instead,
and `manage.py check --deploy` warns.
"""

from typing import Any

from django.conf import settings
from django.core.checks import Warning, register
from django.urls import reverse


def absolute_url(view_name: str, **kwargs: Any) -> str:
    """The page's full address, or "" when the site's address is not configured."""
    base = str(settings.SITE_BASE_URL or "").rstrip("/")
    if not base:
        return ""
    return base + reverse(view_name, kwargs=kwargs or None)


@register(deploy=True)
def check_site_base_url(app_configs: Any, **kwargs: Any) -> list[Warning]:
    if settings.DEBUG or settings.SITE_BASE_URL:
        return []
    return [
        Warning(
            "SOLIDARNUM_BASE_URL is not set: e-mails will carry no link back to the site.",
            hint="Set SOLIDARNUM_BASE_URL to the public address, e.g. https://solidarnum.example.org",
            id="solidarnum.W101",
        )
    ]
