"""Project-wide consistency: every URL of ours declares who may call it, and the code keeps
the shape docs/architecture.md describes."""

import ast
import re
import tomllib
from pathlib import Path

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
    for route, pattern, _name in iter_named_patterns(patterns, prefix):
        yield route, pattern


def iter_named_patterns(patterns=None, prefix="", namespace=""):
    """(route, pattern, name as reverse() takes it: "app:name", or None when unnamed)."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from iter_named_patterns(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            yield prefix + str(entry.pattern), entry, name


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
    names = {name for _, _, name in iter_named_patterns()}
    assert {
        "accounts:home",
        "network:reception_point_update",
        "privacy:audit_list",
        "common:healthz",
    } <= names


def test_every_url_of_ours_is_named_in_its_apps_namespace():
    """`app_name` in each app's urls.py: `reverse("equipment:device_detail")`, never a bare
    name another app could take."""
    wrong = []
    for route, pattern, name in iter_named_patterns():
        module = _module_of(pattern.callback)
        if route.startswith(tuple(EXEMPT_ROUTE_PREFIXES)) or not module.startswith("solidarnum."):
            continue
        app = module.split(".")[1]
        if not (name or "").startswith(f"{app}:"):
            wrong.append(f"{route}: {name!r} should be {app}:<name> ({module})")
    assert not wrong, "\n".join(wrong)


# Our AdminSite subclass serves the admin's URLs (its login view is ours).
ADMIN_SITE_MODULE = "solidarnum.accounts.admin_site"


def test_our_views_live_outside_the_exempt_trees():
    for route, pattern in iter_patterns():
        module = _module_of(pattern.callback)
        if module.startswith("solidarnum.") and module != ADMIN_SITE_MODULE:
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
    "DeliveryError": "a provider's answer (timeout, refusal), written as an attempt in the "
    "delivery log, never shown as a refusal (notifications/backends.py)",
    "UnreadableSecret": "a secret code no configured key reads: a key removed too early, an "
    "operations error (connectivity/crypto.py, ADR 0028)",
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


def _caught_names(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.ExceptHandler) and node.type is not None:
            types = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
            for caught in types:
                name = (
                    caught.attr if isinstance(caught, ast.Attribute) else getattr(caught, "id", "")
                )
                yield name, node.lineno


def test_no_page_hides_a_missing_url_or_template():
    """A link to a renamed URL must fail its page's tests, not vanish from the page."""
    hidden = [
        f"{path.relative_to(SOURCE.parent)}:{line} catches {name}"
        for path in _python_files()
        for name, line in _caught_names(path)
        if name in {"NoReverseMatch", "TemplateDoesNotExist"}
    ]
    assert not hidden, "\n".join(hidden)


def _service_functions():
    for path in _python_files():
        if path.name != "services.py":
            continue
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                yield path.relative_to(SOURCE.parent), node


# Services a person may call before having an account: `acting_user` may be None.
ANONYMOUS_CALLERS = {"accept_invitation": "the invitee's account is created on acceptance"}


def test_services_take_the_acting_person_as_acting_user():
    """One name and one type for the person acting: `acting_user: User`, keyword-only. A service
    that decides by the role the person acts in also takes their `scope: Scope`."""
    wrong = []
    for path, function in _service_functions():
        arguments = {a.arg: a for a in function.args.kwonlyargs}
        positional = {a.arg for a in function.args.args}
        where = f"{path}: {function.name}"
        if {"actor", "acting_user", "scope"} & positional:
            wrong.append(f"{where} takes the acting person positionally")
        if "actor" in arguments:
            wrong.append(f"{where} names the acting person `actor`")
        if "scope" in arguments and "acting_user" not in arguments:
            wrong.append(f"{where} takes a scope without `acting_user`")
        acting = arguments.get("acting_user")
        allowed = {"User", "User | None"} if function.name in ANONYMOUS_CALLERS else {"User"}
        if (
            acting is not None
            and ast.unparse(acting.annotation or ast.Constant(None)) not in allowed
        ):
            wrong.append(f"{where}: acting_user is not typed `User`")
    assert not wrong, "\n".join(wrong)


