"""Demo support: the three course templates (Initiation 12 h, e-parentalité, Parcours Emploi
32 h); weekly slots at Paris 19e and Créteil with bookings for the coming weeks and past ones
with their statuses and activity records (one person flagged for two absences); a waiting list;
workshops (one full with people waiting, one hors les murs, a past one recorded with anonymous
participants); one finished and one running cohort of each course at Paris 19e, attendance
taken, attestations and "Parcours terminé" for those at the threshold; référents may book at
Paris 19e.

Written in bulk through the models (the services would send messages for every demo booking),
keeping their rules: one booking a slot, a volunteer once at a time. Idempotent: if the demo slot
of Paris 19e exists, nothing more is written.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from solidarnum.accounts.demo import DEMO_EMAIL_DOMAIN
from solidarnum.accounts.models import User
from solidarnum.beneficiaries.enums import Milestone
from solidarnum.beneficiaries.models import Beneficiary
from solidarnum.beneficiaries.timeline import add_entry
from solidarnum.network.demo import DemoNetwork

from .courses.schedule import half_days
from .courses.selectors import cohort_board
from .enums import AppointmentStatus, Presence, RegistrationStatus, SessionKind
from .models import (
    ActivityRecord,
    AnonymousParticipant,
    Appointment,
    Attendance,
    Cohort,
    CohortSession,
    CourseModule,
    CourseTemplate,
    Enrolment,
    SiteSettings,
    SlotPattern,
    SurveyAnswer,
    TemplateSession,
    WaitingEntry,
    Workshop,
    WorkshopRegistration,
)
from .permanences.selectors import slots_between

FIRST_ROOM = "Salle numérique"
SEED = 15

TEMPLATES: list[tuple[str, str, list[tuple[str, list[tuple[str, int]]]]]] = [
    (
        "Initiation",
        "initiation",
        [
            (
                "Initiation",
                [
                    ("Clavier et souris", 180),
                    ("Internet", 180),
                    ("Une boîte e-mail", 180),
                    ("Le smartphone", 180),
                ],
            )
        ],
    ),
    (
        "e-parentalité",
        "e_parentalite",
        [
            (
                "Initiation",
                [
                    ("Clavier et souris", 180),
                    ("Internet", 180),
                    ("Une boîte e-mail", 180),
                    ("Le smartphone", 180),
                ],
            ),
            ("Pronote", [("Pronote, la vie scolaire", 180)]),
            ("ENT", [("L'espace numérique de travail", 180)]),
            ("Éducation au numérique", [("Les écrans et les enfants", 180)]),
        ],
    ),
    (
        "Parcours Emploi",
        "emploi",
        [
            (
                "Semaine 1",
                [
                    (f"Jour {n // 2 + 1} · {'matin' if n % 2 == 0 else 'après-midi'}", 240)
                    for n in range(4)
                ],
            ),
            (
                "Semaine 2",
                [
                    (f"Jour {n // 2 + 3} · {'matin' if n % 2 == 0 else 'après-midi'}", 240)
                    for n in range(4)
                ],
            ),
        ],
    ),
]


def seed_templates() -> dict[str, CourseTemplate]:
    found = {}
    for name, kind, modules in TEMPLATES:
        template, created = CourseTemplate.objects.get_or_create(name=name, defaults={"kind": kind})
        if created:
            for order, (title, sessions) in enumerate(modules, start=1):
                module = CourseModule.objects.create(template=template, order=order, title=title)
                for n, (session_title, minutes) in enumerate(sessions, start=1):
                    TemplateSession.objects.create(
                        module=module, order=n, title=session_title, duration_minutes=minutes
                    )
        found[name] = template
    return found


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def seed_support(network: DemoNetwork, *, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    templates = seed_templates()
    paris = network["paris_19"]
    if SlotPattern.objects.filter(reception_point=paris, room=FIRST_ROOM).exists():
        return _counts()
    rng = random.Random(SEED)
    users = {
        u.email.partition("@")[0]: u
        for u in User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
    }
    SiteSettings.objects.update_or_create(
        reception_point=paris, defaults={"referents_may_book": True}
    )
    today = timezone.localdate(now)
    since = today - timedelta(days=35)
    sites = [
        (
            paris,
            [(1, 14, FIRST_ROOM), (1, 16, FIRST_ROOM), (3, 10, FIRST_ROOM), (4, 14, "Salle 2")],
            [
                users[n]
                for n in ("benevole.paris19", "benevole2.paris19", "benevole3.paris19")
                if n in users
            ],
        ),
        (
            network["creteil"],
            [(2, 14, "Espace numérique"), (4, 10, "Espace numérique")],
            [users[n] for n in ("benevole.creteil", "conseillere.creteil") if n in users],
        ),
    ]
    for site, patterns, volunteers in sites:
        for weekday, hour, room in patterns:
            SlotPattern.objects.create(
                reception_point=site,
                weekday=weekday,
                start_time=time(hour),
                duration_minutes=90,
                room=room,
                valid_from=since,
            )
        _appointments(site, volunteers, since, today + timedelta(days=21), now, rng, users)
    _waiting(paris, users)
    _workshops(paris, network["creteil"], users, today, now)
    for template in templates.values():
        _cohorts(paris, template, users, today, now, network)
    _surveys(rng, now)
    return _counts()


def _surveys(rng: random.Random, now: datetime) -> None:
    """Answers after most past permanences and finished courses: the field's 93 % and more."""
    answers = [
        SurveyAnswer(
            kind=SessionKind.ONE_TO_ONE,
            reception_point_id=appointment.reception_point_id,
            beneficiary_id=appointment.beneficiary_id,
            appointment=appointment,
            smiley=rng.choices([5, 4, 3, 2], weights=[12, 6, 1, 0.5])[0],
            learnt="yes",
            clear=rng.choice(["yes", "yes", "bit"]),
            again="yes",
            answered_at=appointment.ends_at,
        )
        for appointment in Appointment.objects.filter(status=AppointmentStatus.CAME)
    ]
    answers += [
        SurveyAnswer(
            kind=SessionKind.COURSE,
            reception_point_id=enrolment.cohort.reception_point_id,
            beneficiary_id=enrolment.beneficiary_id,
            enrolment=enrolment,
            smiley=rng.choices([5, 4, 3], weights=[10, 5, 1])[0],
            learnt="yes",
            clear="yes",
            again=rng.choice(["yes", "bit"]),
            answered_at=enrolment.attestation_at,
        )
        for enrolment in Enrolment.objects.filter(attestation_at__isnull=False).select_related(
            "cohort"
        )
    ]
    SurveyAnswer.objects.bulk_create(answers)


