"""Generate a volume of data, then time the pages that grow with it.

Usage: python bench/run.py [--places 300] [--partners 3000] [--users 5000]
                           [--audit 200000] [--devices 200000] [--people 20000]
                           [--repeat 20] [--only staff]
"""

import argparse
import logging
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
OUT.mkdir(exist_ok=True)
os.environ.setdefault("DATABASE_URL", f"sqlite:///{OUT / 'bench.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("SOLIDARNUM_MFA_REQUIRED", "0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()
# Pages another role may not open answer 403 or 405 while the staff pages are looked for.
logging.getLogger("django.request").setLevel(logging.ERROR)

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from stdnum import luhn  # noqa: E402

from bench.people import bench_people, generate_people  # noqa: E402
from bench.staff import check_queries, staff_and_referent_pages  # noqa: E402
from solidarnum.accounts.enums import Role  # noqa: E402
from solidarnum.accounts.models import Membership, User  # noqa: E402
from solidarnum.equipment.demo import seed_prices  # noqa: E402
from solidarnum.equipment.enums import DonationSource, Status  # noqa: E402
from solidarnum.equipment.models import Device, DeviceEvent, Donation  # noqa: E402
from solidarnum.network.models import (  # noqa: E402
    DonorCompany,
    PartnerStructure,
    ReceptionPoint,
    RefurbishingPartner,
)
from solidarnum.privacy.models import AuditAction, AuditEvent  # noqa: E402


def siret(n: int) -> str:
    siren = f"9{n:07d}"
    siren += luhn.calc_check_digit(siren)
    base = siren + "0001"
    return base + luhn.calc_check_digit(base)


def generate(args: argparse.Namespace) -> None:
    if ReceptionPoint.objects.filter(name__startswith="Bench ").exists():
        return
    print("Generating the volume…", flush=True)  # noqa: T201
    places = ReceptionPoint.objects.bulk_create(
        ReceptionPoint(
            name=f"Bench {i:04d}",
            address=f"{i} rue du Test",
            postcode="75019",
            commune="Paris",
            insee_code="75119",
            latitude="48.88",
            longitude="2.37",
            opening_hours="Mo-Fr 09:00-17:00",
            services=["Accès internet et matériel informatique"],
        )
        for i in range(args.places)
    )
    PartnerStructure.objects.bulk_create(
        PartnerStructure(
            name=f"Bench structure {i:05d}",
            typology="CCAS",
            siret=siret(i),
            address="1 rue",
            postcode="75019",
            commune="Paris",
            reception_point=places[i % len(places)],
            is_relay=i % 10 == 0,
            latitude="48.88",
            longitude="2.37",
        )
        for i in range(args.partners)
    )
    users = User.objects.bulk_create(
        User(email=f"bench{i}@example.org", first_name="Bench", last_name=f"U{i}")
        for i in range(args.users)
    )
    Membership.objects.bulk_create(
        Membership(user=u, role=Role.STAFF, reception_point=places[i % len(places)])
        for i, u in enumerate(users)
    )
    batch = 20_000
    for start in range(0, args.audit, batch):
        AuditEvent.objects.bulk_create(
            AuditEvent(
                actor=users[i % len(users)],
                action=AuditAction.VIEW,
                object_type="network.receptionpoint",
                object_id=str(i % args.places),
            )
            for i in range(start, min(start + batch, args.audit))
        )


# --- Equipment: devices across the bench sites, with their history -----------------------------

BENCH_SERIAL = "BENCH"
# Device i gets the status STATUS_CYCLE[i % 20]: mostly sold and available, a few at the workshop.
STATUS_CYCLE = [Status.SOLD] * 9 + [Status.AVAILABLE] * 3
STATUS_CYCLE += [Status.RECYCLED, Status.TO_CHECK, Status.TO_REPAIR, Status.SPARE_PARTS]
STATUS_CYCLE += [Status.AFTER_SALES, Status.RECEIVED, Status.AT_REFURBISHER]
STATUS_CYCLE += [Status.BACK_FROM_WORKSHOP]
WORKSHOP = (Status.RECEIVED, Status.AT_REFURBISHER, Status.BACK_FROM_WORKSHOP)
MODELS = [  # kind, brand, model
    ("laptop", "Lenovo", "ThinkPad T480"),
    ("desktop", "Dell", "OptiPlex 7060"),
    ("smartphone", "Samsung", "Galaxy A40"),
    ("tablet", "Apple", "iPad (6e génération)"),
    ("basic_phone", "Nokia", "105 (2019)"),
    ("hotspot", "Huawei", "E5576-320"),
]
# (from, to, statuses that went through this step): the history, one INSERT … SELECT per step.
S = Status
EVERY_STATUS = sorted(set(STATUS_CYCLE))
SITE_STATUSES = [s for s in EVERY_STATUS if s not in WORKSHOP]
CHECKED = [S.AVAILABLE, S.SOLD, S.AFTER_SALES]
SOLD = [S.SOLD, S.AFTER_SALES]
HISTORY_STEPS: list[tuple[str, str, list[Status]]] = [
    ("", S.RECEIVED, EVERY_STATUS),
    (S.RECEIVED, S.AT_REFURBISHER, [s for s in EVERY_STATUS if s != S.RECEIVED]),
    (S.AT_REFURBISHER, S.BACK_FROM_WORKSHOP, [S.BACK_FROM_WORKSHOP, *SITE_STATUSES]),
    (S.BACK_FROM_WORKSHOP, S.TO_CHECK, SITE_STATUSES),
    (S.TO_CHECK, S.AVAILABLE, CHECKED),
    (S.TO_CHECK, S.TO_REPAIR, [S.TO_REPAIR, S.SPARE_PARTS]),
    (S.TO_REPAIR, S.SPARE_PARTS, [S.SPARE_PARTS]),
    (S.TO_CHECK, S.RECYCLED, [S.RECYCLED]),
    (S.AVAILABLE, S.RESERVED, SOLD),
    (S.RESERVED, S.SOLD, SOLD),
    (S.SOLD, S.AFTER_SALES, [S.AFTER_SALES]),
]


def _case(expression: str, values: list[str]) -> str:
    """CASE expression % len(values) WHEN 0 THEN 'a' … (portable SQLite / PostgreSQL; the
    modulo is doubled because the query has parameters)."""
    whens = " ".join(f"WHEN {n} THEN '{value}'" for n, value in enumerate(values))
    return f"CASE {expression} %% {len(values)} {whens} END"


def generate_equipment(args: argparse.Namespace) -> None:
    """`args.devices` devices spread over the bench sites, with every step of their history.

    Rows are written by INSERT … SELECT over a counter, in SQL both databases understand:
    200,000 devices and a million events take seconds instead of minutes with the ORM."""
    if not args.devices or Device.objects.filter(serial_number=f"{BENCH_SERIAL}0").exists():
        return
    print("Generating the equipment volume…", flush=True)  # noqa: T201
    start = time.perf_counter()
    seed_prices()
    address = {"address": "1 rue du Test", "postcode": "75019", "commune": "Paris"}
    donor, _ = DonorCompany.objects.get_or_create(
        siret=siret(9_000_001), defaults={"name": "Bench donor", **address}
    )
    refurbisher, _ = RefurbishingPartner.objects.get_or_create(
        siret=siret(9_000_002), defaults={"name": "Bench workshop", **address}
    )
    for _n in range(args.donations):
        Donation.objects.create(
            donor=donor,
            refurbisher=refurbisher,
            donated_on=timezone.localdate(),
            source=DonationSource.COLLECTION_PLATFORM,
            pickup_place="Bench",
        )
    now = timezone.now()
    device = Device._meta.db_table
    place = ReceptionPoint._meta.db_table
    donation = Donation._meta.db_table
    status = _case("n.i", [str(s) for s in STATUS_CYCLE])
    is_workshop = "n.i %% 20 >= 17"  # the last three statuses of the cycle
    is_sold = "n.i %% 20 < 9 OR n.i %% 20 = 16"
    sql = f"""
        WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < %s),
        sites AS (
            SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS rn FROM {place}
            WHERE name LIKE 'Bench %%'
        ),
        gifts AS (
            SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS rn FROM {donation}
            WHERE pickup_place = 'Bench'
        )
        INSERT INTO {device} (
            kind, brand, model_name, serial_number, processor, operating_system, grade,
            battery_health, donation_id, refurbisher_id, status, reception_point_id,
            sold_at, sale_price, status_changed_at, created_at, updated_at
        )
        SELECT
            {_case("n.i", [m[0] for m in MODELS])},
            {_case("n.i", [m[1] for m in MODELS])},
            {_case("n.i", [m[2] for m in MODELS])},
            '{BENCH_SERIAL}' || CAST(n.i AS VARCHAR(12)),
            '', '',
            {_case("n.i", ["A", "B", "C", "B"])},
            70 + n.i %% 30,
            gifts.id,
            %s,
            {status},
            CASE WHEN {is_workshop} THEN NULL ELSE sites.id END,
            CASE WHEN {is_sold} THEN %s END,
            CASE WHEN {is_sold} THEN 90 END,
            %s, %s, %s
        FROM n
        JOIN sites ON sites.rn = n.i %% (SELECT COUNT(*) FROM sites)
        JOIN gifts ON gifts.rn = n.i %% (SELECT COUNT(*) FROM gifts)
    """  # noqa: S608 -- table names and constants of this module, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [args.devices - 1, refurbisher.pk, now, now, now, now])
        events = DeviceEvent._meta.db_table
        for step, (from_status, to_status, statuses) in enumerate(HISTORY_STEPS):
            marks = ", ".join(["%s"] * len(statuses))
            cursor.execute(
                f"""
                INSERT INTO {events} (device_id, from_status, to_status, at, reason,
                                      reception_point_id)
                SELECT id, %s, %s, %s, '',
                       CASE WHEN %s IN ('', 'received', 'at_refurbisher') THEN NULL
                       ELSE reception_point_id END
                FROM {device}
                WHERE serial_number LIKE '{BENCH_SERIAL}%%' AND status IN ({marks})
                """,  # noqa: S608 -- as above
                [
                    from_status,
                    to_status,
                    now - timedelta(days=len(HISTORY_STEPS) - step),
                    from_status,
                    *[str(s) for s in statuses],
                ],
            )
    print(f"  done in {time.perf_counter() - start:.0f} s", flush=True)  # noqa: T201


def fetch(client: Client, url: str) -> int:
    response = client.get(url)
    if response.streaming:  # consume the stream: that is where an export does its work
        b"".join(response.streaming_content)
    return response.status_code


def measure(client: Client, url: str, repeat: int) -> tuple[float, float, int, int, float]:
    """Median and p95 in ms, queries, status, and the time its SQL took (ms, one request)."""
    timings = []
    status = 0
    with CaptureQueriesContext(connection) as ctx:
        fetch(client, url)
    queries = len(ctx.captured_queries)
    sql_ms = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
    for _ in range(repeat):
        start = time.perf_counter()
        status = fetch(client, url)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    return statistics.median(timings), p95, queries, status, sql_ms


def page(name: str, query: str = "", **kwargs: object) -> tuple[str, str | None]:
    """(label, url) of a named page; url None when the URL name does not exist (yet)."""
    try:
        return name, reverse(name, kwargs=kwargs or None) + query
    except NoReverseMatch:
        return name, None


def equipment_pages(
    admin: Client, staff: Client, site_id: int, devices: int
) -> list[tuple[Client, str, str]]:
    """The stock pages and the device search, for the national team and for one site's staff."""
    # A sold device (seven history lines) from the middle of the table, and one of the site.
    middle = Device.objects.filter(serial_number=f"{BENCH_SERIAL}{devices // 40 * 20}")
    here = Device.objects.filter(
        serial_number__startswith=BENCH_SERIAL, reception_point_id=site_id, status=Status.SOLD
    ).order_by("-pk")[:1]
    rows: list[tuple[Client, str, tuple[str, str | None]]] = [
        (admin, "admin", page("equipment:stock_overview")),
        (admin, "admin", page("equipment:device_list")),
        (admin, "admin", page("equipment:device_list", "?status=available&kind=laptop")),
        (
            admin,
            "admin",
            page(
                "equipment:device_list",
                f"?status=available&kind=laptop&grade=B&reception_point={site_id}",
            ),
        ),
        (admin, "admin", page("equipment:device_list", "?q=ThinkPad")),
        (staff, "staff", page("equipment:stock_overview")),
        (staff, "staff", page("equipment:device_list")),
        (staff, "staff", page("equipment:device_list", "?status=available&kind=smartphone")),
        (staff, "staff", page("equipment:device_list", "?q=ThinkPad")),
    ]
    for device in middle:
        rows.append((admin, "admin", page("equipment:device_list", f"?q={device.serial_number}")))
        rows.append((admin, "admin", page("equipment:device_detail", pk=device.pk)))
    for device in here:
        rows.append((staff, "staff", page("equipment:device_list", f"?q={device.serial_number}")))
        rows.append((staff, "staff", page("equipment:device_detail", pk=device.pk)))
    return [
        (client, who, url or f"{label} (URL name missing)") for client, who, (label, url) in rows
    ]


def _stable(url: str) -> str:
    """The URL with its object ids replaced, so that two volumes compare page by page."""
    import re

    url = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "<public_id>", url)
    url = re.sub(r"/B[A-Z0-9]{6}/", "/<reference>/", url)
    url = re.sub(r"=\d+", "=<id>", url)
    return re.sub(r"/\d+/", "/<pk>/", url)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--places", type=int, default=300)
    parser.add_argument("--partners", type=int, default=3000)
    parser.add_argument("--users", type=int, default=5000)
    parser.add_argument("--audit", type=int, default=200_000)
    parser.add_argument("--devices", type=int, default=200_000)
    parser.add_argument("--donations", type=int, default=200)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--only", choices=["staff"], help="time only the staff and référent pages")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    generate(args)
    generate_equipment(args)
    generate_people(args.people)
    if connection.vendor == "postgresql":  # fresh statistics, as autovacuum would give
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    admin, _ = User.objects.get_or_create(email="bench-admin@example.org")
    Membership.objects.get_or_create(user=admin, role=Role.NATIONAL_ADMIN)
    client = Client()
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    anonymous = Client()
    pages: list[tuple[Client, str, str]] = (
        []
        if args.only
        else [
            (client, "admin", "/reseau/points-accueil/"),
            (client, "admin", "/reseau/structures/"),
            (client, "admin", "/reseau/structures/?q=Bench+structure+02"),
            (client, "admin", "/utilisateurs/"),
            (client, "admin", "/utilisateurs/?role=staff&q=U42"),
            (client, "admin", "/audit/"),
            (client, "admin", "/audit/?action=view&object_type=network.receptionpoint"),
            (anonymous, "public", "/lieux/"),
            (anonymous, "public", "/lieux/?q=75019"),
            (anonymous, "public", "/opendata/lieux-de-mediation-numerique.csv"),
        ]
    )
    # One member of staff of the first bench site (generate() gives each site staff).
    site = ReceptionPoint.objects.filter(name__startswith="Bench ").order_by("pk").first()
    member = (
        Membership.objects.filter(reception_point=site, role=Role.STAFF).select_related("user")
    ).first()
    if args.devices and site is not None and member is not None and not args.only:
        staff = Client()
        staff.force_login(member.user, backend="django.contrib.auth.backends.ModelBackend")
        pages += equipment_pages(client, staff, site.pk, args.devices)
    pages += staff_and_referent_pages()
    header = (
        f"{'who':8} {'page':78} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'status':>6}"
        f" {'SQL ms':>7}"
    )
    lines = [header]
    counts: dict[str, int] = {}
    load = os.getloadavg()
    for who, role, url in pages:
        if not url.startswith("/"):  # a page not written yet: said, not timed
            lines.append(f"{role:8} {url:78} {'skipped':>10}")
            continue
        median, p95, queries, status, sql_ms = measure(who, url, args.repeat)
        lines.append(
            f"{role:8} {url:78} {median:10.1f} {p95:8.1f} {queries:8d} {status:6d} {sql_ms:7.1f}"
        )
        if role in ("staff", "référent"):
            counts[f"{role} {_stable(url)}"] = queries
    people = bench_people()
    report = "\n".join(
        [
            f"database: {connection.vendor}; places={args.places} partners={args.partners} "
            f"users={args.users} audit={args.audit} devices={args.devices} "
            f"events={DeviceEvent.objects.count()} people={people}",
            f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
            f"after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
            *lines,
            *check_queries(counts, people, OUT),
        ]
    )
    print(report)  # noqa: T201
    (OUT / "report.txt").write_text(report + "\n")


if __name__ == "__main__":
    main()
