"""The donor report: figures on a dataset built through the services, never a person's name."""

import itertools
from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from solidarnum.beneficiaries.models import Beneficiary
from solidarnum.equipment.checks.services import applicable_points, record_check
from solidarnum.equipment.devices import services
from solidarnum.equipment.donations import report
from solidarnum.equipment.donations import views as donation_views
from solidarnum.equipment.enums import DeviceKind, ErasureMethod, ErasureResult, Status
from solidarnum.equipment.logistics.services import receive_transfer, send_transfer
from solidarnum.equipment.models import Device
from solidarnum.equipment.reservations.services import record_sale, reserve
from tests.beneficiaries import make_beneficiary
from tests.equipment.factories import make_donation
from tests.referrals.factories import scope_for

_serials = itertools.count(1)
YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def register(world, donation, kind=DeviceKind.LAPTOP, at=None) -> Device:
    return services.register_device(
        acting_user=world.users["refurbisher_contact"],
        at=at,
        donation=donation,
        kind=kind,
        brand="Lenovo",
        model_name="ThinkPad T480",
        serial_number=f"RPT-{next(_serials):06d}",
    )


def workshop_move(world, device, *targets, reason="") -> Device:
    scope = scope_for(world, "refurbisher_contact")
    for target in targets:
        device = services.change_status(
            acting_user=scope.user, scope=scope, device=device, to_status=target, reason=reason
        )
    return device


def refurbish_and_shelve(world, devices) -> list[Device]:
    """At the workshop, erased, sent to site A, received and checked: "disponible"."""
    refurbisher = scope_for(world, "refurbisher_contact")
    for device in devices:
        workshop_move(world, device, Status.AT_REFURBISHER, Status.BACK_FROM_WORKSHOP)
        services.record_erasure(
            acting_user=refurbisher.user,
            scope=refurbisher,
            device=device,
            method=ErasureMethod.OVERWRITE,
            tool="Blancco Drive Eraser",
            performed_on=date(2026, 10, 1),
            operator="Atelier Exemple",
            result=ErasureResult.SUCCESS,
        )
    transfer = send_transfer(
        acting_user=refurbisher.user,
        scope=refurbisher,
        devices=devices,
        to_point=world.site_a,
        from_refurbisher=world.refurbisher,
    )
    receive_transfer(
        acting_user=world.users["staff_a"],
        scope=scope_for(world, "staff_a"),
        transfer=transfer,
        received_ids=[d.pk for d in devices],
    )
    checked = []
    for device in devices:
        device = Device.objects.get(pk=device.pk)
        answers = {point.value: "ok" for point in applicable_points(device.kind)}
        record_check(
            acting_user=world.users["volunteer_a"],
            scope=scope_for(world, "volunteer_a"),
            device=device,
            answers=answers,
            battery_health=90,
            grade="B",
        )
        checked.append(Device.objects.get(pk=device.pk))
    return checked


def sell(world, device, beneficiary) -> Device:
    reserve(
        acting_user=world.users["staff_a"],
        scope=scope_for(world, "staff_a"),
        device=device,
        beneficiary=beneficiary,
    )
    return record_sale(acting_user=world.users["staff_a"], device=device, price=Decimal("50"))


def person(world, first_name, last_name, profile, publics) -> Beneficiary:
    beneficiary = make_beneficiary(
        world, first_name=first_name, last_name=last_name, publics=publics
    )
    Beneficiary.objects.filter(pk=beneficiary.pk).update(profile=profile)
    return Beneficiary.objects.get(pk=beneficiary.pk)


