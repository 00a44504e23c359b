"""Project-wide consistency: every URL of ours declares who may call it, and the code keeps
the shape docs/architecture.md describes."""

import ast
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

from solidarnum.accounts.access import rule_of

# Third-party URL trees keep their own protection; each exemption says why.
EXEMPT_ROUTE_PREFIXES = {
    "admin/": "the Django admin checks is_staff itself (support staff only)",
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


def test_our_views_live_outside_the_exempt_trees():
    for route, pattern in iter_patterns():
        if _module_of(pattern.callback).startswith("solidarnum."):
            assert not route.startswith(tuple(EXEMPT_ROUTE_PREFIXES)), route


# --- Code shape ----------------------------------------------------------------------------------

SOURCE = Path(__file__).resolve().parent.parent / "solidarnum"


def _python_files():
    return sorted(p for p in SOURCE.rglob("*.py") if "migrations" not in p.parts)


def _exception_classes(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and any(
            isinstance(base, ast.Name) and base.id == "Exception" for base in node.bases
        ):
            yield node.name


# Exceptions that are not refusals: raised on a bug, never shown to a person.
NOT_REFUSALS = {
    "AppendOnlyError": "code tried to rewrite the audit trail (privacy/models.py)",
}


def test_services_share_one_refusal_error():
    """A refused action raises `solidarnum.common.errors.ServiceError` everywhere, so views show
    every refusal the same way. Private control-flow exceptions (`_Name`) stay local."""
    others = [
        f"{path.relative_to(SOURCE.parent)}: {name}"
        for path in _python_files()
        for name in _exception_classes(path)
        if not name.startswith("_")
        and name not in NOT_REFUSALS
        and path != SOURCE / "common" / "errors.py"
    ]
    assert not others, "Raise solidarnum.common.errors.ServiceError instead:\n" + "\n".join(others)
