"""The benchmark's URLs (config.settings_bench): the product's, and a bare page."""

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path

from solidarnum.accounts.access import AUTHENTICATED, access

from .urls import handler403, handler404, handler500
from .urls import urlpatterns as product_urls

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]


@access(AUTHENTICATED)
def bare(request: HttpRequest) -> HttpResponse:
    """Through the same middleware (session, user, scope) as any staff page, then one query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (one,) = cursor.fetchone() or (0,)
    return HttpResponse(f"<!doctype html><title>bench</title><p>{one}</p>")


urlpatterns: list[URLPattern | URLResolver] = [
    path("bench/bare/", bare, name="bench_bare"),
    *product_urls,
]
