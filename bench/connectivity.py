"""Time the code stock pages and the relay statement on a large volume (PostgreSQL).

Usage: python bench/connectivity.py [--codes 2000000] [--sites 300] [--sales 5000] [--repeat 5]

The codes are generated in SQL (`generate_series`), once: `--codes` cards and codes over
`--sites` reception points and three offers, a third of them sold with their history line, a
few expired, defective and consigned; one relay with `--sales` sales this month. Secret tokens
are placeholders (the pages never read them). Then the pages are requested through the Django
test client as a site's staff and as the national team, `--repeat` times each; the median time
and the query count of each page are printed and written to bench/out/connectivity.txt, with
`take_next_code` (one sale) timed the same way.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
OUT.mkdir(exist_ok=True)
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/solidarnum_bench_conn")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("SOLIDARNUM_MFA_REQUIRED", "0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from solidarnum.accounts.enums import Role  # noqa: E402
from solidarnum.accounts.models import Membership, User  # noqa: E402
from solidarnum.accounts.scope import resolve_scope  # noqa: E402
from solidarnum.connectivity.codes.services import take_next_code  # noqa: E402
from solidarnum.connectivity.demo import seed_offers  # noqa: E402
from solidarnum.connectivity.models import Code  # noqa: E402
from solidarnum.network.enums import Typology  # noqa: E402
from solidarnum.network.models import PartnerStructure, ReceptionPoint  # noqa: E402

PREFIX = "BENCH"


def ensure_volume(codes: int, sites: int, sales: int) -> None:
    call_command("migrate", verbosity=0)
    offers = list(seed_offers().values())
    existing = ReceptionPoint.objects.filter(name__startswith=PREFIX).count()
    ReceptionPoint.objects.bulk_create(
        ReceptionPoint(
            name=f"{PREFIX} point {n:03d}",
            address="1 rue du Banc",
            postcode="75019",
            commune="Paris",
        )
        for n in range(existing, sites)
    )
    places = list(
        ReceptionPoint.objects.filter(name__startswith=PREFIX)
        .order_by("pk")
        .values_list("pk", flat=True)
    )[:sites]
    relay, _ = PartnerStructure.objects.get_or_create(
        name=f"{PREFIX} relais",
        defaults={
            "typology": Typology.CCAS,
            "address": "1 place de la Mairie",
            "postcode": "77000",
            "commune": "Melun",
            "reception_point_id": places[0],
            "is_relay": True,
        },
    )
    have = Code.objects.filter(serial__startswith=PREFIX).count()
    if have < codes:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO connectivity_code (offer_id, serial, phone_number, secret_token,
                    face_value, expires_on, status, status_changed_at, reception_point_id,
                    revealed_at)
                SELECT (%(offers)s)[1 + i %% 3], %(prefix)s || lpad(i::text, 10, '0'), '', 'bench',
                    10, current_date + (i %% 400) - 15,
                    CASE WHEN i %% 3 = 0 THEN 'sold' WHEN i %% 50 = 1 THEN 'defective'
                         ELSE 'in_stock' END,
                    now() - ((i %% 60) || ' days')::interval, (%(places)s)[1 + (i / 3) %% %(n)s],
                    CASE WHEN i %% 3 = 0 THEN now() END
                FROM generate_series(%(start)s, %(stop)s) AS i
                """,
                {
                    "offers": [o.pk for o in offers],
                    "prefix": PREFIX,
                    "places": places,
                    "n": len(places),
                    "start": have,
                    "stop": codes - 1,
                },
            )
            cursor.execute(
                """
                INSERT INTO connectivity_codeevent (code_id, offer_id, from_status, to_status, at,
                    reason, reception_point_id)
                SELECT id, offer_id, '', 'in_stock', status_changed_at - interval '1 day', '',
                    reception_point_id
                FROM connectivity_code WHERE serial >= %(first)s AND serial LIKE %(like)s
                UNION ALL
                SELECT id, offer_id, 'in_stock', status, status_changed_at, '', reception_point_id
                FROM connectivity_code
                WHERE serial >= %(first)s AND serial LIKE %(like)s AND status <> 'in_stock'
                """,
                {"first": f"{PREFIX}{have:010d}", "like": f"{PREFIX}%"},
            )
            cursor.execute("ANALYZE connectivity_code; ANALYZE connectivity_codeevent;")
        elapsed = time.perf_counter() - started
        print(f"generated {codes - have} codes in {elapsed:.0f} s", flush=True)  # noqa: T201
    if not Code.objects.filter(relay=relay).exists():
        with connection.cursor() as cursor:
            cursor.execute(
                """
                WITH picked AS (
                    SELECT id FROM connectivity_code
                    WHERE reception_point_id = %(place)s AND status = 'in_stock'
                        AND offer_id = %(offer)s
                    ORDER BY id LIMIT %(n)s
                )
                UPDATE connectivity_code SET status = 'sold', relay_id = %(relay)s
                WHERE id IN (SELECT id FROM picked)
                """,
                {"place": places[0], "offer": offers[1].pk, "relay": relay.pk, "n": sales},
            )
            cursor.execute(
                """
                INSERT INTO connectivity_codeevent (code_id, offer_id, from_status, to_status, at,
                    reason, reception_point_id, relay_id)
                SELECT id, offer_id, 'in_stock', 'consigned', date_trunc('month', now()), '',
                    reception_point_id, relay_id FROM connectivity_code WHERE relay_id = %(relay)s
                UNION ALL
                SELECT id, offer_id, 'consigned', 'sold',
                    date_trunc('month', now()) + interval '1 hour', '', reception_point_id,
                    relay_id FROM connectivity_code WHERE relay_id = %(relay)s
                """,
                {"relay": relay.pk},
            )