def _people(site: Any, count: int) -> list[Beneficiary]:
    return list(
        Beneficiary.objects.filter(
            reception_point=site, anonymised_at__isnull=True, merged_into__isnull=True
        ).order_by("pk")[:count]
    )


def _appointments(
    site: Any,
    volunteers: list[User],
    start: date,
    end: date,
    now: datetime,
    rng: random.Random,
    users: dict[str, User],
) -> None:
    if not volunteers:
        return
    people = _people(site, 60)
    if not people:
        return
    staff = users.get("conseiller.paris19")
    flagged = people[0]
    busy: set[tuple[int, datetime]] = set()
    for n, slot in enumerate(slots_between(site.pk, start, end)):
        past = slot.starts_at < now
        if rng.random() > (0.8 if past else 0.55):
            continue  # a few free slots
        volunteer = volunteers[n % len(volunteers)]
        if (volunteer.pk, slot.starts_at) in busy:
            continue
        busy.add((volunteer.pk, slot.starts_at))
        person = flagged if (past and n < 6 and n % 2 == 0) else rng.choice(people)
        if past:
            status = rng.choices(
                [AppointmentStatus.CAME, AppointmentStatus.ABSENT, AppointmentStatus.EXCUSED],
                weights=[8, 1, 1],
            )[0]
            if person is flagged:
                status = AppointmentStatus.ABSENT
        else:
            status = AppointmentStatus.UPCOMING
        appointment = Appointment.objects.create(
            reception_point=site,
            pattern=slot.pattern,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            room=slot.pattern.room,
            beneficiary=person,
            volunteer=volunteer,
            status=status,
            what_to_bring="votre téléphone et vos identifiants",
            booked_by=staff,
        )
        if status == AppointmentStatus.CAME:
            themes = rng.sample(
                [
                    "email",
                    "navigation_sur_internet",
                    "prendre_en_main_du_materiel",
                    "aide_aux_demarches_administratives",
                    "securite_numerique",
                ],
                2,
            )
            ActivityRecord.objects.create(
                reception_point=site,
                kind=SessionKind.ONE_TO_ONE,
                on=timezone.localtime(slot.starts_at).date(),
                duration_minutes=rng.choice([60, 90, 90, 120]),
                themes=sorted(themes),
                administrative_themes=["social_sante"]
                if "aide_aux_demarches_administratives" in themes
                else [],
                autonomy=rng.choice(
                    ["entierement_accompagne", "partiellement_autonome", "autonome"]
                ),
                material=["ordinateur"] if n % 3 else ["telephone"],
                animator=volunteer,
                recorded_by=volunteer,
                beneficiary=person,
                appointment=appointment,
                note="",
            )


