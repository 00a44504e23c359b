"""Time a sale under 50-way contention and the session report at 2 million sales (PostgreSQL).

Usage: python bench/sales.py [--sales 2000000] [--per-session 1000] [--threads 50] [--repeat 5]

The volume is generated in SQL (`generate_series`), once: one reception point, `--sales` sales
(card and cash, no lines) in closed sessions of `--per-session` sales each, plus one person per
thousand sales. Then:

- **contention**: `--threads` counters pay, at the same moment (threads released together),
  one basket each holding a recharge, at the same site: the median and p95 time of one payment
  and its query count (each thread's own connection);
- **pages**: a session's report, its Z (PDF), the session list and the manager's purchasing
  power page, `--repeat` times each, median, p95 and query count.

Printed and written to bench/out/sales.txt, with the load average.
"""

import argparse
import os
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
OUT.mkdir(exist_ok=True)
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/solidarnum_bench_sales")
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
from solidarnum.beneficiaries.models import AccessPeriod, Beneficiary  # noqa: E402
from solidarnum.connectivity import crypto  # noqa: E402
from solidarnum.connectivity.demo import seed_offers  # noqa: E402
from solidarnum.connectivity.models import Code, CodeEvent  # noqa: E402
from solidarnum.network.models import ReceptionPoint  # noqa: E402
from solidarnum.sales.enums import PaymentMethod, SessionStatus  # noqa: E402
from solidarnum.sales.models import Basket, BasketItem, CashSession, Sale, Till  # noqa: E402
from solidarnum.sales.till.services import Payment, sell_basket  # noqa: E402

PREFIX = "BENCHSALES"


def user(email: str, role: Role, place_id: int | None) -> User:
    found, created = User.objects.get_or_create(email=email)
    if created:
        found.set_password("bench")
        found.save()
        Membership.objects.create(user=found, role=role, reception_point_id=place_id)
    return found