def user(email: str, role: Role, place_id: int | None) -> User:
    found, created = User.objects.get_or_create(email=email)
    if created:
        found.set_password("bench")
        found.save()
        Membership.objects.create(user=found, role=role, reception_point_id=place_id)
    return found


def measure(client: Client, url: str, repeat: int) -> tuple[float, int]:
    client.get(url)  # warm the session and caches
    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured.captured_queries)
    return statistics.median(times), queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--codes", type=int, default=2_000_000)
    parser.add_argument("--sites", type=int, default=300)
    parser.add_argument("--sales", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    assert connection.vendor == "postgresql", "the benchmark runs on PostgreSQL (DATABASE_URL)"
    ensure_volume(args.codes, args.sites, args.sales)
    setup_test_environment()
    place = ReceptionPoint.objects.filter(name__startswith=PREFIX).order_by("pk").first()
    relay = PartnerStructure.objects.get(name=f"{PREFIX} relais")
    staff = user("bench.staff@example.org", Role.STAFF, place.pk)
    admin = user("bench.admin@example.org", Role.NATIONAL_ADMIN, None)
    clients = {}
    for name, person in (("staff", staff), ("admin", admin)):
        clients[name] = Client()
        clients[name].force_login(person, backend="django.contrib.auth.backends.ModelBackend")
    today = timezone.localdate()
    a_code = Code.objects.filter(reception_point=place).order_by("pk").first()
    pages = [
        (
            "staff",
            "stock of one site",
            reverse("connectivity:stock_place", kwargs={"pk": place.pk}),
        ),
        ("admin", "stock overview (10 sites a page)", reverse("connectivity:stock_overview")),
        ("staff", "code search, no filter", reverse("connectivity:code_list")),
        (
            "staff",
            "code search, a serial",
            reverse("connectivity:code_list") + f"?q={a_code.serial[:12]}",
        ),
        ("admin", "code search, status sold", reverse("connectivity:code_list") + "?status=sold"),
        ("staff", "a code's page", reverse("connectivity:code_detail", kwargs={"pk": a_code.pk})),
        (
            "staff",
            f"relay statement ({args.sales} sales)",
            reverse(
                "connectivity:relay_statement",
                kwargs={"pk": relay.pk, "year": today.year, "month": today.month},
            ),
        ),
    ]
    lines = [
        f"connectivity benchmark: {Code.objects.filter(serial__startswith=PREFIX).count()} codes, "
        f"{args.sites} sites, load average {os.getloadavg()[0]:.1f}",
        "",
        "| page | role | median | queries |",
        "|---|---|---|---|",
    ]
    for role, label, url in pages:
        median, queries = measure(clients[role], url, args.repeat)
        lines.append(f"| {label} | {role} | {median * 1000:.0f} ms | {queries} |")
    scope = resolve_scope(staff, None)
    offer = Code.objects.filter(reception_point=place, status="in_stock").first().offer
    times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        take_next_code(acting_user=staff, scope=scope, offer=offer, reception_point=place)
        times.append(time.perf_counter() - started)
    lines.append(
        f"| take_next_code (one sale) | staff | {statistics.median(times) * 1000:.0f} ms | |"
    )
    report = "\n".join(lines)
    print(report)  # noqa: T201
    (OUT / "connectivity.txt").write_text(report + "\n")


if __name__ == "__main__":
    main()
