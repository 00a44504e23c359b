"""Generate a volume of data, then time the pages that grow with it.

Usage: python bench/run.py [--places 300] [--partners 3000] [--users 5000]
                           [--audit 200000] [--repeat 20]
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
os.environ.setdefault("DATABASE_URL", f"sqlite:///{OUT / 'bench.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("SOLIDARNUM_MFA_REQUIRED", "0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from stdnum import luhn  # noqa: E402

from solidarnum.accounts.enums import Role  # noqa: E402
from solidarnum.accounts.models import Membership, User  # noqa: E402
from solidarnum.network.models import PartnerStructure, ReceptionPoint  # noqa: E402
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


def fetch(client: Client, url: str) -> int:
    response = client.get(url)
    if response.streaming:  # consume the stream: that is where an export does its work
        b"".join(response.streaming_content)
    return response.status_code


def measure(client: Client, url: str, repeat: int) -> tuple[float, float, int, int]:
    timings = []
    status = 0
    with CaptureQueriesContext(connection) as ctx:
        fetch(client, url)
    queries = len(ctx.captured_queries)
    for _ in range(repeat):
        start = time.perf_counter()
        status = fetch(client, url)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    return statistics.median(timings), p95, queries, status


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--places", type=int, default=300)
    parser.add_argument("--partners", type=int, default=3000)
    parser.add_argument("--users", type=int, default=5000)
    parser.add_argument("--audit", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    generate(args)
    if connection.vendor == "postgresql":  # fresh statistics, as autovacuum would give
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    admin, _ = User.objects.get_or_create(email="bench-admin@example.org")
    Membership.objects.get_or_create(user=admin, role=Role.NATIONAL_ADMIN)
    client = Client()
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    anonymous = Client()
    pages = [
        (client, "/reseau/points-accueil/"),
        (client, "/reseau/structures/"),
        (client, "/reseau/structures/?q=Bench+structure+02"),
        (client, "/utilisateurs/"),
        (client, "/utilisateurs/?role=staff&q=U42"),
        (client, "/audit/"),
        (client, "/audit/?action=view&object_type=network.receptionpoint"),
        (anonymous, "/lieux/"),
        (anonymous, "/lieux/?q=75019"),
        (anonymous, "/opendata/lieux-de-mediation-numerique.csv"),
    ]
    lines = [f"{'page':58} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'status':>6}"]
    for who, url in pages:
        median, p95, queries, status = measure(who, url, args.repeat)
        lines.append(f"{url:58} {median:10.1f} {p95:8.1f} {queries:8d} {status:6d}")
    report = "\n".join(
        [
            f"database: {connection.vendor}; places={args.places} partners={args.partners} "
            f"users={args.users} audit={args.audit}",
            *lines,
        ]
    )
    print(report)  # noqa: T201
    (OUT / "report.txt").write_text(report + "\n")


if __name__ == "__main__":
    main()
