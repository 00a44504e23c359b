"""Access rules for views: the one place that decides who may reach a URL.

Every view declares a rule with `@access(...)` (function views) or `access_rule = ...`
(class-based views, through `AccessRuleMixin`). A consistency test fails when a URL has a view
without a rule. Object-level scoping happens in the `get_<noun>_or_404` selectors: an object
outside the caller's scope answers 404, exactly like a missing one.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .enums import Role
from .scope import Scope, scope_of


@dataclass(frozen=True)
class Rule:
    """Who may call a view. `login_required=False` means public."""

    login_required: bool = True
    roles: frozenset[Role] | None = None  # None: any authenticated user
    lead_referent: bool = False  # also let lead référents in
    label: str = ""

    def allows(self, scope: Scope) -> bool:
        if not self.login_required:
            return True
        if not scope.is_authenticated:
            return False
        if self.roles is None:
            return True
        return scope.role in self.roles or (self.lead_referent and scope.is_lead_referent)


PUBLIC = Rule(login_required=False, label="public")
AUTHENTICATED = Rule(label="authenticated")


def roles(*allowed: Role, lead_referent: bool = False) -> Rule:
    return Rule(
        roles=frozenset(allowed),
        lead_referent=lead_referent,
        label="roles:" + ",".join(sorted(allowed)),
    )


def check(request: HttpRequest, rule: Rule) -> None:
    scope: Scope = scope_of(request)
    if rule.login_required and not scope.is_authenticated:
        raise _LoginRequired
    if not rule.allows(scope):
        raise PermissionDenied


class _LoginRequired(Exception):
    pass


def access(rule: Rule) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                check(request, rule)
            except _LoginRequired:
                return redirect_to_login(request.get_full_path())
            return view(request, *args, **kwargs)

        wrapped.access_rule = rule  # type: ignore[attr-defined]
        return wrapped

    return decorator


class AccessRuleMixin:
    """For class-based views: set `access_rule` on the class."""

    access_rule: Rule

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            check(request, self.access_rule)
        except _LoginRequired:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


def rule_of(callback: Any) -> Rule | None:
    """The access rule declared by a URL callback, or None."""
    rule = getattr(callback, "access_rule", None)
    if rule is None and hasattr(callback, "view_class"):
        rule = getattr(callback.view_class, "access_rule", None)
    if rule is None and hasattr(callback, "cls"):  # DRF views
        rule = getattr(callback.cls, "access_rule", None)
    return rule
