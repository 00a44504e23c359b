"""Time the device import: "Vérifier" (check) and "Confirmer" (confirm) of the largest file.

Usage: python bench/imports.py [--rows 2000] [--existing 20000] [--repeat 3]

Requests go through the pages, as a workshop contact would send them (Django test client, no
network), on SQLite by default (bench/out/imports.sqlite3) or PostgreSQL with DATABASE_URL.
Both steps are timed until the page the person sees (redirects followed): above
EQUIPMENT_IMPORT_BACKGROUND_ROWS rows the file goes through a background job, run inline here
as without a broker, so the time is the job's. Each run imports a fresh file (new serial
numbers: half laptops with their erasure, half smartphones with an IMEI) into a database that
already holds `--existing` devices, then deletes what it imported. The median of `--repeat`
runs is printed with the query count of each step; the report is also written to
bench/out/imports.txt. Target: under 3 s each for 2,000 rows.
"""

import argparse
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
OUT.mkdir(exist_ok=True)
os.environ.setdefault("DATABASE_URL", f"sqlite:///{OUT / 'imports.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("SOLIDARNUM_MFA_REQUIRED", "0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
os.environ.pop("CELERY_BROKER_URL", None)  # the import task runs inline, in the measured request

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from stdnum import luhn  # noqa: E402

from solidarnum.accounts.enums import Role  # noqa: E402
from solidarnum.accounts.models import Membership, User  # noqa: E402
from solidarnum.equipment.enums import DonationSource  # noqa: E402
from solidarnum.equipment.imports.files import COLUMN_NAMES  # noqa: E402
from solidarnum.equipment.models import (  # noqa: E402
    Device,
    DeviceEvent,
    Donation,
    ErasureRecord,
    ImportBatch,
)
from solidarnum.network.models import DonorCompany, RefurbishingPartner  # noqa: E402

EXISTING_SERIAL = "BENCHIMP"
ADDRESS = {"address": "1 rue du Test", "postcode": "75019", "commune": "Paris"}


def siret(n: int) -> str:
    siren = f"8{n:07d}"
    siren += luhn.calc_check_digit(siren)
    base = siren + "0001"
    return base + luhn.calc_check_digit(base)


def imei(n: int) -> str:
    body = f"35{n:012d}"
    return body + luhn.calc_check_digit(body)


def setup(existing: int) -> tuple[User, Donation]:
    """A workshop, its contact, a donation, and `existing` devices already in the database."""
    donor, _ = DonorCompany.objects.get_or_create(
        siret=siret(1), defaults={"name": "Bench import donor", **ADDRESS}
    )
    workshop, _ = RefurbishingPartner.objects.get_or_create(
        siret=siret(2), defaults={"name": "Bench import workshop", **ADDRESS}
    )
    donation = Donation.objects.filter(pickup_place="Bench import").first()
    if donation is None:
        donation = Donation.objects.create(
            donor=donor,
            refurbisher=workshop,
            donated_on=timezone.localdate(),
            source=DonationSource.COLLECTION_PLATFORM,
            pickup_place="Bench import",
        )
    user, _ = User.objects.get_or_create(email="bench-import@example.org")
    Membership.objects.get_or_create(user=user, role=Role.REFURBISHER_CONTACT, refurbisher=workshop)
    have = Device.objects.filter(serial_number__startswith=EXISTING_SERIAL).count()
    if have < existing:
        print(f"Generating {existing - have} existing devices…", flush=True)  # noqa: T201
        for start in range(have, existing, 5000):
            Device.objects.bulk_create(
                Device(
                    kind="smartphone" if i % 2 else "laptop",
                    brand="Bench",
                    model_name="Existing",
                    serial_number=f"{EXISTING_SERIAL}{i:07d}",
                    imei=imei(9_000_000 + i) if i % 2 else None,
                    donation=donation,
                    refurbisher=workshop,
                )
                for i in range(start, min(start + 5000, existing))
            )
    return user, donation


def device_file(rows: int, run: str, seed: int) -> bytes:
    """A file as a workshop sends it: half laptops with their erasure, half smartphones."""
    day = timezone.localdate().strftime("%d/%m/%Y")
    lines = [";".join(COLUMN_NAMES)]
    for i in range(rows):
        if i % 2:
            cells = ["smartphone", "Samsung", "Galaxy A52", f"R58{run}{i:05d}"]
            cells += [imei(seed + i), "Snapdragon 720G", "6", "128", "6,5", "Android 14", "A"]
            cells += ["90", "réinitialisation", "Android", day, "Atelier", "réussi"]
        else:
            cells = ["portable", "Lenovo", "ThinkPad T480", f"PF{run}{i:05d}", ""]
            cells += ["Intel Core i5-8350U", "8", "256", "14", "Ubuntu 24.04", "B", "85"]
            cells += ["réécriture", "Blancco Drive Eraser", day, "Atelier", "réussi"]
        lines.append(";".join(cells))
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()


def timed(call):  # type: ignore[no-untyped-def]
    """(response, seconds, queries) of one request; queries counted, not kept."""
    count = [0]

    def counter(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        start = time.perf_counter()
        response = call()
        elapsed = time.perf_counter() - start
    return response, elapsed, count[0]


def one_run(client: Client, donation: Donation, rows: int, n: int) -> tuple[float, int, float, int]:
    run = secrets.token_hex(3).upper()
    content = device_file(rows, run, 1_000_000 * (n + 1) + secrets.randbelow(10**6) * 100)
    url = reverse("equipment:batch_import")
    upload = SimpleUploadedFile("lot.csv", content, content_type="text/csv")
    # A large file goes through a background job (inline here: no broker), a small one
    # through the request; both end on a page with "Confirmer".
    preview, check_s, check_q = timed(
        lambda: client.post(url, {"donation": donation.pk, "file": upload}, follow=True)
    )
    context = preview.context or {}
    job = context.get("job")
    if job is not None and job.state == "checked":
        confirm_url, data = reverse("equipment:batch_import_job_confirm", kwargs={"pk": job.pk}), {}
    elif "confirm_form" in context:
        confirm_url, data = url, {"token": context["confirm_form"].initial["token"]}
    else:
        report = context.get("report")
        issues = report.issues[:5] if report else preview.content[:500]
        raise SystemExit(f"the check failed ({preview.status_code}): {issues}")
    done, confirm_s, confirm_q = timed(lambda: client.post(confirm_url, data, follow=True))
    batch = ImportBatch.objects.filter(devices__serial_number=f"PF{run}00000").first()
    imported = Device.objects.filter(batch=batch).count() if batch else 0
    if imported != rows:
        raise SystemExit(f"the confirmation imported {imported} of {rows} devices")
    # Tidy up: the next run starts from the same volume.
    devices = Device.objects.filter(batch=batch)
    ErasureRecord.objects.filter(device__in=devices).delete()
    DeviceEvent.objects.filter(device__in=devices).delete()
    devices.delete()
    del done
    return check_s, check_q, confirm_s, confirm_q


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--existing", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    setup_test_environment()  # responses carry their template context
    call_command("migrate", verbosity=0)
    user, donation = setup(args.existing)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    runs = [one_run(client, donation, args.rows, n) for n in range(args.repeat)]
    check = statistics.median(r[0] for r in runs)
    confirm = statistics.median(r[2] for r in runs)

    def runs_of(step: int) -> str:
        return " ".join(f"{r[step]:.2f}" for r in runs)

    report = "\n".join(
        [
            f"database: {connection.vendor}; rows={args.rows} existing devices="
            f"{Device.objects.count()} repeat={args.repeat}",
            f"{'step':10} {'median s':>9} {'queries':>8}  runs (s)",
            f"{'check':10} {check:9.2f} {runs[-1][1]:8d}  {runs_of(0)}",
            f"{'confirm':10} {confirm:9.2f} {runs[-1][3]:8d}  {runs_of(2)}",
        ]
    )
    print(report)  # noqa: T201
    (OUT / "imports.txt").write_text(report + "\n")


if __name__ == "__main__":
    main()
