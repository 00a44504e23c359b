"""The Django admin behind the product's own login: password, then the second factor.

The admin's login form would check a password alone and skip the TOTP step, so its login view
only sends people to allauth's login and never reads a password (see ADR 0016).
"""

from typing import Any

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from . import mfa


class SolidarnumAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        # Belt and braces with RequireMFAMiddleware: no admin view without the second factor.
        return super().has_permission(request) and (
            mfa.is_verified(request) or not mfa.is_required(request)
        )

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        next_url = self._next_url(request)
        if not request.user.is_authenticated:
            return redirect_to_login(next_url)
        if self.has_permission(request):
            return redirect(next_url)
        if request.user.is_active and request.user.is_staff:
            return redirect_to_login(next_url, reverse("mfa_reauthenticate"))
        raise PermissionDenied

    def _next_url(self, request: HttpRequest) -> str:
        wanted = request.GET.get(REDIRECT_FIELD_NAME, "")
        if wanted and url_has_allowed_host_and_scheme(
            wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return wanted
        return reverse("admin:index", current_app=self.name)
