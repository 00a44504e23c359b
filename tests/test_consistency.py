"""Project-wide consistency: every URL of ours declares who may call it."""

from django.urls import URLPattern, URLResolver, get_resolver

from solidarnum.accounts.access import rule_of

# Third-party URL trees keep their own protection; each exemption says why.
EXEMPT_ROUTE_PREFIXES = {
    "admin/": (
        "the Django admin checks is_staff and a session verified by the second factor itself "
        "(support staff only); its login view only sends to allauth's login"
    ),
    "compte/": "django-allauth: login, logout, password reset and MFA pages",
}


def iter_patterns(patterns=None, prefix=""):
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from iter_patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def _module_of(callback) -> str:
    target = getattr(callback, "view_class", None) or getattr(callback, "cls", None) or callback
    return getattr(target, "__module__", "") or ""


def test_every_url_of_ours_declares_an_access_rule():
    missing = []
    for route, pattern in iter_patterns():
        if route.startswith(tuple(EXEMPT_ROUTE_PREFIXES)):
            continue
        module = _module_of(pattern.callback)
        if rule_of(pattern.callback) is None:
            missing.append(f"{route} ({pattern.name}, {module})")
    assert not missing, "Views without an access rule:\n" + "\n".join(missing)


def test_the_walk_sees_our_views():
    # Guard against a walk that silently finds nothing (the test above would then always pass).
    names = {pattern.name for _, pattern in iter_patterns()}
    assert {"home", "reception_point_update", "audit_list", "healthz"} <= names


# Our AdminSite subclass serves the admin's URLs (its login view is ours).
ADMIN_SITE_MODULE = "solidarnum.accounts.admin_site"


def test_our_views_live_outside_the_exempt_trees():
    for route, pattern in iter_patterns():
        module = _module_of(pattern.callback)
        if module.startswith("solidarnum.") and module != ADMIN_SITE_MODULE:
            assert not route.startswith(tuple(EXEMPT_ROUTE_PREFIXES)), route