@pytest.fixture
def dataset(world):
    """For the donor: 5 devices received in 2026 (3 refurbished, 2 sold to 2 people, 1 still
    available, 1 recycled, 1 kept for parts), and 1 device received and recycled in 2025.
    Another company's device is sold too: it never shows in this donor's report."""
    donation = make_donation(world)
    laptop_1, laptop_2, laptop_3 = (register(world, donation) for _ in range(3))
    tablet = register(world, donation, kind=DeviceKind.TABLET)
    phone = register(world, donation, kind=DeviceKind.SMARTPHONE)
    laptop_1, laptop_2, tablet = refurbish_and_shelve(world, [laptop_1, laptop_2, tablet])
    awa = person(world, "Awa", "Diallo", "excluded", ["newcomer"])
    zelie = person(world, "Zélie", "Marchand", "beginner", ["senior", "job_seeker"])
    sell(world, laptop_1, awa)
    sell(world, tablet, zelie)
    workshop_move(world, laptop_3, Status.AT_REFURBISHER, Status.RECYCLED, reason="Carte mère HS")
    workshop_move(world, phone, Status.AT_REFURBISHER, Status.SPARE_PARTS, reason="Écran cassé")
    with time_machine.travel(datetime(2025, 6, 3, 10, 0, tzinfo=timezone.get_current_timezone())):
        old = register(world, make_donation(world, donated_on=date(2025, 6, 1)))
        workshop_move(world, old, Status.AT_REFURBISHER, Status.RECYCLED, reason="Trop ancien")
    other = make_donation(world, donor=world.other_donor)
    (other_laptop,) = refurbish_and_shelve(world, [register(world, other)])
    sell(world, other_laptop, person(world, "Omar", "Benali", "advanced", ["other"]))
    return {"names": ["Awa", "Diallo", "Zélie", "Marchand", "Omar", "Benali"]}


# --- Figures ------------------------------------------------------------------------------------


def test_the_report_counts_what_happened_in_the_period(world, dataset):
    result = report.donor_report(world.donor, *YEAR)
    assert (result.received, result.refurbished, result.available, result.sold) == (5, 3, 1, 2)
    assert (result.recycled, result.spare_parts) == (1, 1)
    assert result.people_equipped == 2
    by_kind = {line.kind: line for line in result.by_kind}
    assert (by_kind["laptop"].received, by_kind["laptop"].sold) == (3, 1)
    assert (by_kind["tablet"].sold, by_kind["smartphone"].spare_parts) == (1, 1)
    # Reuse impact: one laptop (27 kg) and one tablet (20 kg) over one year of use.
    assert result.avoided_kg == Decimal("47.0")


def test_phones_given_in_packs_maraude_count_as_reused(world):
    donation = make_donation(world)
    phones = [register(world, donation, kind=DeviceKind.BASIC_PHONE) for _ in range(2)]
    refurbish_and_shelve(world, phones)
    services.give_for_outreach(
        acting_user=world.users["staff_a"],
        reception_point_id=world.site_a.pk,
        count=2,
        reason="pack maraude PACK-2026-00001",
    )
    result = report.donor_report(world.donor, *YEAR)
    assert (result.given, result.sold, result.people_equipped) == (2, 0, 0)
    (line,) = result.by_kind
    assert line.avoided_kg == line.factor * 2 and line.factor > 0


def test_a_past_period_shows_only_what_happened_then(world, dataset):
    result = report.donor_report(world.donor, date(2025, 1, 1), date(2025, 12, 31))
    assert (result.received, result.recycled, result.sold, result.people_equipped) == (1, 1, 0, 0)
    assert result.available == 1  # "available" is always today's stock


def test_people_are_counted_by_profile_and_public_without_small_cells(world, dataset):
    result = report.donor_report(world.donor, *YEAR)
    profiles = {cell.code: (cell.count, cell.is_masked) for cell in result.by_profile}
    assert profiles["excluded"] == (1, True)
    assert profiles["beginner"] == (1, True)
    assert profiles["advanced"] == (0, True)  # zeros too, in a table with a small cell
    publics = {cell.code: (cell.count, cell.is_masked) for cell in result.by_public}
    assert publics["newcomer"] == (1, True)
    assert publics["senior"] == (1, True)
    assert publics["other"] == (0, True)  # the other company's buyer is not counted


def test_a_lone_small_cell_is_covered_by_the_zeros_shown_alike():
    cells = report._by_profile(["excluded"] * 5 + ["beginner"] + ["advanced"] * 3)
    shown = {cell.code: (cell.count, cell.shown_as) for cell in cells}
    # 9 - 5 - 3 leaves 1 for "beginner" and "not given" together: either may hold it.
    assert shown["beginner"] == (1, report.SMALL)
    assert shown[""] == (0, report.SMALL)
    assert shown["advanced"] == (3, report.SHOWN)
    assert shown["excluded"] == (5, report.SHOWN)


def test_without_zeros_the_next_smallest_cell_is_masked():
    cells = report._by_profile(["excluded"] * 5 + ["beginner"] + ["advanced"] * 3 + [""] * 4)
    shown = {cell.code: (cell.count, cell.shown_as) for cell in cells}
    assert shown["beginner"] == (1, report.SMALL)
    assert shown["advanced"] == (3, report.HIDDEN)  # else 13 - 5 - 4 - 3 gives the 1 away
    assert shown[""] == (4, report.SHOWN) and shown["excluded"] == (5, report.SHOWN)


