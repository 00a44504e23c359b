"""Time the agenda, a person's file and a site's monthly activity at 10 million activity records
over 300 sites (PostgreSQL).

Usage: python bench/support.py [--records 10000000] [--sites 300] [--repeat 5]

The volume is generated in SQL (`generate_series`), once, and resumed where a run stopped:
`--sites` reception points with 100 people each and `--records` activity records spread over
them and the last three years (one-to-one records carry a person, one in five is a workshop),
written 1,000,000 a transaction. The first site is a big one: 50 weekly slots a day, six days a
week (300 sessions a week), all booked for the coming week. Then, `--repeat` times each, median,
p95 and query count:

- the site's agenda for that week (300 sessions, their people and volunteers);
- a person's file with their records and bookings;
- the site's records page with its monthly counts for the year.

Printed and written to bench/out/support.txt, with the load average.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date, timedelta
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
OUT.mkdir(exist_ok=True)
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/solidarnum_bench_support")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("SOLIDARNUM_MFA_REQUIRED", "0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from solidarnum.accounts.enums import Role  # noqa: E402
from solidarnum.accounts.models import Membership, User  # noqa: E402
from solidarnum.beneficiaries.models import Beneficiary  # noqa: E402
from solidarnum.network.models import ReceptionPoint  # noqa: E402
from solidarnum.support.models import ActivityRecord, Appointment, SlotPattern  # noqa: E402
from solidarnum.support.permanences.selectors import slots_between  # noqa: E402

PREFIX = "BENCHSUPPORT"
BATCH = 1_000_000
PEOPLE_PER_SITE = 100


def user(email: str, role: Role, place_id: int | None) -> User:
    found, created = User.objects.get_or_create(email=email)
    if created:
        found.set_password("bench")
        found.save()
        Membership.objects.create(user=found, role=role, reception_point_id=place_id)
    return found


def ensure_sites(count: int) -> list[int]:
    have = ReceptionPoint.objects.filter(name__startswith=PREFIX).count()
    ReceptionPoint.objects.bulk_create(
        ReceptionPoint(
            name=f"{PREFIX} {n:03d}", address="1 rue du Banc", postcode="75019", commune="Paris"
        )
        for n in range(have, count)
    )
    ids = list(
        ReceptionPoint.objects.filter(name__startswith=PREFIX)
        .order_by("name")
        .values_list("pk", flat=True)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO beneficiaries_beneficiary (created_at, updated_at, first_name, last_name,
                birth_year, phone, has_no_phone, email, languages, contact_preference,
                contact_notes, housing, publics, search_name, public_id, reception_point_id,
                needs_equip, needs_connect, needs_support, needs_priority, profile,
                exit_outcome, exit_comment, is_equipped, is_connected, has_basic_skills)
            SELECT now(), now(), 'Banc', 'Personne ' || n, 1980, '', true, '', '[]', '', '',
                'housed', '[]', 'personne ' || n || ' banc', gen_random_uuid(), site,
                false, false, true, '[]', '', '', '', false, false, false
            FROM unnest(%(sites)s::bigint[]) AS site
            CROSS JOIN generate_series(1, %(people)s) AS n
            WHERE NOT EXISTS (
                SELECT 1 FROM beneficiaries_beneficiary b WHERE b.reception_point_id = site
            )
            """,
            {"sites": ids, "people": PEOPLE_PER_SITE},
        )
    return ids


