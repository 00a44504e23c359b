"""Batches of devices from refurbishing workshops: the CSV/XLSX import, the batch pages and their
bulk actions (status, certificate)."""

from __future__ import annotations

import contextlib
import io
import re
from datetime import date, timedelta

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from import_export.tmp_storages import MediaStorage

from solidarnum.equipment.enums import DeviceKind, ErasureMethod, ErasureResult, Status
from solidarnum.equipment.imports.views import PENDING_KEY
from solidarnum.equipment.models import (
    Device,
    DeviceEvent,
    ErasureRecord,
    ImportBatch,
)
from solidarnum.network.models import RefurbishingPartner
from solidarnum.privacy.models import AuditAction, AuditEvent
from tests.conftest import make_company
from tests.equipment.factories import PDF_BYTES, VALID_IMEIS, make_device, make_donation
from tests.pages import messages_of

HEADERS = [
    "type",
    "marque",
    "modele",
    "numero_serie",
    "imei",
    "processeur",
    "ram_go",
    "stockage_go",
    "ecran_pouces",
    "systeme",
    "grade",
    "batterie_pct",
    "effacement_methode",
    "effacement_outil",
    "effacement_date",
    "effacement_operateur",
    "effacement_resultat",
]
HEADER = ";".join(HEADERS)
LAPTOP = (
    "portable;Lenovo;ThinkPad T480;PF1A0001;;Intel Core i5;8;256;14;Ubuntu 24.04;B;85;"
    "réécriture;Blancco Drive Eraser;15/09/2026;Atelier Exemple;réussi"
)
PHONE = f"Smartphone;Samsung;Galaxy A52;R58R0001;{VALID_IMEIS[0]};;6;128;6,5;Android 14;A;90;;;;;"
BAD_IMEI = "490154203237519"  # VALID_IMEIS[0] with a wrong check digit
NOT_XLSX = "Ce fichier n'est pas un classeur Excel (.xlsx) lisible."


def csv_upload(
    *lines: str, name: str = "lot.csv", encoding: str = "utf-8-sig"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "\r\n".join(lines).encode(encoding), content_type="text/csv")


def xlsx_upload(rows: list[list[object]], name: str = "lot.xlsx") -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def check(client, donation, upload):
    return client.post(reverse("equipment:batch_import"), {"donation": donation.pk, "file": upload})


def confirm(client, preview):
    token = preview.context["confirm_form"].initial["token"]
    return client.post(reverse("equipment:batch_import"), {"token": token})


def issues(response) -> list[tuple[int | None, str, str]]:
    return [(i.line, i.column, i.message) for i in response.context["report"].issues]


def form_errors(response, field: str = "file") -> list[str]:
    return response.context["form"].errors.get(field, [])


def nothing_imported() -> bool:
    return not (
        Device.objects.exists()
        or ImportBatch.objects.exists()
        or DeviceEvent.objects.exists()
        or ErasureRecord.objects.exists()
    )


@pytest.fixture
def donation(world):
    return make_donation(world)


@pytest.fixture
def workshop(clients):
    client = clients["refurbisher_contact"]
    yield client
    # A preview never confirmed leaves its file behind: tidy up after the test.
    pending = client.session.get(PENDING_KEY)
    if pending:
        with contextlib.suppress(OSError):
            MediaStorage(name=pending["storage"]).remove()


# --- The import: the happy paths -----------------------------------------------------------------


def test_a_good_csv_is_previewed_then_imported_with_history_and_erasures(world, workshop, donation):
    preview = check(workshop, donation, csv_upload(HEADER, LAPTOP, PHONE))
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Confirmer l'import de 2 appareils" in html
    assert "PF1A0001" in html and "R58R0001" in html
    assert nothing_imported(), "the check is a dry run"
    audits = AuditEvent.objects.count()

    response = confirm(workshop, preview)

    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("equipment:batch_detail", kwargs={"pk": batch.pk})
    assert (batch.refurbisher, batch.donation, batch.row_count) == (world.refurbisher, donation, 2)
    assert batch.file_name == "lot.csv"
    assert batch.imported_by == world.users["refurbisher_contact"]
    laptop = Device.objects.get(serial_number="PF1A0001")
    phone = Device.objects.get(serial_number="R58R0001")
    for device in (laptop, phone):
        assert device.status == Status.RECEIVED
        assert (device.batch, device.donation, device.refurbisher) == (
            batch,
            donation,
            world.refurbisher,
        )
        event = device.events.get()
        assert (event.from_status, event.to_status) == ("", Status.RECEIVED)
        assert event.actor == world.users["refurbisher_contact"]
    assert laptop.kind == DeviceKind.LAPTOP and laptop.imei is None
    assert (laptop.ram_gb, laptop.storage_gb, str(laptop.screen_inches)) == (8, 256, "14.0")
    assert (laptop.grade, laptop.battery_health) == ("B", 85)
    assert phone.kind == DeviceKind.SMARTPHONE and phone.imei == VALID_IMEIS[0]
    assert str(phone.screen_inches) == "6.5"
    erasure = laptop.erasures.get()
    assert erasure.method == ErasureMethod.OVERWRITE
    assert erasure.result == ErasureResult.SUCCESS
    assert erasure.performed_on == date(2026, 9, 15)
    assert (erasure.tool, erasure.operator) == ("Blancco Drive Eraser", "Atelier Exemple")
    assert not phone.erasures.exists()
    audit = AuditEvent.objects.get(object_type="equipment.importbatch")
    assert audit.action == AuditAction.CREATE and audit.changed_fields == ["devices"]
    assert AuditEvent.objects.count() > audits
    # The kept file is gone and the confirmation cannot be replayed.
    assert PENDING_KEY not in workshop.session
    again = confirm(workshop, preview)
    assert again.status_code == 302 and again["Location"] == reverse("equipment:batch_import")
    assert Device.objects.count() == 2


