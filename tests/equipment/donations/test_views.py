"""Donations, tax receipts and the solidarity price grid (views and the services behind them)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from solidarnum.common.errors import ServiceError
from solidarnum.equipment.donations import services
from solidarnum.equipment.enums import DeviceKind, DonationSource, Status
from solidarnum.equipment.models import Donation, DonationItem, ImportBatch
from solidarnum.network.models import RefurbishingPartner
from tests.conftest import make_company
from tests.equipment.factories import make_device, make_donation
from tests.pages import messages_of
from tests.referrals.factories import scope_for


def form_errors(response) -> list[str]:
    return [str(e) for errors in response.context["form"].errors.values() for e in errors]


def donation_data(world, **extra) -> dict:
    data = {
        "donated_on": "2026-10-01",
        "source": DonationSource.COLLECTION_PLATFORM,
        "pickup_place": "Siège, 3 avenue de France, Paris",
        "refurbisher": world.refurbisher.pk,
        "notes": "Quai de livraison au sous-sol",
        "quantity_laptop": "12",
        "quantity_smartphone": "30",
    }
    data.update(extra)
    return data


# --- Declare a donation ---------------------------------------------------------------------------


def test_a_donor_contact_declares_a_donation_for_their_company(world, clients):
    page = clients["donor_contact"].get(reverse("equipment:donation_create"))
    html = page.content.decode()
    assert world.donor.name in html
    assert world.donor.siret in html
    assert 'name="donor"' not in html  # no choice: their own company only

    response = clients["donor_contact"].post(
        reverse("equipment:donation_create"), donation_data(world)
    )
    donation = Donation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("equipment:donation_detail", kwargs={"pk": donation.pk})
    assert donation.donor == world.donor
    assert donation.refurbisher == world.refurbisher
    assert donation.donated_on == date(2026, 10, 1)
    assert donation.reference == f"DON-2026-{donation.pk:05d}"
    assert donation.created_by == world.users["donor_contact"]
    assert dict(donation.items.values_list("kind", "expected_quantity")) == {
        "laptop": 12,
        "smartphone": 30,
    }


def test_a_donor_contact_cannot_declare_for_another_company(world, clients):
    # A forged "donor" field is not part of their form: the donation stays their company's.
    clients["donor_contact"].post(
        reverse("equipment:donation_create"), donation_data(world, donor=world.other_donor.pk)
    )
    assert list(Donation.objects.values_list("donor_id", flat=True)) == [world.donor.pk]
    # And the service refuses it outright.
    with pytest.raises(ServiceError, match="que pour votre entreprise"):
        services.declare_donation(
            acting_user=world.users["donor_contact"],
            scope=scope_for(world, "donor_contact"),
            donor=world.other_donor,
            refurbisher=world.refurbisher,
            donated_on=date(2026, 10, 1),
            source=DonationSource.DIRECT,
            pickup_place="Ailleurs",
            quantities={"laptop": 3},
        )
    assert Donation.objects.filter(donor=world.other_donor).count() == 0


def test_the_national_team_picks_the_donor(world, clients):
    response = clients["admin"].post(
        reverse("equipment:donation_create"), donation_data(world, donor=world.other_donor.pk)
    )
    assert response.status_code == 302
    assert Donation.objects.get().donor == world.other_donor


def test_the_national_team_must_pick_a_donor(world, clients):
    response = clients["admin"].post(reverse("equipment:donation_create"), donation_data(world))
    assert response.status_code == 400
    assert "donor" in response.context["form"].errors
    assert not Donation.objects.exists()


def test_a_donation_without_any_quantity_is_refused_and_nothing_saved(world, clients):
    data = donation_data(world, quantity_laptop="0", quantity_smartphone="")
    response = clients["donor_contact"].post(reverse("equipment:donation_create"), data)
    assert response.status_code == 400
    assert "Indiquez combien d'appareils sont donnés, au moins un type." in form_errors(response)
    assert "Le formulaire contient des erreurs : rien n'a été enregistré." in messages_of(response)
    assert not Donation.objects.exists()
    assert not DonationItem.objects.exists()


def test_a_negative_quantity_or_an_inactive_workshop_is_refused(world, clients):
    closed = make_company(RefurbishingPartner, "Atelier fermé", 14)
    RefurbishingPartner.objects.filter(pk=closed.pk).update(is_active=False)
    data = donation_data(world, quantity_laptop="-2", refurbisher=closed.pk)
    response = clients["donor_contact"].post(reverse("equipment:donation_create"), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "quantity_laptop" in errors
    assert "refurbisher" in errors
    assert not Donation.objects.exists()


# --- List and detail ------------------------------------------------------------------------------


def test_each_role_lists_its_own_donations(world, clients):
    own = make_donation(world)
    other = make_donation(world, donor=world.other_donor)
    workshop = make_company(RefurbishingPartner, "Atelier du Bocage", 13)
    elsewhere = make_donation(world, donor=world.other_donor, refurbisher=workshop)

    def listed(role: str) -> set[str]:
        html = clients[role].get(reverse("equipment:donation_list")).content.decode()
        return {d.reference for d in (own, other, elsewhere) if d.reference in html}

    assert listed("admin") == {own.reference, other.reference, elsewhere.reference}
    assert listed("donor_contact") == {own.reference}
    assert listed("refurbisher_contact") == {own.reference, other.reference}


def test_the_list_shows_registered_against_expected_and_the_receipt(world, clients):
    donation = make_donation(world)  # 10 laptops announced
    DonationItem.objects.create(donation=donation, kind=DeviceKind.TABLET, expected_quantity=5)
    for _ in range(3):
        make_device(world, donation=donation, site=None, status=Status.RECEIVED)
    Donation.objects.filter(pk=donation.pk).update(
        tax_receipt_number="RF-2026-12", tax_receipt_date=date(2026, 10, 1)
    )
    make_donation(world, donated_on=date(2026, 8, 1))  # no receipt yet
    html = clients["donor_contact"].get(reverse("equipment:donation_list")).content.decode()
    assert "3 / 15" in html
    assert "0 / 10" in html
    assert '<span class="badge">oui</span>' in html
    assert '<span class="badge badge-off">non</span>' in html


def test_the_list_filters_by_year_and_source_and_only_the_admin_by_donor(world, clients):
    old = make_donation(world, donated_on=date(2024, 5, 2), source=DonationSource.DIRECT)
    new = make_donation(world)
    html = (
        clients["donor_contact"].get(reverse("equipment:donation_list"), {"year": "2024"}).content
    )
    assert old.reference.encode() in html
    assert new.reference.encode() not in html
    html = (
        clients["donor_contact"]
        .get(reverse("equipment:donation_list"), {"source": "direct"})
        .content
    )
    assert old.reference.encode() in html
    assert new.reference.encode() not in html
    donor_page = clients["donor_contact"].get(reverse("equipment:donation_list"))
    assert "donor" not in donor_page.context["filter"].form.fields
    other = make_donation(world, donor=world.other_donor)
    admin = clients["admin"].get(
        reverse("equipment:donation_list"), {"donor": world.other_donor.pk}
    )
    assert other.reference.encode() in admin.content
    assert new.reference.encode() not in admin.content


def test_the_donation_list_query_count_does_not_grow_with_rows(world, clients):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert clients["admin"].get(reverse("equipment:donation_list")).status_code == 200
        return len(ctx.captured_queries)

    donation = make_donation(world)
    make_device(world, donation=donation, site=None, status=Status.RECEIVED)
    few = count()
    for i in range(8):
        extra = make_donation(world, donor=world.other_donor if i % 2 else world.donor)
        for _ in range(2):
            make_device(world, donation=extra, site=None, status=Status.RECEIVED)
    many = count()
    assert few == many
    with CaptureQueriesContext(connection) as ctx:
        clients["admin"].get(reverse("equipment:donation_list"))
    # LazyPaginator: no COUNT(*) over the donations.
    assert not [
        q["sql"]
        for q in ctx.captured_queries
        if "COUNT(*)" in q["sql"].upper() and 'FROM "equipment_donation"' in q["sql"]
    ]


def test_the_detail_shows_expected_against_registered_and_statuses(world, clients):
    donation = make_donation(world)  # 10 laptops announced
    make_device(world, donation=donation, site=None, status=Status.RECEIVED)
    make_device(world, donation=donation, status=Status.AVAILABLE)
    make_device(world, donation=donation, kind=DeviceKind.TABLET, status=Status.AVAILABLE)
    response = clients["donor_contact"].get(
        reverse("equipment:donation_detail", kwargs={"pk": donation.pk})
    )
    assert response.status_code == 200
    kinds = {
        line["label"]: (line["expected"], line["registered"]) for line in response.context["kinds"]
    }
    assert kinds == {"Ordinateur portable": (10, 2), "Tablette": (0, 1)}
    assert dict(response.context["statuses"]) == {"Reçu": 1, "Disponible": 2}
    assert response.context["registered_total"] == 3


def test_the_detail_lists_batches_with_a_link_only_for_the_workshop(world, clients):
    donation = make_donation(world)
    batch = ImportBatch.objects.create(
        refurbisher=world.refurbisher, donation=donation, file_name="lot.csv", row_count=4
    )
    url = reverse("equipment:donation_detail", kwargs={"pk": donation.pk})
    for role in ("donor_contact", "refurbisher_contact"):
        assert batch.reference in clients[role].get(url).content.decode()
    assert clients["donor_contact"].get(url).context["batches"] == [(batch, None)]


def test_the_donation_detail_query_count_does_not_grow_with_devices(world, clients):
    donation = make_donation(world)
    url = reverse("equipment:donation_detail", kwargs={"pk": donation.pk})

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert clients["refurbisher_contact"].get(url).status_code == 200
        return len(ctx.captured_queries)

    make_device(world, donation=donation, site=None, status=Status.RECEIVED)
    few = count()
    for kind, status in [
        (DeviceKind.TABLET, Status.AVAILABLE),
        (DeviceKind.SMARTPHONE, Status.SOLD),
        (DeviceKind.LAPTOP, Status.RECYCLED),
        (DeviceKind.DESKTOP, Status.TO_CHECK),
    ] * 2:
        make_device(world, donation=donation, kind=kind, status=status)
    for n in range(3):
        ImportBatch.objects.create(
            refurbisher=world.refurbisher, donation=donation, file_name=f"lot{n}.csv"
        )
    assert count() == few


# --- Tax receipt ---------------------------------------------------------------------------------


def test_the_workshop_records_the_tax_receipt(world, clients):
    donation = make_donation(world)
    url = reverse("equipment:donation_tax_receipt", kwargs={"pk": donation.pk})
    response = clients["refurbisher_contact"].post(
        url, {"number": " RF-2026-0042 ", "issued_on": "2026-10-15", "valued_amount": "1250.50"}
    )
    assert response.status_code == 302
    donation.refresh_from_db()
    assert donation.tax_receipt_number == "RF-2026-0042"
    assert donation.tax_receipt_date == date(2026, 10, 15)
    assert donation.valued_amount == Decimal("1250.50")
    # The donor reads it, without a form.
    page = clients["donor_contact"].get(url)
    assert page.status_code == 200
    assert page.context["form"] is None
    assert "RF-2026-0042" in page.content.decode()


def test_the_donor_cannot_record_the_tax_receipt(world, clients):
    donation = make_donation(world)
    url = reverse("equipment:donation_tax_receipt", kwargs={"pk": donation.pk})
    response = clients["donor_contact"].post(url, {"number": "X", "issued_on": "2026-10-15"})
    assert response.status_code == 403
    donation.refresh_from_db()
    assert donation.tax_receipt_number == ""
    with pytest.raises(ServiceError):
        services.record_tax_receipt(
            acting_user=world.users["donor_contact"],
            scope=scope_for(world, "donor_contact"),
            donation=donation,
            number="X",
            issued_on=date(2026, 10, 15),
        )


def test_a_receipt_dated_before_the_donation_is_refused(world, clients):
    donation = make_donation(world)  # given on 1 September 2026
    url = reverse("equipment:donation_tax_receipt", kwargs={"pk": donation.pk})
    response = clients["refurbisher_contact"].post(
        url, {"number": "RF-1", "issued_on": "2026-08-31"}
    )
    assert response.status_code == 400
    assert "Le reçu fiscal ne peut pas être antérieur au don." in form_errors(response)
    donation.refresh_from_db()
    assert donation.tax_receipt_number == ""
    assert donation.tax_receipt_date is None


def test_another_workshop_cannot_reach_the_receipt(world, clients):
    workshop = make_company(RefurbishingPartner, "Atelier du Bocage", 13)
    donation = make_donation(world, refurbisher=workshop)
    url = reverse("equipment:donation_tax_receipt", kwargs={"pk": donation.pk})
    response = clients["refurbisher_contact"].post(url, {"number": "X", "issued_on": "2026-10-1"})
    assert response.status_code == 404
    assert Donation.objects.get(pk=donation.pk).tax_receipt_number == ""