def _waiting(site: Any, users: dict[str, User]) -> None:
    for person in _people(site, 80)[-2:]:
        WaitingEntry.objects.get_or_create(
            reception_point=site,
            beneficiary=person,
            served_at=None,
            defaults={"note": "Préfère le mardi", "created_by": users.get("conseiller.paris19")},
        )


def _workshops(
    paris: Any, creteil: Any, users: dict[str, User], today: date, now: datetime
) -> None:
    staff = users.get("conseiller.paris19")
    volunteer = users.get("benevole2.paris19")
    people = _people(paris, 40)
    plans = [
        (paris, "Créer sa boîte e-mail", "email", today + timedelta(days=9), 10, 6, False, ""),
        (
            paris,
            "Reconnaître les arnaques",
            "securite_numerique",
            today + timedelta(days=16),
            14,
            4,
            False,
            "",
        ),
        (
            creteil,
            "Le smartphone au quotidien",
            "prendre_en_main_du_materiel",
            today + timedelta(days=12),
            14,
            8,
            True,
            "Médiathèque, 2 place Salvador Allende, 94000 Créteil",
        ),
        (paris, "Ameli et Mon Espace Santé", "sante", today - timedelta(days=6), 14, 8, False, ""),
    ]
    for site, title, theme, day, hour, capacity, outside, address in plans:
        starts_at = _at(day, hour)
        workshop = Workshop.objects.create(
            reception_point=site,
            title=title,
            theme=theme,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            is_outside=outside,
            room="" if outside else "Salle 2",
            address=address,
            capacity=capacity,
        )
        animators = (
            [u for u in (staff, volunteer) if u]
            if site == paris
            else [u for u in (users.get("conseillere.creteil"),) if u]
        )
        workshop.animators.set(animators)
        if site != paris:
            continue
        registered = people[: capacity + 2] if capacity == 6 else people[10 : 10 + capacity - 2]
        for n, person in enumerate(registered):
            WorkshopRegistration.objects.create(
                workshop=workshop,
                beneficiary=person,
                status=RegistrationStatus.REGISTERED
                if n < capacity
                else RegistrationStatus.WAITING,
                attended=(n % 4 != 0) if starts_at < now else None,
            )
        if starts_at < now:
            came = sum(1 for n in range(len(registered)) if n % 4 != 0)
            record = ActivityRecord.objects.create(
                reception_point=site,
                kind=SessionKind.WORKSHOP,
                on=day,
                duration_minutes=120,
                themes=[theme],
                material=["ordinateur"],
                animator=staff,
                recorded_by=staff,
                participants=came + 3,
                workshop=workshop,
            )
            AnonymousParticipant.objects.bulk_create(
                AnonymousParticipant(record=record, age_band=band, gender=gender, commune=commune)
                for band, gender, commune in [
                    ("60_69", "feminin", "Paris"),
                    ("70_plus", "masculin", "Pantin"),
                    ("40_59", "non_communique", ""),
                ]
            )


