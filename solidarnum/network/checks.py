"""System checks of the network's settings."""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register()
def check_directory_map_url(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """SOLIDARNUM_MAP_URL must be an https address with {lat} and {lon} only, or empty."""
    template: str = settings.DIRECTORY_MAP_URL
    if not template:
        return []
    try:
        url = template.format(lat=Decimal("48.8889"), lon=Decimal("2.3743"))
    except (KeyError, IndexError, ValueError):
        url = ""
    if not url.startswith("https://") or "48.8889" not in url:
        return [
            Error(
                "SOLIDARNUM_MAP_URL must be an https:// address using {lat} and {lon}, or empty.",
                id="network.E001",
            )
        ]
    return []
