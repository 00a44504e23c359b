from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import SimpleLazyObject

from .enums import Role
from .scope import ANONYMOUS, SESSION_KEY, Scope, resolve_scope, scope_of


class ScopeMiddleware:
    """Attach `request.scope`, resolved lazily and at most once per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        def load() -> Scope:
            user = request.user
            if not user.is_authenticated:
                return ANONYMOUS
            return resolve_scope(user, request.session.get(SESSION_KEY))  # type: ignore[arg-type]

        request.scope = SimpleLazyObject(load)  # type: ignore[attr-defined]
        return self.get_response(request)


MFA_ROLES = {Role.NATIONAL_ADMIN, Role.SITE_MANAGER}
# Paths a manager without TOTP may still reach: MFA set-up, logout, static files.
MFA_EXEMPT_PREFIXES = ("/compte/", "/static/", "/healthz")


class RequireMFAMiddleware:
    """When MFA_REQUIRED_FOR_MANAGERS is on, a national admin or site manager without a TOTP
    authenticator is sent to enrol one before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.MFA_REQUIRED_FOR_MANAGERS
            and request.user.is_authenticated
            and not request.path.startswith(MFA_EXEMPT_PREFIXES)
            and any(m.role in MFA_ROLES for m in scope_of(request).memberships)
        ):
            from allauth.mfa.models import Authenticator

            has_totp = Authenticator.objects.filter(
                user=request.user, type=Authenticator.Type.TOTP
            ).exists()
            if not has_totp:
                return redirect("mfa_activate_totp")
        return self.get_response(request)
