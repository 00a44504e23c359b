from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache

from solidarnum.accounts.access import PUBLIC, access
from solidarnum.common.language import use_visitor_language


@never_cache
@access(PUBLIC)
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness: 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:  # any database failure means "not ready"
        database = "unavailable"
    status = 200 if database == "ok" else 503
    return JsonResponse(
        {"status": "ok" if status == 200 else "degraded", "database": database}, status=status
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """In the visitor's language for someone not signed in (a person looking for a place, a
    link from an SMS); in French for staff. Raised inside a person-facing view, the page is
    already in that view's language."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        use_visitor_language(request)
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """In the language of the page that failed (French outside person-facing pages). No
    request context, no context processor: the database may be the thing that failed."""
    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)