def test_an_xlsx_file_is_imported_too(world, clients, donation):
    upload = xlsx_upload(
        [
            HEADERS,
            ["Tablette", "Apple", "iPad 8", "dmpxk123", None, None, 3, 32, 10.2, "iPadOS", "c",
             80, "Réinitialisation", "MDM", date(2026, 9, 20), "Atelier", "Réussi"],
            ["téléphone simple", "Nokia", "105", "NOK 0001", int(VALID_IMEIS[1]), None, None,
             None, None, None, "B", None, None, None, None, None, None],
            [None] * len(HEADERS),  # an empty row at the end is ignored
        ]
    )  # fmt: skip
    preview = check(clients["admin"], donation, upload)
    assert preview.status_code == 200, issues(preview) if preview.status_code == 400 else ""
    assert confirm(clients["admin"], preview).status_code == 302
    tablet = Device.objects.get(serial_number="DMPXK123")
    assert (tablet.kind, tablet.grade, tablet.ram_gb, str(tablet.screen_inches)) == (
        DeviceKind.TABLET,
        "C",
        3,
        "10.2",
    )
    assert tablet.erasures.get().method == ErasureMethod.FACTORY_RESET
    phone = Device.objects.get(serial_number="NOK0001")
    assert phone.kind == DeviceKind.BASIC_PHONE and phone.imei == VALID_IMEIS[1]
    assert ImportBatch.objects.get().imported_by == world.users["admin"]


def test_a_comma_separated_csv_without_bom_and_with_french_headers_is_read(workshop, donation):
    upload = csv_upload(
        "Type,Marque,Modèle,Numéro de série,IMEI",
        f"Borne WiFi,Huawei,E5576,HW 123,{VALID_IMEIS[2]}",
        "Fixe,Dell,OptiPlex 7050,DL-7050-1,",
        encoding="utf-8",
    )
    preview = check(workshop, donation, upload)
    assert preview.status_code == 200
    assert confirm(workshop, preview).status_code == 302
    assert set(Device.objects.values_list("serial_number", "kind")) == {
        ("HW123", DeviceKind.HOTSPOT),
        ("DL70501", DeviceKind.DESKTOP),
    }