def test_the_service_walk_sees_our_services():
    names = {function.name for _, function in _service_functions()}
    assert {"send_transfer", "validate_referral", "invite_user", "create_api_token"} <= names


def _model_queries(path: Path):
    """`Model.objects` read in a module (a capitalised name followed by `.objects`)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "objects"
            and isinstance(node.value, ast.Name)
            and node.value.id[:1].isupper()
        ):
            yield node.value.id, node.lineno


def test_views_read_through_selectors():
    """Views fetch through the scoped selectors (`<noun>s_for`, `get_<noun>_or_404`) and the
    read functions of `selectors.py`, never `Model.objects` directly."""
    found = [
        f"{path.relative_to(SOURCE.parent)}:{line} {model}.objects"
        for path in _python_files()
        if path.name == "views.py"
        for model, line in _model_queries(path)
    ]
    assert not found, "Read through a selector instead:\n" + "\n".join(found)


# --- The app graph -------------------------------------------------------------------------------

ROOT = SOURCE.parent


def _documented_imports() -> dict[str, set[str]]:
    """App -> apps it may import, from the table of docs/architecture.md."""
    text = (ROOT / "docs" / "architecture.md").read_text()
    table = text.split("## Allowed imports between apps", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 2 or not re.fullmatch(r"`\w+`", cells[0]):
            continue  # header, separator, apps still to come
        rows[cells[0].strip("`")] = set(re.findall(r"`(\w+)`", cells[1]))
    return rows


def _contracts() -> dict[str, dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return {
        contract["source_modules"][0].removeprefix("solidarnum."): contract
        for contract in config["contracts"]
    }


def _apps() -> set[str]:
    return {path.parent.name for path in SOURCE.glob("*/apps.py")}


def test_every_app_has_a_row_and_an_import_contract():
    assert _apps() == set(_documented_imports()), "docs/architecture.md: allowed imports table"
    assert _apps() == set(_contracts()), "pyproject.toml: [tool.importlinter] contracts"


def test_the_import_contracts_say_what_the_table_says():
    apps = _apps()
    contracts = _contracts()
    for app, allowed in _documented_imports().items():
        forbidden = {m.removeprefix("solidarnum.") for m in contracts[app]["forbidden_modules"]}
        assert forbidden == apps - allowed - {app}, app


# --- What an app offers the others ---------------------------------------------------------------


def _private_imports_across_apps(source: str, app: str) -> list[str]:
    """`from solidarnum.<other app>... import _name`, or from a `_module` of another app."""
    found = []
    for node in ast.walk(ast.parse(source)):
        module = getattr(node, "module", None) or ""
        if not isinstance(node, ast.ImportFrom) or not module.startswith("solidarnum."):
            continue
        parts = module.split(".")
        if len(parts) < 2 or parts[1] == app:
            continue
        private = [part for part in parts[2:] if part.startswith("_")]
        private += [alias.name for alias in node.names if alias.name.startswith("_")]
        if private:
            found.append(f"{node.lineno}: {module} {', '.join(private)}")
    return found


def test_no_app_imports_what_another_app_keeps_private():
    """A leading underscore says "inside this app only"; what another app needs is made public
    and documented where it lives (e.g. `common.tabular`, `common.models.ReferencedModel`)."""
    found = [
        f"{path.relative_to(ROOT)}:{hit}"
        for path in sorted(SOURCE.rglob("*.py"))
        if "migrations" not in path.parts
        for hit in _private_imports_across_apps(path.read_text(), path.relative_to(SOURCE).parts[0])
    ]
    assert not found, "Private names imported from another app:\n" + "\n".join(found)


def test_the_private_import_check_can_fail():
    source = (
        "from solidarnum.equipment.imports.files import LINE_COLUMN, _csv_rows\n"
        "from solidarnum.equipment.models._base import ReferencedModel\n"
        "from solidarnum.common.tabular import csv_rows\n"
    )
    assert len(_private_imports_across_apps(source, "connectivity")) == 2
    assert _private_imports_across_apps(source, "equipment") == []