def ensure_records(sites: list[int], records: int, animator: User) -> None:
    have = ActivityRecord.objects.filter(reception_point_id__in=sites).count()
    while have < records:
        batch = min(BATCH, records - have)
        with transaction.atomic(), connection.cursor() as cursor:
            # The rows are consistent by construction: the foreign keys' triggers (a lookup per
            # row and key) are skipped while the volume is written (PostgreSQL superuser).
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(
                """
                WITH p AS (
                    SELECT id, reception_point_id,
                        row_number() OVER (PARTITION BY reception_point_id ORDER BY id) - 1 AS k
                    FROM beneficiaries_beneficiary
                    WHERE reception_point_id = ANY(%(sites)s::bigint[])
                ), s AS (
                    SELECT site, row_number() OVER () - 1 AS k
                    FROM unnest(%(sites)s::bigint[]) AS site
                )
                INSERT INTO support_activityrecord (reception_point_id, kind, "on",
                    duration_minutes, themes, administrative_themes, autonomy, material,
                    redirection, redirected_to_other, note, animator_id, recorded_by_id,
                    beneficiary_id, participants, created_at)
                SELECT s.site,
                    CASE WHEN g %% 5 = 0 THEN 'workshop' ELSE 'one_to_one' END,
                    current_date - ((g::bigint * 7919) %% 1095)::int,
                    (ARRAY[30, 60, 90, 120])[1 + g %% 4],
                    '["email"]', '[]',
                    CASE WHEN g %% 5 = 0 THEN ''
                         ELSE (ARRAY['entierement_accompagne', 'partiellement_autonome',
                               'autonome'])[1 + g %% 3] END,
                    '["ordinateur"]', '', '', '', %(animator)s, %(animator)s,
                    CASE WHEN g %% 5 = 0 THEN NULL ELSE p.id END,
                    CASE WHEN g %% 5 = 0 THEN 8 ELSE 1 END, now()
                FROM generate_series(%(start)s, %(end)s) AS g
                JOIN s ON s.k = g %% %(nsites)s
                JOIN p ON p.reception_point_id = s.site AND p.k = (g / %(nsites)s) %% %(people)s
                """,
                {
                    "sites": sites,
                    "start": have,
                    "end": have + batch - 1,
                    "nsites": len(sites),
                    "people": PEOPLE_PER_SITE,
                    "animator": animator.pk,
                },
            )
        have += batch
        print(f"  {have:,} activity records", flush=True)  # noqa: T201


def ensure_big_week(site_id: int, volunteers: list[User]) -> date:
    """300 slots in the coming week at the big site, all booked."""
    today = timezone.localdate()
    monday = today + timedelta(days=7 - today.weekday())
    if not SlotPattern.objects.filter(reception_point_id=site_id).exists():
        SlotPattern.objects.bulk_create(
            SlotPattern(
                reception_point_id=site_id,
                weekday=day,
                start_time=clock(9 + (n // 10) * 2),
                duration_minutes=90,
                room=f"Salle {n % 10 + 1}",
                valid_from=today,
            )
            for day in range(6)
            for n in range(50)
        )
    if not Appointment.objects.filter(
        reception_point_id=site_id, starts_at__date__gte=monday
    ).exists():
        people = list(Beneficiary.objects.filter(reception_point_id=site_id)[:100])
        Appointment.objects.bulk_create(
            Appointment(
                reception_point_id=site_id,
                pattern=slot.pattern,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                room=slot.pattern.room,
                beneficiary=people[n % len(people)],
                volunteer=volunteers[n % len(volunteers)],
            )
            for n, slot in enumerate(slots_between(site_id, monday, monday + timedelta(days=6)))
        )
    return monday


def stats(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"{statistics.median(ordered) * 1000:.0f} ms | {p95 * 1000:.0f} ms"


def measure(client: Client, url: str, repeat: int) -> tuple[list[float], int]:
    times = []
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as context:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(context.captured_queries)
    return times, queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=10_000_000)
    parser.add_argument("--sites", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    sites = ensure_sites(args.sites)
    big = sites[0]
    staff = user("bench.support.staff@example.org", Role.STAFF, big)
    volunteers = [
        user(f"bench.support.volunteer{n}@example.org", Role.VOLUNTEER, big) for n in range(60)
    ]
    ensure_records(sites, args.records, staff)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE support_activityrecord")
    monday = ensure_big_week(big, volunteers)
    person = Beneficiary.objects.filter(reception_point_id=big).order_by("pk").first()
    setup_test_environment()
    client = Client()
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    pages = [
        ("agenda, a week of 300 sessions", reverse("support:agenda") + f"?jour={monday}"),
        ("a person's file", reverse("beneficiaries:beneficiary_detail", args=[person.public_id])),
        ("the site's records and monthly counts", reverse("support:record_list")),
    ]
    lines = [
        f"support bench: {args.records:,} activity records over {len(sites)} sites",
        "page | median | p95 | queries",
    ]
    for label, url in pages:
        times, queries = measure(client, url, args.repeat)
        lines.append(f"{label} | {stats(times)} | {queries}")
    lines.append(f"load average: {os.getloadavg()[0]:.1f}")
    report = "\n".join(lines)
    print(report)  # noqa: T201
    (OUT / "support.txt").write_text(report + "\n")


if __name__ == "__main__":
    main()