def test_the_template_downloads_and_imports_as_is(workshop, donation):
    response = workshop.get(reverse("equipment:batch_import_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].split(";") == HEADERS
    assert len(lines) == 3 and lines[1].startswith("portable;") and VALID_IMEIS[0] in lines[2]
    preview = check(workshop, donation, SimpleUploadedFile("modele.csv", response.content))
    assert preview.status_code == 200
    assert confirm(workshop, preview).status_code == 302
    assert Device.objects.count() == 2 and ErasureRecord.objects.count() == 2


# --- The import: bad rows, nothing imported ------------------------------------------------------


def test_one_bad_imei_imports_nothing_and_names_the_line(workshop, donation):
    bad_phone = PHONE.replace(VALID_IMEIS[0], BAD_IMEI)
    response = check(workshop, donation, csv_upload(HEADER, LAPTOP, bad_phone))
    assert response.status_code == 400
    assert nothing_imported()
    [(line, column, message)] = issues(response)
    assert (line, column) == (3, "imei")  # line 1 holds the titles
    assert "IMEI « 490154203237519 »" in message and "clé" in message
    html = response.content.decode()
    assert "Rien n'a été importé : 1 ligne à corriger" in html
    assert "Vérifier le fichier" in html
    assert PENDING_KEY not in workshop.session


def test_line_numbers_follow_the_file_even_with_blank_lines(workshop, donation):
    response = check(workshop, donation, csv_upload(HEADER, LAPTOP, "", ";;;", "frigo;X;Y;Z1"))
    assert issues(response)[0][:2] == (5, "type")


def test_a_serial_twice_in_the_file_is_reported_on_both_lines(workshop, donation):
    twice = LAPTOP.replace("PF1A0001", "pf1-a0001")
    response = check(workshop, donation, csv_upload(HEADER, LAPTOP, PHONE, twice))
    assert response.status_code == 400
    assert nothing_imported()
    twice_in_file = "Ce numéro de série apparaît plusieurs fois dans le fichier (aussi ligne %s)."
    assert issues(response) == [
        (2, "numero_serie", twice_in_file % 4),
        (4, "numero_serie", twice_in_file % 2),
    ]


def test_a_serial_or_imei_already_in_the_database_is_refused(world, workshop, donation):
    make_device(world, serial_number="PF1A0001", site=None)
    make_device(world, serial_number="OTHER1", imei=VALID_IMEIS[0], kind=DeviceKind.SMARTPHONE)
    before = Device.objects.count()
    response = check(workshop, donation, csv_upload(HEADER, LAPTOP, PHONE))
    assert response.status_code == 400
    assert Device.objects.count() == before and not ImportBatch.objects.exists()
    known = "est déjà enregistré : cet appareil a déjà été importé."
    assert issues(response) == [
        (2, "numero_serie", f"Ce numéro de série {known}"),
        (3, "imei", f"Cet IMEI {known}"),
    ]


def test_an_unknown_kind_is_named(workshop, donation):
    response = check(workshop, donation, csv_upload(HEADER, "frigo;Lenovo;T480;SN1"))
    assert response.status_code == 400
    [(line, column, message)] = issues(response)
    assert (line, column) == (2, "type")
    assert message.startswith("Type d'appareil inconnu : « frigo ».")


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (";Lenovo;T480;SN1", "type", "Le type d'appareil est obligatoire."),
        ("portable;;T480;SN1", "marque", "La marque est obligatoire."),
        ("portable;Lenovo;;SN1", "modele", "Le modèle est obligatoire."),
        ("portable;Lenovo;T480; - ", "numero_serie", "Le numéro de série est obligatoire."),
        ("smartphone;Apple;iPhone 8;SN1", "imei", "L'IMEI est obligatoire pour un smartphone."),
        (
            "téléphone simple;Nokia;105;SN1",
            "imei",
            "L'IMEI est obligatoire pour un téléphone simple.",
        ),
        (f"portable;Lenovo;T480;SN1;{BAD_IMEI}", "imei", "IMEI « 490154203237519 » : "),
        ("smartphone;Apple;iPhone;SN1;49015420323751A", "imei", "que des chiffres"),
        ("portable;Lenovo;T480;SN1;;;huit", "ram_go", "« huit » n'est pas un nombre entier."),
        ("portable;Lenovo;T480;SN1;;;8,5", "ram_go", "« 8,5 » n'est pas un nombre entier."),
        ("portable;Lenovo;T480;SN1;;;;abc", "stockage_go", "« abc » n'est pas un nombre entier."),
        ("portable;Lenovo;T480;SN1;;;;;grand", "ecran_pouces", "n'est pas un nombre"),
        ("portable;Lenovo;T480;SN1;;;;;99", "ecran_pouces", "entre 1 et 50 pouces"),
        ("portable;Lenovo;T480;SN1;;;;;;;X", "grade", "Le grade doit être A, B ou C"),
        ("portable;Lenovo;T480;SN1;;;;;;;;120", "batterie_pct", "entre 0 et 100"),
        ("portable;Lenovo;T480;SN1;;;;;;;;-5", "batterie_pct", "entre 0 et 100"),
        (
            "portable;Lenovo;T480;SN1;;;;;;;;;réécriture;Blancco",
            "",
            "Effacement incomplet : renseignez aussi effacement_date, effacement_operateur, "
            "effacement_resultat",
        ),
        (
            "portable;Lenovo;T480;SN1;;;;;;;;;laver;Blancco;15/09/2026;Atelier;réussi",
            "effacement_methode",
            "Méthode d'effacement inconnue : « laver ».",
        ),
        (
            "portable;Lenovo;T480;SN1;;;;;;;;;purge;Blancco;31/02/2026;Atelier;réussi",
            "effacement_date",
            "Date illisible « 31/02/2026 »",
        ),
        (
            "portable;Lenovo;T480;SN1;;;;;;;;;purge;Blancco;15/09/2026;Atelier;peut-être",
            "effacement_resultat",
            "Résultat d'effacement inconnu",
        ),
        ("portable;" + "L" * 61 + ";T480;SN1", "marque", "60 caractères au maximum"),
    ],
)
def test_each_bad_cell_gets_a_french_message(workshop, donation, row, column, message):
    response = check(workshop, donation, csv_upload(HEADER, row))
    assert response.status_code == 400, response.content.decode()[:500]
    found = issues(response)
    assert [(c, m) for _, c, m in found if c == column and message in m], found
    assert nothing_imported()


