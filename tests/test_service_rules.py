"""Every service writes in one transaction and leaves a row in the audit trail (ADR 0004).

The test walks every public function of every service module (the `services.py` of each app
and sub-area) and reads its code:

- **atomic**: the function, as other modules import it, runs inside a `transaction.atomic`
  wrapper (found in the closure Django's decorator leaves, however it is spelled);
- **audited**: its code calls `privacy.audit.record` (or `record_reads`), directly or through
  any function of ours it calls, names being resolved the way Python resolves them at run time
  (the function's module globals), so an imported service or a private helper counts.

The deliberate exceptions are listed below with their reason, and each reason is checked: a
function said to read only must reach no write, a device move must reach the device history, an
inner transaction must enclose the audit row. An exception that no longer applies fails too,
so the lists cannot go stale.
"""

import ast
import importlib
import inspect
import textwrap
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from types import FunctionType, ModuleType
from typing import Any

import pytest
from django.db import models, transaction

from solidarnum.privacy import audit

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "solidarnum"
AUDIT_WRITERS = {audit.record, audit.record_reads}
WRITE_METHODS = {
    "save",
    "delete",
    "update",
    "create",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
}

# Reads and computations kept next to the services that use them: nothing to commit or audit.
READ_ONLY = {
    "solidarnum.beneficiaries.services.add_months": "date arithmetic",
    "solidarnum.beneficiaries.services.possible_duplicates": "lists files that may be the same "
    "person, for the merge screen",
    "solidarnum.equipment.imports.services.validate_devices": "checks a device file row by row "
    "and writes nothing (ADR 0018)",
    "solidarnum.connectivity.deliveries.services.validate_delivery": "checks a delivery file row "
    "by row and writes nothing (ADR 0018)",
    "solidarnum.equipment.devices.services.has_successful_erasure": "a read",
    "solidarnum.equipment.checks.services.applicable_points": "the check list of a device kind",
    "solidarnum.equipment.logistics.services.stock_count_gaps": "compares a count with the stock",
}

# A device's own moves are traced in its append-only history (`equipment.DeviceEvent`: who, when,
# from, to, why, where; ADR 0013), which the device page shows; a second row in the audit trail
# would repeat it. What touches a person (reservation, its end, the sale) is in the audit trail.
DEVICE_HISTORY_REASON = "written to the device's history (DeviceEvent), ADR 0013"
DEVICE_HISTORY = {
    "solidarnum.equipment.devices.services.register_device": DEVICE_HISTORY_REASON,
    "solidarnum.equipment.devices.services.register_devices": DEVICE_HISTORY_REASON
    + "; the import that calls it audits the batch",
    "solidarnum.equipment.devices.services.change_status": DEVICE_HISTORY_REASON,
    "solidarnum.equipment.devices.services.bulk_change_status": DEVICE_HISTORY_REASON,
    "solidarnum.equipment.checks.services.record_check": DEVICE_HISTORY_REASON
    + "; the check itself names who did it and when",
    "solidarnum.equipment.logistics.services.receive_late": DEVICE_HISTORY_REASON,
}

# Not audited although it writes, for the reason given.
NOT_AUDITED = {
    "solidarnum.equipment.logistics.services.scan": "a scan is a line of a stock count that "
    "names who scanned it and when; the count's start and closing are audited",
}

# Transactions held inside the function rather than around it; the audit row is written inside.
INNER_TRANSACTIONS = {
    "solidarnum.equipment.imports.services.import_devices": "a check (dry run) writes nothing and "
    "answers a report; only the import opens its transaction, which holds the batch's audit row",
    "solidarnum.connectivity.deliveries.services.import_delivery": "a check (dry run) writes "
    "nothing; only the import opens its transaction, which holds the delivery's audit row",
    "solidarnum.equipment.reservations.services.expire_reservations": "a periodic task: one "
    "transaction per device, so that one device in error does not hold back the others",
}


def service_modules() -> list[str]:
    paths = set(PACKAGE.rglob("services.py"))
    names = []
    for path in sorted(paths):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names.append(".".join(parts))
    return names


def service_functions() -> Iterator[tuple[str, FunctionType]]:
    for module_name in service_modules():
        module = importlib.import_module(module_name)
        for name, value in sorted(vars(module).items()):
            func = inspect.unwrap(value) if callable(value) else None
            if (
                not name.startswith("_")
                and isinstance(func, FunctionType)
                and func.__module__ == module_name  # defined here, not imported or re-exported
            ):
                yield f"{module_name}.{name}", value


SERVICES = dict(service_functions())


def is_atomic(func: Callable[..., Any]) -> bool:
    """`@transaction.atomic` (with or without arguments) wraps the function in a closure holding
    the `Atomic` instance: look for it through every layer of decorators."""
    layer: Any = func
    while layer is not None:
        for cell in getattr(layer, "__closure__", None) or ():
            try:
                if isinstance(cell.cell_contents, transaction.Atomic):
                    return True
            except ValueError:  # an empty cell
                continue
        layer = getattr(layer, "__wrapped__", None)
    return False


def _tree(func: FunctionType) -> ast.AST:
    return ast.parse(textwrap.dedent(inspect.getsource(func)))


def _resolve(node: ast.expr, namespace: dict[str, Any]) -> Any:
    """What a called name refers to at run time, or None when it is a local value."""
    if isinstance(node, ast.Name):
        return namespace.get(node.id)
    if isinstance(node, ast.Attribute):
        owner = _resolve(node.value, namespace)
        if isinstance(owner, ModuleType | type | models.Manager):
            return getattr(owner, node.attr, None)
    return None