def test_a_handful_of_people_all_in_small_cells_withholds_the_table():
    # 8 people, 2 in each profile: every reading of "moins de 3" x 4 = 8 gives 2 each.
    breakdown = report._by_profile(["excluded", "beginner", "advanced", ""] * 2)
    assert breakdown.is_withheld
    html = _render_people(["excluded", "beginner", "advanced", ""] * 2, [["senior"]] * 8)
    assert "Trop peu de personnes pour publier cette répartition" in html
    assert_nothing_hidden_can_be_derived(html)


def test_publics_count_people_not_devices_and_keep_the_unknown():
    cells = report._by_public([["senior", "job_seeker"], ["senior"], ["senior"], []])
    shown = {cell.code: (cell.count, cell.is_masked) for cell in cells}
    assert shown["senior"] == (3, False)
    assert shown["job_seeker"] == (1, True)
    assert shown[""] == (1, True)


def test_the_report_takes_three_queries_whatever_the_data(world, dataset):
    with CaptureQueriesContext(connection) as ctx:
        report.donor_report(world.donor, *YEAR)
    assert len(ctx.captured_queries) == 3
    extra = make_donation(world)
    devices = refurbish_and_shelve(world, [register(world, extra) for _ in range(4)])
    for n, device in enumerate(devices):
        sell(world, device, person(world, "Nom", f"Secret{n}", "advanced", ["senior"]))
    with CaptureQueriesContext(connection) as ctx:
        result = report.donor_report(world.donor, *YEAR)
    assert len(ctx.captured_queries) == 3
    assert result.people_equipped == 6


# --- Page and PDF ---------------------------------------------------------------------------------


def test_the_donor_contact_reads_the_counts_and_never_a_name(world, clients, dataset):
    response = clients["donor_contact"].get(reverse("equipment:donor_report"))
    assert response.status_code == 200
    html = response.content.decode()
    for label in ("Appareils reçus", "Personnes équipées", "Télécharger le PDF", "ADEME"):
        assert label in html
    assert response.context["report"].start == date(2026, 1, 1)  # the current calendar year
    assert response.context["report"].end == date(2026, 12, 31)
    for name in dataset["names"]:
        assert name not in html
    assert "moins de 3" in html


def test_the_pdf_holds_the_figures_and_never_a_name(world, clients, dataset, monkeypatch):
    rendered: dict[str, str] = {}
    real_render = donation_views.render_pdf

    def spy(template_name, context, request, **kwargs):
        rendered["html"] = render_to_string(template_name, context, request=request)
        return real_render(template_name, context, request, **kwargs)

    monkeypatch.setattr(donation_views, "render_pdf", spy)
    response = clients["donor_contact"].get(
        reverse("equipment:donor_report_pdf"), {"start": "2026-01-01", "end": "2026-12-31"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    html = rendered["html"]
    assert "Personnes équipées" in html
    assert world.donor.name in html
    assert " style=" not in html
    texts = [html]
    try:
        from pypdf import PdfReader  # optional: also read the PDF's own text
    except ImportError:
        PdfReader = None
    if PdfReader is not None:
        import io

        reader = PdfReader(io.BytesIO(response.content))
        texts.append("".join(page.extract_text() for page in reader.pages))
    for text in texts:
        for name in dataset["names"]:
            assert name not in text


def test_a_donor_contact_cannot_see_another_companys_report(world, clients, dataset):
    response = clients["donor_contact"].get(
        reverse("equipment:donor_report"), {"donor": world.other_donor.pk}
    )
    assert response.status_code == 200
    assert response.context["report"].donor == world.donor
    assert world.other_donor.name not in response.content.decode()
    pdf = clients["donor_contact"].get(
        reverse("equipment:donor_report_pdf"), {"donor": world.other_donor.pk}
    )
    assert pdf.status_code == 200
    assert f"rapport-donateur-{world.donor.siret}-" in pdf["Content-Disposition"]


def test_the_national_team_chooses_the_company(world, clients, dataset):
    first = clients["admin"].get(reverse("equipment:donor_report"))
    assert first.status_code == 200
    assert first.context["report"] is None
    response = clients["admin"].get(
        reverse("equipment:donor_report"), {"donor": world.other_donor.pk}
    )
    result = response.context["report"]
    assert (result.donor, result.sold, result.people_equipped) == (world.other_donor, 1, 1)
    assert f"donor={world.other_donor.pk}" in response.context["pdf_url"]
    pdf = clients["admin"].get(reverse("equipment:donor_report_pdf"))
    assert pdf.status_code == 302
    assert pdf["Location"] == reverse("equipment:donor_report")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"start": "2026-06-01", "end": "2026-01-01"},
            "La date de début doit précéder la date de fin.",
        ),
        ({"start": "2020-01-01", "end": "2026-01-01"}, "La période ne peut pas dépasser 5 ans."),
        ({"start": "pas une date", "end": "2026-01-01"}, "Saisissez une date valide."),
    ],
)
def test_a_wrong_period_says_why(world, clients, params, message):
    for name in ("equipment:donor_report", "equipment:donor_report_pdf"):
        response = clients["donor_contact"].get(reverse(name), params)
        assert response.status_code == 400
        assert response.context["report"] is None
        errors = [str(e) for errs in response.context["form"].errors.values() for e in errs]
        assert message in errors


