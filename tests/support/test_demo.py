"""Demo support: idempotent; slots and bookings ahead at two sites, past sessions recorded, a
finished and a running cohort of each course, attestations at the threshold."""

import pytest
from django.utils import timezone

from solidarnum.accounts.demo import seed_users
from solidarnum.beneficiaries.enums import Milestone
from solidarnum.beneficiaries.models import TimelineEntry
from solidarnum.network.demo import seed_network
from solidarnum.referrals.demo import seed_referrals
from solidarnum.support.demo import seed_support
from solidarnum.support.enums import AppointmentStatus
from solidarnum.support.models import Appointment, Cohort, Enrolment

pytestmark = pytest.mark.django_db


def test_the_demo_support_is_complete_and_idempotent():
    network = seed_network()
    seed_users(network)
    seed_referrals(network, count=300)
    first = seed_support(network)
    assert seed_support(network) == first
    now = timezone.now()
    for site in (network["paris_19"], network["creteil"]):
        assert Appointment.objects.filter(
            reception_point=site, starts_at__gt=now, status=AppointmentStatus.UPCOMING
        ).exists()
    assert first["records"] > 0
    for name in ("Initiation", "e-parentalité", "Parcours Emploi"):
        cohorts = Cohort.objects.filter(template__name=name)
        assert cohorts.count() == 2
    assert Enrolment.objects.filter(attestation_at__isnull=False).exists()
    assert TimelineEntry.objects.filter(milestone=Milestone.COURSE_FINISHED).exists()
