"""Donations and their tax receipts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from solidarnum.accounts.models import User
from solidarnum.accounts.scope import Scope
from solidarnum.common.errors import ServiceError
from solidarnum.equipment import permissions
from solidarnum.equipment.models import Donation, DonationItem
from solidarnum.network.models import DonorCompany, RefurbishingPartner
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction

# --- Donations -----------------------------------------------------------------------------------


@transaction.atomic
def declare_donation(
    *,
    acting_user: User,
    scope: Scope,
    donor: DonorCompany,
    refurbisher: RefurbishingPartner,
    donated_on: date,
    source: str,
    pickup_place: str,
    quantities: dict[str, int],
    notes: str = "",
) -> Donation:
    if scope.is_donor_contact and donor.pk != scope.donor_id:
        raise ServiceError(_("Vous ne pouvez déclarer un don que pour votre entreprise."))
    if not (scope.is_national_admin or scope.is_donor_contact):
        raise ServiceError(_("Vous ne pouvez pas déclarer de don."))
    if not donor.is_active or not refurbisher.is_active:
        raise ServiceError(_("Cette entreprise ou cet atelier n'est plus actif."))
    quantities = {kind: n for kind, n in quantities.items() if n}
    if not quantities:
        raise ServiceError(_("Indiquez combien d'appareils sont donnés, au moins un type."))
    donation = Donation.objects.create(
        donor=donor,
        refurbisher=refurbisher,
        donated_on=donated_on,
        source=source,
        pickup_place=pickup_place,
        notes=notes,
        created_by=acting_user,
    )
    DonationItem.objects.bulk_create(
        DonationItem(donation=donation, kind=kind, expected_quantity=n)
        for kind, n in quantities.items()
    )
    record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=donation,
        changed_fields=["donor", "refurbisher", "donated_on", "source", "pickup_place", "items"],
    )
    return donation


@transaction.atomic
def record_tax_receipt(
    *,
    acting_user: User,
    scope: Scope,
    donation: Donation,
    number: str,
    issued_on: date,
    valued_amount: Decimal | None = None,
) -> Donation:
    if not permissions.can_record_tax_receipt(scope, donation):
        raise ServiceError(_("Seul l'atelier qui a valorisé le don enregistre le reçu fiscal."))
    number = number.strip()
    if not number:
        raise ServiceError(_("Indiquez le numéro du reçu fiscal."))
    if issued_on < donation.donated_on:
        raise ServiceError(_("Le reçu fiscal ne peut pas être antérieur au don."))
    donation.tax_receipt_number = number
    donation.tax_receipt_date = issued_on
    donation.valued_amount = valued_amount
    donation.save(
        update_fields=["tax_receipt_number", "tax_receipt_date", "valued_amount", "updated_at"]
    )
    record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=donation,
        changed_fields=["tax_receipt_number", "tax_receipt_date", "valued_amount"],
    )
    return donation