FORMULA_REFUSED = (
    "Ce texte ne peut pas commencer par « = », « + », « - » ou « @ » : un tableur le "
    "prendrait pour une formule. Retirez ce premier caractère."
)


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ('portable;=HYPERLINK("http://x","clic");T480;SN1', "marque"),
        ("portable;Lenovo;+T480;SN1", "modele"),
        ("portable;Lenovo;T480;=SN1", "numero_serie"),
        ("portable;Lenovo;T480;@SN1", "numero_serie"),
        ("portable;Lenovo;T480;SN1;;-2+3", "processeur"),
        ("portable;Lenovo;T480;SN1;;;;;;@SUM(1)", "systeme"),
        (
            "portable;Lenovo;T480;SN1;;;;;;;;;purge;=cmd|' /C calc'!A0;15/09/2026;Atelier;réussi",
            "effacement_outil",
        ),
        (
            "portable;Lenovo;T480;SN1;;;;;;;;;purge;Blancco;15/09/2026;+Atelier;réussi",
            "effacement_operateur",
        ),
    ],
)
def test_a_cell_starting_like_a_formula_is_refused(workshop, donation, row, column):
    response = check(workshop, donation, csv_upload(HEADER, LAPTOP, row))
    assert response.status_code == 400
    assert (3, column, FORMULA_REFUSED) in issues(response)
    assert nothing_imported()


def test_an_erasure_in_the_future_is_refused(workshop, donation):
    tomorrow = (timezone.localdate() + timedelta(days=1)).strftime("%d/%m/%Y")
    row = f"portable;Lenovo;T480;SN1;;;;;;;;;purge;Blancco;{tomorrow};Atelier;réussi"
    response = check(workshop, donation, csv_upload(HEADER, row))
    assert issues(response) == [
        (2, "effacement_date", "La date d'effacement ne peut pas être dans le futur.")
    ]


def test_iso_dates_tolerant_numbers_and_an_imei_on_a_tablet_are_accepted(workshop, donation):
    row = (
        f"TABLETTE;Samsung;Tab A;TAB1;{VALID_IMEIS[3]};;4 Go;64;10.1;Android;b;85 %;"
        "crypto_erase;Knox;2026-09-15;Atelier;OK"
    )
    preview = check(workshop, donation, csv_upload(HEADER, row))
    assert preview.status_code == 200, issues(preview) if preview.status_code == 400 else ""
    confirm(workshop, preview)
    tablet = Device.objects.get()
    assert (tablet.imei, tablet.ram_gb, tablet.grade, tablet.battery_health) == (
        VALID_IMEIS[3],
        4,
        "B",
        85,
    )
    assert tablet.erasures.get().performed_on == date(2026, 9, 15)


def test_several_errors_are_all_reported_at_once(workshop, donation):
    response = check(
        workshop,
        donation,
        csv_upload(HEADER, LAPTOP, "frigo;;T480;SN9", PHONE.replace(VALID_IMEIS[0], BAD_IMEI)),
    )
    lines = {(line, column) for line, column, _ in issues(response)}
    assert lines == {(3, "type"), (3, "marque"), (4, "imei")}
    assert response.context["report"].invalid_lines == 2


# --- The import: bad files -----------------------------------------------------------------------


def test_a_missing_header_is_named(workshop, donation):
    upload = csv_upload("type;marque;modele", "portable;Lenovo;T480")
    response = check(workshop, donation, upload)
    assert response.status_code == 400
    assert form_errors(response)[0].startswith("Colonnes obligatoires absentes : numero_serie.")
    assert nothing_imported()


def test_an_unknown_header_is_named(workshop, donation):
    response = check(workshop, donation, csv_upload(HEADER + ";couleur", LAPTOP + ";noir"))
    assert form_errors(response)[0].startswith("Colonnes inconnues : « couleur ».")


def test_values_under_no_header_are_refused(workshop, donation):
    response = check(
        workshop,
        donation,
        csv_upload("type;marque;modele;numero_serie", "portable;Lenovo;T480;SN1;en trop"),
    )
    assert "La ligne 2 contient des valeurs sans titre de colonne" in form_errors(response)[0]


def test_too_many_rows(workshop, donation, settings):
    settings.EQUIPMENT_IMPORT_MAX_ROWS = 2
    rows = [LAPTOP.replace("PF1A0001", f"SN{i}") for i in range(3)]
    response = check(workshop, donation, csv_upload(HEADER, *rows))
    assert response.status_code == 400
    assert form_errors(response) == [
        "Le fichier contient trop de lignes : 2 appareils au maximum par import. "
        "Découpez-le en plusieurs fichiers."
    ]
    assert nothing_imported()


