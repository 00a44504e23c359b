"""Whom a volunteer accompanies, registered with `beneficiaries.reach` (ADR 0036): the people of
their appointments and those registered in the workshops or cohorts they animate. Coming sessions
open the file; past ones keep it open while the person's access period runs."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from solidarnum.accounts.scope import Scope

from .enums import AppointmentStatus, RegistrationStatus
from .models import Appointment, Enrolment, WorkshopRegistration


def accompanied_by(scope: Scope) -> Q:
    """A `Q` on `Beneficiary`: subqueries only, so that the file list stays one query."""
    if scope.user is None:
        return Q(pk__in=[])
    now = timezone.now()
    appointments = Appointment.objects.filter(volunteer=scope.user).exclude(
        status=AppointmentStatus.CANCELLED
    )
    registrations = WorkshopRegistration.objects.filter(
        workshop__animators=scope.user,
        workshop__cancelled_at__isnull=True,
        status=RegistrationStatus.REGISTERED,
    )
    enrolments = Enrolment.objects.filter(cohort__animators=scope.user)
    coming = (
        Q(pk__in=appointments.filter(starts_at__gte=now).values("beneficiary_id"))
        | Q(pk__in=registrations.filter(workshop__ends_at__gte=now).values("beneficiary_id"))
        | Q(pk__in=enrolments.filter(cohort__sessions__ends_at__gte=now).values("beneficiary_id"))
    )
    past = (
        Q(pk__in=appointments.values("beneficiary_id"))
        | Q(pk__in=registrations.values("beneficiary_id"))
        | Q(pk__in=enrolments.values("beneficiary_id"))
    ) & Q(access_ends_on__gte=timezone.localdate())
    return coming | past