def ensure_volume(sales: int, per_session: int) -> tuple[ReceptionPoint, User, User]:
    call_command("migrate", verbosity=0)
    place, _ = ReceptionPoint.objects.get_or_create(
        name=f"{PREFIX} point",
        defaults={"address": "1 rue du Banc", "postcode": "75019", "commune": "Paris"},
    )
    staff = user("bench.sales.staff@example.org", Role.STAFF, place.pk)
    manager = user("bench.sales.manager@example.org", Role.SITE_MANAGER, place.pk)
    till, _ = Till.objects.get_or_create(reception_point=place, name="Caisse 1")
    have = Sale.objects.filter(reception_point=place).count()
    if have >= sales:
        return place, staff, manager
    people = max(1, sales // 1000)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO beneficiaries_beneficiary (created_at, updated_at, first_name, last_name,
                birth_year, phone, has_no_phone, email, languages, contact_preference,
                contact_notes, housing, publics, search_name, public_id, reception_point_id,
                needs_equip, needs_connect, needs_support, needs_priority, profile,
                exit_outcome, exit_comment, is_equipped, is_connected, has_basic_skills)
            SELECT now(), now(), 'Banc', 'Personne ' || n, 1980, '', true, '', '[]', '', '',
                'housed', '[]', 'personne ' || n || ' banc', gen_random_uuid(), %(place)s,
                false, false, false, '[]', '', '', '', false, false, false
            FROM generate_series(1, %(people)s) AS n
            """,
            {"place": place.pk, "people": people},
        )
        sessions = (sales - have + per_session - 1) // per_session
        cursor.execute(
            """
            INSERT INTO sales_cashsession (till_id, reception_point_id, status, opened_by_id,
                opened_at, opening_float, closed_by_id, closed_at, expected_cash, counted_cash,
                expected_card, counted_card, difference, comment)
            SELECT %(till)s, %(place)s, 'closed', %(staff)s,
                now() - (n || ' hours')::interval, 50, %(staff)s,
                now() - (n || ' hours')::interval + interval '50 minutes', 50, 50, 0, 0, 0, ''
            FROM generate_series(1, %(sessions)s) AS n
            """,
            {"till": till.pk, "place": place.pk, "staff": staff.pk, "sessions": sessions},
        )
        cursor.execute(
            """
            WITH s AS (
                SELECT id, opened_at, row_number() OVER (ORDER BY id) - 1 AS k
                FROM sales_cashsession WHERE reception_point_id = %(place)s
                    AND status = 'closed'
                    AND NOT EXISTS (
                        SELECT 1 FROM sales_sale x WHERE x.session_id = sales_cashsession.id
                    )
            ), p AS (
                SELECT id, row_number() OVER (ORDER BY id) - 1 AS k
                FROM beneficiaries_beneficiary WHERE reception_point_id = %(place)s
            ), np AS (SELECT count(*) AS c FROM p)
            INSERT INTO sales_sale (reception_point_id, session_id, beneficiary_id,
                idempotency_key, sold_by_id, sold_at, payment_method, total, market_total,
                tendered, change_given, free_reason, override_reason, override_by_id)
            SELECT %(place)s, s.id, p.id, gen_random_uuid(), %(staff)s,
                s.opened_at + (g || ' seconds')::interval,
                CASE WHEN g %% 2 = 0 THEN 'cash' ELSE 'card' END, 4, 10,
                CASE WHEN g %% 2 = 0 THEN 5 END, CASE WHEN g %% 2 = 0 THEN 1 END, '', '', NULL
            FROM s CROSS JOIN generate_series(1, %(per)s) AS g CROSS JOIN np
            JOIN p ON p.k = (g %% np.c)
            """,
            {"place": place.pk, "staff": staff.pk, "per": per_session},
        )
    return place, staff, manager


def stats(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"{statistics.median(ordered) * 1000:.0f} ms | {p95 * 1000:.0f} ms"


def measure(client: Client, url: str, repeat: int) -> tuple[list[float], int]:
    client.get(url)
    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured.captured_queries)
    return times, queries


def contention(place: ReceptionPoint, staff: User, threads: int) -> tuple[list[float], int, int]:
    """`threads` payments at once, one basket of one recharge each."""
    offer = next(iter(seed_offers().values()))
    from solidarnum.connectivity.models import OfferPrice

    if not OfferPrice.objects.filter(offer=offer).exists():
        OfferPrice.objects.create(
            offer=offer, valid_from=timezone.localdate(), solidarity_price=4, market_price=6
        )
    offer.quota_per_30_days = None
    offer.save(update_fields=["quota_per_30_days"])
    codes = [
        Code(
            offer=offer,
            serial=f"{PREFIX}{uuid.uuid4().hex[:20]}",
            secret_token=crypto.encrypt("000000"),
            status="in_stock",
            reception_point=place,
        )
        for _ in range(threads)
    ]
    Code.objects.bulk_create(codes)
    CodeEvent.objects.bulk_create(
        CodeEvent(code=c, offer=offer, to_status="in_stock", reception_point=place) for c in codes
    )
    session = CashSession.objects.filter(till__reception_point=place, status="open").first()
    scope = resolve_scope(staff, None)
    if session is None:
        from solidarnum.sales.sessions.services import open_session

        session = open_session(
            acting_user=staff,
            scope=scope,
            till=Till.objects.get(reception_point=place),
            opening_float=50,
        )
    people = list(Beneficiary.objects.filter(reception_point=place).order_by("id")[:threads])
    today = timezone.localdate()
    for person in people:
        AccessPeriod.objects.get_or_create(
            beneficiary=person,
            defaults={
                "starts_on": today.replace(day=1),
                "ends_on": today.replace(year=today.year + 1),
            },
        )
    keys = []
    for person in people:
        basket = Basket.objects.create(
            session=session, beneficiary=person, key=uuid.uuid4(), created_by=staff
        )
        BasketItem.objects.create(basket=basket, offer=offer)
        keys.append(basket.key)
    barrier = threading.Barrier(len(keys))
    times: list[float] = [0.0] * len(keys)
    queries: list[int] = [0] * len(keys)
    failures: list[str] = []

    def run(index: int, key: uuid.UUID) -> None:
        try:
            barrier.wait(timeout=30)
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                sell_basket(
                    acting_user=staff,
                    scope=scope,
                    basket_key=key,
                    payment=Payment(PaymentMethod.CARD),
                )
                times[index] = time.perf_counter() - started
            queries[index] = len(captured.captured_queries)
        except Exception as error:  # reported below
            failures.append(str(error))
        finally:
            connection.close()

    workers = [threading.Thread(target=run, args=(i, k)) for i, k in enumerate(keys)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not failures, failures
    return times, max(queries), len(keys)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sales", type=int, default=2_000_000)
    parser.add_argument("--per-session", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    assert connection.vendor == "postgresql", "the benchmark runs on PostgreSQL (DATABASE_URL)"
    place, staff, manager = ensure_volume(args.sales, args.per_session)
    setup_test_environment()
    total = Sale.objects.filter(reception_point=place).count()
    lines = [
        f"sales benchmark: {total} sales at one site, {args.per_session} a session, "
        f"load average {os.getloadavg()[0]:.1f}",
        "",
        "| what | median | p95 | queries |",
        "|---|---|---|---|",
    ]
    times, queries, n = contention(place, staff, args.threads)
    lines.append(f"| one payment, {n} counters at once | {stats(times)} | {queries} |")
    session = (
        CashSession.objects.filter(reception_point=place, status=SessionStatus.CLOSED)
        .order_by("id")
        .first()
    )
    clients = {}
    for name, person in (("staff", staff), ("manager", manager)):
        clients[name] = Client()
        clients[name].force_login(person, backend="django.contrib.auth.backends.ModelBackend")
    pages = [
        (
            "staff",
            f"session report ({args.per_session} sales)",
            reverse("sales:session_detail", kwargs={"pk": session.pk}),
        ),
        ("staff", "Z report (PDF)", reverse("sales:session_pdf", kwargs={"pk": session.pk})),
        ("staff", "session list", reverse("sales:session_list")),
        ("manager", "purchasing power (a year)", reverse("sales:purchasing_power")),
    ]
    for role, label, url in pages:
        page_times, page_queries = measure(clients[role], url, args.repeat)
        lines.append(f"| {label} | {stats(page_times)} | {page_queries} |")
    report = "\n".join(lines)
    print(report)  # noqa: T201
    (OUT / "sales.txt").write_text(report + "\n")


if __name__ == "__main__":
    main()
