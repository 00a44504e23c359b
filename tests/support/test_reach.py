"""Whom a volunteer accompanies (ADR 0036): the people of their appointments, of the workshops and
cohorts they animate; the reduced file of these people, and of nobody else of the site."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from solidarnum.beneficiaries.models import AccessPeriod, Beneficiary
from solidarnum.beneficiaries.selectors import beneficiaries_for
from solidarnum.support.enums import AppointmentStatus
from solidarnum.support.models import WorkshopRegistration
from tests.pages import count_queries
from tests.support.factories import (
    at,
    enrol,
    make_appointment,
    make_cohort,
    make_person,
    make_workshop,
    scope_of_user,
)


def person(world, **extra):
    beneficiary = make_person(world, **extra)
    Beneficiary.objects.filter(pk=beneficiary.pk).refresh_access_ends_on()
    return beneficiary


def file_url(beneficiary):
    return reverse("beneficiaries:beneficiary_detail", args=[beneficiary.public_id])


def test_a_volunteer_sees_the_person_of_their_appointment_and_no_other(world, clients):
    mine, other = person(world), person(world)
    make_appointment(world, person=mine)
    volunteer = clients["volunteer_a"]
    page = volunteer.get(file_url(mine))
    assert page.status_code == 200 and mine.first_name in page.text
    assert volunteer.get(file_url(other)).status_code == 404
    listing = volunteer.get(reverse("beneficiaries:beneficiary_list")).text
    assert mine.first_name in listing and other.first_name not in listing


def test_someone_elses_appointment_opens_nothing(world, clients):
    mine, theirs = person(world), person(world)
    make_appointment(world, person=mine)
    make_appointment(world, person=theirs, volunteer="staff_a", starts_at=at_later(world))
    assert list(beneficiaries_for(scope_of_user(world, "volunteer_a"))) == [mine]


def at_later(world):
    return timezone.now() + timedelta(days=20)


def test_a_past_appointment_keeps_the_file_open_until_the_access_ends(world, clients):
    mine = person(world)
    make_appointment(
        world,
        person=mine,
        starts_at=timezone.now() - timedelta(days=7),
        status=AppointmentStatus.CAME,
    )
    volunteer = clients["volunteer_a"]
    assert volunteer.get(file_url(mine)).status_code == 200
    yesterday = timezone.localdate() - timedelta(days=1)
    AccessPeriod.objects.filter(beneficiary=mine).update(ends_on=yesterday)
    Beneficiary.objects.filter(pk=mine.pk).refresh_access_ends_on()
    assert volunteer.get(file_url(mine)).status_code == 404


def test_a_cancelled_appointment_opens_nothing(world, clients):
    mine = person(world)
    make_appointment(world, person=mine, status=AppointmentStatus.CANCELLED)
    assert clients["volunteer_a"].get(file_url(mine)).status_code == 404


def test_workshops_and_cohorts_the_volunteer_animates(world, clients):
    registered, waiting, enrolled, elsewhere = (person(world) for _ in range(4))
    workshop = make_workshop(world, animators=("volunteer_a",))
    WorkshopRegistration.objects.create(workshop=workshop, beneficiary=registered)
    WorkshopRegistration.objects.create(workshop=workshop, beneficiary=waiting, status="waiting")
    cohort = make_cohort(world, animators=("volunteer_a",))
    enrol(cohort, enrolled)
    enrol(make_cohort(world, template=cohort.template, animators=("staff_a",)), elsewhere)
    seen = set(beneficiaries_for(scope_of_user(world, "volunteer_a")))
    assert seen == {registered, enrolled}


def test_the_list_query_count_does_not_grow_with_the_people_accompanied(world, clients):
    make_appointment(world, person=person(world))
    path = reverse("beneficiaries:beneficiary_list")
    few = count_queries(clients["volunteer_a"], path)
    for day in range(1, 20):
        make_appointment(
            world, person=person(world), starts_at=at(timezone.localdate(), 9) + timedelta(days=day)
        )
    assert count_queries(clients["volunteer_a"], path) == few
