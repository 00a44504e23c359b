"""API views follow the same access rules as every other view (`solidarnum.accounts.access`).

The scope comes from the token when one authenticated the request, otherwise from the
browser session (`ScopeMiddleware`). A view without `access_rule` is closed to everyone.
"""

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from solidarnum.accounts.access import Rule
from solidarnum.accounts.scope import ANONYMOUS, Scope, scope_of

from .authentication import TokenAuth


def api_scope(request: Request) -> Scope:
    if isinstance(request.auth, TokenAuth):
        return request.auth.scope
    if request.user is not None and request.user.is_authenticated:
        return scope_of(request._request)
    return ANONYMOUS


class FollowsAccessRule(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        rule: Rule | None = getattr(view, "access_rule", None)
        if rule is None:
            return False
        return rule.allows(api_scope(request))