def test_too_big(workshop, donation, settings):
    settings.EQUIPMENT_IMPORT_MAX_BYTES = 100
    response = check(workshop, donation, csv_upload(HEADER, LAPTOP))
    assert response.status_code == 400
    assert form_errors(response)[0].startswith("Le fichier est trop lourd")
    assert "100" in form_errors(response)[0]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("lot.pdf", PDF_BYTES, "Seuls les fichiers CSV (.csv) et Excel (.xlsx) sont acceptés."),
        ("lot", b"type;marque", "Seuls les fichiers CSV (.csv) et Excel (.xlsx) sont acceptés."),
        ("lot.xls", b"\xd0\xcf\x11\xe0", "Ce format de tableur n'est pas accepté"),
        ("lot.xlsx", b"type;marque;modele", NOT_XLSX),
        ("lot.xlsx", b"PK\x03\x04broken", NOT_XLSX),
        ("lot.csv", "type;marque;modèle".encode("latin-1"), "doit être enregistré en UTF-8"),
        ("lot.csv", b"PK\x03\x04\x00\xff\xfe", "Ce fichier est un classeur Excel"),
        ("lot.csv", b"", "Le fichier soumis est vide."),
        ("lot.csv", b"\r\n ;; \r\n", "Le fichier est vide."),
        ("lot.csv", HEADER.encode(), "Le fichier ne contient aucun appareil"),
    ],
)  # fmt: skip
def test_files_that_cannot_be_read_get_a_clear_message(workshop, donation, name, content, message):
    response = check(workshop, donation, SimpleUploadedFile(name, content))
    assert response.status_code == 400
    assert message in form_errors(response)[0]
    assert nothing_imported()


def test_an_empty_xlsx_is_refused(workshop, donation):
    response = check(workshop, donation, xlsx_upload([]))
    assert form_errors(response) == ["Le fichier est vide."]


def test_no_donation_chosen(workshop):
    response = workshop.post(
        reverse("equipment:batch_import"), {"file": csv_upload(HEADER, LAPTOP)}
    )
    assert response.status_code == 400
    assert form_errors(response, "donation")


# --- The import: whose donation ------------------------------------------------------------------


def test_a_workshop_only_sees_and_imports_into_its_own_donations(world, workshop, donation):
    other_workshop = make_company(RefurbishingPartner, "Autre Atelier", 40)
    other = make_donation(world, refurbisher=other_workshop)
    page = workshop.get(reverse("equipment:batch_import"))
    choices = list(page.context["form"].fields["donation"].queryset)
    assert choices == [donation]
    response = check(workshop, other, csv_upload(HEADER, LAPTOP))
    assert response.status_code == 400
    assert form_errors(response, "donation")
    assert nothing_imported()


def test_the_donation_can_be_preselected(workshop, donation):
    page = workshop.get(reverse("equipment:batch_import") + f"?don={donation.pk}")
    assert page.context["form"].initial["donation"] == str(donation.pk)
    html = page.content.decode()
    assert '<label for="id_donation">Don concerné' in html
    assert '<label for="id_file">Fichier des appareils' in html


# --- The import: the confirmation ----------------------------------------------------------------


def test_a_forged_token_imports_nothing(workshop, donation):
    check(workshop, donation, csv_upload(HEADER, LAPTOP))
    response = workshop.post(
        reverse("equipment:batch_import"), {"token": "not-the-token"}, follow=True
    )
    assert "Cet aperçu n'est plus valable : envoyez à nouveau le fichier." in messages_of(response)
    assert nothing_imported()


def test_the_kept_file_is_server_side_and_removed_after_confirmation(workshop, donation):
    preview = check(workshop, donation, csv_upload(HEADER, LAPTOP))
    pending = workshop.session[PENDING_KEY]
    assert pending["storage"] not in preview.content.decode()
    assert MediaStorage(name=pending["storage"]).read().startswith(b"\xef\xbb\xbftype;")
    confirm(workshop, preview)
    with pytest.raises(OSError):
        MediaStorage(name=pending["storage"]).read()


def test_a_conflict_at_confirmation_imports_nothing_and_shows_the_report(world, workshop, donation):
    preview = check(workshop, donation, csv_upload(HEADER, LAPTOP, PHONE))
    assert preview.status_code == 200
    # Between the preview and the confirmation, the same laptop arrives by another import.
    make_device(world, serial_number="PF1A0001", site=None)
    before = Device.objects.count()
    response = confirm(workshop, preview)
    assert response.status_code == 400
    assert Device.objects.count() == before
    assert not ImportBatch.objects.exists()
    assert issues(response)[0][:2] == (2, "numero_serie")
    assert "Rien n'a été importé" in response.content.decode()


# --- Batch list and detail -----------------------------------------------------------------------


