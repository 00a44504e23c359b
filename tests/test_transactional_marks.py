"""Every transactional test restores the data migrations' rows the same way.

A transactional test ends with a flush. Without `serialized_rollback`, Django then recreates the
content types and permissions under new ids, and the next serialized test on the same worker fails
to reload its copy ("duplicate key ... django_content_type"). So every one of them serializes.
"""

import ast
from pathlib import Path

TESTS = Path(__file__).parent


def _django_db_marks(tree: ast.AST):
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "django_db"
        ):
            yield node


def _keyword(call: ast.Call, name: str) -> bool:
    return any(
        k.arg == name and isinstance(k.value, ast.Constant) and k.value.value is True
        for k in call.keywords
    )


def test_every_transactional_test_uses_serialized_rollback():
    offenders = []
    for path in sorted(TESTS.rglob("*.py")):
        offenders.extend(
            f"{path.relative_to(TESTS)}:{call.lineno}"
            for call in _django_db_marks(ast.parse(path.read_text()))
            if _keyword(call, "transaction") and not _keyword(call, "serialized_rollback")
        )
    assert offenders == []