def test_the_report_page_query_count_does_not_grow_with_devices(world, clients, dataset):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert (
                clients["donor_contact"].get(reverse("equipment:donor_report")).status_code == 200
            )
        return len(ctx.captured_queries)

    few = count()
    extra = make_donation(world)
    devices = refurbish_and_shelve(world, [register(world, extra) for _ in range(3)])
    sell(world, devices[0], person(world, "Nom", "Secret", "excluded", ["newcomer"]))
    assert count() == few


# --- Small counts cannot be worked out by subtraction ---------------------------------------------
# The reader's attack, written from what the page shows only: every figure of the two people tables
# and the "Personnes équipées" total, with what each label tells. A cell reading « moins de 3 »
# holds 1 or 2 when the same table prints its zeros, else 0, 1 or 2; « masqué » holds 3 or more.
# Profiles add up to the total; publics cover it (each person is in one row at least, a row never
# counts more people than the total, and "Public non renseigné" are those in no other row).

SMALL_TEXT = "moins de 3"
HIDDEN_TEXT = "masqué"
NO_PUBLIC = "Public non renseigné"


def _shown_tables(html: str):
    """(total, {table caption start: [(label, shown)] or None when withheld})."""
    import re
    from html import unescape

    html = unescape(html)
    total = int(re.search(r"<strong>(\d+)</strong>\s*Personnes équipées", html)[1])
    tables = {}
    for key in ("Par profil", "Par public"):
        start = html.index(f"<caption>{key}")
        block = html[start : html.index("</table>", start)]
        if "data-withheld" in block:
            tables[key] = None
            continue
        rows = re.findall(r"<tr><td[^>]*>(.*?)</td><td[^>]*>(.*?)</td></tr>", block)
        tables[key] = [(label.strip(), shown.strip()) for label, shown in rows]
        assert tables[key], block
    return total, tables


def _domain(shown: str, total: int, prints_zeros: bool) -> list[int]:
    if shown.isdigit():
        return [int(shown)]
    if shown == SMALL_TEXT:
        return [1, 2] if prints_zeros else [0, 1, 2]
    assert shown == HIDDEN_TEXT, shown
    return list(range(3, total + 1))


def _derived_cells(total: int, rows, *, covering: bool) -> list[str]:
    """Labels of the hidden cells that take a single value in every reading of the table."""
    prints_zeros = any(shown == "0" for _label, shown in rows)
    labels = [label for label, _shown in rows]
    domains = [_domain(shown, total, prints_zeros) for _label, shown in rows]
    seen: list[set[int]] = [set() for _ in rows]
    for values in itertools.product(*domains):
        if covering:
            none = values[labels.index(NO_PUBLIC)]
            others = [v for label, v in zip(labels, values, strict=True) if label != NO_PUBLIC]
            with_public = total - none
            fits = with_public >= 0 and max(others) <= with_public <= sum(others)
        else:
            fits = sum(values) == total
        if fits:
            for index, value in enumerate(values):
                seen[index].add(value)
    assert all(seen), "the figures shown contradict each other"
    return [
        label
        for (label, shown), values in zip(rows, seen, strict=True)
        if not shown.isdigit() and len(values) == 1
    ]


def assert_nothing_hidden_can_be_derived(html: str) -> None:
    total, tables = _shown_tables(html)
    derived = {}
    for key, covering in (("Par profil", False), ("Par public", True)):
        if tables[key] is not None:
            derived[key] = _derived_cells(total, tables[key], covering=covering)
    assert not any(derived.values()), (total, tables, derived)


