"""Demo volunteers: about 60 over four sites, with skills, languages, weekly availability, a few
months of declared hours; two trainings of professionals with attendance; a few candidates.

Idempotent: the volunteers are created once (bulk, one shared password hash) and found by
e-mail afterwards; the demo accounts of `accounts.demo` get their profile on every run.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from solidarnum.accounts.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from solidarnum.accounts.enums import Role
from solidarnum.accounts.models import Membership, User
from solidarnum.network.demo import DemoNetwork
from solidarnum.network.models import PartnerStructure

from .enums import CandidateStatus, HoursCategory, HoursStatus, Skill
from .models import (
    Candidate,
    DeclaredHours,
    Training,
    TrainingRegistration,
    VolunteerProfile,
    WeeklySlot,
)

SEED = 16
PER_SITE = 15
FIRST_NAMES = [
    "Anne", "Bachir", "Claire", "Djibril", "Élise", "Farid", "Gabrielle", "Hugo", "Irina",
    "Jamal", "Karine", "Louis", "Maya", "Nabil", "Odile", "Pierre", "Quentin", "Rania",
    "Sylvie", "Tarek", "Ulysse", "Valérie", "William", "Yasmina", "Zoé",
]  # fmt: skip
LAST_NAMES = [
    "Arnaud", "Benhamou", "Carpentier", "Diallo", "Etienne", "Fontaine", "Garnier", "Haddad",
    "Ivanova", "Joly", "Kaci", "Leroy", "Moreau", "Nguyen", "Ortiz", "Perrin", "Renaud",
    "Sanchez", "Traoré", "Vasseur",
]  # fmt: skip
LANGUAGES = ["ar", "en", "es", "uk", "ru", "pt", "fa", "ta", "tr"]
SLOTS = [(time(9, 30), time(12, 30)), (time(14), time(17)), (time(14), time(18))]
# The demo accounts of accounts.demo that are volunteers: their profile, their languages.
DEMO_PROFILES = {
    "benevole.paris19": (["fr", "ar"], [Skill.ONE_TO_ONE, Skill.WORKSHOP, Skill.REFURBISHING]),
    "benevole2.paris19": (["fr", "en"], [Skill.ONE_TO_ONE, Skill.PROCEDURES]),
    "benevole3.paris19": (["fr", "uk", "ru"], [Skill.ONE_TO_ONE]),
    "benevole.creteil": (["fr", "es"], [Skill.WORKSHOP]),
    "conseiller.paris19": (["fr"], [Skill.WORKSHOP]),
}


def _site_keys(network: DemoNetwork) -> list[str]:
    places = network["reception_points"]
    keys = [key for key, place in places.items() if place.is_active]
    preferred = [k for k in keys if places[k] in (network["paris_19"], network["creteil"])]
    others = [k for k in keys if k not in preferred]
    return (preferred + others)[:4]


def _profile(user: User, rng: random.Random, languages: list[str], skills: list[str]) -> None:
    VolunteerProfile.objects.update_or_create(
        user=user,
        defaults={
            "skills": skills,
            "languages_spoken": languages,
            "languages_read": languages[:1],
            "started_on": date(2024, 1, 1) + timedelta(days=rng.randrange(600)),
            "charter_signed_on": date(2025, 1, 15),
            "charter_version": "2025-1",
            "checked_at": timezone.now(),
        },
    )


def _new_volunteers(network: DemoNetwork, rng: random.Random) -> list[tuple[User, int]]:
    """The bulk volunteers, created once: (user, site id)."""
    password = make_password(DEMO_PASSWORD)
    places = network["reception_points"]
    wanted: list[tuple[str, str, str, int]] = []
    for index, key in enumerate(_site_keys(network)):
        for n in range(PER_SITE):
            first = FIRST_NAMES[(index * PER_SITE + n) % len(FIRST_NAMES)]
            last = LAST_NAMES[(index * 7 + n) % len(LAST_NAMES)]
            email = f"benevole-{index + 1}-{n + 1:02d}@{DEMO_EMAIL_DOMAIN}"
            wanted.append((email, first, last, places[key].pk))
    existing = set(
        User.objects.filter(email__in=[w[0] for w in wanted]).values_list("email", flat=True)
    )
    User.objects.bulk_create(
        [
            User(email=email, first_name=first, last_name=last, password=password)
            for email, first, last, _site in wanted
            if email not in existing
        ]
    )
    users = {u.email: u for u in User.objects.filter(email__in=[w[0] for w in wanted])}
    Membership.objects.bulk_create(
        [
            Membership(user=users[email], role=Role.VOLUNTEER, reception_point_id=site)
            for email, _f, _l, site in wanted
            if email not in existing
        ]
    )
    return [(users[email], site) for email, _f, _l, site in wanted if email not in existing]


def _bulk_profiles(new: list[tuple[User, int]], rng: random.Random) -> None:
    profiles = []
    for user, _site in new:
        languages = ["fr", *rng.sample(LANGUAGES, rng.choice([0, 1, 1, 2]))]
        skills = rng.sample(
            [Skill.ONE_TO_ONE, Skill.WORKSHOP, Skill.PROCEDURES, Skill.REFURBISHING],
            rng.choice([1, 2, 2, 3]),
        )
        profiles.append(
            VolunteerProfile(
                user=user,
                skills=skills,
                languages_spoken=languages,
                languages_read=languages[:1],
                started_on=date(2023, 9, 1) + timedelta(days=rng.randrange(800)),
                charter_signed_on=date(2025, 1, 15) if rng.random() < 0.85 else None,
                charter_version="2025-1",
                observed_on=date(2025, 2, 1) if rng.random() < 0.7 else None,
                checked_at=timezone.now() if rng.random() < 0.8 else None,
            )
        )
    created = {p.user_id: p for p in VolunteerProfile.objects.bulk_create(profiles)}
    # The refurbishing skill, as the profile decides it, on their membership.
    Membership.objects.filter(
        user_id__in=[p.user_id for p in created.values() if Skill.REFURBISHING in p.skills],
        role=Role.VOLUNTEER,
    ).update(can_check_devices=True)
    slots = []
    for user, site in new:
        profile = created[user.pk]
        for weekday in rng.sample(range(6), rng.choice([1, 1, 2])):
            start, end = rng.choice(SLOTS)
            slots.append(
                WeeklySlot(
                    profile=profile,
                    reception_point_id=site,
                    weekday=weekday,
                    starts_at=start,
                    ends_at=end,
                )
            )
    WeeklySlot.objects.bulk_create(slots)


def _hours(new: list[tuple[User, int]], rng: random.Random, managers: dict[int, User]) -> None:
    today = timezone.localdate()
    rows = []
    for user, site in new:
        for _n in range(rng.randrange(2, 7)):
            worked_on = today - timedelta(days=rng.randrange(1, 120))
            pending = worked_on > today - timedelta(days=14) and rng.random() < 0.6
            rows.append(
                DeclaredHours(
                    user=user,
                    reception_point_id=site,
                    worked_on=worked_on,
                    minutes=rng.choice([60, 90, 120, 180, 240]),
                    category=rng.choice(list(HoursCategory)),
                    status=HoursStatus.PENDING if pending else HoursStatus.VALIDATED,
                    decided_by=None if pending else managers.get(site),
                    decided_at=None if pending else timezone.now(),
                )
            )
    DeclaredHours.objects.bulk_create(rows)


def _demo_accounts(network: DemoNetwork, rng: random.Random) -> None:
    users = {
        u.email.partition("@")[0]: u
        for u in User.objects.filter(
            email__in=[f"{local}@{DEMO_EMAIL_DOMAIN}" for local in DEMO_PROFILES]
        )
    }
    for local, (languages, skills) in DEMO_PROFILES.items():
        user = users.get(local)
        if user is None:
            continue
        _profile(user, rng, languages, list(skills))
        memberships = Membership.objects.filter(user=user, role=Role.VOLUNTEER)
        memberships.update(can_check_devices=Skill.REFURBISHING in skills)
        for membership in memberships:
            if membership.reception_point_id is None:
                continue
            if not WeeklySlot.objects.filter(
                profile__user=user, reception_point_id=membership.reception_point_id
            ).exists():
                WeeklySlot.objects.create(
                    profile=user.volunteer_profile,
                    reception_point_id=membership.reception_point_id,
                    weekday=1,
                    starts_at=time(14),
                    ends_at=time(18),
                )
    jeanne = users.get("benevole.paris19")
    if jeanne is not None and not DeclaredHours.objects.filter(user=jeanne).exists():
        DeclaredHours.objects.create(
            user=jeanne,
            reception_point=network["paris_19"],
            worked_on=timezone.localdate() - timedelta(days=2),
            minutes=120,
            category=HoursCategory.EVENT,
            comment="Forum des associations",
        )


def _trainings(network: DemoNetwork) -> None:
    if Training.objects.exists():
        return
    now = timezone.now()
    structures = list(PartnerStructure.objects.order_by("pk")[:6])
    if not structures:
        return
    past = Training.objects.create(
        theme="Accompagner les démarches en ligne (CAF, France Travail)",
        starts_at=datetime.combine(
            timezone.localdate() - timedelta(days=40), time(9, 30), tzinfo=now.tzinfo
        ),
        minutes=360,
        place="Paris 19e, salle du fond",
        trainer="Équipe nationale",
        capacity=16,
    )
    remote = Training.objects.create(
        theme="Repérer les difficultés numériques d'une personne",
        starts_at=datetime.combine(
            timezone.localdate() - timedelta(days=12), time(14), tzinfo=now.tzinfo
        ),
        minutes=150,
        is_remote=True,
        trainer="Camille Durand",
        capacity=25,
        reception_point=network["paris_19"],
    )
    Training.objects.create(
        theme="Les outils de la mallette numérique",
        starts_at=now + timedelta(days=21),
        minutes=180,
        place="Créteil",
        trainer="Équipe nationale",
        capacity=12,
        reception_point=network["creteil"],
    )
    rows = []
    for training, count in ((past, 12), (remote, 18)):
        for n in range(count):
            structure = structures[n % len(structures)]
            rows.append(
                TrainingRegistration(
                    training=training,
                    partner_structure=structure,
                    first_name=FIRST_NAMES[n % len(FIRST_NAMES)],
                    last_name=LAST_NAMES[(n * 3) % len(LAST_NAMES)],
                    email=f"pro{n + 1}.{training.pk}@exemple.org",
                    attended=n % 6 != 5,
                )
            )
    TrainingRegistration.objects.bulk_create(rows)


def _candidates(network: DemoNetwork) -> None:
    if Candidate.objects.exists():
        return
    now = timezone.now()
    people = [
        ("Lina", "Bouaziz", CandidateStatus.TO_CONTACT, [Skill.ONE_TO_ONE]),
        ("Marc", "Olivier", CandidateStatus.MET, [Skill.REFURBISHING]),
        ("Sofia", "Petrenko", CandidateStatus.WELCOMED, [Skill.ONE_TO_ONE, Skill.WORKSHOP]),
        ("Ahmed", "Sall", CandidateStatus.TO_CONTACT, [Skill.PROCEDURES]),
    ]
    Candidate.objects.bulk_create(
        [
            Candidate(
                reception_point=network["paris_19"],
                first_name=first,
                last_name=last,
                email=f"{first.lower()}.{last.lower()}@exemple.org",
                skills=skills,
                availability="le mardi après-midi",
                consented_at=now,
                status=status,
            )
            for first, last, status, skills in people
        ]
    )


def seed_volunteers(network: DemoNetwork) -> dict[str, int]:
    rng = random.Random(SEED)
    managers = {
        m.reception_point_id: m.user
        for m in Membership.objects.filter(role=Role.SITE_MANAGER).select_related("user")
        if m.reception_point_id is not None
    }
    new = _new_volunteers(network, rng)
    if new:
        _bulk_profiles(new, rng)
        _hours(new, rng, managers)
    _demo_accounts(network, rng)
    _trainings(network)
    _candidates(network)
    return {
        "volunteers": VolunteerProfile.objects.count(),
        "hours": DeclaredHours.objects.count(),
        "trainings": Training.objects.count(),
    }
