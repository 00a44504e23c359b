from django.http import HttpRequest

from .scope import ANONYMOUS


def scope(request: HttpRequest) -> dict[str, object]:
    return {"scope": getattr(request, "scope", ANONYMOUS)}