def _calls(func: FunctionType) -> Iterator[tuple[ast.Call, Any]]:
    for node in ast.walk(_tree(func)):
        if isinstance(node, ast.Call):
            yield node, _resolve(node.func, func.__globals__)


def _ours(target: Any) -> FunctionType | None:
    func = inspect.unwrap(target) if callable(target) else None
    if isinstance(func, FunctionType) and func.__module__.startswith("solidarnum."):
        return func
    return None


@cache
def reached(func: FunctionType) -> frozenset[Any]:
    """Every callable this function may call, through the functions of ours it calls."""
    found: set[Any] = set()
    stack, seen = [func], set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        for _node, target in _calls(current):
            if target is None:
                continue
            found.add(target)
            if (inner := _ours(target)) is not None:
                found.add(inner)
                stack.append(inner)
    return frozenset(found)


def audits(func: Callable[..., Any]) -> bool:
    return any(target in AUDIT_WRITERS for target in reached(inspect.unwrap(func)))


def writes_device_history(func: Callable[..., Any]) -> bool:
    from solidarnum.equipment.models import DeviceEvent

    return any(
        getattr(getattr(target, "__self__", None), "model", None) is DeviceEvent
        and target.__name__ in WRITE_METHODS
        for target in reached(inspect.unwrap(func))
    )


def writes_anything(func: Callable[..., Any]) -> bool:
    """Any call of a write method, on a model, a manager or a queryset, or an audit row."""
    unwrapped = inspect.unwrap(func)
    functions = [unwrapped, *(f for f in map(_ours, reached(unwrapped)) if f is not None)]
    for current in functions:
        for node, _target in _calls(current):
            if isinstance(node.func, ast.Attribute) and node.func.attr in WRITE_METHODS:
                return True
    return audits(func)


def audit_rows_inside_an_atomic_block(func: Callable[..., Any]) -> bool:
    unwrapped = inspect.unwrap(func)
    tree = _tree(unwrapped)
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.With) and any(
            "atomic" in ast.unparse(item.context_expr) for item in node.items
        ):
            inside.update(id(child) for child in ast.walk(node))
    audit_calls = [
        node
        for node, target in _calls(unwrapped)
        if target in AUDIT_WRITERS or ((inner := _ours(target)) is not None and audits(inner))
    ]
    # The tree was parsed twice: compare positions, not node identities.
    positions = {
        (n.lineno, n.col_offset) for n in ast.walk(tree) if id(n) in inside and hasattr(n, "lineno")
    }
    return bool(audit_calls) and all(
        (call.lineno, call.col_offset) in positions for call in audit_calls
    )


def test_the_walk_finds_the_services():
    assert "solidarnum.accounts.services.set_device_skill" in SERVICES
    assert "solidarnum.equipment.reservations.services.reserve" in SERVICES
    assert "solidarnum.equipment.devices.services.ServiceError" not in SERVICES  # imported
    assert not any(".services.__init__" in name for name in SERVICES)


def test_the_inspection_tells_atomic_and_audited_apart():
    @transaction.atomic
    def atomic_and_audited() -> None:
        audit.record(actor=None, action="update", object_type="x")

    @transaction.atomic(savepoint=False)
    def atomic_with_arguments() -> None:
        pass

    def neither() -> None:
        pass

    assert is_atomic(atomic_and_audited) and audits(atomic_and_audited)
    assert is_atomic(atomic_with_arguments) and not audits(atomic_with_arguments)
    assert not is_atomic(neither) and not audits(neither)

    def audited_outside_its_transaction() -> None:
        with transaction.atomic():
            pass
        audit.record(actor=None, action="update", object_type="x")

    assert not audit_rows_inside_an_atomic_block(audited_outside_its_transaction)
    assert writes_anything(SERVICES["solidarnum.equipment.logistics.services.scan"])
    assert not writes_device_history(SERVICES["solidarnum.equipment.logistics.services.scan"])
    assert audits(SERVICES["solidarnum.referrals.services.validate_referral"])


EXEMPT_FROM_ATOMIC = {**READ_ONLY, **INNER_TRANSACTIONS}
EXEMPT_FROM_AUDIT = {**READ_ONLY, **DEVICE_HISTORY, **NOT_AUDITED}


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_every_service_is_atomic(name):
    if name in EXEMPT_FROM_ATOMIC:
        assert not is_atomic(SERVICES[name]), f"{name} is atomic now: remove its exception"
        return
    assert is_atomic(SERVICES[name]), f"{name} is not wrapped in @transaction.atomic"


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_every_service_writes_an_audit_row(name):
    if name in EXEMPT_FROM_AUDIT:
        assert not audits(SERVICES[name]), f"{name} writes an audit row now: remove its exception"
        return
    assert audits(SERVICES[name]), f"{name} writes no audit row (privacy.audit.record)"


@pytest.mark.parametrize("name", sorted(READ_ONLY))
def test_read_only_exceptions_write_nothing(name):
    assert not writes_anything(SERVICES[name]), f"{name} writes: it is not read-only"


@pytest.mark.parametrize("name", sorted(DEVICE_HISTORY))
def test_device_history_exceptions_write_the_device_history(name):
    assert writes_device_history(SERVICES[name])


@pytest.mark.parametrize("name", sorted(INNER_TRANSACTIONS))
def test_inner_transactions_enclose_the_audit_row(name):
    assert audit_rows_inside_an_atomic_block(SERVICES[name])


def test_every_exception_names_a_service():
    listed = {*READ_ONLY, *DEVICE_HISTORY, *NOT_AUDITED, *INNER_TRANSACTIONS}
    assert listed <= set(SERVICES), listed - set(SERVICES)
