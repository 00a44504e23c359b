from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from . import mfa
from .scope import ANONYMOUS, SESSION_KEY, Scope, resolve_scope


class ScopeMiddleware:
    """Attach `request.scope`, resolved lazily and at most once per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        def load() -> Scope:
            user = request.user
            if not user.is_authenticated:
                return ANONYMOUS
            return resolve_scope(user, request.session.get(SESSION_KEY))

        request.scope = SimpleLazyObject(load)  # type: ignore[attr-defined]
        return self.get_response(request)


# A manager or admin without a device may still reach the account pages (to enrol one),
# static files and the health probe.
ENROLMENT_EXEMPT_PREFIXES = ("/compte/", "/static/", "/healthz")
# With a device but a session that has not used it: only the code page and logout.
VERIFICATION_EXEMPT_PREFIXES = ("/static/", "/healthz")
VERIFICATION_EXEMPT_URLS = ("mfa_reauthenticate", "account_logout")


class RequireMFAMiddleware:
    """When MFA_REQUIRED_FOR_MANAGERS is on, a national admin, site manager or Django staff
    account must have a TOTP device and must have used it in this session, for every page
    (the Django admin included). Without a device: sent to enrol one. With a device but a
    session opened without it: asked for a code before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if mfa.is_required(request) and not mfa.is_verified(request):
            if not mfa.has_totp(request.user):
                if not request.path.startswith(ENROLMENT_EXEMPT_PREFIXES):
                    return redirect("mfa_activate_totp")
            elif not self._is_verification_step(request):
                return redirect_to_login(request.get_full_path(), reverse("mfa_reauthenticate"))
        return self.get_response(request)

    @staticmethod
    def _is_verification_step(request: HttpRequest) -> bool:
        if request.path.startswith(VERIFICATION_EXEMPT_PREFIXES):
            return True
        return request.path in {reverse(name) for name in VERIFICATION_EXEMPT_URLS}
