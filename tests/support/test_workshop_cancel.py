"""Cancelling a whole workshop: the registered people told in their language, the waiting list
closed, no registration nor attendance afterwards."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from solidarnum.common.errors import ServiceError
from solidarnum.notifications.models import Message
from solidarnum.support.enums import RegistrationStatus
from solidarnum.support.models import WorkshopRegistration
from solidarnum.support.workshops import services
from tests.support.factories import make_person, make_workshop, scope_of_user


def cancel_url(workshop):
    return reverse("support:workshop_cancel", kwargs={"pk": workshop.pk})


def test_staff_cancel_it_and_the_registered_people_are_told_in_their_language(world, clients):
    workshop = make_workshop(world, capacity=2, animators=("volunteer_a",))
    french, arabic, waiting = make_person(world), make_person(world, languages=["ar"]), None
    for person in (french, arabic):
        WorkshopRegistration.objects.create(workshop=workshop, beneficiary=person)
    waiting = WorkshopRegistration.objects.create(
        workshop=workshop, beneficiary=make_person(world), status=RegistrationStatus.WAITING
    )
    detail = reverse("support:workshop_detail", kwargs={"pk": workshop.pk})
    assert cancel_url(workshop) in clients["staff_a"].get(detail).text
    assert cancel_url(workshop) not in clients["volunteer_a"].get(detail).text
    response = clients["staff_a"].post(cancel_url(workshop))
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.cancelled_at is not None
    told = Message.objects.filter(template="support.workshop_cancelled")
    assert sorted(m.beneficiary_id for m in told) == sorted([french.pk, arabic.pk])
    assert {m.beneficiary_id: m.language for m in told}[arabic.pk] == "ar"
    assert "تم إلغاء الورشة" in told.get(beneficiary_id=arabic.pk).body
    assert "annulé" in told.get(beneficiary_id=french.pk).body
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CANCELLED
    assert not WorkshopRegistration.objects.exclude(status=RegistrationStatus.CANCELLED).exists()
    page = clients["staff_a"].get(detail).text
    assert "Atelier annulé le" in page and cancel_url(workshop) not in page


def test_nothing_happens_to_a_cancelled_workshop(world):
    workshop = make_workshop(world, animators=("volunteer_a",))
    person = make_person(world)
    staff = scope_of_user(world, "staff_a")
    services.cancel_workshop(acting_user=world.users["staff_a"], scope=staff, workshop=workshop)
    with pytest.raises(ServiceError, match="déjà annulé"):
        services.cancel_workshop(acting_user=world.users["staff_a"], scope=staff, workshop=workshop)
    with pytest.raises(ServiceError, match="closes"):
        services.register_person(
            acting_user=world.users["staff_a"], scope=staff, workshop=workshop, beneficiary=person
        )
    later = time_machine.travel(workshop.starts_at + timedelta(minutes=30))
    with later, pytest.raises(ServiceError, match="annulé"):
        services.take_workshop_attendance(
            acting_user=world.users["staff_a"],
            scope=staff,
            workshop=workshop,
            present_ids=set(),
        )


def test_a_started_workshop_cannot_be_cancelled_and_volunteers_cannot_cancel(world):
    workshop = make_workshop(world, animators=("volunteer_a",))
    with pytest.raises(ServiceError):
        services.cancel_workshop(
            acting_user=world.users["volunteer_a"],
            scope=scope_of_user(world, "volunteer_a"),
            workshop=workshop,
        )
    started = time_machine.travel(workshop.starts_at + timedelta(minutes=1))
    with started, pytest.raises(ServiceError, match="commencé"):
        services.cancel_workshop(
            acting_user=world.users["staff_a"],
            scope=scope_of_user(world, "staff_a"),
            workshop=workshop,
        )
    workshop.refresh_from_db()
    assert workshop.cancelled_at is None