def make_batch(world, donation=None, *, devices: int = 0, refurbisher=None, **device_extra):
    donation = donation or make_donation(
        world, **({"refurbisher": refurbisher} if refurbisher else {})
    )
    batch = ImportBatch.objects.create(
        refurbisher=donation.refurbisher, donation=donation, file_name="lot.csv", row_count=devices
    )
    for _ in range(devices):
        make_device(
            world,
            status=device_extra.get("status", Status.RECEIVED),
            site=None,
            donation=donation,
            batch=batch,
            erased=device_extra.get("erased", True),
        )
    return batch


def test_the_list_shows_the_workshops_batches_newest_first(world, workshop):
    old = make_batch(world)
    ImportBatch.objects.filter(pk=old.pk).update(imported_at=timezone.now() - timedelta(days=3))
    new = make_batch(world)
    other = make_batch(world, refurbisher=make_company(RefurbishingPartner, "Autre", 41))
    response = workshop.get(reverse("equipment:batch_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(new.reference) < html.index(old.reference)
    assert other.reference not in html
    assert "Banque Exemple" in html and new.donation.reference in html


def test_list_query_count_does_not_grow_with_rows(world, workshop):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert workshop.get(reverse("equipment:batch_list")).status_code == 200
        return [q["sql"] for q in ctx.captured_queries]

    for _ in range(2):
        make_batch(world)
    few = count()
    for _ in range(6):
        make_batch(world)
    many = count()
    assert len(few) == len(many)
    assert not [sql for sql in many if "COUNT(" in sql.upper() and "importbatch" in sql]


def test_detail_query_count_does_not_grow_with_devices(world, workshop):
    batch = make_batch(world, devices=2)
    url = reverse("equipment:batch_detail", kwargs={"pk": batch.pk})

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert workshop.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for _ in range(8):
        make_device(world, status=Status.RECEIVED, site=None, donation=batch.donation, batch=batch)
    assert count() == few


def test_the_detail_shows_devices_and_erasure(world, workshop):
    batch = make_batch(world, devices=1)
    not_erased = make_device(
        world, status=Status.RECEIVED, site=None, donation=batch.donation, batch=batch, erased=False
    )
    response = workshop.get(reverse("equipment:batch_detail", kwargs={"pk": batch.pk}))
    html = response.content.decode()
    assert not_erased.serial_number in html
    assert "réussi, sans certificat" in html and ">aucun effacement réussi enregistré<" in html
    assert "Reçu : 2" in html
    assert f'aria-label="Choisir {not_erased.serial_number}"' in html


def test_the_batch_page_links_to_sending_its_devices(world, workshop):
    batch = make_batch(world, devices=1)
    html = workshop.get(reverse("equipment:batch_detail", kwargs={"pk": batch.pk})).content.decode()
    url = reverse("equipment:transfer_create")
    assert f'href="{url}?lot={batch.pk}"' in html


def test_another_workshops_batch_answers_404(world, workshop):
    other = make_batch(world, devices=1, refurbisher=make_company(RefurbishingPartner, "Autre", 42))
    device = other.devices.get()
    assert (
        workshop.get(reverse("equipment:batch_detail", kwargs={"pk": other.pk})).status_code == 404
    )
    response = workshop.post(
        reverse("equipment:batch_advance", kwargs={"pk": other.pk}),
        {"to_status": Status.AT_REFURBISHER, "whole_batch": "on"},
    )
    assert response.status_code == 404
    response = workshop.post(
        reverse("equipment:batch_certificate", kwargs={"pk": other.pk}),
        {"certificate": SimpleUploadedFile("c.pdf", PDF_BYTES)},
    )
    assert response.status_code == 404
    device.refresh_from_db()
    assert device.status == Status.RECEIVED


def test_pages_are_read_only(world, workshop):
    batch = make_batch(world, devices=2)
    audits, events = AuditEvent.objects.count(), DeviceEvent.objects.count()
    workshop.get(reverse("equipment:batch_detail", kwargs={"pk": batch.pk}))
    workshop.get(reverse("equipment:batch_list"))
    workshop.get(reverse("equipment:batch_import"))
    assert (AuditEvent.objects.count(), DeviceEvent.objects.count()) == (audits, events)


# --- Bulk status changes -------------------------------------------------------------------------


def advance(client, batch, **data):
    return client.post(reverse("equipment:batch_advance", kwargs={"pk": batch.pk}), data)


def test_the_whole_batch_goes_to_the_workshop_then_back(world, workshop):
    batch = make_batch(world, devices=3)
    response = advance(workshop, batch, to_status=Status.AT_REFURBISHER, whole_batch="on")
    assert response.status_code == 302
    assert set(batch.devices.values_list("status", flat=True)) == {Status.AT_REFURBISHER}
    event = DeviceEvent.objects.filter(to_status=Status.AT_REFURBISHER).first()
    assert event.actor == world.users["refurbisher_contact"]
    assert DeviceEvent.objects.filter(to_status=Status.AT_REFURBISHER).count() == 3
    response = advance(workshop, batch, to_status=Status.BACK_FROM_WORKSHOP, whole_batch="on")
    assert response.status_code == 302
    assert set(batch.devices.values_list("status", flat=True)) == {Status.BACK_FROM_WORKSHOP}


def test_ticked_devices_move_with_the_reason(world, workshop):
    batch = make_batch(world, devices=3)
    first, second, third = batch.devices.order_by("pk")
    response = advance(
        workshop,
        batch,
        to_status=Status.AT_REFURBISHER,
        devices=[first.pk, third.pk],
        reason="Arrivés à l'atelier",
    )
    assert response.status_code == 302
    statuses = dict(batch.devices.values_list("pk", "status"))
    assert statuses == {
        first.pk: Status.AT_REFURBISHER,
        second.pk: Status.RECEIVED,
        third.pk: Status.AT_REFURBISHER,
    }
    assert first.events.last().reason == "Arrivés à l'atelier"


def test_a_forbidden_move_changes_nothing_and_says_why(world, workshop):
    batch = make_batch(world, devices=2)
    first, second = batch.devices.order_by("pk")
    Device.objects.filter(pk=first.pk).update(status=Status.AT_REFURBISHER)
    response = advance(
        workshop, batch, to_status=Status.BACK_FROM_WORKSHOP, devices=[first.pk, second.pk]
    )
    assert response.status_code == 400
    [message] = messages_of(response)
    assert second.serial_number in message
    assert "Un appareil « Reçu » ne peut pas passer à « Retour atelier »." in message
    # All or nothing: the first device did not move either.
    assert dict(batch.devices.values_list("pk", "status")) == {
        first.pk: Status.AT_REFURBISHER,
        second.pk: Status.RECEIVED,
    }


def test_a_device_of_another_batch_cannot_be_ticked(world, workshop):
    batch = make_batch(world, devices=1)
    stranger = make_batch(world, devices=1).devices.get()
    response = advance(workshop, batch, to_status=Status.AT_REFURBISHER, devices=[stranger.pk])
    assert response.status_code == 400
    assert "Un des appareils cochés ne fait pas partie de ce lot." in response.content.decode()
    stranger.refresh_from_db()
    assert stranger.status == Status.RECEIVED


def test_nothing_ticked_or_nothing_to_move(world, workshop):
    batch = make_batch(world, devices=1)
    response = advance(workshop, batch, to_status=Status.AT_REFURBISHER)
    assert response.status_code == 400
    assert "Cochez au moins un appareil" in response.content.decode()
    response = advance(workshop, batch, to_status=Status.BACK_FROM_WORKSHOP, whole_batch="on")
    assert response.status_code == 400
    assert (
        "Aucun appareil de ce lot n&#x27;est « Chez le reconditionneur »"
        in response.content.decode()
    )
    response = advance(workshop, batch, to_status=Status.TO_CHECK, whole_batch="on")
    assert response.status_code == 400
    assert batch.devices.get().status == Status.RECEIVED


# --- The certificate -----------------------------------------------------------------------------


def attach(client, batch, upload):
    return client.post(
        reverse("equipment:batch_certificate", kwargs={"pk": batch.pk}), {"certificate": upload}
    )


def test_one_pdf_is_attached_to_every_erasure_without_certificate(world, workshop):
    batch = make_batch(world, devices=3)
    already = ErasureRecord.objects.filter(device__batch=batch).first()
    ErasureRecord.objects.filter(pk=already.pk).update(certificate="erasure/old.pdf")
    response = attach(workshop, batch, SimpleUploadedFile("certificat.pdf", PDF_BYTES))
    assert response.status_code == 302
    names = set(
        ErasureRecord.objects.filter(device__batch=batch)
        .exclude(pk=already.pk)
        .values_list("certificate", flat=True)
    )
    assert len(names) == 1
    [name] = names
    assert name.startswith(f"erasure/{world.refurbisher.pk}/") and name.endswith(".pdf")
    assert ErasureRecord.objects.get(pk=already.pk).certificate.name == "erasure/old.pdf"
    audit = AuditEvent.objects.get(object_type="equipment.importbatch", object_id=str(batch.pk))
    assert audit.action == AuditAction.UPDATE
    follow = workshop.get(response["Location"])
    assert "Certificat joint à 2 effacements du lot." in messages_of(follow)
    # Nothing left to attach: a clear message, no file stored.
    again = attach(workshop, batch, SimpleUploadedFile("autre.pdf", PDF_BYTES))
    assert again.status_code == 400
    assert "Aucun effacement de ce lot n'attend de certificat" in messages_of(again)[0]


def test_a_file_that_is_not_a_pdf_is_refused(world, workshop):
    batch = make_batch(world, devices=1)
    for upload in (
        SimpleUploadedFile("certificat.docx", b"PK\x03\x04"),
        SimpleUploadedFile("certificat.pdf", b"not a pdf at all"),
    ):
        response = attach(workshop, batch, upload)
        assert response.status_code == 400
        errors = response.context["certificate_form"].errors["certificate"]
        assert "PDF" in errors[0]
    assert not ErasureRecord.objects.exclude(certificate="").exists()


def test_a_certificate_too_big_is_refused(world, workshop, settings):
    settings.EQUIPMENT_CERTIFICATE_MAX_BYTES = 20
    batch = make_batch(world, devices=1)
    response = attach(workshop, batch, SimpleUploadedFile("certificat.pdf", PDF_BYTES))
    assert response.status_code == 400
    [error] = response.context["certificate_form"].errors["certificate"]
    assert error.startswith("Le certificat est trop lourd (") and "20" in error
    assert not ErasureRecord.objects.exclude(certificate="").exists()


# --- Consistency ---------------------------------------------------------------------------------


def test_the_resource_reads_exactly_the_documented_columns():
    from solidarnum.equipment.imports.files import COLUMN_NAMES
    from solidarnum.equipment.imports.resources import DeviceResource

    assert [field.column_name for field in DeviceResource.fields.values()] == COLUMN_NAMES


def test_the_preview_shows_fifty_rows_and_counts_the_others(workshop, donation):
    rows = [LAPTOP.replace("PF1A0001", f"SN{i:03d}") for i in range(60)]
    preview = check(workshop, donation, csv_upload(HEADER, *rows))
    assert preview.status_code == 200
    report = preview.context["report"]
    assert (report.total, len(report.preview), report.hidden_rows) == (60, 50, 10)
    assert "Aperçu des 50 premières lignes (et 10 autres)." in preview.content.decode()
    assert "Confirmer l'import de 60 appareils" in preview.content.decode()


# --- Speed: the number of queries does not grow with the rows -------------------------------------


def many_rows(count: int, start: int = 0) -> list[str]:
    """`count` rows, half laptops with their erasure, half smartphones with an IMEI."""
    from stdnum import luhn

    rows = []
    for i in range(start, start + count):
        if i % 2:
            body = f"35{i:012d}"
            imei = body + luhn.calc_check_digit(body)
            rows.append(PHONE.replace("R58R0001", f"R58Q{i:05d}").replace(VALID_IMEIS[0], imei))
        else:
            rows.append(LAPTOP.replace("PF1A0001", f"PF1Q{i:05d}"))
    return rows


def _statements(queries: list[dict]) -> tuple[list[str], set[str]]:
    """The queries other than INSERTs, and the tables INSERTed into. SQLite splits a bulk
    INSERT every 999 parameters (about 40 devices); PostgreSQL writes 500 rows per INSERT."""
    others, inserted = [], set()
    for query in queries:
        sql = query["sql"]
        if sql.startswith("INSERT INTO"):
            inserted.add(sql.split('"')[1])
        else:
            # Values and savepoint names vary; the statement does not.
            shape = re.sub(r"'[^']*'|\"s\d+_x\d+\"|\b\d+\b", "?", sql.split(" WHERE ")[0])
            others.append(shape[:80])
    return others, inserted


def test_check_and_confirm_take_the_same_queries_for_50_and_200_rows(world, workshop, donation):
    def queries(count: int, start: int) -> tuple[list[dict], list[dict]]:
        upload = csv_upload(HEADER, *many_rows(count, start))
        with CaptureQueriesContext(connection) as checked:
            preview = check(workshop, donation, upload)
        assert preview.status_code == 200, issues(preview) if preview.status_code == 400 else ""
        with CaptureQueriesContext(connection) as confirmed:
            assert confirm(workshop, preview).status_code == 302
        return checked.captured_queries, confirmed.captured_queries

    few = queries(50, 0)
    many = queries(200, 1000)
    assert Device.objects.count() == 250
    assert DeviceEvent.objects.count() == 250 and ErasureRecord.objects.count() == 125
    for step_few, step_many in zip(few, many, strict=True):
        assert _statements(step_few) == _statements(step_many)
        if connection.vendor == "postgresql":
            assert len(step_few) == len(step_many)
    check_queries, confirm_queries = many
    assert len(check_queries) < 15, [q["sql"][:80] for q in check_queries]
    assert not [q for q in check_queries if q["sql"].startswith(("INSERT", 'UPDATE "equipment'))]
    # Two lookups for the whole file: serial numbers, then IMEIs.
    lookups = [q for q in confirm_queries if 'FROM "equipment_device"' in q["sql"]]
    assert len(lookups) == 2
    assert len(confirm_queries) < 40
