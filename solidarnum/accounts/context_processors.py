from django.http import HttpRequest

from .navigation import main_links
from .scope import ANONYMOUS


def scope(request: HttpRequest) -> dict[str, object]:
    current = getattr(request, "scope", ANONYMOUS)
    # Resolved when a template reads it (pages without navigation do not pay for it).
    return {"scope": current, "nav_links": lambda: main_links(current)}
