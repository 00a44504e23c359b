"""Writes on people's files. Each is audited in the same transaction."""

from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction

from .enums import Milestone
from .models import AccessPeriod, Beneficiary, BeneficiaryQuerySet
from .timeline import add_entry

# Fields copied from a referral into a new file.
PERSON_FIELDS = [
    "first_name",
    "last_name",
    "birth_year",
    "phone",
    "has_no_phone",
    "email",
    "languages",
    "contact_preference",
    "contact_notes",
    "housing",
    "publics",
]


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    # Clamp the day (31 January + 1 month = 28/29 February).
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise ValueError(day)


def possible_duplicates(
    *, reception_point_id: int | None, search_name: str, birth_year: int, phone: Any
) -> BeneficiaryQuerySet:
    """Files that may be the same person: same name and birth year, or same phone."""
    condition = Q(search_name=search_name, birth_year=birth_year)
    if phone:
        condition |= Q(phone=phone)
    qs = Beneficiary.objects.current().filter(condition)
    if reception_point_id is not None:
        qs = qs.filter(reception_point_id=reception_point_id)
    return qs.order_by("-created_at")[:10]  # type: ignore[return-value]


@transaction.atomic
def open_access_period(
    *, acting_user: Any, beneficiary: Beneficiary, referral: Any = None, today: date | None = None
) -> AccessPeriod:
    """Open (or renew, from today) the access period of `ACCESS_PERIOD_MONTHS` months."""
    today = today or timezone.localdate()
    period = AccessPeriod.objects.create(
        beneficiary=beneficiary,
        starts_on=today,
        ends_on=add_months(today, settings.ACCESS_PERIOD_MONTHS),
        referral=referral,
    )
    record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=period,
        changed_fields=["starts_on", "ends_on"],
    )
    return period


@transaction.atomic
def intake_from_referral(
    *, acting_user: Any, referral: Any, existing: Beneficiary | None = None
) -> Beneficiary:
    """Create the file from a referral, or link the referral to an existing file."""
    if existing is None:
        beneficiary = Beneficiary(
            reception_point=referral.reception_point,
            partner_structure=referral.partner_structure,
            referent=referral.referent,
            needs_equip=referral.needs_equip,
            needs_connect=referral.needs_connect,
            needs_support=referral.needs_support,
            **{field: getattr(referral, field) for field in PERSON_FIELDS},
        )
        beneficiary.save()
        record(
            actor=acting_user,
            action=AuditAction.CREATE,
            obj=beneficiary,
            changed_fields=PERSON_FIELDS,
        )
        add_entry(
            beneficiary=beneficiary,
            kind="beneficiary.created",
            summary=_("Dossier ouvert"),
            actor=acting_user,
            obj=beneficiary,
        )
    else:
        beneficiary = existing
        beneficiary.referent = referral.referent
        beneficiary.partner_structure = referral.partner_structure
        beneficiary.needs_equip |= referral.needs_equip
        beneficiary.needs_connect |= referral.needs_connect
        beneficiary.needs_support |= referral.needs_support
        beneficiary.save()
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=beneficiary,
            changed_fields=["referent", "partner_structure", "needs"],
        )
    open_access_period(acting_user=acting_user, beneficiary=beneficiary, referral=referral)
    add_entry(
        beneficiary=beneficiary,
        kind="referral.validated",
        summary=_("Orientation %(ref)s validée") % {"ref": referral.reference},
        actor=acting_user,
        milestone=Milestone.FIRST_VISIT,
        obj=referral,
    )
    return beneficiary
