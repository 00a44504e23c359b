"""Workshops: capacity and waiting list, the freed place, attendance, the record with anonymous
participants, the page's constant query count."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from solidarnum.common.errors import ServiceError
from solidarnum.support.enums import RegistrationStatus
from solidarnum.support.models import ActivityRecord, Workshop
from solidarnum.support.records import services as records
from solidarnum.support.workshops import services
from tests.pages import count_queries
from tests.support.factories import at, make_appointment, make_person, make_workshop, scope_of_user


def _register(world, workshop, person=None):
    return services.register_person(
        acting_user=world.users["staff_a"],
        scope=scope_of_user(world, "staff_a"),
        workshop=workshop,
        beneficiary=person or make_person(world),
    )


def test_a_full_workshop_puts_people_on_its_waiting_list_and_a_freed_place_goes_to_the_first(world):
    workshop = make_workshop(world, capacity=2)
    first, second = _register(world, workshop), _register(world, workshop)
    waiting = [_register(world, workshop), _register(world, workshop)]
    assert {first.status, second.status} == {RegistrationStatus.REGISTERED}
    assert [w.status for w in waiting] == [RegistrationStatus.WAITING] * 2
    promoted = services.cancel_registration(
        acting_user=world.users["staff_a"],
        scope=scope_of_user(world, "staff_a"),
        registration=first,
    )
    assert promoted == waiting[0]
    promoted.refresh_from_db()
    assert promoted.status == RegistrationStatus.REGISTERED
    with pytest.raises(ServiceError, match="déjà inscrite"):
        _register(world, workshop, second.beneficiary)


def test_creating_a_workshop_checks_its_animators(world):
    moment = at(timezone.localdate() + timedelta(days=5), 14)
    make_appointment(world, volunteer="volunteer_a", starts_at=moment)
    common = {
        "acting_user": world.users["staff_a"],
        "scope": scope_of_user(world, "staff_a"),
        "reception_point": world.site_a,
        "title": "Smartphone",
        "theme": "prendre_en_main_du_materiel",
        "starts_at": moment,
        "ends_at": moment + timedelta(hours=2),
        "capacity": 8,
    }
    with pytest.raises(ServiceError, match="Déjà pris"):
        services.create_workshop(animators=[world.users["volunteer_a"]], **common)
    with pytest.raises(ServiceError, match="équipe"):
        services.create_workshop(animators=[world.users["staff_b"]], **common)
    with pytest.raises(ServiceError, match="adresse"):
        services.create_workshop(animators=[world.users["staff_a"]], is_outside=True, **common)
    workshop = services.create_workshop(
        animators=[world.users["staff_a"]],
        is_outside=True,
        address="Médiathèque, 1 rue X",
        **common,
    )
    assert list(workshop.animators.all()) == [world.users["staff_a"]]
    assert Workshop.objects.count() == 1


def test_attendance_and_the_record_with_anonymous_participants(world):
    workshop = make_workshop(world, animators=("volunteer_a",))
    registrations = [_register(world, workshop) for _ in range(3)]
    scope = scope_of_user(world, "volunteer_a")
    with pytest.raises(ServiceError, match="pas encore commencé"):
        services.take_workshop_attendance(
            acting_user=scope.user, scope=scope, workshop=workshop, present_ids=set()
        )
    Workshop.objects.filter(pk=workshop.pk).update(
        starts_at=timezone.now() - timedelta(hours=2), ends_at=timezone.now()
    )
    workshop.refresh_from_db()
    came = services.take_workshop_attendance(
        acting_user=scope.user,
        scope=scope,
        workshop=workshop,
        present_ids={registrations[0].pk, registrations[1].pk},
    )
    assert came == 2
    activity = records.record_workshop(
        acting_user=scope.user,
        scope=scope,
        workshop=workshop,
        details=records.Details(
            on=timezone.localdate(),
            duration_minutes=120,
            themes=["email"],
            administrative_themes=[],
        ),
        anonymous=[
            records.Anonymous("60_69", "feminin", "Pantin"),
            records.Anonymous("70_plus", "masculin"),
        ],
    )
    assert activity.participants == 4 and activity.autonomy == ""
    assert sorted(activity.anonymous_participants.values_list("age_band", flat=True)) == [
        "60_69",
        "70_plus",
    ]
    with pytest.raises(ServiceError, match="déjà enregistré"):
        records.record_workshop(
            acting_user=scope.user,
            scope=scope,
            workshop=workshop,
            details=records.Details(
                on=timezone.localdate(),
                duration_minutes=120,
                themes=["email"],
                administrative_themes=[],
            ),
            anonymous=[],
        )
    assert ActivityRecord.objects.count() == 1


def test_the_workshop_page_costs_the_same_queries_with_many_people(world, clients):
    workshop = make_workshop(world, capacity=3)
    url = reverse("support:workshop_detail", kwargs={"pk": workshop.pk})
    few = count_queries(clients["staff_a"], url)
    for _ in range(12):
        _register(world, workshop)
    assert count_queries(clients["staff_a"], url) == few
    text = clients["staff_a"].get(url).text
    assert "Liste d'attente" in text
