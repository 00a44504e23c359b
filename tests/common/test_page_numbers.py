"""A page number nobody reached by the links (huge, negative, not a number) never gives a 500:
the list answers with one of its pages."""

import ast
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2] / "solidarnum"

HUGE = "1" + "0" * 30

LISTS = [
    ("manager_a", "referrals:referral_inbox"),
    ("manager_a", "beneficiaries:beneficiary_list"),
    ("manager_a", "equipment:device_list"),
    ("referent", "referrals:referent_referral_list"),
    ("admin", "network:reception_point_list"),
    ("admin", "privacy:audit_list"),
    ("admin", "accounts:user_list"),
]


@pytest.mark.parametrize("page", [HUGE, "-" + HUGE, "9" * 400, "1e400", "abc"])
@pytest.mark.parametrize(("role", "name"), LISTS)
def test_an_unreachable_page_number_answers_a_page(clients, role, name, page):
    response = clients[role].get(reverse(name), {"page": page})
    assert response.status_code in (200, 404)


def test_lists_paginate_with_the_guarded_paginator():
    """Every lazy paginator is the one of `common.lists`, which refuses page numbers past what
    a database offset can hold."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if not (path.name == "lists.py" and path.parent.name == "common")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ImportFrom)
        and (node.module or "").startswith("django_tables2")
        and any(alias.name == "LazyPaginator" for alias in node.names)
    ]
    assert offenders == []
