"""Courses: cohorts from templates, attendance per half-day, hours and modules per person, the
attestation at the threshold and the "Parcours terminé" milestone."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from solidarnum.beneficiaries.enums import Milestone
from solidarnum.beneficiaries.models import TimelineEntry
from solidarnum.common.errors import ServiceError
from solidarnum.support.courses import services
from solidarnum.support.courses.selectors import cohort_board, courses_of_person
from solidarnum.support.models import Attendance, CourseModule, CourseTemplate, TemplateSession
from tests.pages import count_queries
from tests.support.factories import enrol, make_cohort, make_person, make_template, scope_of_user


def _sheet(world, session, marks, who="staff_a"):
    return services.take_attendance(
        acting_user=world.users[who], scope=scope_of_user(world, who), session=session, marks=marks
    )


def test_a_course_without_sessions_cannot_open_a_cohort(world):
    empty = CourseTemplate.objects.create(name="Vide", kind="other")
    with pytest.raises(ServiceError, match="aucune séance"):
        services.create_cohort(
            acting_user=world.users["staff_a"],
            scope=scope_of_user(world, "staff_a"),
            reception_point=world.site_a,
            template=empty,
            name="Groupe",
            starts_on=timezone.localdate(),
            capacity=10,
            animators=[world.users["staff_a"]],
        )


def test_a_cohort_dates_its_half_days_on_working_days(world):
    template = make_template("Emploi", sessions=8, minutes=240, kind="emploi")
    monday = timezone.localdate() + timedelta(days=7 - timezone.localdate().weekday())
    cohort = services.create_cohort(
        acting_user=world.users["staff_a"],
        scope=scope_of_user(world, "staff_a"),
        reception_point=world.site_a,
        template=template,
        name="Emploi Paris 19e",
        starts_on=monday,
        capacity=10,
        animators=[world.users["staff_a"]],
        partner_structure=world.structure_a,
        funder_programme="France Travail 2026",
    )
    starts = [timezone.localtime(s.starts_at) for s in cohort.sessions.order_by("starts_at")]
    assert [(s.weekday(), s.hour) for s in starts] == [(d, h) for d in range(4) for h in (9, 14)]
    assert sum(s.duration_minutes for s in cohort.sessions.all()) == 32 * 60


def test_attendance_on_a_future_session_is_refused(world):
    cohort = make_cohort(world, start=timezone.localdate() + timedelta(days=3))
    enrolment = enrol(cohort, make_person(world), when=timezone.now())
    session = cohort.sessions.first()
    with pytest.raises(ServiceError, match="pas encore commencé"):
        _sheet(world, session, [services.Mark(enrolment.pk, "present")])
    assert not Attendance.objects.exists()


def test_ten_people_over_two_weeks_eight_reach_the_threshold(world):
    template = make_template("Parcours Emploi", sessions=8, minutes=240, kind="emploi")
    cohort = make_cohort(world, template=template, start=timezone.localdate() - timedelta(days=14))
    people = [make_person(world, referent=world.users["referent"]) for _ in range(10)]
    enrolments = [enrol(cohort, p) for p in people]
    sessions = list(cohort.sessions.order_by("starts_at"))
    issued = []
    for index, session in enumerate(sessions):
        marks = []
        for n, e in enumerate(enrolments):
            # The last two miss three half-days: 5/8 = 62 %, below 80 %.
            absent = n >= 8 and index < 3
            late = 30 if (n == 0 and index == 0) else 0
            marks.append(services.Mark(e.pk, "absent" if absent else "present", late_minutes=late))
        issued += _sheet(world, session, marks)
    assert len(issued) == 8
    _sessions, progress = cohort_board(cohort)
    first = next(p for p in progress if p.enrolment.pk == enrolments[0].pk)
    assert first.attended_minutes == 32 * 60 - 30
    assert [p.reaches_threshold for p in progress].count(True) == 8
    milestones = TimelineEntry.objects.filter(milestone=Milestone.COURSE_FINISHED)
    assert milestones.count() == 8
    # Re-taking a sheet does not issue twice.
    assert _sheet(world, sessions[-1], []) == []


def test_enrolled_after_a_session_started_is_not_counted_absent_for_it(world):
    cohort = make_cohort(world, template=make_template(sessions=4, minutes=180))
    sessions = list(cohort.sessions.order_by("starts_at"))
    late_comer = enrol(cohort, make_person(world), when=sessions[1].starts_at + timedelta(hours=1))
    for session in sessions[2:]:
        _sheet(world, session, [services.Mark(late_comer.pk, "present")])
    with pytest.raises(ServiceError, match="pas inscrite"):
        _sheet(world, sessions[0], [services.Mark(late_comer.pk, "present")])
    ((_c, progress),) = courses_of_person(late_comer.beneficiary_id)
    assert progress.rate == 100 and progress.reaches_threshold


def test_modules_done_show_exactly_on_the_file(world, clients):
    template = CourseTemplate.objects.create(name="e-parentalité", kind="e_parentalite")
    for order, title in enumerate(["Pronote", "ENT", "Éducation au numérique"], start=1):
        module = CourseModule.objects.create(template=template, order=order, title=title)
        TemplateSession.objects.create(module=module, order=1, title=title, duration_minutes=180)
    cohort = make_cohort(world, template=template)
    person = make_person(world)
    enrolment = enrol(cohort, person)
    sessions = list(cohort.sessions.order_by("starts_at"))
    _sheet(world, sessions[0], [services.Mark(enrolment.pk, "present")])
    _sheet(world, sessions[1], [services.Mark(enrolment.pk, "present")])
    _sheet(world, sessions[2], [services.Mark(enrolment.pk, "absent")])
    ((_c, progress),) = courses_of_person(person.pk)
    assert progress.modules == [("Pronote", True), ("ENT", True), ("Éducation au numérique", False)]
    text = (
        clients["staff_a"]
        .get(
            reverse("beneficiaries:beneficiary_detail", kwargs={"public_id": person.public_id}),
            {"onglet": "accompagnement"},
        )
        .text
    )
    assert "2 modules sur 3" in text


def test_the_attestation_pdf_says_the_hours(world, clients):
    cohort = make_cohort(world, template=make_template(sessions=2, minutes=180))
    enrolment = enrol(cohort, make_person(world, first_name="Awa", last_name="Diallo"))
    for session in cohort.sessions.all():
        _sheet(world, session, [services.Mark(enrolment.pk, "present")])
    response = clients["staff_a"].get(
        reverse("support:enrolment_attestation", kwargs={"pk": enrolment.pk})
    )
    assert response["Content-Type"] == "application/pdf"
    import io

    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "fin de parcours" in text and "Awa Diallo" in text and "6 h" in text


def test_the_sheet_and_the_cohort_cost_the_same_queries_with_more_people(world, clients):
    cohort = make_cohort(world, template=make_template(sessions=4))
    session = cohort.sessions.order_by("starts_at").first()
    enrol(cohort, make_person(world))
    sheet = reverse("support:cohort_session", kwargs={"pk": session.pk})
    board = reverse("support:cohort_detail", kwargs={"pk": cohort.pk})
    few = count_queries(clients["staff_a"], sheet), count_queries(clients["staff_a"], board)
    for _ in range(15):
        e = enrol(cohort, make_person(world))
        _sheet(world, session, [services.Mark(e.pk, "present")])
    assert (
        count_queries(clients["staff_a"], sheet),
        count_queries(clients["staff_a"], board),
    ) == few


def test_the_file_shows_abilities_before_and_after(world, clients):
    from solidarnum.beneficiaries.models import Diagnostic

    person = make_person(world)
    Diagnostic.objects.create(
        beneficiary=person,
        done_at=timezone.now() - timedelta(days=60),
        answers={"create_email": "no", "power_on": "alone"},
        computed_profile="excluded",
        profile="excluded",
    )
    Diagnostic.objects.create(
        beneficiary=person,
        answers={"create_email": "alone", "power_on": "alone"},
        computed_profile="beginner",
        profile="beginner",
    )
    text = (
        clients["staff_a"]
        .get(
            reverse("beneficiaries:beneficiary_detail", kwargs={"public_id": person.public_id}),
            {"onglet": "accompagnement"},
        )
        .text
    )
    assert "Progrès depuis le premier diagnostic" in text
    assert "Exclu" in text and "Débutant ou intermédiaire" in text
    assert "<strong>Seul·e</strong>" in text