def _render_people(profiles: list[str], publics: list[list[str]]) -> str:
    result = report.DonorReport(
        donor=None,
        start=date(2026, 1, 1),
        end=date(2026, 1, 31),
        by_kind=[],
        people_equipped=len(profiles),
        by_profile=report._by_profile(profiles),
        by_public=report._by_public(publics),
    )
    return render_to_string(
        "equipment/donations/_report_content.html",
        {"report": result, "threshold": report.SMALL_COUNT_THRESHOLD, "factors": []},
    )


@pytest.fixture
def two_alike_people(world):
    """The case found on the demo: in two days, two people alike (same profile, same public)."""
    with time_machine.travel(datetime(2026, 11, 30, 10, 0, tzinfo=timezone.get_current_timezone())):
        donation = make_donation(world)
        devices = refurbish_and_shelve(world, [register(world, donation) for _ in range(2)])
        for n, device in enumerate(devices):
            sell(world, device, person(world, "Nom", f"Pareil{n}", "excluded", ["newcomer"]))


def test_the_report_page_and_pdf_give_no_small_count_away(
    world, clients, two_alike_people, monkeypatch
):
    period = {"start": "2026-11-30", "end": "2026-12-01"}
    response = clients["donor_contact"].get(reverse("equipment:donor_report"), period)
    assert response.context["report"].people_equipped == 2
    assert_nothing_hidden_can_be_derived(response.content.decode())

    rendered: dict[str, str] = {}
    real_render = donation_views.render_pdf

    def spy(template_name, context, request, **kwargs):
        rendered["html"] = render_to_string(template_name, context, request=request)
        return real_render(template_name, context, request, **kwargs)

    monkeypatch.setattr(donation_views, "render_pdf", spy)
    assert (
        clients["donor_contact"].get(reverse("equipment:donor_report_pdf"), period).status_code
        == 200
    )
    assert_nothing_hidden_can_be_derived(rendered["html"])


def test_the_first_dataset_gives_no_small_count_away(world, clients, dataset):
    html = clients["donor_contact"].get(reverse("equipment:donor_report")).content.decode()
    assert_nothing_hidden_can_be_derived(html)


PROFILE_CODES = ["advanced", "beginner", "excluded", ""]


@pytest.mark.parametrize("total", range(1, 8))
def test_no_profile_split_of_a_few_people_gives_a_small_count_away(total):
    for split in itertools.product(range(total + 1), repeat=len(PROFILE_CODES)):
        if sum(split) != total:
            continue
        profiles = [code for code, n in zip(PROFILE_CODES, split, strict=True) for _ in range(n)]
        assert_nothing_hidden_can_be_derived(_render_people(profiles, [[]] * total))


def test_no_mix_of_publics_gives_a_small_count_away():
    import random

    rng = random.Random(14)
    codes = ["youth_insertion", "newcomer", "senior", "job_seeker", "no_diploma", "other"]
    for _ in range(150):
        total = rng.randint(1, 7)
        publics = [rng.sample(codes, rng.choice([0, 1, 1, 2])) for _ in range(total)]
        profiles = [rng.choice(PROFILE_CODES) for _ in range(total)]
        assert_nothing_hidden_can_be_derived(_render_people(profiles, publics))


def test_a_big_population_keeps_its_figures():
    profiles = ["excluded"] * 40 + ["beginner"] * 25 + ["advanced"] * 12 + [""] * 5
    html = _render_people(profiles, [["senior"]] * 50 + [["newcomer"]] * 32)
    total, tables = _shown_tables(html)
    assert total == 82
    assert dict(tables["Par profil"]) == {
        "Avancé": "12",
        "Débutant ou intermédiaire": "25",
        "Exclu": "40",
        "Profil non renseigné": "5",
    }
    assert dict(tables["Par public"])["Primo-arrivant·e ou demandeur·se d'asile"] == "32"


def test_columns_say_received_and_handed_out_are_counted_in_the_period(world, clients, dataset):
    html = clients["donor_contact"].get(reverse("equipment:donor_report")).content.decode()
    for label in (
        "Reçus pendant la période",
        "Remis pendant la période (reçus avant ou pendant)",
        "Appareils remis à des personnes pendant la période (reçus avant ou pendant)",
        "Disponibles aujourd'hui",
    ):
        assert label in html, label
