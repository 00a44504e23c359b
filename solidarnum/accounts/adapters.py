from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from django.http import HttpRequest

from . import login_protection


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created from invitations only: public sign-up is closed."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Before any password check (login, password asked again): refuse an address that
        failed too often. This replaces allauth's own failed-login limit for passwords, which
        django-axes (per account) and the per-address limit do with their own pages (ADR 0015);
        allauth's limit still guards the second-factor codes."""
        refusal = login_protection.refusal_for_address(request)
        if refusal is not None:
            raise ImmediateHttpResponse(refusal)
