"""Light pages (ADR 0027): on the demo's data, every page each demo role reaches from the home
page weighs less than 30 KB of HTML. Staff and volunteers work on phones, often on a prepaid
plan or a shared connection.

The walk follows the links of each page (one representative of each URL pattern per role), as
the browser walk of tests/browser/test_axe_every_page.py does, with Django's test client.
"""

import re
from collections import deque
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client

from solidarnum.accounts.models import User
from tests.demo import DEMO_ROLES, demo_email, seed_demo, view_name_of, worth_visiting

MAX_HTML_BYTES = 30_000
LINK = re.compile(r'<a\b[^>]*\bhref="(/[^"#]*)"')


@pytest.fixture(scope="module")
def demo_sessions(django_db_setup: None, django_db_blocker: Any) -> Any:
    """The demo, seeded once for the module in a transaction rolled back at its end; a session
    per role."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            seed_demo()
            sessions = {}
            for role, local_part in DEMO_ROLES.items():
                client = Client()
                if local_part is not None:
                    client.force_login(
                        User.objects.get(email=demo_email(local_part)),
                        backend="django.contrib.auth.backends.ModelBackend",
                    )
                sessions[role] = client.cookies.get(settings.SESSION_COOKIE_NAME)
            yield sessions
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def walk(client: Client) -> dict[str, tuple[str, int]]:
    """view name -> (the URL read, its HTML size in bytes)."""
    sizes: dict[str, tuple[str, int]] = {}
    queue = deque(["/"])
    kinds = {view_name_of("/")}
    while queue:
        url = queue.popleft()
        response = client.get(url, follow=True)
        # A link the role may not follow is another test's business (the access matrix).
        if response.status_code in (403, 404):
            continue
        assert response.status_code == 200, (url, response.status_code)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        html = response.content.decode()
        sizes[view_name_of(response.request["PATH_INFO"]) or url] = (url, len(response.content))
        for link in LINK.findall(html):
            link = link.replace("&amp;", "&")
            kind = view_name_of(link)
            if kind not in kinds and worth_visiting(link):
                kinds.add(kind)
                queue.append(link)
    return sizes


@pytest.mark.parametrize("role", list(DEMO_ROLES))
def test_every_page_a_role_reaches_weighs_less_than_30_kb(db, demo_sessions, role):
    client = Client()
    if demo_sessions[role] is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = demo_sessions[role].value
    sizes = walk(client)
    assert len(sizes) >= 3, sizes
    heavy = {view: size for view, size in sizes.items() if size[1] >= MAX_HTML_BYTES}
    assert heavy == {}