def _cohorts(
    site: Any,
    template: CourseTemplate,
    users: dict[str, User],
    today: date,
    now: datetime,
    network: DemoNetwork,
) -> None:
    # One animator per course, so that nobody runs two groups at the same time.
    animator_of = {
        "initiation": "conseillere2.paris19",
        "e_parentalite": "benevole3.paris19",
        "emploi": "conseiller.paris19",
    }
    staff = users.get(animator_of.get(template.kind, "conseiller.paris19"))
    planned = list(
        TemplateSession.objects.filter(module__template=template).select_related("module")
    )
    is_employment = template.kind == "emploi"
    people = _people(site, 200)
    offset = {"initiation": 40, "e_parentalite": 60, "emploi": 80}.get(template.kind, 100)
    for label, first_day, group in (
        ("terminé", today - timedelta(days=60), people[offset : offset + 10]),
        ("en cours", _monday_before(today), people[offset + 10 : offset + 20]),
    ):
        cohort = Cohort.objects.create(
            template=template,
            reception_point=site,
            name=f"{template.name} · {first_day:%d/%m} ({label})",
            starts_on=first_day,
            capacity=12,
            room={"initiation": "Salle 3", "e_parentalite": "Salle 4"}.get(
                template.kind, "Salle 5"
            ),
            partner_structure=network["paris_19_structure"] if is_employment else None,
            funder_programme="Programme emploi France Travail 2026" if is_employment else "",
        )
        if staff:
            cohort.animators.set([staff])
        sessions = CohortSession.objects.bulk_create(
            CohortSession(
                cohort=cohort,
                template_session=s,
                module=s.module,
                starts_at=moment,
                ends_at=moment + timedelta(minutes=s.duration_minutes),
            )
            for s, moment in zip(planned, half_days(first_day, len(planned)), strict=True)
        )
        enrolments = [
            Enrolment.objects.create(cohort=cohort, beneficiary=p, enrolled_at=_at(first_day, 8))
            for p in group
        ]
        marks = []
        for index, session in enumerate(sessions):
            if session.starts_at > now:
                continue
            for n, enrolment in enumerate(enrolments):
                absent = n >= 8 and index % 2 == 0  # two of ten miss every other half-day
                marks.append(
                    Attendance(
                        session=session,
                        enrolment=enrolment,
                        presence=Presence.ABSENT if absent else Presence.PRESENT,
                        late_minutes=15 if (n == 3 and index == 0) else 0,
                        minutes=0
                        if absent
                        else session.duration_minutes - (15 if (n == 3 and index == 0) else 0),
                        recorded_by=staff,
                    )
                )
        Attendance.objects.bulk_create(marks)
        _sessions, progress = cohort_board(cohort)
        for p in progress:
            if p.reaches_threshold:
                p.enrolment.attestation_at = sessions[-1].ends_at
                p.enrolment.save(update_fields=["attestation_at"])
                add_entry(
                    beneficiary=p.enrolment.beneficiary,
                    kind="support.course_finished",
                    summary=f"Parcours « {template.name} » terminé",
                    actor=staff,
                    milestone=Milestone.COURSE_FINISHED,
                    obj=p.enrolment,
                    at=sessions[-1].ends_at,
                )


def _monday_before(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _counts() -> dict[str, int]:
    return {
        "appointments": Appointment.objects.count(),
        "records": ActivityRecord.objects.count(),
        "workshops": Workshop.objects.count(),
        "cohorts": Cohort.objects.count(),
    }
