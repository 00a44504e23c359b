"""EXPLAIN (ANALYZE, BUFFERS) of the slowest query of each page that grows with the data.

Usage: DATABASE_URL=postgres://… python bench/explain.py > bench/out/explain.txt

Each page is requested in-process by a member of the first bench site's staff, its queries are
captured, and the slowest one that reads the page's table is explained (run for real) on
PostgreSQL. Notes and the plans before and after: bench/README.md.
"""

import logging
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("SOLIDARNUM_MFA_REQUIRED", "0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()
logging.getLogger("django.request").setLevel(logging.ERROR)

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from solidarnum.accounts.enums import Role  # noqa: E402
from solidarnum.accounts.models import Membership  # noqa: E402

# (what the issue calls it, page, the table whose slowest query is explained)
CASES = [
    ("a. inbox: structure filter options", "/accueil/orientations/", "network_partnerstructure"),
    ("b. people list: access=active", "/beneficiaires/?access=active", "beneficiaries_beneficiary"),
    ("c. people list: its order", "/beneficiaires/", "beneficiaries_beneficiary"),
    ("d. inbox: all statuses", "/accueil/orientations/?status=all", "referrals_referral"),
    ("e. people search: martin", "/beneficiaires/?q=martin", "beneficiaries_beneficiary"),
    ("e. inbox search: martin", "/accueil/orientations/?q=martin", "referrals_referral"),
]


def main() -> None:
    member = (
        Membership.objects.filter(role=Role.STAFF, reception_point__name__startswith="Bench ")
        .select_related("user")
        .order_by("reception_point_id", "pk")
        .first()
    )
    assert member is not None, "no bench volume (make bench-national)"
    client = Client()
    client.force_login(member.user, backend="django.contrib.auth.backends.ModelBackend")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        print(f"jit: {cursor.fetchone()[0]}")  # noqa: T201
    for label, url, table in CASES:
        client.get(url)  # warm
        with CaptureQueriesContext(connection) as context:
            client.get(url)
        reading = [q for q in context.captured_queries if f'FROM "{table}"' in q["sql"]]
        slowest = max(reading, key=lambda q: float(q["time"]))
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        print(f"\n### {label} — {url}\n\n{slowest['sql']}\n\n{plan}")  # noqa: T201


if __name__ == "__main__":
    main()
