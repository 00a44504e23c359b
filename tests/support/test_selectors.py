from datetime import timedelta

from django.utils import timezone

from solidarnum.support import selectors
from solidarnum.support.enums import AppointmentStatus, Presence, SessionKind
from solidarnum.support.models import ActivityRecord, Attendance, WorkshopRegistration
from tests.support.factories import (
    at,
    enrol,
    make_appointment,
    make_cohort,
    make_person,
    make_template,
    make_workshop,
)


def test_sessions_run_by_gives_each_session_that_took_place(world, django_assert_max_num_queries):
    volunteer = world.users["volunteer_a"]
    staff = world.users["staff_a"]
    today = timezone.localdate()
    past = today - timedelta(days=3)
    person = make_person(world)
    came = make_appointment(
        world, person=person, starts_at=at(past, 14), status=AppointmentStatus.CAME
    )
    make_appointment(world, starts_at=at(past, 10), status=AppointmentStatus.CANCELLED)
    make_appointment(world, starts_at=at(past, 16), status=AppointmentStatus.ABSENT)
    make_appointment(world, starts_at=at(today + timedelta(days=40), 10))  # outside the range
    workshop = make_workshop(world, starts_at=at(past, 9), animators=("staff_a", "volunteer_a"))
    for _ in range(2):
        WorkshopRegistration.objects.create(
            workshop=workshop, beneficiary=make_person(world), attended=True
        )
    WorkshopRegistration.objects.create(
        workshop=workshop, beneficiary=make_person(world), attended=False
    )
    ActivityRecord.objects.create(
        reception_point=world.site_a,
        kind=SessionKind.WORKSHOP,
        on=past,
        duration_minutes=120,
        workshop=workshop,
        participants=5,  # 2 with a file and 3 anonymous
    )
    cohort = make_cohort(world, template=make_template(sessions=2), start=past)
    enrolment = enrol(cohort, person)
    first = cohort.sessions.order_by("starts_at").first()
    Attendance.objects.create(
        session=first, enrolment=enrolment, presence=Presence.PRESENT, minutes=180
    )

    with django_assert_max_num_queries(4):
        rows = selectors.sessions_run_by([volunteer.pk, staff.pk], today - timedelta(days=7), today)

    one_to_one = [r for r in rows if r.kind == SessionKind.ONE_TO_ONE]
    assert [(r.user_id, r.came, r.duration_minutes) for r in one_to_one] == [
        (volunteer.pk, 1, 90),
        (volunteer.pk, 0, 90),
    ]
    assert one_to_one[0].beneficiary_id == came.beneficiary_id
    workshops = [r for r in rows if r.kind == SessionKind.WORKSHOP]
    assert sorted((r.user_id, r.came) for r in workshops) == sorted(
        [(volunteer.pk, 5), (staff.pk, 5)]
    )
    courses = [r for r in rows if r.kind == SessionKind.COURSE]
    assert [(r.user_id, r.came, r.duration_minutes) for r in courses] == [
        (staff.pk, 1, 180),
        (staff.pk, 0, 180),
    ]
    assert {r.site_id for r in rows} == {world.site_a.pk}


def test_sessions_run_by_nobody_is_empty(world):
    assert selectors.sessions_run_by([], timezone.localdate(), timezone.localdate()) == []


def test_free_animators_leave_out_who_is_busy_at_an_overlapping_time(world):
    moment = at(timezone.localdate() + timedelta(days=8), 14)
    make_appointment(world, volunteer="volunteer_a", starts_at=moment)
    free = selectors.free_animator_ids(
        world.site_a.pk, moment + timedelta(minutes=60), moment + timedelta(minutes=150)
    )
    assert world.users["volunteer_a"].pk not in free
    assert {world.users["staff_a"].pk, world.users["manager_a"].pk} <= set(free)
    later = selectors.free_animator_ids(
        world.site_a.pk, moment + timedelta(minutes=90), moment + timedelta(minutes=180)
    )
    assert free[0] != world.users["volunteer_a"].pk
    assert later[0] == world.users["volunteer_a"].pk  # volunteers first
